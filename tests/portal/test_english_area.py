"""Issue 4's guard: the English area speaks English and stays English.

With the demo loaded, every demo role (and a visitor) walks the pages of /en/
reachable from /en/ and /en/me/ by following links, and every page must show
the English title of a course (or competency, session topic) that has one, and
link only to English or language-neutral URLs: an Italian page's URL (/corsi/,
/notizie/, an Italian slug) from an English page sends the reader back to
Italian. The language switcher (links with hreflang) is the exception, and so
is text marked lang="it" (a certificate names its course in both languages).
The English trainee's enrolment email is checked the same way.
"""

import html
import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase
from django.utils import translation
from wagtail.models import Page

from core.emails import site_url
from courses.models import Competency, CoursePage, Session
from enrolment.exceptions import EnrolmentError
from enrolment.selectors import editions_open_for_enrolment
from enrolment.services import enrolment_create
from people.models import User
from tests.crawl import DEMO_ROLES, crawl, language_neutral, page_links

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"
ENGLISH_TRAINEE = "allievo4@makers-school.example"
# Per person: every page kind of the personal area, and a sample of the rest.
MAX_PAGES = 50
# Shorter texts (a code, "CNC") may be the same words in both languages.
MIN_TEXT = 8


def _italian_texts() -> dict[str, str]:
    """Italian text -> its English counterpart, where they differ."""
    pairs: dict[str, str] = {}
    english = {
        page.translation_key: page.title
        for page in CoursePage.objects.live().filter(locale__language_code="en")
    }
    for page in CoursePage.objects.filter(locale__language_code="it"):
        if page.translation_key in english:
            pairs[page.title] = english[page.translation_key]
    for title, title_en in Competency.objects.values_list("title", "title_en"):
        pairs[title] = title_en
    for topic, topic_en in Session.objects.values_list("topic", "topic_en"):
        pairs[topic] = topic_en
    return {
        it: en
        for it, en in pairs.items()
        if en and it != en and len(it) >= MIN_TEXT and it not in en
    }


def _italian_slugs() -> set[str]:
    """Slugs of Italian pages whose English translation has another slug."""
    english = dict(
        Page.objects.filter(locale__language_code="en").values_list(
            "translation_key", "slug"
        )
    )
    return {
        slug
        for key, slug in Page.objects.filter(
            locale__language_code="it", depth__gt=2
        ).values_list("translation_key", "slug")
        if english.get(key, slug) != slug
    }


def english_page_problems(
    path: str,
    html: str,
    *,
    texts: dict[str, str],
    slugs: set[str],
    origin: str = ORIGIN,
) -> list[str]:
    """What on an English page is Italian: texts, and links to Italian URLs."""
    problems = []
    soup = BeautifulSoup(html, "html.parser")
    for marked in soup.select('[lang="it"]'):
        marked.decompose()
    shown = soup.get_text(" ")
    shown = re.sub(r"\s+", " ", shown)
    for italian, english in texts.items():
        if italian in shown:
            problems.append(f"{path}: shows {italian!r} (English: {english!r})")
    for url, anchor in page_links(str(soup), base=origin + path):
        if not url.startswith(origin) or anchor.has_attr("hreflang"):
            continue
        target = url[len(origin) :]
        plain = target.split("?", 1)[0]
        if plain == "/en" or plain.startswith("/en/"):
            italian_segments = slugs.intersection(plain.split("/"))
            if italian_segments:
                problems.append(
                    f"{path}: links to {target} (Italian slug "
                    f"{', '.join(sorted(italian_segments))})"
                )
        elif not language_neutral(target):
            problems.append(f"{path}: links to the Italian URL {target}")
    return problems


def _fetch(client: Client):
    def fetch(path: str) -> tuple[int, str, str]:
        response = client.get(path, follow=True)
        final = response.request["PATH_INFO"]
        if response.request.get("QUERY_STRING"):
            final += "?" + response.request["QUERY_STRING"]
        if not response.get("Content-Type", "").startswith("text/html"):
            return response.status_code, final, ""
        return response.status_code, final, response.content.decode()

    return fetch


def _fragments_of(client: Client, path: str, html: str) -> str:
    """What static/js/site.js adds to a shared page for a signed-in person."""
    soup = BeautifulSoup(html, "html.parser")
    island = soup.select_one("[data-island=account]")
    if island is None:
        return ""
    editions = [
        element["data-island-edition"]
        for element in soup.select("[data-island-edition]")
    ]
    response = client.get(
        island["data-island-url"],
        {"next": path, **({"editions": ",".join(editions)} if editions else {})},
    )
    return response.content.decode() if response.status_code == 200 else ""


def _walk(email: str | None, *, texts: dict, slugs: set) -> tuple[list, list]:
    """The problems and server errors one person meets in the English area."""
    client = Client()
    if email is not None:
        client.force_login(User.objects.get(email=email))
    fetch = _fetch(client)
    problems: list[str] = []
    errors: list[str] = []

    def visit(path: str, html: str) -> None:
        if email is not None:
            html += _fragments_of(client, path, html)
        problems.extend(english_page_problems(path, html, texts=texts, slugs=slugs))

    def checked_fetch(path: str) -> tuple[int, str, str]:
        status, final, html = fetch(path)
        if status >= 500:
            errors.append(f"{email or 'visitor'}: {path} answered {status}")
        return status, final, html

    opened = crawl(
        checked_fetch,
        starts=["/en/", "/en/me/"],
        origin=ORIGIN,
        within=lambda path: path.startswith("/en/"),
        max_pages=MAX_PAGES,
        visit=visit,
    )
    assert len(opened) > 3, f"{email}: the crawl opened only {opened}"
    return problems, errors


def _english_enrolment_email(*, texts: dict, slugs: set) -> list[str]:
    """The English trainee enrols in an open edition: the problems of the email
    (subject, text and HTML bodies; links in the text body are checked as the
    HTML body's are)."""
    trainee = User.objects.get(email=ENGLISH_TRAINEE)
    mail.outbox.clear()
    for edition in editions_open_for_enrolment():
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                enrolment_create(trainee=trainee, edition=edition)
        except EnrolmentError:
            continue
        break
    messages = [message for message in mail.outbox if message.to == [trainee.email]]
    assert messages, "the English trainee could enrol in no demo edition"
    origin = site_url("")
    problems = []
    for message in messages:
        links = "".join(
            f'<a href="{url}">{url}</a>'
            for url in re.findall(r"https?://\S+", message.body)
        )
        body = html.escape(f"{message.subject}\n{message.body}") + links
        for shown in (body, message.alternatives[0][0]):
            found = english_page_problems(
                "/", shown, texts=texts, slugs=slugs, origin=origin
            )
            problems += [f"email {message.subject!r} {line[1:]}" for line in found]
    return problems


@pytest.fixture
def _language_reset():
    """The client's English requests leave English active in this thread: the
    tests after this one start in the default language again."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.mark.usefixtures("_language_reset")
def test_english_area_shows_english_titles_and_links(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)
    texts = _italian_texts()
    slugs = _italian_slugs()
    assert texts and slugs, "the demo has English translations to compare with"
    problems: set[str] = set()
    errors: list[str] = []
    for email in (None, *DEMO_ROLES):
        found, failed = _walk(email, texts=texts, slugs=slugs)
        problems.update(found)
        errors.extend(failed)
    problems.update(_english_enrolment_email(texts=texts, slugs=slugs))
    assert not errors, "\n".join(errors)
    assert not problems, f"{len(problems)} Italian things in the English area:\n" + (
        "\n".join(sorted(problems))
    )
