"""Whether the signed-in person may search the graduate directory (a member of
a verified company): the header's user menu and the dashboard link to it only
then. Asked once per request."""

from django import template

from people.selectors import verified_companies_of

register = template.Library()


@register.simple_tag(takes_context=True)
def searches_directory(context) -> bool:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return False
    request = context.get("request")
    cached = getattr(request, "_searches_directory", None)
    if cached is None:
        cached = bool(verified_companies_of(user=user))
        if request is not None:
            request._searches_directory = cached
    return cached
