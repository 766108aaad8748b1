"""The permission matrix: every URL that shows one person's data x every role.

A data table: each Row names a URL (a template filled from security.world), whose
data it shows (the owner account), and what each role must get. Later issues add
their rows here; both the live run (security.live, against gunicorn) and the
pytest run (tests/security/test_permission_matrix.py, in-process) read it.

Outcomes:
  "200"      the page (or file) itself
  "404"      not found: nobody learns that someone else's object exists
  "403"      refused (a secret link opened by someone it was not sent to)
  "405"      the URL answers POST only (a GET changes nothing)
  "login"    a redirect to the sign-in page (anonymous visitors; people who
             may not enter the Wagtail admin)
  "denied"   the Wagtail admin's refusal (a redirect to its dashboard)
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("anonymous", "owner", "other_trainee", "instructor", "manager", "staff")


@dataclass(frozen=True)
class Row:
    name: str
    path: str  # a str.format template over the world (security.world)
    expected: dict[str, str]
    # Which account "owner" is for this row (a key of world["accounts"]).
    owner: str = "owner"
    needs: tuple[str, ...] = field(default=())  # world keys that must be set


def _all(value: str, **overrides: str) -> dict[str, str]:
    return {role: overrides.get(role, value) for role in ROLES}


SIGNED_IN = _all("200", anonymous="login")  # a person's own page, whoever they are
OWNER_ONLY = _all("404", anonymous="login", owner="200")
ADMIN = _all("login", staff="200")

ROWS: list[Row] = [
    Row("dashboard /me/", "/me/", SIGNED_IN),
    Row("my courses /me/courses/", "/me/courses/", SIGNED_IN),
    Row("English my courses", "/en/me/courses/", SIGNED_IN),
    Row(
        "company page /me/company/",
        "/me/company/",
        _all("404", anonymous="login", manager="200"),
    ),
    Row("invitations /me/invitations/", "/me/invitations/", SIGNED_IN),
    Row("my calendar /me/calendar/", "/me/calendar/", SIGNED_IN),
    Row("my certificates /me/certificates/", "/me/certificates/", SIGNED_IN),
    Row(
        "cancel an enrolment (GET)",
        "/me/courses/{enrolment}/cancel/",
        OWNER_ONLY,
        needs=("enrolment",),
    ),
    Row(
        "a waitlist offer (someone else's token: refused)",
        "/me/offers/{offer_token}/",
        _all("403", anonymous="login", owner="200"),
        owner="offer_owner",
        needs=("offer_token",),
    ),
    Row(
        "a certificate's PDF",
        "/me/certificates/{certificate}/pdf/",
        # Staff issue and revoke certificates: they may open every PDF.
        _all("404", anonymous="login", owner="200", staff="200"),
        needs=("certificate",),
    ),
    Row(
        "personal calendar feed, wrong token",
        "/calendar/personal/{nonce}-not-a-feed-token-0000000000000000000.ics",
        _all("404"),
    ),
    Row(
        "admin: an enrolment's details",
        "/admin/enrolments/inspect/{enrolment}/",
        ADMIN,
        needs=("enrolment",),
    ),
    Row(
        "admin: an edition's roster",
        "/admin/enrolments/edition/{edition}/",
        ADMIN,
        needs=("edition",),
    ),
    Row(
        "admin: roster export CSV",
        "/admin/enrolments/edition/{edition}/export/csv/",
        ADMIN,
        needs=("edition",),
    ),
    Row(
        "admin: roster export XLSX",
        "/admin/enrolments/edition/{edition}/export/xlsx/",
        ADMIN,
        needs=("edition",),
    ),
    Row("admin: users", "/admin/users/", ADMIN),
    Row("admin: security events", "/admin/reports/security-events/", ADMIN),
    Row("admin: site history", "/admin/reports/site-history/", ADMIN),
]


def outcome(status: int, location: str) -> str:
    """What a response amounts to, in the terms of the table above."""
    if status in (301, 302, 303):
        path = location.split("://", 1)[-1]
        path = path[path.find("/") :] if "://" in location else location
        if "/accounts/login/" in path:
            return "login"
        if path.rstrip("/").endswith("/admin") or path == "/admin/":
            return "denied"
        if "/accounts/2fa/" in path:
            return "mfa-setup"
        return f"redirect {path}"
    return str(status)


def cells(world: dict):
    """(row, role, path) for every cell that the world can fill."""
    for row in ROWS:
        if any(not world.get(key) for key in row.needs):
            continue
        path = row.path.format(**world)
        for role in ROLES:
            yield row, role, path


def account_for(row: Row, role: str, world: dict) -> str | None:
    if role == "anonymous":
        return None
    key = row.owner if role == "owner" else role
    return world["accounts"][key]
