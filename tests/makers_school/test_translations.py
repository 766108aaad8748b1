"""The Italian translation is complete, and the committed .mo files match the .po.

CI has no gettext tools, so the .po files are parsed here with the standard
library, and each compiled .mo is read back with :mod:`gettext`: every entry of
the .po must come out of the .mo with the same text.
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from wagtail.models import Locale

from courses.models import CourseIndexPage
from tests.factories import CourseEditionFactory

BASE_DIR = Path(settings.BASE_DIR)
ITALIAN_PO_FILES = sorted(
    [
        *BASE_DIR.glob("locale/it/LC_MESSAGES/*.po"),
        *BASE_DIR.glob("*/locale/it/LC_MESSAGES/*.po"),
    ]
)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{(\w*)\}")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    def label(self, path: Path) -> str:
        return f"{path.relative_to(BASE_DIR)}:{self.line} {self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file (obsolete ``#~`` entries left out)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if entry is not None and not line:
                entries.append(entry)
                entry, target = None, None
            continue
        if entry is None:
            entry = Entry(line=number)
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert target is not None, f"{path}:{number}: string outside an entry"
            value = ast.literal_eval(line)
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, name, getattr(entry, name) + value)
        else:
            keyword, rest = line.split(" ", 1)
            value = ast.literal_eval(rest)
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if keyword != "msgstr" else 0
                entry.msgstr[index] = value
                target = ("msgstr", index)
            else:
                assert keyword in {"msgid", "msgid_plural", "msgctxt"}, line
                setattr(entry, keyword, value)
                target = (keyword, 0)
    if entry is not None:
        entries.append(entry)
    return entries


def split_header(path: Path) -> tuple[Entry, list[Entry]]:
    entries = parse_po(path)
    header = entries[0]
    assert header.msgid == "" and header.msgctxt is None, f"{path}: no header"
    return header, entries[1:]


def placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


def test_the_italian_catalogues_exist():
    found = {path.relative_to(BASE_DIR).as_posix() for path in ITALIAN_PO_FILES}
    assert "locale/it/LC_MESSAGES/django.po" in found
    assert "enrolment/locale/it/LC_MESSAGES/django.po" in found


@pytest.mark.parametrize("path", ITALIAN_PO_FILES, ids=str)
def test_italian_po_is_complete(path):
    header, entries = split_header(path)
    assert "fuzzy" not in header.flags
    assert "Language: it\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header.msgstr[0]
    assert entries, f"{path}: no messages"

    fuzzy = [entry.label(path) for entry in entries if "fuzzy" in entry.flags]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"

    untranslated = []
    for entry in entries:
        expected = {0, 1} if entry.msgid_plural is not None else {0}
        if set(entry.msgstr) != expected or not all(entry.msgstr.values()):
            untranslated.append(entry.label(path))
    assert not untranslated, f"untranslated entries: {untranslated}"


@pytest.mark.parametrize("path", ITALIAN_PO_FILES, ids=str)
def test_italian_placeholders_match(path):
    """What msgfmt --check verifies, for CI without gettext."""
    _, entries = split_header(path)
    wrong = []
    for entry in entries:
        if "python-format" not in entry.flags and "python-brace-format" not in (
            entry.flags
        ):
            continue
        if entry.msgid_plural is None:
            sources = {0: entry.msgid}
        else:
            sources = {0: entry.msgid, 1: entry.msgid_plural}
        for index, msgstr in entry.msgstr.items():
            if placeholders(msgstr) != placeholders(sources[index]):
                wrong.append(f"{entry.label(path)} msgstr[{index}]={msgstr!r}")
    assert not wrong, f"placeholders differ: {wrong}"


@pytest.mark.parametrize("path", ITALIAN_PO_FILES, ids=str)
def test_committed_mo_matches_po(path):
    """Every translation in the .po comes out of the committed .mo unchanged."""
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run compilemessages"
    with mo_path.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    _, entries = split_header(path)
    stale = []
    for entry in entries:
        if entry.msgid_plural is None:
            if entry.msgctxt is None:
                compiled = {0: catalogue.gettext(entry.msgid)}
            else:
                compiled = {0: catalogue.pgettext(entry.msgctxt, entry.msgid)}
        elif entry.msgctxt is None:
            compiled = {
                index: catalogue.ngettext(entry.msgid, entry.msgid_plural, count)
                for index, count in ((0, 1), (1, 2))
            }
        else:
            compiled = {
                index: catalogue.npgettext(
                    entry.msgctxt, entry.msgid, entry.msgid_plural, count
                )
                for index, count in ((0, 1), (1, 2))
            }
        if compiled != entry.msgstr:
            stale.append(entry.label(path))
    assert not stale, f"{mo_path} is out of date for: {stale}"


@pytest.mark.parametrize(
    ("msgid", "italian"),
    [
        ("Sign in", "Accedi"),
        ("Sign up", "Registrati"),
        ("Filter courses", "Filtra i corsi"),
        ("Upcoming editions", "Prossime edizioni"),
        ("Join the waitlist", "Entra in lista d'attesa"),
        ("Seat offer", "Offerta di posto"),
        ("course catalogue", "catalogo corsi"),
        ("competency", "competenza"),
        (
            "minimum attendance for the certificate (%)",
            "frequenza minima per l'attestato (%)",
        ),
        # Also used with a plural in a template: gettext falls back to the n=1 form.
        ("Instructor", "Docente"),
        # From enrolment/locale, through Django's merged catalogue.
        ("Please give a reason.", "Indica un motivo."),
    ],
)
def test_django_serves_the_italian_text(msgid, italian):
    with translation.override("it"):
        assert translation.gettext(msgid) == italian
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


def test_django_italian_plurals():
    with translation.override("it"):
        one = translation.ngettext("%(seats)s seat left", "%(seats)s seats left", 1)
        many = translation.ngettext("%(seats)s seat left", "%(seats)s seats left", 5)
        none = translation.ngettext("%(seats)s seat left", "%(seats)s seats left", 0)
    assert one % {"seats": 1} == "1 posto disponibile"
    assert many % {"seats": 5} == "5 posti disponibili"
    assert none % {"seats": 0} == "0 posti disponibili"


@pytest.mark.django_db
def test_catalogue_page_speaks_italian(site, client):
    _, index = site
    CourseEditionFactory()
    response = client.get(index.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="it"' in html
    for italian in (
        "Filtra i corsi",
        "Cerca tra i corsi",
        "Tutte le aree",
        "Applica filtri",
        "1 corso trovato",
        "Prossima edizione",
        "Accedi",
        "Registrati",
    ):
        assert italian in html, italian
    for english in ("Filter courses", "Apply filters", "Sign in", "course found"):
        assert english not in html, english


@pytest.mark.django_db
def test_catalogue_page_speaks_english_under_en(site, client):
    edition = CourseEditionFactory(course__title="Cobot in linea")
    english = Locale.objects.get_or_create(language_code="en")[0]
    course_en = edition.course.copy_for_translation(english, copy_parents=True)
    course_en.title = "Cobots on the line"
    course_en.save_revision().publish()
    index_en = CourseIndexPage.objects.get(locale=english)
    response = client.get(index_en.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert index_en.url.startswith("/en/")
    assert '<html lang="en"' in html
    for english in ("Filter courses", "Apply filters", "1 course found", "Sign in"):
        assert english in html, english
    for italian in ("Filtra i corsi", "Applica filtri", "corso trovato", "Accedi"):
        assert italian not in html, italian
