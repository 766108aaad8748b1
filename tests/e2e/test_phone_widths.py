"""Issue 7's guard: no page scrolls sideways on a 360 px phone.

With the demo loaded, a visitor and every demo role open each page they can
reach by following links from / and /me/ (both languages) and, for staff,
/admin/ (tests/crawl.py: same site, GET only, no downloads, feeds or sign-out,
one page of each URL shape, at most MAX_PAGES per person) in a 360 px wide
phone browser. Pages the same for everyone (the page cache's) are measured
by the visitor; people signed in measure their own pages and one course page
per language. A page whose document is wider than the screen fails the test,
named with its width; its screenshot is in test-results/.

Staff also crawl the Wagtail admin from /admin/ (ADMIN_PAGES more pages):
Wagtail's own screens measured at 360 px (listings, reports, settings) fit,
so the crawl is not restricted to our own admin views.
"""

import contextlib
import re
from urllib.parse import urlsplit

import pytest

from people.models import User
from tests.crawl import DEMO_ROLES, crawl
from tests.e2e.conftest import sign_in_as

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NARROW_PHONE = {"width": 360, "height": 780}
MAX_PAGES = 40
STAFF = "staff@makers-school.example"
ADMIN_PAGES = 25
# A phone browser zooms a page that is too wide out until it fits, so the
# window may report the page's width: the page is compared with the screen.
WIDTHS = "() => [document.documentElement.scrollWidth, window.innerWidth]"
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
        if email is None or PERSONAL.match(path):
            return True
        language = "en" if path.startswith("/en/") else "it"
        if COURSE_PAGE.match(path) and language not in course_pages:
            course_pages.add(language)
            return True
        return False

    return within


def _browser_fetch(page, live_server, journey, too_wide: list, who: str):
    def fetch(path: str) -> tuple[int, str, str]:
        try:
            response = page.goto(live_server.url + path, wait_until="load")
        except Exception:  # noqa: BLE001 - a download the skip list missed
            return 0, path, ""
        # htmx fills some parts after load; a page that keeps polling never
        # goes idle, and is measured as it is after the wait.
        with contextlib.suppress(Exception):
            page.wait_for_load_state("networkidle", timeout=3_000)
        parts = urlsplit(page.url)
        final = parts.path + (f"?{parts.query}" if parts.query else "")
        status = response.status if response is not None else 0
        content_type = response.headers.get("content-type", "") if response else ""
        if not content_type.startswith("text/html"):
            return status, final, ""
        document, window = page.evaluate(WIDTHS)
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
    for email in (None, *DEMO_ROLES):
        who = email.split("@")[0] if email else "visitor"
        page = new_page(viewport=NARROW_PHONE)
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
            max_pages=MAX_PAGES + (ADMIN_PAGES if email == STAFF else 0),
            per_shape=1,
        )
        journey.shot(page, f"last-{who}", full_page=False)
        (journey.directory / f"pages-{who}.txt").write_text("\n".join(opened) + "\n")
    assert not too_wide, "pages wider than a 360 px phone:\n" + "\n".join(too_wide)
