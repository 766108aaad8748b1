"""Every URL pattern that names a row by a number, and the hostile ids to try.

routes() walks Django's URL resolver (the project's apps, allauth, Wagtail's
admin and front end) and gives each pattern with an `id` or `int` converter as
a path template: numeric parts as `{id}`, other parts filled with a harmless
word. Both the live run (security.live, through security.world) and the
in-process test (tests/security/test_path_ids.py) fuzz these.
"""

from __future__ import annotations

import re

# Out of bigint's range, of int's range, zero, negative, huge, not a number.
HOSTILE_IDS = (
    "9223372036854775808",
    "99999999999999999999999999",
    "2147483648",
    "0",
    "-1",
    "1e3",
    "%00",
)
# Ids that would still match Django's `int` converter (a 20-digit run of digits
# reaches the view there); the others are refused by every converter.
MATCHING_IDS = ("9223372036854775808", "2147483648", "0")

_CONVERTER = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>[^>]+)>")
_NUMERIC = {"id", "int"}
# Fillers for the parts that are not ids (a word each converter accepts).
_FILLER = {
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}
_FILLER_BY_NAME = {"fmt": "pdf"}  # the register's export: register.pdf


def _route_of(pattern) -> str | None:
    """The route text of one resolver level; None where it is a regex we cannot
    fill (Wagtail's page tree), '' for the language prefix of the default."""
    from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

    if isinstance(pattern, RoutePattern):
        return str(pattern._route)
    if isinstance(pattern, LocalePrefixPattern):
        return ""
    if isinstance(pattern, RegexPattern):
        regex = pattern._regex.lstrip("^").rstrip("$")
        if regex.startswith("\\Z"):
            return ""
        # Wagtail's admin API and a few admin views: numbered groups become ids.
        regex = re.sub(r"\(\?P<(\w+)>\\d\+\)", r"<int:\1>", regex)
        if re.search(r"[\\()\[\]|*+?]", regex):
            return None
        return regex
    return None


def _template(route: str) -> str | None:
    numeric = False

    def fill(match: re.Match) -> str:
        nonlocal numeric
        kind = match.group("kind") or "str"
        if kind in _NUMERIC:
            numeric = True
            return "{id}"
        return _FILLER_BY_NAME.get(match.group("name"), _FILLER.get(kind, "x"))

    filled = _CONVERTER.sub(fill, route)
    return "/" + filled if numeric else None


def routes() -> list[str]:
    """Sorted path templates ('/me/editions/{id}/enrol/') of every pattern with
    a numeric part; each `{id}` is replaced by the same hostile value."""
    from django.urls import get_resolver
    from django.urls.resolvers import URLResolver

    found: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            part = _route_of(entry.pattern)
            if part is None:
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + part)
            else:
                template = _template(prefix + part)
                if template:
                    found.add(template)

    walk(get_resolver().url_patterns, "")
    return sorted(found)


def is_admin(template: str) -> bool:
    return template.startswith("/admin/")


def fill(template: str, value: str) -> str:
    return template.replace("{id}", value)


if __name__ == "__main__":  # pragma: no cover - a look at what is fuzzed
    import django

    django.setup()
    print("\n".join(routes()))
