"""The enrolment burst's URLconf (bench.enrolment_burst): the site's, plus the
fair baseline the burst is compared with.

The baseline is a Django view behind the same middleware as the enrolment (the
session read, the user loaded, the MFA rule, CSRF checked on the POST, messages,
audit-of-denials), login required, that does one INSERT and redirects, as the
enrolment view does. What the enrolment costs beyond it is the enrolment itself.
"""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.views.decorators.http import require_POST

from makers_school.urls import urlpatterns as site_urlpatterns

BASELINE_TABLE = "bench_baseline_insert"


@require_POST
@login_required
def baseline_insert(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BASELINE_TABLE} (user_id, at) VALUES (%s, now())",  # noqa: S608
            [request.user.pk],
        )
    return HttpResponseRedirect("/me/courses/")


urlpatterns = [
    path("bench/baseline-insert/", baseline_insert, name="bench_baseline_insert"),
    *site_urlpatterns,
]
