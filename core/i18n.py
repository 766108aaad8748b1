"""Italian/English field pairs: `title` holds the Italian text, `title_en` the
English one, and the page shows the one of the active language."""

from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import get_language


def active_language() -> str:
    """The active language's code without its region: "it", "en"."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def localized(instance: object, field: str) -> str:
    """The value of `field` in the active language, the default one as fallback.

    For a language other than the default (Italian) this reads `<field>_<lang>`
    (title_en) when the model has it and it is filled in.
    """
    language = active_language()
    if language != settings.LANGUAGE_CODE:
        translated = getattr(instance, f"{field}_{language}", "")
        if translated:
            return translated
    return getattr(instance, field)


def localized_item(item: Mapping, field: str) -> str:
    """localized() for a mapping (a JSON snapshot): item["title_en"] in English
    when it is filled in, item["title"] otherwise."""
    language = active_language()
    if language != settings.LANGUAGE_CODE and item.get(f"{field}_{language}"):
        return item[f"{field}_{language}"]
    return item.get(field) or ""


def localized_property(field: str) -> property:
    """A read-only property: `localized_title = localized_property("title")`."""

    def getter(self) -> str:
        return localized(self, field)

    getter.__doc__ = f"{field} in the active language (Italian fallback)."
    return property(getter)
