"""The edition editor's form: its inline sessions go through the edition
services' instructor check (courses.services.sessions_instructors_check)."""

from wagtail.admin.forms import WagtailAdminModelForm

from .exceptions import EditionError
from .services import sessions_instructors_check


class EditionAdminForm(WagtailAdminModelForm):
    def is_valid(self) -> bool:
        """Valid fields and sessions, and no instructor in two sessions at once
        (with the edition's instructors as the form sets them)."""
        if not super().is_valid():
            return False
        formset = self.formsets["sessions"]
        deleted = set(formset.deleted_forms)
        sessions = [
            form.instance
            for form in formset.forms
            if form not in deleted and (form.instance.pk or form.has_changed())
        ]
        instructors = self.cleaned_data.get("instructors")
        try:
            sessions_instructors_check(
                edition=self.instance,
                sessions=sessions,
                instructor_ids=(
                    None if instructors is None else [user.pk for user in instructors]
                ),
                replaced_ids=[form.instance.pk for form in deleted if form.instance.pk],
            )
        except EditionError as error:
            self.add_error(None, str(error))
            return False
        return True
