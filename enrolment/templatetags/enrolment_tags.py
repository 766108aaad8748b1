from django import template
from wagtail import hooks

from ..models import Enrolment
from ..selectors import trainee_enrolments_by_edition

register = template.Library()

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


@register.simple_tag
def enrolment_links(enrolment: Enrolment) -> list[tuple[str, str]]:
    """(label, url) of the links other apps add to an enrolment's row in My
    courses, in the order the apps registered them. An app above enrolment
    registers a function with the Wagtail hook "enrolment_links": it takes the
    enrolment and returns such pairs; enrolment names none of those apps."""
    return [
        link
        for links in hooks.get_hooks("enrolment_links")
        for link in links(enrolment)
    ]
