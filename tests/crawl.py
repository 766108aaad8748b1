"""Walking the site the way a person does: following the links of each page.

The guards of the English area (tests/portal/test_english_area.py) and of
phone widths (tests/e2e/test_phone_widths.py) share what a link is, which ones
a crawl follows and how it stays bounded: GET only, same site, no downloads,
feeds or sign-out, and at most a few pages of each URL shape (the path with its
numbers and tokens replaced), so a list of fifty enrolments costs two visits.
"""

import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from django.urls import get_resolver
from django.urls.resolvers import LocalePrefixPattern

# The demo accounts (README.md), one per role, and the English-speaking trainee.
DEMO_ROLES = (
    "staff@makers-school.example",
    "docente@makers-school.example",
    "allievo@makers-school.example",
    "allievo2@makers-school.example",
    "allievo4@makers-school.example",
    "azienda@makers-school.example",
    "azienda2@makers-school.example",
    "dipendente@makers-school.example",
)

# Paths a crawl never opens: signing out ends the walk, the others are files
# (PDFs, spreadsheets, calendar feeds, images), not pages. /me/calendar/ is a
# page; /calendar/ and /en/calendar/ are the feeds.
SKIPPED_PATH = re.compile(
    r"(/logout/|^(/[a-z]{2})?/calendar/|/documents/|/media/|/static/|/fragments/|"
    r"\.(pdf|csv|ics|zip|png|jpe?g|svg|xlsx|json|txt)$|"
    r"/(pdf|zip|cv|photo|files|qr/code)/|/download|export)"
)
SKIPPED_QUERY = re.compile(r"(^|&)(download|format|export)=")
# A number, a UUID or a token (long, mixed case; slugs are lower case, so
# every course or news page is a shape of its own) in a path segment: pages
# of the same shape.
VARIABLE_SEGMENT = re.compile(
    r"^([0-9]+|[0-9a-f-]{32,36}|(?=[^/]*[A-Z])[A-Za-z0-9_=-]{12,})$"
)


def url_shape(path: str) -> str:
    segments = [
        "*" if VARIABLE_SEGMENT.match(segment) else segment
        for segment in path.split("/")
    ]
    return "/".join(segments)


def page_links(html: str | bytes, *, base: str) -> Iterator[tuple[str, object]]:
    """(absolute URL without fragment, the <a> element) of every link of a page."""
    soup = BeautifulSoup(html, "html.parser")
    for anchor in soup.find_all("a", href=True):
        href = anchor["href"].strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        yield urljoin(base, href).split("#", 1)[0], anchor


def same_site_path(url: str, *, origin: str) -> str | None:
    """The path (and query) of `url` when it is on the site at `origin`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != (
        origin
    ):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def followable(path: str) -> bool:
    plain, _, query = path.partition("?")
    return not SKIPPED_PATH.search(plain) and not SKIPPED_QUERY.search(query)


def language_neutral(path: str) -> bool:
    """Whether `path` is outside i18n_patterns (the admin, personal feeds, the
    API): such a URL has no language, so an English page may link to it."""
    plain = path.split("?", 1)[0].lstrip("/")
    for pattern in get_resolver().url_patterns:
        if isinstance(getattr(pattern, "pattern", None), LocalePrefixPattern):
            continue
        if pattern.pattern.match(plain):
            return True
    return plain.startswith(("static/", "media/"))


def crawl(
    fetch: Callable[[str], tuple[int, str, str]],
    *,
    starts: Iterable[str],
    origin: str,
    within: Callable[[str], bool] = lambda path: True,
    max_pages: int = 40,
    per_shape: int = 2,
    visit: Callable[[str, str], None] = lambda path, html: None,
    shape: Callable[[str], str] = url_shape,
) -> list[str]:
    """Open pages breadth-first from `starts`, following same-site links.

    `fetch(path)` returns (status, final path after redirects, HTML); `visit`
    sees every HTML page opened. Only paths `within` says yes to are opened,
    at most `per_shape` of each `shape` (of the path without its query).
    Returns the paths opened, in order.
    """
    queue = deque(starts)
    seen: set[str] = set(queue)
    shapes: Counter = Counter()
    opened: list[str] = []
    while queue and len(opened) < max_pages:
        path = queue.popleft()
        kind = shape(path.split("?", 1)[0])
        if shapes[kind] >= per_shape:
            continue
        shapes[kind] += 1
        status, final, html = fetch(path)
        opened.append(path)
        if status != 200 or not html:
            continue
        visit(final, html)
        for url, _anchor in page_links(html, base=origin + final):
            target = same_site_path(url, origin=origin)
            if (
                target is None
                or target in seen
                or not followable(target)
                or not within(target)
            ):
                continue
            seen.add(target)
            queue.append(target)
    return opened
