"""CHANGELOG.md keeps the Keep a Changelog form (https://keepachangelog.com/)."""

import datetime
import re
from pathlib import Path

CHANGELOG = Path(__file__).resolve().parents[2] / "CHANGELOG.md"
KINDS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
RELEASE = re.compile(r"^\[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$")


def _headings(level: str) -> list[str]:
    prefix = level + " "
    return [
        line[len(prefix) :].strip()
        for line in CHANGELOG.read_text(encoding="utf-8").splitlines()
        if line.startswith(prefix)
    ]


def test_one_title_and_unreleased_first():
    assert _headings("#") == ["Changelog"]
    sections = _headings("##")
    assert sections[0] == "[Unreleased]"
    assert sections.count("[Unreleased]") == 1


def test_releases_are_versions_with_dates_newest_first():
    releases = [RELEASE.match(section) for section in _headings("##")[1:]]
    assert all(releases), "each release heading is '## [x.y.z] - YYYY-MM-DD'"
    versions = [tuple(map(int, match[1].split("."))) for match in releases]
    dates = [datetime.date.fromisoformat(match[2]) for match in releases]
    assert versions == sorted(versions, reverse=True)
    assert dates == sorted(dates, reverse=True)


def test_changes_are_grouped_by_the_standard_kinds():
    assert set(_headings("###")) <= KINDS
