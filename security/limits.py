"""Live checks of `make security` that change what a role may do: rate limits
(each from an address of its own), an instructor taken out of their group, a
company member without the directory permission, markup in PDFs."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import requests

from .live import BASE, role_session, session
from .probes import post

Row = tuple[str, bool, str]
LIMITED = re.compile(r"too many|troppi|troppe|riprova più tardi|try again later", re.I)
MESSAGE_ERROR = 'class="alert alert-danger"'


def _client(address: str) -> requests.Session:
    s = session()
    s.headers["X-Forwarded-For"] = address
    return s


def _limited(r: requests.Response) -> bool:
    """allauth answers 429, or its form says so; our pages say it in a message."""
    return r.status_code == 429 or bool(LIMITED.search(r.text))


def _limit_row(name: str, responses: list[requests.Response]) -> Row:
    marks = [_limited(r) for r in responses]
    errors = [r.status_code for r in responses if r.status_code >= 500]
    first = marks.index(True) + 1 if True in marks else 0
    holds = first and all(marks[first - 1 :])
    return (
        f"rate limit: {name}",
        bool(holds) and not errors,
        f"limited from request {first} of {len(marks)}, holds"
        if holds and not errors
        else f"not limited after {len(marks)} requests (5xx: {errors[:3]})"
        if not first
        else f"limited at {first} but not held: {marks}"[:160],
    )


def rate_limit_rows(world: dict) -> list[Row]:
    rows = []
    owner = world["accounts"]["owner"]
    # An address nobody has: the per-address limit must not lock a demo account.
    nobody = f"nessuno-{world['nonce']}@makers-school.example"
    s = _client("203.0.113.11")
    rows.append(
        _limit_row(
            "sign-in with wrong passwords",
            [
                post(s, "/en/accounts/login/", {"login": nobody, "password": "wrong"})
                for _ in range(14)
            ],
        )
    )
    s = _client("203.0.113.12")
    rows.append(
        _limit_row(
            "sign-up",
            [
                post(
                    s,
                    "/en/accounts/signup/",
                    {"email": "not-an-address", "password1": "x", "password2": "y"},
                )
                for _ in range(24)
            ],
        )
    )
    s = _client("203.0.113.13")
    rows.append(
        _limit_row(
            "password reset",
            [
                post(s, "/en/accounts/password/reset/", {"email": owner})
                for _ in range(8)
            ],
        )
    )
    s = _client("203.0.113.14")
    rows.append(
        _limit_row(
            "verification uploads",
            [
                post(
                    s,
                    "/en/verify/",
                    {},
                    files={"pdf": ("x.pdf", b"not a pdf", "application/pdf")},
                )
                for _ in range(66)
            ],
        )
    )
    rows.append(_invitation_row(world))
    return rows


def _invitation_row(world: dict) -> Row:
    """A company's invitations are limited (issue 26): 30 to new addresses."""
    s = role_session(world, "manager")
    responses = []
    for n in range(30):
        r = post(
            s,
            "/en/me/company/members/",
            {"email": f"invito-{world['nonce']}-{n}@example.invalid"},
        )
        if r.status_code == 200 and MESSAGE_ERROR in r.text:
            r._content = b"too many"  # refused with a message: counts as limited
        responses.append(r)
    return _limit_row("company invitations", responses)


