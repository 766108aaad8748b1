"""The bench data generator: right shape, idempotent, monotonic."""

import json

from bench import data
from bench.report import Row, error_row, render_table, write_results
from courses.models import CourseEdition, CoursePage, EditionStatus, Session


def test_ensure_dataset_builds_the_requested_shape(db):
    stats = data.ensure_dataset(
        courses=3, editions_per_course=2, sessions_per_edition=2, competencies=5
    )
    assert (stats.courses, stats.editions, stats.sessions) == (3, 6, 12)
    assert stats.competencies == 5
    pages = CoursePage.objects.live().filter(code__startswith=data.CODE_PREFIX)
    assert {page.locale.language_code for page in pages} == {"it"}
    assert all(page.get_parent().url == data.catalogue_url() for page in pages)
    assert not CourseEdition.objects.exclude(status=EditionStatus.OPEN).exists()
    assert all(s.end > s.start for s in Session.objects.all())
    assert all(page.competencies.count() == 3 for page in pages)


def test_ensure_dataset_is_idempotent_and_grows(db):
    shape = {"editions_per_course": 1, "sessions_per_edition": 1, "competencies": 3}
    data.ensure_dataset(courses=2, **shape)
    data.ensure_dataset(courses=2, **shape)
    assert data.dataset_stats().courses == 2
    stats = data.ensure_dataset(courses=4, **shape)
    assert (stats.courses, stats.editions, stats.sessions) == (4, 4, 4)


def test_report_table_and_json(tmp_path):
    rows = [
        Row("queries: catalogue", 9, "queries", "= 9", True),
        error_row("HTTP home", RuntimeError("boom")),
    ]
    table = render_table(rows)
    assert "queries: catalogue" in table and "ERROR" in table and "boom" in table
    path = write_results(rows, tmp_path / "results.json")
    saved = json.loads(path.read_text())
    assert saved[0] == {
        "name": "queries: catalogue",
        "value": 9,
        "unit": "queries",
        "target": "= 9",
        "meets": True,
    }
    assert saved[1]["value"] is None and saved[1]["meets"] is False
