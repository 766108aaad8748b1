"""Browser journeys: Playwright (sync API) driving Debian's chromium.

Every journey runs against pytest-django's ``live_server`` (a thread of this same
process), so tests read the locmem mail outbox and the database directly.

Everything a journey leaves for a human goes to ``test-results/<test name>/``
(git-ignored): ``journey.shot()`` saves the main pages always; ``axe_check``
writes each page's axe report; ``new_page`` saves every open page when the test
fails, and the browser's console errors and failed requests.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

# Playwright's sync API keeps an event loop running in the test's thread; Django
# refuses ORM calls from such a thread unless told this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
BLOCKING_IMPACTS = ("serious", "critical")
# Short, so a missing element fails in seconds rather than after 30.
TIMEOUT_MS = 10_000


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = (
            f"{CHROMIUM} is missing: apt-get install -y chromium "
            "(never `playwright install`)."
        )
        # CI installs chromium, so there a missing browser is a failure; on a
        # developer's machine without it the journeys are skipped, and say why.
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120]


@pytest.fixture(autouse=True)
def _cookies_without_expiry(settings):
    """The server's clock is set (tests/conftest.py), the browser's is not: a cookie
    whose expiry the server computes from a date months away would be dropped by
    the browser at once, so the journeys use cookies that last the browser session.
    """
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None


@pytest.fixture
def results_dir(request) -> Path:
    """test-results/<test name>/, emptied at the start of the test."""
    path = RESULTS_DIR / _safe_name(request.node.name)
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    return path


class Journey:
    """What a journey records: numbered screenshots and the browser's complaints."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.step = 0
        self.console_errors: list[str] = []
        self.failed_requests: list[str] = []

    def shot(self, page, name: str, *, full_page: bool = True) -> Path:
        self.step += 1
        path = self.directory / f"{self.step:02d}-{_safe_name(name)}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    def write_log(self) -> None:
        if self.console_errors:
            (self.directory / "console-errors.txt").write_text(
                "\n".join(self.console_errors) + "\n"
            )
        if self.failed_requests:
            (self.directory / "failed-requests.txt").write_text(
                "\n".join(self.failed_requests) + "\n"
            )

    def assert_no_server_errors(self) -> None:
        errors = [line for line in self.failed_requests if line.startswith("5")]
        assert not errors, "server errors during the journey:\n" + "\n".join(errors)


@pytest.fixture
def journey(results_dir) -> Journey:
    return Journey(results_dir)


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _new_page(browser, journey: Journey, *, locale: str, viewport: dict):
    context = browser.new_context(
        locale=locale,
        timezone_id="Europe/Rome",
        viewport=viewport,
        is_mobile=viewport["width"] < 600,
        has_touch=viewport["width"] < 600,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            journey.console_errors.append(f"{page.url}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            journey.failed_requests.append(
                f"{response.status} {response.request.method} {response.url}"
            )
            if response.status >= 400
            else None
        ),
    )
    page.on(
        "pageerror",
        lambda error: journey.console_errors.append(f"{page.url}: {error}"),
    )
    return context, page


@pytest.fixture
def new_page(browser, journey, request):
    """A factory of pages, each in its own browser context (its own cookies).

    Journeys with two people use one page each. A failing test leaves a
    screenshot of every page it opened.
    """
    opened = []

    def make(*, locale: str = "it-IT", viewport: dict = DESKTOP):
        context, page = _new_page(browser, journey, locale=locale, viewport=viewport)
        opened.append((context, page))
        return page

    yield make
    failed = getattr(request.node, "rep_call", None)
    for number, (context, page) in enumerate(opened, start=1):
        if failed is not None and failed.failed:
            try:
                page.screenshot(
                    path=str(journey.directory / f"FAILED-page{number}.png"),
                    full_page=True,
                )
            except Exception as error:  # noqa: BLE001 - best effort, never mask
                print(f"could not take the failure screenshot: {error}")
        context.close()
    journey.write_log()


@pytest.fixture
def page(new_page):
    return new_page()


def axe_check(page, *, journey: Journey | None = None, name: str = "") -> None:
    """Fail listing every serious or critical axe-core violation on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response["violations"]
    if journey is not None:
        label = _safe_name(name or page.url)
        (journey.directory / f"axe-{journey.step:02d}-{label}.txt").write_text(
            results.generate_report() if violations else "no violations\n"
        )
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe: {len(blocking)} serious/critical violation(s) on {page.url}"]
        for violation in blocking:
            targets = "; ".join(
                ", ".join(str(part) for part in node["target"])
                for node in violation["nodes"]
            )
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']}"
                f"\n    nodes: {targets}"
            )
        pytest.fail("\n".join(lines), pytrace=False)


@pytest.fixture
def demo_content(db):
    """The demo data the README's `make run` loads (Italian and English trees)."""
    call_command("load_demo", verbosity=0)
    return True


def link_path(message_body: str, pattern: str) -> str:
    """The path of the first link in an email whose path matches `pattern`.

    Emails may carry another host (WAGTAILADMIN_BASE_URL): journeys open the
    path on the live server.
    """
    match = re.search(rf"https?://[^/\s]+(/(?:[a-z]{{2}}/)?{pattern}\S*)", message_body)
    assert match, f"no link matching {pattern!r} in:\n{message_body}"
    return match.group(1)


def confirmation_path(message_body: str) -> str:
    """The path of allauth's email confirmation link in a message."""
    return link_path(message_body, r"accounts/confirm-email/")


def sign_in_as(page, live_server, user) -> None:
    """Give the page's browser context a signed-in session for `user`.

    The visitor journey signs in through the form; other journeys start signed in.
    """
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "url": live_server.url,
            }
        ]
    )


def italian(text, **values) -> str:
    """A message id or lazy text as the server shows it in Italian (the journeys'
    browsers ask for Italian), with `values` put into its placeholders."""
    with translation.override("it"):
        shown = translation.gettext(text) if isinstance(text, str) else str(text)
    return shown % values if values else shown
