"""Issue 7's guard: no page scrolls sideways on a 360 px phone.

With the demo loaded, a visitor and every demo role open each kind of page
they can reach by following links from / and /me/ (both languages) and, for
staff, /admin/ (tests/crawl.py: same site, GET only, no downloads, feeds or
sign-out, at most MAX_PAGES per person) in a 360 px wide phone browser. A kind
is a page type of the CMS in one language (every course page is a CoursePage:
one is measured) or, for every other page, the URL pattern it resolves to in
its language (one enrolment of a list stands for all, one of Wagtail's bulk
actions for all of them).

Pages the same for everyone (the page cache's) are measured by the visitor;
people signed in measure their own pages and one course page per language.
allauth's account pages (e-mail addresses, password, sessions, 2FA) are one
template for every role: the first trainee measures them (ACCOUNT_PAGES more
pages). A page whose
document is wider than the screen fails the test, named with its width; its
screenshot is in test-results/.

A page is measured once it has loaded (the load event: styles, scripts,
images) and what it asks for after load has come back (htmx's request for the
signed-in person's header on a shared page) and its web fonts are ready; a page
that keeps polling is measured after at most SETTLE_MS.

Staff also crawl the Wagtail admin from /admin/ (ADMIN_PAGES more pages):
Wagtail's own screens measured at 360 px (listings, reports, settings) fit,
so the crawl is not restricted to our own admin views.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation
from wagtail.models import Locale, Page

from people.models import User
from tests.crawl import DEMO_ROLES, crawl, url_shape
from tests.e2e.conftest import sign_in_as

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NARROW_PHONE = {"width": 360, "height": 780}
MAX_PAGES = 40
STAFF = "staff@makers-school.example"
ADMIN_PAGES = 25
# Who measures allauth's account pages for everyone signed in (see above).
ACCOUNT_PAGES_BY = "allievo@makers-school.example"
ACCOUNT_PAGES = 20
ACCOUNT_PAGE = re.compile(r"^(/[a-z]{2})?/accounts/")
SETTLE_MS = 3_000
# Counts the page's requests in flight (XMLHttpRequest, which htmx uses, and
# fetch), from before its own scripts run.
COUNT_REQUESTS = """
(() => {
  let pending = 0;
  const done = () => { pending -= 1; };
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...args) {
    pending += 1;
    this.addEventListener("loadend", done, { once: true });
    return send.apply(this, args);
  };
  const fetch = window.fetch;
  window.fetch = (...args) => {
    pending += 1;
    return fetch(...args).finally(done);
  };
  window.__requestsPending = () => pending;
})();
"""
# A phone browser zooms a page that is too wide out until it fits, so the
# window may report the page's width: the page is compared with the screen.
# Measured once the requests made after load are back (or SETTLE_MS passed),
# the fonts are ready and a frame has been laid out with what they brought.
WIDTHS = """
async (settleMs) => {
  const until = Date.now() + settleMs;
  while ((window.__requestsPending?.() ?? 0) > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await document.fonts.ready;
  await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  return [document.documentElement.scrollWidth, window.innerWidth];
}
"""
# Pages that are the same for everyone (the page cache serves them to all):
# the visitor measures them, the people signed in measure their own pages.
PERSONAL = re.compile(r"^(/[a-z]{2})?/(me|accounts|directory|verify|admin)/")
COURSE_PAGE = re.compile(r"^(/en/courses|/corsi)/[^/?]+/$")


def _within_for(email: str | None):
    """Which pages a person opens: the visitor every page; the others their own
    pages, and one course page per language (with their enrolment on it)."""
    course_pages: set[str] = set()

    def within(path: str) -> bool:
        if path.startswith("/admin/"):
            return email == STAFF
        if email is not None and ACCOUNT_PAGE.match(path):
            return email == ACCOUNT_PAGES_BY
        if email is None or PERSONAL.match(path):
            return True
        language = "en" if path.startswith("/en/") else "it"
        if COURSE_PAGE.match(path) and language not in course_pages:
            course_pages.add(language)
            return True
        return False

    return within


def page_kinds() -> dict[str, str]:
    """The path of every live CMS page -> its kind: language and page type."""
    languages = {locale.pk: locale.language_code for locale in Locale.objects.all()}
    kinds = {}
    for page in Page.objects.live().specific():
        parts = page.get_url_parts()
        if parts is not None:
            kinds[parts[2]] = f"{languages[page.locale_id]}:{type(page).__name__}"
    return kinds


def _kind_of(kinds: dict[str, str]):
    """A CMS page's kind, else the URL pattern the path resolves to (in its
    language: /en/ paths are another kind), else its shape."""

    def kind(path: str) -> str:
        if path in kinds:
            return kinds[path]
        language = "en" if path.startswith("/en/") else settings.LANGUAGE_CODE
        with translation.override(language):
            try:
                match = resolve(path)
            except Resolver404:
                return url_shape(path)
        if match.url_name == "wagtail_serve":  # not a live page: by its shape
            return url_shape(path)
        return f"{language}:{match.route}"

    return kind


def _browser_fetch(page, live_server, journey, too_wide: list, who: str):
    def fetch(path: str) -> tuple[int, str, str]:
        try:
            response = page.goto(live_server.url + path, wait_until="load")
        except Exception:  # noqa: BLE001 - a download the skip list missed
            return 0, path, ""
        parts = urlsplit(page.url)
        final = parts.path + (f"?{parts.query}" if parts.query else "")
        status = response.status if response is not None else 0
        content_type = response.headers.get("content-type", "") if response else ""
        if not content_type.startswith("text/html"):
            return status, final, ""
        document, window = page.evaluate(WIDTHS, SETTLE_MS)
        if document > min(window, NARROW_PHONE["width"]):
            shot = journey.shot(page, f"TOO-WIDE-{who}-{final}", full_page=False)
            too_wide.append(
                f"{who}: {final} is {document} px wide on a "
                f"{NARROW_PHONE['width']} px screen ({shot.name})"
            )
        return status, final, page.content()

    return fetch


def test_every_page_fits_a_360px_phone(new_page, live_server, journey, demo_content):
    too_wide: list[str] = []
    kind = _kind_of(page_kinds())
    for email in (None, *DEMO_ROLES):
        who = email.split("@")[0] if email else "visitor"
        page = new_page(viewport=NARROW_PHONE)
        page.add_init_script(COUNT_REQUESTS)
        starts = ["/", "/en/"]
        if email is not None:
            sign_in_as(page, live_server, User.objects.get(email=email))
            starts = ["/me/", "/en/me/", "/"]
        if email == STAFF:
            starts.append("/admin/")
        opened = crawl(
            _browser_fetch(page, live_server, journey, too_wide, who),
            starts=starts,
            origin=live_server.url,
            within=_within_for(email),
            max_pages=MAX_PAGES
            + (ADMIN_PAGES if email == STAFF else 0)
            + (ACCOUNT_PAGES if email == ACCOUNT_PAGES_BY else 0),
            per_shape=1,
            shape=kind,
        )
        journey.shot(page, f"last-{who}", full_page=False)
        (journey.directory / f"pages-{who}.txt").write_text("\n".join(opened) + "\n")
    assert not too_wide, "pages wider than a 360 px phone:\n" + "\n".join(too_wide)
