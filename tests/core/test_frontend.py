"""The trimmed Bootstrap Italia (frontend/build.mjs) still covers what the site uses.

The vendored CSS keeps only the rules whose classes the templates and scripts
mention when it was built. A template that starts using another Bootstrap Italia
class (a modal, an accordion, a badge colour) would get it unstyled: this test
names the class and says to rebuild (make frontend).
"""

import re
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
CLASSES = BASE_DIR / "frontend" / "bootstrap-italia-classes.txt"
VENDOR = BASE_DIR / "static" / "vendor" / "bootstrap-italia-2.18.3"
# The sources frontend/build.mjs gives PurgeCSS (its CONTENT), and its word pattern.
CONTENT = (
    "templates/**/*.html",
    "static/js/**/*.js",
    "static/vendor/*/js/*.js",
    "static/vendor/htmx-*/*.js",
)


def _words() -> set[str]:
    words = set()
    for pattern in CONTENT:
        for path in BASE_DIR.glob(pattern):
            words.update(re.findall(r"[A-Za-z0-9_-]+", path.read_text()))
    return words


def test_every_bootstrap_italia_class_the_site_mentions_was_kept():
    kept, dropped = set(), set()
    for line in CLASSES.read_text().splitlines():
        mark, name = line.split(" ", 1)
        (kept if mark == "+" else dropped).add(name)
    assert kept and dropped
    missing = sorted(_words() & dropped)
    assert not missing, (
        f"templates or scripts now use Bootstrap Italia classes whose rules the "
        f"trimmed CSS dropped: {', '.join(missing)}. Rebuild it: make frontend"
    )


def test_the_pages_load_the_trimmed_files_and_they_are_vendored():
    base = (BASE_DIR / "templates" / "base.html").read_text()
    trimmed = (
        "css/bootstrap-italia.site.min.css",
        "js/bootstrap-italia.site.min.js",
    )
    for path in trimmed:
        assert f"vendor/bootstrap-italia-2.18.3/{path}" in base
        assert (VENDOR / path).stat().st_size > 10_000
    assert "bootstrap-italia.bundle" not in base
