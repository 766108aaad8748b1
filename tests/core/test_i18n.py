from types import SimpleNamespace

from django.utils import translation

from core.i18n import localized, localized_property


class Venue(SimpleNamespace):
    localized_name = localized_property("name")


def test_the_english_text_in_english_the_italian_otherwise():
    venue = Venue(name="Aula magna", name_en="Main hall")
    with translation.override("en"):
        assert venue.localized_name == "Main hall"
    with translation.override("it"):
        assert venue.localized_name == "Aula magna"


def test_italian_is_the_fallback_when_the_english_is_empty_or_missing():
    with translation.override("en"):
        assert Venue(name="Aula magna", name_en="").localized_name == "Aula magna"
        assert localized(SimpleNamespace(topic="Saldatura"), "topic") == "Saldatura"
