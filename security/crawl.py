"""The pages a role reaches, and the forms on them (stdlib HTML parser only:
the live run has no Django to import)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Never followed or posted: they end the session, change what the other checks
# read, or are not pages of ours.
SKIP = (
    "/admin/",
    "/static/",
    "/media/",
    "/documents/",
    "/logout/",
    "/accounts/sessions/",
    "/accounts/2fa/",
    "/data/delete/",
    "/cancel/",
    "/close/",
    "/all-present/",
    "/unblock/",
    "/calendar/",
    ".ics",
    "/check-in/",
    "/offers/",
    "/join/",
)


@dataclass
class Form:
    page: str
    action: str
    method: str
    enctype: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> values
    kinds: dict[str, str] = field(default_factory=dict)  # name -> input type


class _Parser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(
                page=self.page,
                action=a.get("action") or self.page,
                method=(a.get("method") or "get").lower(),
                enctype=a.get("enctype", ""),
            )
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select"):
            name = a.get("name")
            if not name:
                return
            kind = a.get("type", "text").lower() if tag == "input" else tag
            self._form.kinds.setdefault(name, kind)
            values = self._form.fields.setdefault(name, [])
            if tag == "input" and kind not in ("submit", "button", "image", "file"):
                values.append(a.get("value", ""))
            if tag == "select":
                self._select = name
        elif tag == "option" and self._select and self._form is not None:
            self._form.fields[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def parse(page: str, html: str) -> tuple[list[str], list[Form]]:
    parser = _Parser(page)
    parser.feed(html)
    return parser.links, parser.forms


def same_site_path(page: str, href: str) -> str | None:
    """The path (and query) of a link to this site, None for anything else."""
    url = urlsplit(urljoin("http://site" + page, href))
    if url.netloc != "site" or url.scheme not in ("http", "https"):
        return None
    path = url.path + (f"?{url.query}" if url.query else "")
    if any(part in path for part in SKIP):
        return None
    return path


def crawl(get, starts: tuple[str, ...], *, limit: int):
    """Breadth-first over the links `get(path) -> (status, headers, html)`
    reaches from `starts`, at most `limit` pages; yields (path, status,
    headers, forms). Queries are kept once per path (one page of a list)."""
    seen: set[str] = set()
    bases: set[str] = set()
    queue = list(starts)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        base = path.split("?", 1)[0]
        if path in seen or (path != base and base in bases):
            continue
        seen.add(path)
        bases.add(base)
        status, headers, html = get(path)
        links, forms = (
            parse(path, html) if "html" in headers.get("Content-Type", "") else ([], [])
        )
        yield path, status, headers, forms
        for href in links:
            target = same_site_path(path, href)
            if target and target not in seen:
                queue.append(target)
