"""Every variable the production settings read is in .env.example."""

import re
from pathlib import Path

from django.conf import settings

SETTINGS = settings.BASE_DIR / "makers_school" / "settings"
READS = re.compile(
    r"""(?:os\.environ(?:\.get)?\(\s*|os\.environ\[\s*|env_(?:bool|list)\(\s*)"""
    r"""["']([A-Z][A-Z0-9_]*)["']"""
)


def variables_read(path: Path) -> set[str]:
    found = set(READS.findall(path.read_text()))
    if "dj_database_url.config(" in path.read_text():
        found.add("DATABASE_URL")
    return found


def test_env_example_lists_every_variable_of_production_settings():
    example = (settings.BASE_DIR / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))
    read = (
        variables_read(SETTINGS / "base.py")
        | variables_read(SETTINGS / "tasks.py")
        | variables_read(SETTINGS / "production.py")
    )
    assert {"SECRET_KEY", "DATABASE_URL", "WAGTAILADMIN_BASE_URL"} <= read
    assert sorted(read - documented) == []


def test_each_variable_has_a_comment():
    """Each variable line follows a comment (or another variable of its group)."""
    lines = (settings.BASE_DIR / ".env.example").read_text().splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^[A-Z][A-Z0-9_]*=", line):
            above = lines[number - 1]
            assert above.startswith("#") or re.match(r"^[A-Z]", above), line
