"""HTTP against the production server: headers and cookies, the permission
matrix, the query-string fuzz. HTTPS is simulated the way the TLS proxy does it
(X-Forwarded-Proto: https, X-Forwarded-For), so Secure cookies are set; the
client sends them back over the loopback's plain HTTP (SecureOverLoopback)."""

from __future__ import annotations

import base64
import hmac
import re
import struct
import time

import requests

from .matrix import account_for, cells, form_data, outcome

BASE = "http://127.0.0.1:8765"
ORIGIN = "https://127.0.0.1:8765"
PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.10"}


class SecureOverLoopback(requests.Session):
    """Sends Secure cookies back over the loopback's plain HTTP, as a browser
    behind the TLS proxy would over HTTPS. (The flags themselves are checked on
    the Set-Cookie headers, in header_rows.)"""

    def send(self, request, **kwargs):
        response = super().send(request, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


def session() -> requests.Session:
    s = SecureOverLoopback()
    s.headers.update(PROXY)
    return s


def _csrf(s: requests.Session, path: str) -> str:
    page = s.get(BASE + path, timeout=30)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    return match.group(1) if match else s.cookies.get("csrftoken", "")


def _post(s, path, data):
    data = {"csrfmiddlewaretoken": _csrf(s, path), **data}
    return s.post(
        BASE + path,
        data=data,
        headers={"Origin": ORIGIN, "Referer": ORIGIN + path},
        allow_redirects=False,
        timeout=30,
    )


def totp_code(secret: str, digits: int = 6, period: int = 30) -> str:
    """The code an authenticator app shows now (RFC 6238, allauth's defaults);
    written out here because this process has no Django settings to import
    allauth's helper with."""
    key = base64.b32decode(secret.encode("ascii"), casefold=True)
    mac = hmac.new(key, struct.pack(">Q", int(time.time()) // period), "sha1").digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}}"


def sign_in(email: str, password: str, totp_secret: str = "") -> requests.Session:
    """Through the real form; then the TOTP step when the account has one."""
    s = session()
    response = _post(s, "/accounts/login/", {"login": email, "password": password})
    if response.status_code == 429:
        # allauth's own "login" limit (30 a minute from one address) counts
        # every sign-in of the run, all from 127.0.0.1: wait for the window.
        time.sleep(61)
        response = _post(s, "/accounts/login/", {"login": email, "password": password})
    if "/accounts/2fa/authenticate/" in response.headers.get("Location", ""):
        response = _post(
            s, "/accounts/2fa/authenticate/", {"code": totp_code(totp_secret)}
        )
        if response.status_code == 200:
            # allauth takes each code once: this one was just used (an earlier
            # sign-in of the same account); the next period brings a new one.
            time.sleep(30 - time.time() % 30 + 1)
            response = _post(
                s, "/accounts/2fa/authenticate/", {"code": totp_code(totp_secret)}
            )
    if response.status_code != 302 or "/accounts/login/" in response.headers.get(
        "Location", ""
    ):
        hint = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))[:160]
        raise RuntimeError(
            f"sign-in of {email} failed ({response.status_code} at "
            f"{response.url.replace(BASE, '')}): {hint}"
        )
    return s


_SIGNED_IN: dict[str, requests.Session] = {}


def role_session(world: dict, key: str) -> requests.Session:
    """The signed-in session of world["accounts"][key] (or extra accounts:
    world["extra"]), once per run: a TOTP code is taken once per period, so
    signing the same account in again costs up to 30 seconds."""
    if key == "anonymous":
        return session()
    if key not in _SIGNED_IN:
        email = world["accounts"].get(key) or world["extra"][key]
        _SIGNED_IN[key] = sign_in(email, world["password"], world["totp"].get(key, ""))
    return _SIGNED_IN[key]


# --- headers and cookies -------------------------------------------------------

HEADERS = {
    "Strict-Transport-Security": lambda v: "max-age=" in v,
    "X-Content-Type-Options": lambda v: v == "nosniff",
    "Referrer-Policy": lambda v: bool(v),
    "X-Frame-Options": lambda v: v in ("DENY", "SAMEORIGIN"),
    "Cross-Origin-Opener-Policy": lambda v: v == "same-origin",
    "Content-Security-Policy": lambda v: (
        "unsafe-inline" not in v and "script-src 'self'" in v
    ),
}


def header_rows(world: dict) -> list[tuple[str, bool, str]]:
    rows = []
    anonymous = session()
    for path in ("/", "/corsi/", "/en/courses/", "/accounts/login/"):
        response = anonymous.get(BASE + path, timeout=30)
        missing = [
            name
            for name, ok in HEADERS.items()
            if not ok(response.headers.get(name, ""))
        ]
        rows.append(
            (
                f"headers {path}",
                response.status_code == 200 and not missing,
                f"{response.status_code}; "
                + (f"wrong: {', '.join(missing)}" if missing else "all six right"),
            )
        )
    # Cookies: the CSRF cookie from the login page, the session one after login.
    s = session()
    s.get(BASE + "/accounts/login/", timeout=30)
    email = world["accounts"]["owner"]
    response = _post(
        s, "/accounts/login/", {"login": email, "password": world["password"]}
    )
    raw = (
        response.raw.headers.getlist("Set-Cookie")
        if hasattr(response.raw.headers, "getlist")
        else []
    )
    cookies = {c.split("=", 1)[0]: c.lower() for c in raw}
    for name, http_only in (("sessionid", True), ("csrftoken", False)):
        text = cookies.get(name, "")
        if name == "csrftoken" and not text:
            text = next(
                (c for c in _login_page_cookies() if c.startswith("csrftoken")), ""
            ).lower()
        ok = bool(text) and "secure" in text and "samesite=lax" in text
        if http_only:
            ok = ok and "httponly" in text
        rows.append(
            (
                f"cookie {name}",
                ok,
                ("; ".join(part.strip() for part in text.split(";")[1:]) or "not set")[
                    :90
                ],
            )
        )
    after = s.get(BASE + "/me/", timeout=30)
    rows.append(
        (
            "headers /me/ after sign-in",
            after.status_code == 200
            and all(ok(after.headers.get(n, "")) for n, ok in HEADERS.items()),
            str(after.status_code),
        )
    )
    admin = role_session(world, "staff")
    policy = admin.get(BASE + "/admin/", timeout=30).headers.get(
        "Content-Security-Policy", ""
    )
    rows.append(
        ("CSP /admin/ is the admin's, scoped", "'unsafe-eval'" in policy, policy[:60])
    )
    return rows


def _login_page_cookies() -> list[str]:
    response = session().get(BASE + "/accounts/login/", timeout=30)
    return response.raw.headers.getlist("Set-Cookie")


# --- the permission matrix -----------------------------------------------------


def _request(s: requests.Session, row, path: str, world: dict):
    if row.method == "GET":
        return s.get(BASE + path, allow_redirects=False, timeout=60)
    data = form_data(row, world)
    headers = {"Origin": ORIGIN, "Referer": ORIGIN + path}
    if row.csrf:
        if not s.cookies.get("csrftoken"):
            s.get(BASE + "/accounts/login/", timeout=30)  # an anonymous visitor's
        data["csrfmiddlewaretoken"] = s.cookies.get("csrftoken", "")
        headers["X-CSRFToken"] = data["csrfmiddlewaretoken"]
    return s.post(
        BASE + path, data=data, headers=headers, allow_redirects=False, timeout=60
    )


def matrix_rows(world: dict) -> list[tuple[str, bool, str]]:
    rows = []
    anonymous = session()
    for row, role, path in cells(world):
        email = account_for(row, role, world)
        key = next((k for k, v in world["accounts"].items() if v == email), "")
        s = role_session(world, key) if email else anonymous
        response = _request(s, row, path, world)
        got = outcome(response.status_code, response.headers.get("Location", ""))
        want = row.expected[role]
        rows.append(
            (f"matrix {row.name} [{role}]", got == want, f"expected {want}, got {got}")
        )
    # Production requires TOTP of staff: one without it is sent to set it up.
    s = sign_in(world["accounts"]["staff_without_mfa"], world["password"])
    response = s.get(BASE + "/admin/", allow_redirects=False, timeout=30)
    got = outcome(response.status_code, response.headers.get("Location", ""))
    rows.append(
        (
            "matrix staff without TOTP opens /admin/",
            got == "mfa-setup"
            and "/accounts/2fa/totp/activate/" in response.headers.get("Location", ""),
            f"expected mfa-setup, got {got}",
        )
    )
    return rows


# --- the fuzz --------------------------------------------------------------------


def fuzz_rows(examples: int) -> list[tuple[str, bool, str]]:
    from .fuzz import fuzz

    s = session()

    def get(path, query):
        return s.get(BASE + path, params=query, timeout=60).status_code

    return [
        (
            f"fuzz {path} (PostgreSQL, gunicorn)",
            not error,
            error or f"{examples} queries, no 5xx",
        )
        for path, error in fuzz(get, examples=examples).items()
    ]
