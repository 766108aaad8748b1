from django import template

from .. import models
from ..selectors import trainee_enrolments_by_edition

register = template.Library()

# A register's status as its short code and as its label, from the one source in
# enrolment.models (portal's attendance_tags registers the same functions).
register.filter("attendance_code", models.attendance_code)
register.filter("attendance_label", models.attendance_label)

_CACHE_ATTR = "_enrolments_by_edition"


@register.simple_tag(takes_context=True)
def my_enrolment(context, edition):
    """The signed-in user's active enrolment in an edition, or None.

    A course page lists several editions: the user's enrolments are read once per
    request and kept on it.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    by_edition = getattr(request, _CACHE_ATTR, None)
    if by_edition is None:
        by_edition = trainee_enrolments_by_edition(trainee=user)
        setattr(request, _CACHE_ATTR, by_edition)
    return by_edition.get(edition.pk)
