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
  "redirect /path/"  any other redirect, to that path

A row is a GET unless it says method="POST": then `csrf` says whether the
request carries the session's CSRF token (without it, every role must get the
403 of Django's CSRF check, so nothing a POST-only URL does can be done by a
page on another site). POST rows never hold what would change the demo that the
rest of the matrix reads (erasure rows send the wrong confirmation).
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "owner",
    "other_trainee",
    "instructor",
    "manager",  # of the verified demo company, a member of the directory
    "unverified_member",  # the manager of the company staff have not verified
    "graduate",  # another graduate, with a published profile of their own
    "staff",
)


@dataclass(frozen=True)
class Row:
    name: str
    path: str  # a str.format template over the world (security.world)
    expected: dict[str, str]
    # Which account "owner" is for this row (a key of world["accounts"]).
    owner: str = "owner"
    needs: tuple[str, ...] = field(default=())  # world keys that must be set
    method: str = "GET"
    data: dict[str, str] = field(default_factory=dict)  # the POST's form fields
    csrf: bool = True  # a POST with the session's CSRF token


def _all(value: str, **overrides: str) -> dict[str, str]:
    return {role: overrides.get(role, value) for role in ROLES}


SIGNED_IN = _all("200", anonymous="login")  # a person's own page, whoever they are
OWNER_ONLY = _all("404", anonymous="login", owner="200")
ADMIN = _all("login", staff="200")
# The instructor's own teaching (owner="instructor"); staff correct any register.
TEACHES = _all("403", anonymous="login", owner="200", instructor="200", staff="200")
# Directory pages: members of a verified company only (403 for everyone else).
COMPANY = _all("403", anonymous="login", manager="200")
POST_ONLY = _all("405")  # require_POST before login_required: a GET does nothing
POST_ONLY_SIGNED_IN = _all("405", anonymous="login")  # login_required first
CSRF_REFUSED = _all("403")

