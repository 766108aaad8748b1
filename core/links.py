"""Links to pages a higher app serves, asked for by a neutral name.

A lower app names no higher one, not even in a URL name (DESIGN.md): when it
needs a link to a page that an app above it serves (the page where an invited
colleague joins a company, the graduate's answer to a contact request, the
person's own area), it asks for `page_link("company_join", token)`, or
`{% page_link "personal_area" %}` in a template (core's `links` tags). The app
that serves the page registers its URL name under that name from its
AppConfig.ready():

    link_register(name="company_join", url_name="portal:company_join")

Asking for a name nobody registered raises ImproperlyConfigured: a missing
registration is a mistake to see at once, not a broken link in an email.
"""

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

_url_names: dict[str, str] = {}


def link_register(*, name: str, url_name: str) -> None:
    """The page `name` is served at the URL called `url_name`. Registering the
    same name twice with another URL is refused: two apps would claim it."""
    if _url_names.get(name, url_name) != url_name:
        raise ImproperlyConfigured(
            f"Link {name!r} is already registered as {_url_names[name]!r}."
        )
    _url_names[name] = url_name


def page_link(name: str, *args) -> str:
    """The path of the page registered as `name`, with its URL's arguments."""
    try:
        url_name = _url_names[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"No app registered the link {name!r} (core.links.link_register)."
        ) from None
    return reverse(url_name, args=args)
