from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site content")

    def ready(self) -> None:
        from core.cache import page_cache_invalidated_by
        from courses.models import course_catalogue_parent_register
        from people.models import Role
        from people.roles import grant, grant_collections, grant_pages

        from .models import HomePage

        # The site's own content shows on every public page.
        page_cache_invalidated_by(app_label=self.label)
        # The course catalogue stands under the home page.
        course_catalogue_parent_register(page_type=HomePage)
        # Staff write the site: its pages, images and documents, its settings.
        grant_pages(Role.STAFF, actions=["add", "change", "publish", "lock", "unlock"])
        for app_label, model in (
            ("wagtailimages", "image"),
            ("wagtaildocs", "document"),
        ):
            grant_collections(
                Role.STAFF, app_label, model, actions=["add", "change", "choose"]
            )
        grant(Role.STAFF, self.label, ["sitesettings"], actions=["change"])
