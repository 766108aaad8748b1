"""Satisfaction from the anonymous course evaluations: the average of the
rating answers and how many answered, per course, per instructor or per
month the edition started.

Only editions with at least evaluations.results.MIN_ANSWERS responses count,
whole (evaluations.results.editions_ratings sums them in the database), so
every row sums at least that many answers and none can be traced to a
person. The company filter does not apply: answers know no trainee. Three
queries, whatever the number of editions and responses.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CourseEdition
from evaluations.results import MIN_ANSWERS, EditionRatings, editions_ratings
from people.models import User

from .base import Figures, ReportFilters, editions_filtered, month_label

BY_CHOICES = ("course", "instructor", "month")


def _course_keys(editions: QuerySet[CourseEdition]) -> dict[int, list[tuple]]:
    return {
        pk: [(title, course_id)]
        for pk, title, course_id in editions.values_list(
            "pk", "course__title", "course_id"
        )
    }


def _instructor_keys(editions: QuerySet[CourseEdition]) -> dict[int, list[tuple]]:
    """An edition counts for each of its instructors; one without any under
    "No instructor"."""
    keys = defaultdict(list)
    taught = User.objects.filter(editions_taught__in=editions.values("pk"))
    for edition_id, pk, first, last in taught.values_list(
        "editions_taught", "pk", "first_name", "last_name"
    ).order_by("last_name", "first_name", "pk"):
        keys[edition_id].append((f"{first} {last}".strip(), pk))
    return keys


def _month_keys(editions: QuerySet[CourseEdition]) -> dict[int, list[tuple]]:
    return {
        pk: [(month_label(timezone.localtime(start) if start else None), 0)]
        for pk, start in editions.values_list("pk", "first_start")
    }


KEYS = {"course": _course_keys, "instructor": _instructor_keys, "month": _month_keys}


def _rows(ratings: list[EditionRatings], keys: dict[int, list[tuple]]) -> list:
    groups = defaultdict(lambda: [0, 0, 0, 0])  # editions, responses, total, n
    for edition in ratings:
        for key in keys.get(edition.edition_id) or [(_("No instructor"), 0)]:
            group = groups[key]
            group[0] += 1
            group[1] += edition.responses
            group[2] += edition.rating_total
            group[3] += edition.ratings
    return [
        [label, count, responses, round(total / n, 2) if n else None]
        for (label, _pk), (count, responses, total, n) in sorted(groups.items())
    ]


def satisfaction_report(*, filters: ReportFilters) -> Figures:
    """Editions counted, responses and the average rating (1-5) of the
    editions filtered, grouped as `filters.by` says."""
    by = filters.by if filters.by in BY_CHOICES else "course"
    editions = editions_filtered(dataclasses.replace(filters, company=None))
    ratings, too_few = editions_ratings(editions=editions)
    figures = Figures(
        columns=[
            {
                "course": _("Course"),
                "instructor": _("Instructor"),
                "month": _("Month"),
            }[by],
            _("Editions"),
            _("Answers"),
            _("Average rating (1-5)"),
        ],
        charted=(3,),
        over_time=by == "month",
        note=_(
            "An edition counts from %(minimum)s answers, so that no answer can "
            "be traced to a person; editions left out for fewer: %(left)s."
        )
        % {"minimum": MIN_ANSWERS, "left": too_few},
    )
    figures.rows = _rows(ratings, KEYS[by](editions))
    return figures