def role_rows(world: dict, hostile: Callable[[str], dict]) -> list[Row]:
    rows = []
    session_id = world.get("session")
    paths = ["/me/teaching/"]
    if session_id:
        paths.append(f"/me/teaching/sessions/{session_id}/")
    if world.get("teaching_edition"):
        paths.append(f"/me/teaching/editions/{world['teaching_edition']}/register.pdf")
    s = role_session(world, "instructor")
    before = [s.get(BASE + p, allow_redirects=False, timeout=60) for p in paths]
    hostile("demote")
    try:
        after = [s.get(BASE + p, allow_redirects=False, timeout=60) for p in paths]
    finally:
        hostile("restore")
    got = {
        p: (b.status_code, a.status_code)
        for p, b, a in zip(paths, before, after, strict=True)
    }
    # "My teaching" is a page of every signed-in person (the matrix's row): the
    # demoted instructor still opens it, but it lists no register any more.
    listing = after[0]
    listing_empty = listing.status_code in (403, 404) or (
        listing.status_code == 200 and "/me/teaching/sessions/" not in listing.text
    )
    registers = [got[p] for p in paths[1:]]
    rows.append(
        (
            "role change: instructor out of the group loses the registers",
            got[paths[0]][0] == 200
            and listing_empty
            and all(b == 200 and a in (403, 404) for b, a in registers),
            "; ".join(f"{p} {b}->{a}" for p, (b, a) in got.items())[:200],
        )
    )
    s = role_session(world, "no_directory")
    paths = ["/directory/"]
    if world.get("profile"):
        paths.append(f"/directory/g/{world['profile']}/")
    statuses = {
        p: s.get(BASE + p, allow_redirects=False, timeout=60).status_code for p in paths
    }
    rows.append(
        (
            "role change: member without directory permission sees no profile",
            all(code in (403, 404) for code in statuses.values()),
            "; ".join(f"{p} {c}" for p, c in statuses.items()),
        )
    )
    return rows


def _pdf_problems(data: bytes, *, images_expected: int) -> list[str]:
    problems = []
    if not data.startswith(b"%PDF-"):
        return ["not a PDF"]
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - a dev dependency
        return ["pypdf missing"]
    reader = PdfReader(io.BytesIO(data))
    links = images = 0
    text = ""
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            if annot.get_object().get("/Subtype") == "/Link":
                links += 1
        images += len(page.images)
        text += page.extract_text() or ""
    if links:
        problems.append(f"{links} link annotations")
    if images > images_expected:
        problems.append(f"{images} images, {images_expected} expected")
    if "etc/passwd" not in text:
        problems.append("the markup is not printed as text")
    return problems


def _images(s: requests.Session, path: str) -> int:
    """The images of a PDF before the markup: what the same PDF may hold."""
    r = s.get(BASE + path, timeout=60)
    if r.status_code != 200 or not r.content.startswith(b"%PDF-"):
        return 0
    from pypdf import PdfReader

    return sum(len(p.images) for p in PdfReader(io.BytesIO(r.content)).pages)


def pdf_markup_rows(world: dict, hostile: Callable[[str], dict]) -> list[Row]:
    """Markup in the venue name and course title (issue 29), by the database."""
    staff = role_session(world, "staff")
    register = f"/me/teaching/editions/{world.get('teaching_edition')}/register.pdf"
    images = _images(staff, register)
    # What a certificate without markup holds (its QR code, the logo if set).
    certificate_images = _images(
        staff, f"/me/certificates/{world.get('certificate')}/pdf/"
    )
    result = hostile(f"markup {world.get('teaching_edition')}")
    rows = []
    r = staff.get(BASE + register, timeout=60)
    problems = [str(r.status_code)] if r.status_code != 200 else []
    problems += _pdf_problems(r.content, images_expected=images) if not problems else []
    rows.append(
        (
            "PDF markup: register PDF",
            not problems,
            "; ".join(problems)[:160] or f"200, {images} images, no link",
        )
    )
    certificate = result.get("markup_certificate")
    if not certificate:
        rows.append(
            (
                "PDF markup: certificate PDF",
                False,
                result.get("markup_error") or "no certificate",
            )
        )
        return rows
    r = staff.get(BASE + f"/me/certificates/{certificate}/pdf/", timeout=60)
    problems = [str(r.status_code)] if r.status_code != 200 else []
    problems += (
        _pdf_problems(r.content, images_expected=certificate_images)
        if not problems
        else []
    )
    rows.append(
        (
            "PDF markup: certificate PDF",
            not problems,
            "; ".join(problems)[:160] or "200, no link, no extra image",
        )
    )
    return rows