ROWS: list[Row] = [
    Row("dashboard /me/", "/me/", SIGNED_IN),
    Row("my courses /me/courses/", "/me/courses/", SIGNED_IN),
    Row("English my courses", "/en/me/courses/", SIGNED_IN),
    Row(
        "company page /me/company/",
        "/me/company/",
        # Its own company, verified or not (the directory is what waits).
        _all("404", anonymous="login", manager="200", unverified_member="200"),
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
        "a certificate as a Europass credential (EDC)",
        "/me/certificates/{certificate}/europass/",
        # Its holder's own copy, sealed on request: nobody else's to take.
        OWNER_ONLY,
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
    Row(
        "admin: an edition's certificates, PDFs ZIP",
        "/admin/certificates/edition/{edition}/zip/",
        ADMIN,
        needs=("edition",),
    ),
    Row(
        "admin: an edition's certificates in all forms, ZIP",
        "/admin/certificates/edition/{edition}/credentials-zip/",
        ADMIN,
        needs=("edition",),
    ),
    # Attendance (issue 7): the instructor's registers, the trainee's figures.
    Row("my teaching /me/teaching/", "/me/teaching/", SIGNED_IN),
    Row(
        "a session's attendance register",
        "/me/teaching/sessions/{session}/",
        TEACHES,
        owner="instructor",
        needs=("session",),
    ),
    Row(
        "a register's check-in code page",
        "/me/teaching/sessions/{session}/qr/",
        TEACHES,
        owner="instructor",
        needs=("session",),
    ),
    Row(
        "a register's check-in QR image",
        "/me/teaching/sessions/{session}/qr/code/",
        TEACHES,
        owner="instructor",
        needs=("session",),
    ),
    Row(
        "mark attendance (GET)",
        "/me/teaching/sessions/{session}/mark/",
        POST_ONLY_SIGNED_IN,
        owner="instructor",
        needs=("session",),
    ),
    Row(
        "mark attendance, POST without CSRF token",
        "/me/teaching/sessions/{session}/mark/",
        CSRF_REFUSED,
        owner="instructor",
        needs=("session",),
        method="POST",
        data={"status": "absent"},
        csrf=False,
    ),
    Row(
        "close a register, POST without CSRF token",
        "/me/teaching/sessions/{session}/close/",
        CSRF_REFUSED,
        owner="instructor",
        needs=("session",),
        method="POST",
        csrf=False,
    ),
    Row(
        "an edition's trainees (teaching)",
        "/me/teaching/editions/{teaching_edition}/",
        TEACHES,
        owner="instructor",
        needs=("teaching_edition",),
    ),
    Row(
        "an edition's assessments",
        "/me/teaching/editions/{teaching_edition}/assessments/",
        TEACHES,
        owner="instructor",
        needs=("teaching_edition",),
    ),
    Row(
        "an edition's register PDF",
        "/me/teaching/editions/{teaching_edition}/register.pdf",
        TEACHES,
        owner="instructor",
        needs=("teaching_edition",),
    ),
    Row(
        "an edition's register CSV",
        "/me/teaching/editions/{teaching_edition}/register.csv",
        TEACHES,
        owner="instructor",
        needs=("teaching_edition",),
    ),
    Row(
        "attendance of an enrolment",
        "/me/courses/{enrolment}/attendance/",
        OWNER_ONLY,
        needs=("enrolment",),
    ),
    # The graduate's own area (issue 10).
    Row("my graduate profile /me/profile/", "/me/profile/", SIGNED_IN),
    Row(
        "my profile's CV (none in the demo)",
        "/me/profile/files/cv/",
        _all("404", anonymous="login"),
    ),
    Row("contact requests received", "/me/profile/requests/", SIGNED_IN),
    Row(
        "a contact request received",
        "/me/profile/requests/{contact_request}/",
        OWNER_ONLY,
        needs=("contact_request",),
    ),
    Row(
        "a contact request, POST without CSRF token",
        "/me/profile/requests/{contact_request}/",
        CSRF_REFUSED,
        needs=("contact_request",),
        method="POST",
        data={"action": "accept"},
        csrf=False,
    ),
    Row(
        "unblock a company (GET)",
        "/me/profile/blocks/{company}/unblock/",
        POST_ONLY,
        needs=("company",),
    ),
    # Personal data (issue 10): the export and the erasure.
    Row("my data /me/data/", "/me/data/", SIGNED_IN),
    # The export is prepared on the reports queue (issue 25), then downloaded
    # from its page: the owner's alone.
    Row(
        "my data, prepare the export, POST without CSRF token",
        "/me/data/",
        CSRF_REFUSED,
        method="POST",
        csrf=False,
    ),
    Row(
        "a prepared file's page",
        "/downloads/{prepared_file}/",
        OWNER_ONLY,
        needs=("prepared_file",),
    ),
    Row(
        "a prepared file's download",
        "/downloads/{prepared_file}/file/",
        OWNER_ONLY,
        needs=("prepared_file",),
    ),
    Row("delete my account (GET)", "/me/data/delete/", POST_ONLY),
    Row(
        # The owner here is a throwaway account (security.world) confirming
        # with its own address: were the CSRF check to fail, only it would go.
        "delete my account, POST without CSRF token",
        "/me/data/delete/",
        CSRF_REFUSED,
        owner="erasure",
        method="POST",
        data={"confirm": "{owner_email}"},
        csrf=False,
    ),
    Row(
        "delete my account, POST confirmed with another address",
        "/me/data/delete/",
        _all("redirect /me/data/", anonymous="login"),
        method="POST",
        # An address that is nobody's: the erasure is refused, nothing goes.
        data={"confirm": "not-this-account@example.invalid"},
    ),
    # Companies (issue 10): registration, members, invitations.
    Row("register a company", "/me/company/register/", SIGNED_IN),
    Row(
        "a company's members",
        "/me/company/members/",
        _all("404", anonymous="login", manager="200", unverified_member="200"),
    ),
    Row(
        "another company's members (?company=)",
        "/me/company/members/?company={unverified_company}",
        _all("404", anonymous="login", unverified_member="200"),
        needs=("unverified_company",),
    ),
    Row(
        "another company's page (?company=)",
        "/me/company/?company={unverified_company}",
        _all("404", anonymous="login", unverified_member="200"),
        needs=("unverified_company",),
    ),
    Row(
        "join a company, unknown invitation",
        "/me/company/join/{nonce}-not-an-invitation/",
        SIGNED_IN,
    ),
    # The directory (issue 10): members of a verified company only.
    Row("directory search", "/directory/", COMPANY),
    Row(
        "directory search for an unverified company (?company=)",
        "/directory/?company={unverified_company}",
        _all("403", anonymous="login"),
        needs=("unverified_company",),
    ),
    Row("directory shortlist", "/directory/shortlist/", COMPANY),
    Row("directory requests sent", "/directory/requests/", COMPANY),
    Row(
        "a graduate's profile",
        "/directory/g/{profile}/",
        COMPANY,
        needs=("profile",),
    ),
    Row(
        "a profile that is off",
        "/directory/g/{hidden_profile}/",
        _all("403", anonymous="login", manager="404"),
        needs=("hidden_profile",),
    ),
    Row(
        "a graduate's CV (not shown)",
        "/directory/g/{profile}/cv/",
        _all("403", anonymous="login", manager="404"),
        needs=("profile",),
    ),
    Row(
        "a graduate's photo (not shown)",
        "/directory/g/{profile}/photo/",
        _all("403", anonymous="login", manager="404"),
        needs=("profile",),
    ),
    Row(
        "contact a graduate (GET)",
        "/directory/g/{profile}/contact/",
        POST_ONLY,
        needs=("profile",),
    ),
    Row(
        "contact a graduate, POST without CSRF token",
        "/directory/g/{profile}/contact/",
        CSRF_REFUSED,
        needs=("profile",),
        method="POST",
        data={"message": "Buongiorno"},
        csrf=False,
    ),
    # Users are the administrator's (a superuser, admin@ in the demo): the Staff
    # role has no user permissions, since Wagtail lets whoever may change a
    # user make them a superuser.
    Row("admin: users", "/admin/users/", _all("login", staff="denied")),
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


def form_data(row: Row, world: dict) -> dict[str, str]:
    """The row's POST fields, filled from the world (owner_email: the address
    of the row's owner)."""
    values = {**world, "owner_email": world["accounts"][row.owner]}
    return {key: value.format(**values) for key, value in row.data.items()}


def account_for(row: Row, role: str, world: dict) -> str | None:
    if role == "anonymous":
        return None
    key = row.owner if role == "owner" else role
    return world["accounts"][key]
