"""Live checks of `make security` against gunicorn: path ids, every form with
hostile values, the headers of every page each role reaches, the request size
cap, hostile uploads. Each returns rows (name, held, detail) for the table."""

from __future__ import annotations

import contextlib
import socket

import requests

from .crawl import crawl, parse, same_site_path
from .files import CVS, PHOTOS, ZLIB_BOMB, Hostile
from .live import BASE, ORIGIN, role_session, session
from .routes import HOSTILE_IDS, MATCHING_IDS, fill, is_admin

Row = tuple[str, bool, str]
ROLES = ("anonymous", "owner", "instructor", "manager", "staff")
CRAWL_LIMIT = 70


def _token(s: requests.Session) -> str:
    if not s.cookies.get("csrftoken"):
        s.get(BASE + "/accounts/login/", timeout=30)
    return s.cookies.get("csrftoken", "")


def post(s: requests.Session, path: str, data=None, files=None, **kw):
    """A POST as the browser sends it: the session's CSRF token, same Origin."""
    token = _token(s)
    if isinstance(data, dict):
        data = {"csrfmiddlewaretoken": token, **data}
    elif isinstance(data, list):
        data = [("csrfmiddlewaretoken", token), *data]
    else:
        data = {"csrfmiddlewaretoken": token}
    headers = {"Origin": ORIGIN, "Referer": ORIGIN + path, "X-CSRFToken": token}
    headers.update(kw.pop("headers", {}))
    return s.post(
        BASE + path,
        data=data,
        files=files,
        headers=headers,
        allow_redirects=False,
        timeout=60,
        **kw,
    )


# --- path ids ------------------------------------------------------------------


def path_id_rows(world: dict) -> list[Row]:
    templates = world.get("id_routes", [])
    ours = [t for t in templates if not is_admin(t)]
    admin = [t for t in templates if is_admin(t)]
    rows = []
    for group, paths, roles in (
        ("our URLs", ours, ROLES),
        ("admin URLs", admin, ("staff",)),
    ):
        for role in roles:
            s = role_session(world, role)
            # Every hostile id as a visitor and as staff; the ones Django's
            # `int` would let through as the other roles (time: the run).
            values = HOSTILE_IDS if role in ("anonymous", "staff") else MATCHING_IDS
            if group == "admin URLs":  # the rest never match Django's `int`
                values = MATCHING_IDS
            sent, errors = 0, []
            for template in paths:
                for value in values:
                    path = fill(template, value)
                    # The admin's views are GETs but for a few: POST the largest.
                    methods = ("GET", "POST")
                    if group == "admin URLs" and value != HOSTILE_IDS[0]:
                        methods = ("GET",)
                    for method in methods:
                        if method == "GET":
                            r = s.get(BASE + path, allow_redirects=False, timeout=60)
                        else:
                            r = post(s, path, {"id": value})
                        sent += 1
                        if r.status_code >= 500:
                            errors.append(f"{method} {path}: {r.status_code}")
            rows.append(
                (
                    f"path ids: {len(paths)} {group} [{role}]",
                    bool(paths) and not errors,
                    errors[0] if errors else f"{sent} requests, no 5xx",
                )
            )
    return rows


# --- every page each role reaches: headers, then its forms -------------------------

HOSTILE_VALUES = (
    "A" * 60000,
    "-1",
    "99999999999999999999999",
    "1e309",
    "abc",
    '<script>alert(1)</script>"><img src=x onerror=alert(1)>',
    "a\x00b",
    "../../etc/passwd",
    "\U0001f600" * 500,
    "",
)
PERSONAL = ("/me/", "/en/me/", "/directory/", "/en/directory/", "/accounts/")


def _header_problems(role: str, path: str, r: requests.Response) -> list[str]:
    h = r.headers
    problems = []
    if r.status_code >= 500:
        problems.append(f"{r.status_code}")
    if "max-age=" not in h.get("Strict-Transport-Security", ""):
        problems.append("no HSTS")
    if h.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    if not h.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    if "html" in h.get("Content-Type", ""):
        policy = h.get("Content-Security-Policy", "")
        if "script-src" not in policy and "default-src" not in policy:
            problems.append("no CSP")
        if h.get("X-Frame-Options") not in ("DENY", "SAMEORIGIN") and (
            "frame-ancestors" not in policy
        ):
            problems.append("framable")
    cache = h.get("Cache-Control", "")
    if (
        role != "anonymous"
        and r.status_code == 200
        and path.startswith(PERSONAL)
        and not ("private" in cache and "no-store" in cache)
    ):
        problems.append(f"Cache-Control {cache or 'missing'!r}")
    for cookie in r.raw.headers.getlist("Set-Cookie"):
        text = cookie.lower()
        name = cookie.split("=", 1)[0]
        if "max-age=0" in text or "01 jan 1970" in text:
            continue  # a deletion carries nothing

        if "secure" not in text or "samesite" not in text:
            problems.append(f"cookie {name} not Secure/SameSite")
        if name == "sessionid" and "httponly" not in text:
            problems.append("sessionid not HttpOnly")
    return problems


def crawl_rows(world: dict) -> tuple[list[Row], dict]:
    """Headers of every page each role reaches; the POST forms found, by role."""
    rows: list[Row] = []
    forms: dict[str, list] = {}
    starts = ("/", "/me/", "/en/me/", "/corsi/", "/directory/", "/verify/")
    for role in ROLES:
        s = role_session(world, role)

        def get(path, s=s):
            r = s.get(BASE + path, allow_redirects=False, timeout=60)
            get.last = r
            return r.status_code, r.headers, r.text

        bad, pages = [], 0
        found: dict[tuple, object] = {}
        for path, _status, _headers, page_forms in crawl(
            get, starts, limit=CRAWL_LIMIT
        ):
            pages += 1
            problems = _header_problems(role, path, get.last)
            if problems:
                bad.append(f"{path}: {', '.join(problems)}")
            for form in page_forms:
                if form.method == "post":
                    found.setdefault((form.action, tuple(sorted(form.fields))), form)
        forms[role] = list(found.values())
        rows.append(
            (
                f"headers: every page [{role}]",
                pages > 1 and not bad,
                f"{len(bad)} of {pages} pages wrong, e.g. {bad[0]}"[:200]
                if bad
                else f"{pages} pages right",
            )
        )
    return rows, forms


