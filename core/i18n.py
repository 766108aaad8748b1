"""Italian/English field pairs: `title` holds the Italian text, `title_en` the
English one, and the page shows the one of the active language."""

from django.conf import settings
from django.utils.translation import get_language


def localized(instance: object, field: str) -> str:
    """The value of `field` in the active language, the default one as fallback.

    For a language other than the default (Italian) this reads `<field>_<lang>`
    (title_en) when the model has it and it is filled in.
    """
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language != settings.LANGUAGE_CODE:
        translated = getattr(instance, f"{field}_{language}", "")
        if translated:
            return translated
    return getattr(instance, field)


def localized_property(field: str) -> property:
    """A read-only property: `localized_title = localized_property("title")`."""

    def getter(self) -> str:
        return localized(self, field)

    getter.__doc__ = f"{field} in the active language (Italian fallback)."
    return property(getter)
