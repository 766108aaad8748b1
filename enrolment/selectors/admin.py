"""Reads of the staff enrolment listing: its search."""

from django.db.models import Q, QuerySet

from courses.models import CourseEdition
from people.models import User

from ..models import Enrolment

MAX_WORDS = 5


def enrolments_search(
    *, enrolments: QuerySet[Enrolment], q: str
) -> QuerySet[Enrolment]:
    """The enrolments whose trainee (first name, last name, email) or edition
    code holds every word of `q`. Each word picks the people and the editions
    first (on PostgreSQL through the trigram indexes of people's names and
    emails, people migration 0006), then their enrolments by the indexed
    foreign keys: no substring match across the joins of every enrolment."""
    for word in (q or "").split()[:MAX_WORDS]:
        word = word[:100]
        people = User.objects.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        ).values("pk")
        editions = CourseEdition.objects.filter(code__icontains=word).values("pk")
        enrolments = enrolments.filter(
            Q(trainee_id__in=people) | Q(edition_id__in=editions)
        )
    return enrolments
