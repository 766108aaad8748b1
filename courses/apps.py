from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        from core.cache import page_cache_invalidated_by
        from people.models import Role, User
        from people.roles import grant

        from .receivers import instructor_saved

        post_save.connect(
            instructor_saved, sender=User, dispatch_uid="courses.instructor_saved"
        )
        # The catalogue shows on public pages.
        page_cache_invalidated_by(app_label=self.label)
        # Staff run the catalogue: competencies, venues, editions, sessions.
        grant(
            Role.STAFF, self.label, ["competency", "venue", "courseedition", "session"]
        )
