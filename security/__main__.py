"""`make security`: start the production server on a throwaway PostgreSQL
database with the demo, try everything, print one table, stop and clean up.

Steps: a development signing key for the run (so the demo issues
certificates), then, while one in-process pytest runs on SQLite (the fuzz, the
matrix, the CSP walk, path ids, request size, private pages): create
makers_security_<pid> (psql), migrate, load_demo, collectstatic, security.world
(TOTP for staff and instructor, a staff member without it, the URL patterns
with ids), security.hostile setup (accounts for uploads and for a member without
directory permission), gunicorn with production settings on 127.0.0.1:8765
(Redis cache, generated SECRET_KEY, SECURE_SSL_REDIRECT=0, HTTPS simulated by
X-Forwarded-Proto); then headers and cookies, the permission matrix, the query
fuzz, path ids, every page each role reaches (headers, cookies, Cache-Control)
and its forms with hostile values, request size, hostile uploads, role
changes, markup in PDFs, rate limits (security.live, .probes, .limits);
bandit, pip-audit. The server is stopped, the key and the database removed at
the end, even on failure. Exit status 1 if anything FAILed.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parent.parent
PY = sys.executable
BIN = Path(PY).parent
PG = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc"]
APPS_BASE = [
    "core",
    "people",
    "courses",
    "enrolment",
    "attendance",
    "funding",
    "evaluations",
    "notices",
    "insights",
    "cms",
    "portal",
    "demo",
    "makers_school",
]
APPS_LATER = ["certificates", "directory"]  # included when they exist
FUZZ_EXAMPLES = int(os.environ.get("MAKERS_SECURITY_FUZZ_EXAMPLES", 150))

Row = tuple[str, str, str]  # name, PASS/FAIL/SKIP, detail


def run(cmd, env=None, timeout=900, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(  # nosec B603 - our own commands, no shell
        cmd,
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


def production_env(db: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="makers_school.settings.production",
        SECRET_KEY="security-" + secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db}",
        PYTHONUNBUFFERED="1",
        # What core.checks requires of production before gunicorn starts: a
        # public https address (links and QR codes; the run never follows
        # them) and signing without a timestamp authority, on purpose.
        WAGTAILADMIN_BASE_URL="https://makers-school.example",
        MAKERS_ALLOW_UNTIMESTAMPED="1",
    )
    env.pop("MAKERS_REQUIRE_STAFF_MFA", None)  # production's default: on
    return env


def signing_key(env: dict[str, str], directory: Path) -> None:
    """A development signing key for this run, so the demo issues certificates
    (production settings read the key from the environment)."""
    dev = {**os.environ, "DJANGO_SETTINGS_MODULE": "makers_school.settings.dev"}
    run(
        [
            PY,
            "-c",
            "import sys, django; from pathlib import Path; django.setup(); "
            "from certificates.signing import dev_signing_key_create; "
            "dev_signing_key_create(directory=Path(sys.argv[1]))",
            str(directory),
        ],
        env=dev,
    )
    env["MAKERS_SIGNING_P12"] = str(directory / "dev-signing.p12")
    env["MAKERS_SIGNING_PASSPHRASE"] = (
        (directory / "dev-signing.passphrase").read_text().strip()
    )


def hostile_step(env: dict[str, str]):
    """Runs one step of security.hostile in the server's database."""

    def step(argv: str) -> dict:
        out = run([PY, "-m", "security.hostile", *argv.split()], env=env)
        return json.loads(out.stdout.strip().splitlines()[-1])

    return step


def apps() -> list[str]:
    return APPS_BASE + [
        a for a in APPS_LATER if (BASE_DIR / a / "__init__.py").exists()
    ]


def bandit_row() -> Row:
    result = run(
        [
            str(BIN / "bandit"),
            "-q",
            "-c",
            "pyproject.toml",
            "-f",
            "json",
            "-r",
            *apps(),
        ],
        check=False,
    )
    try:
        found = json.loads(result.stdout)["results"]
    except (json.JSONDecodeError, KeyError):
        return ("bandit", "FAIL", (result.stderr or result.stdout)[-120:])
    if found:
        first = found[0]
        where = f"{first['filename']}:{first['line_number']} {first['test_id']}"
        return ("bandit", "FAIL", f"{len(found)} findings, e.g. {where}")
    return ("bandit", "PASS", f"no findings in {', '.join(apps())}")


