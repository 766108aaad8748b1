from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        from people.models import User

        from .receivers import instructor_saved

        post_save.connect(
            instructor_saved, sender=User, dispatch_uid="courses.instructor_saved"
        )
