"""What the browser downloads: Lighthouse on the home, the catalogue, a course page.

Lighthouse 12.2.3 (npm, pinned in bench/lighthouse/package-lock.json, installed
with `npm ci` into the git-ignored bench/lighthouse/node_modules the first time)
drives Debian's chromium (CHROME_PATH, default /usr/bin/chromium, headless) with
its default profile: a mobile device on a simulated slow 4G link and a 4x slower
CPU. The pages are served by gunicorn with the bench's production settings
(bench.http.gunicorn_server) on the bench data (500 courses), as an anonymous
visitor gets them: the page cache is warmed first.

Each page is measured RUNS times (BENCH_LIGHTHOUSE_RUNS, default 3) and the run
with the median performance score is reported (Lighthouse's own advice: the
performance score moves between runs, the other three hardly do). Rows: four
categories x three pages, each ">= 95"; the note gives the metrics (or the
failing audits) of the reported run. The full JSON reports go to bench/out/.

Simulated throttling makes most metrics insensitive to the machine's load, but
total blocking time is measured on the real CPU and scaled: on a busy machine the
performance score can come out lower than on an idle one (the load average is
in the note).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from .report import Row, error_row

NAME = "lighthouse"
TARGET = 95
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CATEGORY_LABELS = {
    "performance": "performance",
    "accessibility": "accessibility",
    "best-practices": "best practices",
    "seo": "SEO",
}
LIGHTHOUSE_DIR = Path(__file__).resolve().parent / "lighthouse"
LIGHTHOUSE_BIN = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
METRICS = (
    ("first-contentful-paint", "FCP"),
    ("largest-contentful-paint", "LCP"),
    ("total-blocking-time", "TBT"),
    ("cumulative-layout-shift", "CLS"),
    ("speed-index", "SI"),
)


RETRIES = 3


def runs() -> int:
    return max(1, int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "3")))


def chrome_path() -> str:
    path = os.environ.get("CHROME_PATH") or shutil.which("chromium") or ""
    if not path or not Path(path).exists():
        raise RuntimeError(
            "chromium not found (apt-get install chromium, or set CHROME_PATH)"
        )
    return path


def ensure_lighthouse() -> Path:
    """bench/lighthouse/node_modules/.bin/lighthouse, installed with `npm ci`."""
    if LIGHTHOUSE_BIN.exists():
        return LIGHTHOUSE_BIN
    npm = shutil.which("npm")
    if not npm:
        raise RuntimeError("npm is not installed: Lighthouse needs Node.js >= 18.20")
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=LIGHTHOUSE_DIR,
        check=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    if not LIGHTHOUSE_BIN.exists():
        raise RuntimeError(f"npm ci did not install {LIGHTHOUSE_BIN}")
    return LIGHTHOUSE_BIN


def run_lighthouse(url: str, output: Path, *, chrome: str) -> dict:
    """One Lighthouse run of `url` (mobile default profile); its JSON report."""
    completed = subprocess.run(
        [
            str(ensure_lighthouse()),
            url,
            "--output=json",
            f"--output-path={output}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": chrome},
        capture_output=True,
        text=True,
        timeout=240,
        stdin=subprocess.DEVNULL,
    )
    if completed.returncode != 0 or not output.exists():
        raise RuntimeError(
            f"lighthouse exited with {completed.returncode}: "
            + (completed.stderr or completed.stdout)[-500:]
        )
    report = json.loads(output.read_text())
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse: {report['runtimeError'].get('message')}")
    return report


def score(report: dict, category: str) -> int | None:
    value = report["categories"][category]["score"]
    return None if value is None else round(value * 100)


def _failing_audits(report: dict, category: str) -> list[str]:
    """Audits that cost the category points, worst first ("id (score)")."""
    audits = report["audits"]
    failing = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits.get(ref["id"], {})
        value = audit.get("score")
        if ref.get("weight", 0) > 0 and value is not None and value < 1:
            failing.append((ref["weight"] * (1 - value), f"{ref['id']} ({value:.2f})"))
    return [text for _, text in sorted(failing, reverse=True)]


def _performance_note(report: dict, scores: list[int | None]) -> str:
    audits = report["audits"]
    parts = []
    for audit_id, label in METRICS:
        audit = audits.get(audit_id, {})
        if audit.get("displayValue"):
            parts.append(f"{label} {audit['displayValue']}".replace("\xa0", " "))
    weight = audits.get("total-byte-weight", {}).get("numericValue")
    if weight is not None:
        parts.append(f"{weight / 1024:,.0f} KiB transferred")
    unused_js = audits.get("unused-javascript", {}).get("details", {})
    wasted = unused_js.get("overallSavingsBytes")
    if wasted:
        parts.append(f"{wasted / 1024:,.0f} KiB unused JS")
    unused_css = audits.get("unused-css-rules", {}).get("details", {})
    wasted = unused_css.get("overallSavingsBytes")
    if wasted:
        parts.append(f"{wasted / 1024:,.0f} KiB unused CSS")
    parts.append("runs " + "/".join("-" if s is None else str(s) for s in scores))
    parts.append(f"load {os.getloadavg()[0]:.2f}")
    return "; ".join(parts)


def _median_run(reports: list[dict]) -> dict:
    """The run whose performance score is the median (the lower one of two)."""
    ranked = sorted(reports, key=lambda r: score(r, "performance") or 0)
    return ranked[(len(ranked) - 1) // 2]


def page_rows(label: str, url: str, out_dir: Path, *, chrome: str) -> list[Row]:
    reports = []
    retried = 0
    slug = label.replace(" ", "-")
    for n in range(runs()):
        output = out_dir / f"lighthouse-{slug}-{n + 1}.json"
        # Lighthouse 12.2.3 sometimes loses chromium 156's trace (NO_NAVSTART):
        # such a run is repeated, at most RETRIES times in all, and said so.
        while True:
            try:
                reports.append(run_lighthouse(url, output, chrome=chrome))
                break
            except RuntimeError:
                retried += 1
                if retried > RETRIES:
                    raise
                output.unlink(missing_ok=True)
    report = _median_run(reports)
    rows = []
    for category in CATEGORIES:
        value = score(report, category)
        name = f"lighthouse: {label} {CATEGORY_LABELS[category]}"
        if value is None:
            rows.append(error_row(name, f"no {category} score"))
            continue
        if category == "performance":
            note = _performance_note(report, [score(r, category) for r in reports])
            if retried:
                note += f"; {retried} failed run(s) repeated"
        else:
            note = ", ".join(_failing_audits(report, category)[:4])
        rows.append(Row(name, value, "score", f">= {TARGET}", value >= TARGET, note))
    return rows


def run(ctx) -> list[Row]:
    from . import data
    from .http import WORKERS, fetch, gunicorn_server

    try:
        chrome = chrome_path()
        ensure_lighthouse()
    except Exception as error:
        return [error_row("lighthouse (setup)", error)]

    data.ensure_dataset(courses=500)  # no-op after the catalogue module
    pages = {
        "home": data.home_url(),
        "catalogue": data.catalogue_url(),
        "course page": data.course_url(1),
    }
    out_dir = Path(ctx.out_dir)
    rows: list[Row] = []
    with gunicorn_server(ctx) as base_url:
        for url in pages.values():  # what an anonymous visitor gets: cache hits
            for _ in range(2 * WORKERS):
                fetch(base_url + url)
        for label, url in pages.items():
            try:
                rows += page_rows(label, base_url + url, out_dir, chrome=chrome)
            except Exception as error:
                rows.append(error_row(f"lighthouse: {label}", error))
    return rows
