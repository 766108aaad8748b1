"""What an enrolment is checked against before the service locks anything: the
edition and its prechecks in one query, prerequisites, a schedule clash with
another confirmed edition, a verified address."""

from typing import NamedTuple

from allauth.account.models import EmailAddress
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    QuerySet,
    Value,
)
from django.db.models.functions import Upper
from django.utils import timezone

from courses.models import CourseEdition, CoursePage, EditionStatus, Session
from courses.selectors import (
    editions_started_q,
)
from people.models import User

from ..models import (
    Enrolment,
    EnrolmentStatus,
)


def _verified_addresses(*, user_id, email) -> QuerySet[EmailAddress]:
    """The user's verified addresses equal to `email` but for case. Compared as
    UPPER(email) = UPPER(%s), as email__iexact does on PostgreSQL: the value
    reaches the SQL as it is, also on SQLite (whose iexact is a LIKE with the
    value escaped): a plain parameter of the prechecks' statement, which
    PostgreSQL binds and prepares like the others (docs/decisions/0007)."""
    return EmailAddress.objects.annotate(upper=Upper("email")).filter(
        user_id=user_id, upper=Upper(Value(email)), verified=True
    )


def trainee_email_is_verified(*, trainee: User) -> bool:
    """True when the trainee's login address is verified (allauth)."""
    return _verified_addresses(user_id=trainee.pk, email=trainee.email).exists()


class EnrolmentPrechecks(NamedTuple):
    started: bool  # courses.selectors.editions_started_q()
    email_verified: bool  # as trainee_email_is_verified()
    has_prerequisites: bool  # then trainee_missing_prerequisites() says which


# An edition read as plain columns (values_list()), then built with
# edition_from_row(): the enrol view's read and the edition's row lock.
EDITION_COLUMNS = [field.attname for field in CourseEdition._meta.concrete_fields]
_PRECHECK_COLUMNS = ["started", "email_verified", "has_prerequisites"]


def edition_from_row(values) -> CourseEdition:
    """The CourseEdition of a row of EDITION_COLUMNS' values."""
    return CourseEdition.from_db("default", EDITION_COLUMNS, values)


def _prechecks_row(*, trainee: User, edition_id: int) -> tuple | None:
    verified = _verified_addresses(user_id=trainee.pk, email=trainee.email)
    prerequisites = CoursePage.prerequisite_courses.through.objects.filter(
        from_coursepage_id=OuterRef("course_id")
    )
    started = ExpressionWrapper(
        editions_started_q(now=timezone.now()), output_field=BooleanField()
    )
    rows = list(
        CourseEdition.objects.filter(pk=edition_id)
        .annotate(
            started=started,
            email_verified=Exists(verified),
            has_prerequisites=Exists(prerequisites),
        )
        .values_list(*_PRECHECK_COLUMNS, *EDITION_COLUMNS)
    )
    return rows[0] if rows else None


def _prechecks(row: tuple) -> EnrolmentPrechecks:
    return EnrolmentPrechecks(*map(bool, row[: len(_PRECHECK_COLUMNS)]))


def enrolment_prechecks(*, trainee: User, edition: CourseEdition) -> EnrolmentPrechecks:
    """What a new enrolment checks before it takes any lock, in one query (a
    prepared statement on PostgreSQL): whether the edition has started, whether
    the trainee's login address is verified and whether the edition's course has
    prerequisites."""
    row = _prechecks_row(trainee=trainee, edition_id=edition.pk)
    if row is None:
        raise CourseEdition.DoesNotExist
    return _prechecks(row)


def edition_for_enrolment(
    *, trainee: User, edition_id: int
) -> tuple[CourseEdition, EnrolmentPrechecks] | None:
    """The edition a trainee asks to enrol in and its enrolment_prechecks(), in
    the same one query (the enrol view's only read before the service); None
    when there is no such edition."""
    row = _prechecks_row(trainee=trainee, edition_id=edition_id)
    if row is None:
        return None
    return edition_from_row(row[len(_PRECHECK_COLUMNS) :]), _prechecks(row)


def trainee_missing_prerequisites(
    *, trainee: User, edition: CourseEdition
) -> list[CoursePage]:
    """The prerequisite courses of the edition's course the trainee has not completed.

    A prerequisite course counts as completed when the trainee holds a confirmed
    enrolment in an edition of that course (in any of its translations) whose
    status is "completed". One query for a course without prerequisites (most,
    and every enrolment of a burst), two with, three when some are missing.
    """
    required = dict(
        CoursePage.prerequisite_courses.through.objects.filter(
            from_coursepage_id=edition.course_id
        ).values_list("to_coursepage_id", "to_coursepage__translation_key")
    )
    if not required:
        return []
    done = set(
        Enrolment.objects.filter(
            trainee=trainee,
            status=EnrolmentStatus.CONFIRMED,
            edition__status=EditionStatus.COMPLETED,
        ).values_list("edition__course__translation_key", flat=True)
    )
    missing = [pk for pk, key in required.items() if key not in done]
    if not missing:
        return []
    return list(CoursePage.objects.filter(pk__in=missing).order_by("title", "pk"))


def trainee_schedule_clash(
    *, trainee: User, edition: CourseEdition, leaving: CourseEdition | None = None
) -> CourseEdition | None:
    """Another edition the trainee is confirmed in whose sessions overlap this one's.

    Cancelled sessions never clash, nor does the edition the trainee is `leaving`
    (a move). One query when the trainee is confirmed nowhere else (the common
    case, and every enrolment on opening day: a prepared statement on
    PostgreSQL), at most three otherwise: the other editions' sessions, this
    edition's, the clashing edition.
    """
    others = list(
        Session.objects.filter(
            cancelled=False,
            edition__enrolments__trainee_id=trainee.pk,
            edition__enrolments__status=EnrolmentStatus.CONFIRMED,
        )
        .exclude(edition_id=edition.pk)
        # Excluded even when not a move: the statement is the same every time.
        .exclude(edition_id=leaving.pk if leaving else edition.pk)
        .order_by("start", "end", "edition_id")
        .values_list("start", "end", "edition_id")
    )
    if not others:
        return None
    own = list(
        Session.objects.filter(edition=edition, cancelled=False).values_list(
            "start", "end"
        )
    )
    for start, end, other_edition_id in others:
        if any(own_start < end and own_end > start for own_start, own_end in own):
            return CourseEdition.objects.get(pk=other_edition_id)
    return None
