"""The README stays a short page for people who meet the project, and true."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def test_the_readme_is_under_12_kb():
    assert README.stat().st_size < 12 * 1024


def test_every_relative_link_resolves_to_a_file():
    links = LINK.findall(README.read_text(encoding="utf-8"))
    relative = [
        link.split("#", 1)[0]
        for link in links
        if not re.match(r"^[a-z][a-z0-9+.-]*:", link) and not link.startswith("#")
    ]
    assert relative, "the README links to the docs"
    missing = [link for link in relative if not (ROOT / link).is_file()]
    assert missing == []


def test_every_make_command_it_names_is_a_target():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z0-9-]*):", makefile, flags=re.MULTILINE))
    named = set(re.findall(r"\bmake ([a-z][a-z0-9-]*)", README.read_text("utf-8")))
    assert named
    assert named - targets == set()


def test_every_demo_account_it_names_is_in_the_demo_data():
    data = " ".join(
        path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "demo" / "data").glob("*.yaml"))
    )
    known = set(re.findall(r"[a-z0-9]+@makers-school\.example", data))
    known |= {
        f"{key}@makers-school.example" for key in re.findall(r"key: ([a-z0-9]+)", data)
    }
    named = set(
        re.findall(r"[a-z0-9]+@makers-school\.example", README.read_text("utf-8"))
    )
    assert named
    assert named - known == set()
