"""What a page says, in the language it says it in.

The site speaks Italian first: a test that looks for a message on a page or in
the messages compares it with the message's Italian translation, with its
values put in (and HTML-escaped, as a template shows them, with `html=True`)."""

from django.utils import translation
from django.utils.html import escape


def italian(text, *, html: bool = False, **values) -> str:
    """`text` (a message id or lazy text) as Italian readers see it."""
    with translation.override("it"):
        shown = translation.gettext(text) if isinstance(text, str) else str(text)
    shown = shown % values if values else shown
    return escape(shown) if html else shown