def pip_audit_row() -> Row:
    result = run(
        [
            str(BIN / "pip-audit"),
            "-r",
            "constraints.txt",
            "--no-deps",
            "--disable-pip",
            "-f",
            "json",
            "--progress-spinner",
            "off",
        ],
        check=False,
        timeout=600,
    )
    text = result.stdout.strip()
    try:
        report = json.loads(text)
    except json.JSONDecodeError:
        reason = (result.stderr.strip().splitlines() or ["no output"])[-1]
        if any(
            w in result.stderr
            for w in (
                "Connection",
                "resolve",
                "Max retries",
                "HTTPSConnection",
                "timed out",
                "NameResolution",
            )
        ):
            return (
                "pip-audit",
                "SKIP",
                f"vulnerability service unreachable: {reason[:100]}",
            )
        return ("pip-audit", "FAIL", reason[:120])
    vulnerable = [
        f"{d['name']} {d['version']}: {', '.join(v['id'] for v in d['vulns'])}"
        for d in report.get("dependencies", [])
        if d.get("vulns")
    ]
    if vulnerable:
        return ("pip-audit", "FAIL", "; ".join(vulnerable)[:200])
    return (
        "pip-audit",
        "PASS",
        f"{len(report.get('dependencies', []))} pins, no known vulnerability",
    )


SQLITE_CHECKS = (
    ("fuzz, in-process (SQLite)", "tests/security/test_query_fuzz.py"),
    (
        "permission matrix, in-process (SQLite)",
        "tests/security/test_permission_matrix.py",
    ),
    ("CSP: no inline script on public pages (SQLite)", "tests/core/test_csp.py"),
    ("path ids, in-process (SQLite)", "tests/security/test_path_ids.py"),
    ("request size, in-process (SQLite)", "tests/core/test_request_size.py"),
    ("private pages, in-process (SQLite)", "tests/core/test_private_cache.py"),
)