def form_rows(world: dict, forms: dict) -> list[Row]:
    rows = []
    for role, role_forms in forms.items():
        s = role_session(world, role)
        sent, errors, posted = 0, [], 0
        for form in role_forms:
            action = same_site_path(form.page, form.action)
            names = [n for n in form.fields if n != "csrfmiddlewaretoken"]
            if action is None or not names:
                continue
            posted += 1
            for value in HOSTILE_VALUES:
                data = [(n, value) for n in names]
                data.append((names[0], "second"))  # a field sent twice
                files = None
                if "multipart" in form.enctype:
                    files = {"unused": ("x.txt", value.encode("utf-8", "replace"))}
                r = post(s, action, data, files=files)
                sent += 1
                if r.status_code >= 500:
                    errors.append(f"{action} {value[:20]!r}: {r.status_code}")
        rows.append(
            (
                f"forms: hostile values [{role}]",
                posted > 0 and not errors,
                f"{len(errors)} 5xx, e.g. {errors[0]}"[:200]
                if errors
                else f"{posted} forms, {sent} posts, no 5xx",
            )
        )
    return rows


# --- request size ----------------------------------------------------------------


def _announce(path: str, length: int, content_type: str) -> str:
    """Sends the headers of a `length`-byte POST and 64 KB of it; the status
    line that comes back, or what went wrong."""
    with socket.create_connection(("127.0.0.1", 8765), timeout=15) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"X-Forwarded-Proto: https\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {length}\r\n\r\n"
        )
        # The server may close as soon as it has answered.
        with contextlib.suppress(OSError):
            sock.sendall(head.encode() + b"a" * 65536)
        answer = sock.recv(4096).decode("latin-1")
    return answer.split("\r\n", 1)[0]


def size_rows() -> list[Row]:
    rows = []
    for path, length, kind in (
        ("/verify/", 200 * 1024 * 1024, "multipart/form-data; boundary=x"),
        ("/me/profile/", 9 * 1024 * 1024, "multipart/form-data; boundary=x"),
        ("/accounts/login/", 2 * 1024 * 1024, "application/x-www-form-urlencoded"),
    ):
        try:
            status = _announce(path, length, kind)
        except OSError as error:
            status = f"{type(error).__name__}: {error}"
        rows.append(
            (
                f"request size: {length // (1024 * 1024)} MB to {path} refused",
                " 413 " in status + " ",
                status[:80] or "no answer",
            )
        )
    return rows


# --- hostile uploads --------------------------------------------------------------


def _served_problems(hostile: Hostile, r: requests.Response, kind: str) -> list[str]:
    if r.status_code != 200:
        return []  # refused, or nothing stored: nothing served
    problems = []
    content_type = r.headers.get("Content-Type", "")
    if kind == "cv" and not content_type.startswith("application/pdf"):
        problems.append(f"served as {content_type}")
    if kind == "photo" and not content_type.startswith(
        ("image/jpeg", "image/png", "image/webp")
    ):
        problems.append(f"served as {content_type}")
    if r.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    problems += [f"serves {m!r}" for m in hostile.markers if m in r.content]
    if hostile is ZLIB_BOMB and r.content == hostile.data:
        problems.append("the bomb stored as it came")
    return problems


def upload_rows(world: dict) -> list[Row]:
    rows = []
    s = role_session(world, "uploader")
    for hostile in (*CVS, *PHOTOS):
        field = "photo" if hostile in PHOTOS else "cv"
        page = s.get(BASE + "/en/me/profile/", timeout=60)
        forms = parse("/en/me/profile/", page.text)[1]
        form = next((f for f in forms if "multipart" in f.enctype), None)
        data = []
        if form is not None:
            for name, values in form.fields.items():
                kind = form.kinds.get(name)
                if name == "csrfmiddlewaretoken" or kind in ("checkbox", "radio"):
                    continue
                data.append((name, values[0] if values else ""))
        r = post(
            s,
            "/en/me/profile/",
            data,
            files={field: (hostile.filename, hostile.data, hostile.content_type)},
        )
        served = s.get(BASE + f"/me/profile/files/{field}/", timeout=60)
        problems = ([f"{r.status_code}"] if r.status_code >= 500 else []) + (
            _served_problems(hostile, served, field)
        )
        rows.append(
            (
                f"upload {field}: {hostile.name}",
                form is not None and not problems,
                "; ".join(problems)[:160]
                or f"post {r.status_code}, served {served.status_code}",
            )
        )
    verify = session()
    verify.headers["X-Forwarded-For"] = "203.0.113.50"
    for hostile in (*CVS, *PHOTOS):
        r = post(
            verify,
            "/en/verify/",
            {},
            files={"pdf": (hostile.filename, hostile.data, hostile.content_type)},
        )
        problems = [str(r.status_code)] if r.status_code >= 500 else []
        problems += [f"echoes {m!r}" for m in hostile.markers if m in r.content]
        rows.append(
            (
                f"upload /verify/: {hostile.name}",
                not problems,
                "; ".join(problems) or f"{r.status_code}, not genuine",
            )
        )
    return rows
