from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    # Health for load balancers and supervisors (core.health): no language prefix.
    path("", include("core.health_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/certificates/", include("certificates.api_urls")),
    # Open Badges: the school's JWK Set and status lists (certificates.credentials).
    path("credentials/", include("certificates.credentials.urls")),
    # Personal calendar feeds (enrolment.feeds): opened by their secret token.
    path("calendar/personal/", include("enrolment.feed_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("accounts/", include("people.urls")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("portal.urls")),
    path("me/", include("enrolment.urls")),
    path("me/", include("attendance.urls")),
    path("me/", include("funding.urls")),
    # Files prepared on the reports queue (core.prepared_files), owner only.
    path("downloads/", include("core.prepared_urls")),
    path("me/evaluations/", include("evaluations.urls")),
    path("directory/", include("directory.urls")),
    # Public calendar feeds (courses.feeds); they do their own conditional GET.
    path("calendar/", include("courses.urls")),
    path("", include("certificates.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