def sqlite_start(report: Path) -> subprocess.Popen:
    """The in-process runs on SQLite, in one pytest (one migration), started
    first: it runs while the production server is set up and tried."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.pop("MAKERS_TEST_DB", None)
    env["DJANGO_SETTINGS_MODULE"] = "makers_school.settings.test"
    return subprocess.Popen(  # nosec B603 - our own command
        [
            str(BIN / "pytest"),
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
            *(target for _, target in SQLITE_CHECKS),
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def sqlite_rows(proc: subprocess.Popen, report: Path) -> list[Row]:
    """One row per file of the in-process run, from its JUnit report."""
    import xml.etree.ElementTree as ET  # nosec B405 - our own pytest's report

    try:
        proc.wait(timeout=900)
        cases = ET.parse(report).getroot().iter("testcase")  # noqa: S314  # nosec B314
    except (subprocess.TimeoutExpired, OSError, ET.ParseError) as error:
        proc.kill()
        return [("in-process (SQLite)", "FAIL", f"{type(error).__name__}")]
    by_file: dict[str, list[str]] = {}
    for case in cases:
        module = (case.get("classname") or "").replace(".", "/") + ".py"
        failed = case.find("failure") is not None or case.find("error") is not None
        by_file.setdefault(module, []).append(case.get("name", "") if failed else "")
    rows = []
    for name, target in SQLITE_CHECKS:
        results = by_file.get(target, [])
        failed = [n for n in results if n]
        rows.append(
            (
                name,
                "PASS" if results and not failed else "FAIL",
                f"failed: {', '.join(failed)}"[:100]
                if failed
                else f"{len(results)} passed"
                if results
                else "did not run",
            )
        )
    return rows


def wait_ready(proc, url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            requests.get(url, timeout=2, headers={"X-Forwarded-Proto": "https"})
            return
        except requests.RequestException:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer")


def table(rows: list[Row]) -> str:
    width = max(len(r[0]) for r in rows)
    lines = [f"{'check':<{width}}  result  detail", f"{'-' * width}  ------  ------"]
    lines += [f"{n:<{width}}  {r:<6}  {d}" for n, r, d in rows]
    return "\n".join(lines)


def main() -> int:
    if not shutil.which("psql"):
        print("make security needs psql (PostgreSQL client)")
        return 2
    db = f"makers_security_{os.getpid()}"
    env = production_env(db)
    rows: list[Row] = []
    server = None
    (BASE_DIR / "var").mkdir(exist_ok=True)  # git-ignored; the server's log
    log = open(BASE_DIR / "var" / "security-gunicorn.log", "w")  # noqa: SIM115
    keys = BASE_DIR / "var" / f"security-signing-{os.getpid()}"
    report = BASE_DIR / "var" / f"security-pytest-{os.getpid()}.xml"
    in_process = sqlite_start(report)
    try:
        signing_key(env, keys)
        run([*PG, f"CREATE DATABASE {db}", "postgres"])
        manage = [PY, "manage.py"]
        run([*manage, "migrate", "--noinput", "-v", "0"], env=env)
        run([*manage, "load_demo"], env=env)
        run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env)
        world = json.loads(
            run([PY, "-m", "security.world"], env=env).stdout.strip().splitlines()[-1]
        )
        hostile = hostile_step(env)
        world["extra"] = hostile("setup")
        server = subprocess.Popen(  # nosec B603 - our own command
            [
                str(BIN / "gunicorn"),
                "makers_school.wsgi",
                "--workers",
                "2",
                "--bind",
                "127.0.0.1:8765",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        from . import limits, live, probes

        wait_ready(server, live.BASE + "/")
        found_forms: dict = {}

        def crawl():
            rows, forms = probes.crawl_rows(world)
            found_forms.update(forms)
            return rows

        sections = [
            ("headers and cookies", lambda: live.header_rows(world)),
            ("permission matrix", lambda: live.matrix_rows(world)),
            ("fuzz", lambda: live.fuzz_rows(FUZZ_EXAMPLES)),
            ("path ids", lambda: probes.path_id_rows(world)),
            ("headers: every page", crawl),
            ("forms", lambda: probes.form_rows(world, found_forms)),
            ("request size", probes.size_rows),
            ("uploads", lambda: probes.upload_rows(world)),
            # Before the markup, which may break the register PDF it opens.
            ("role changes", lambda: limits.role_rows(world, hostile)),
            ("PDF markup", lambda: limits.pdf_markup_rows(world, hostile)),
            # Last: the limits they reach stay reached for a while.
            ("rate limits", lambda: limits.rate_limit_rows(world)),
        ]
        for section, check in sections:
            try:
                found = check()
            except Exception as error:  # noqa: BLE001 - reported in the table
                found = [(section, False, f"{type(error).__name__}: {error}"[:200])]
            for name, ok, detail in found:
                rows.append((name, "PASS" if ok else "FAIL", detail))
            for name, ok, detail in found:
                if not ok:
                    print(f"  FAIL {name}: {detail}", file=sys.stderr, flush=True)
            print(f"  {section}: {len(found)} checks", file=sys.stderr, flush=True)
        errors = [
            line
            for line in Path(log.name).read_text().splitlines()
            if "Internal Server Error" in line
        ]
        rows.append(
            (
                "server log: no 500",
                "FAIL" if errors else "PASS",
                errors[0][:100] if errors else "none logged",
            )
        )
    except Exception as error:  # noqa: BLE001 - reported in the table
        rows.append(
            ("production server run", "FAIL", f"{type(error).__name__}: {error}"[:200])
        )
        if isinstance(error, subprocess.CalledProcessError):
            print((error.stderr or "")[-2000:], file=sys.stderr)
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        log.close()
        shutil.rmtree(keys, ignore_errors=True)
        run(
            [*PG, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)", "postgres"], check=False
        )
    rows += sqlite_rows(in_process, report)
    report.unlink(missing_ok=True)
    rows.append(bandit_row())
    rows.append(pip_audit_row())
    print(table(rows))
    failed = [r for r in rows if r[1] == "FAIL"]
    print(
        f"\n{len(rows)} checks: {len(rows) - len(failed)} held or skipped, "
        f"{len(failed)} failed"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
