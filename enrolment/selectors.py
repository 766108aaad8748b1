"""Reads of enrolments. Every function runs a fixed number of queries."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from allauth.account.models import EmailAddress
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Upper
from django.utils import timezone
from wagtail.models import ModelLogEntry

from core.audit import audit_entries
from core.sql import prepared_read
from courses.models import CourseEdition, CoursePage, EditionStatus, Session
from courses.selectors import (
    SessionsFingerprint,
    calendar_listed,
    editions_ended_q,
    editions_started_q,
    fingerprint_aggregates,
    fingerprint_from_row,
    localized_course_title,
)
from people.models import Company, User

from .models import (
    ACTIVE_STATUSES,
    STATUS_ACTION_PREFIX,
    Enrolment,
    EnrolmentStatus,
    Invitation,
    StatusChange,
)


def _verified_addresses(*, user_id, email) -> QuerySet[EmailAddress]:
    """The user's verified addresses equal to `email` but for case. Compared as
    UPPER(email) = UPPER(%s), as email__iexact does on PostgreSQL: the value
    reaches the SQL as it is, also on SQLite (whose iexact is a LIKE with the
    value escaped), so the compiled prechecks (core.sql) may bind it."""
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


# An edition read as plain columns by a compiled read (core.sql), then built
# with edition_from_row(): the enrol view's read and the edition's row lock.
EDITION_COLUMNS = [field.attname for field in CourseEdition._meta.concrete_fields]
_PRECHECK_COLUMNS = ["started", "email_verified", "has_prerequisites"]


def edition_from_row(values) -> CourseEdition:
    """The CourseEdition of a row of EDITION_COLUMNS' values."""
    return CourseEdition.from_db("default", EDITION_COLUMNS, values)


@prepared_read(
    edition_id=-1_000_001,
    trainee_id=-1_000_002,
    email="\x00sample-email",
    now=datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC),
)
def _prechecks_read(*, edition_id, trainee_id, email, now):
    verified = _verified_addresses(user_id=trainee_id, email=email)
    prerequisites = CoursePage.prerequisite_courses.through.objects.filter(
        from_coursepage_id=OuterRef("course_id")
    )
    started = ExpressionWrapper(
        editions_started_q(now=now), output_field=BooleanField()
    )
    return (
        CourseEdition.objects.filter(pk=edition_id)
        .annotate(
            started=started,
            email_verified=Exists(verified),
            has_prerequisites=Exists(prerequisites),
        )
        .values_list(*_PRECHECK_COLUMNS, *EDITION_COLUMNS)
    )


def _prechecks_row(*, trainee: User, edition_id: int) -> tuple | None:
    rows = _prechecks_read.rows(
        edition_id=edition_id,
        trainee_id=trainee.pk,
        email=trainee.email,
        now=timezone.now(),
    )
    return rows[0] if rows else None


def _prechecks(row: tuple) -> EnrolmentPrechecks:
    return EnrolmentPrechecks(*map(bool, row[: len(_PRECHECK_COLUMNS)]))


def enrolment_prechecks(*, trainee: User, edition: CourseEdition) -> EnrolmentPrechecks:
    """What a new enrolment checks before it takes any lock, in one query (compiled
    once, core.sql): whether the edition has started, whether the trainee's login
    address is verified and whether the edition's course has prerequisites."""
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


@prepared_read(trainee_id=-1_000_001, edition_id=-1_000_002, leaving_id=-1_000_003)
def _confirmed_sessions_read(*, trainee_id, edition_id, leaving_id):
    return (
        Session.objects.filter(
            cancelled=False,
            edition__enrolments__trainee_id=trainee_id,
            edition__enrolments__status=EnrolmentStatus.CONFIRMED,
        )
        .exclude(edition_id=edition_id)
        .exclude(edition_id=leaving_id)
        .order_by("start", "end", "edition_id")
        .values_list("start", "end", "edition_id")
    )


def trainee_schedule_clash(
    *, trainee: User, edition: CourseEdition, leaving: CourseEdition | None = None
) -> CourseEdition | None:
    """Another edition the trainee is confirmed in whose sessions overlap this one's.

    Cancelled sessions never clash, nor does the edition the trainee is `leaving`
    (a move). One query when the trainee is confirmed nowhere else (the common
    case, and every enrolment on opening day: compiled once, core.sql), at most
    three otherwise: the other editions' sessions, this edition's, the clashing
    edition.
    """
    others = _confirmed_sessions_read.rows(
        trainee_id=trainee.pk,
        edition_id=edition.pk,
        leaving_id=leaving.pk if leaving else edition.pk,
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


def trainee_enrolments(*, trainee: User) -> QuerySet[Enrolment]:
    """Every enrolment of a trainee, newest first, with edition and course."""
    return (
        Enrolment.objects.filter(trainee=trainee)
        .select_related(
            "edition__course__locale", "edition__venue", "moved_to__edition"
        )
        .order_by("-created_at", "-pk")
    )


def editions_progress(*, edition_ids: Iterable[int]) -> dict[int, tuple[bool, bool]]:
    """(started, ended) of each edition, by id, in one query (none for no ids)."""
    ids = set(edition_ids)
    if not ids:
        return {}
    rows = (
        CourseEdition.objects.filter(pk__in=ids)
        .annotate(
            started=ExpressionWrapper(editions_started_q(), BooleanField()),
            ended=ExpressionWrapper(editions_ended_q(), BooleanField()),
        )
        .values_list("pk", "started", "ended")
    )
    return {pk: (bool(started), bool(ended)) for pk, started, ended in rows}


def enrolments_with_progress(enrolments: Iterable[Enrolment]) -> list[Enrolment]:
    """The enrolments, each with edition_started, edition_ended and can_cancel
    (active, and its edition has not ended: enrolment_cancel's rule). One query
    for the editions of the active ones."""
    enrolments = list(enrolments)
    progress = editions_progress(
        edition_ids=[e.edition_id for e in enrolments if e.is_active]
    )
    for enrolment in enrolments:
        started, ended = progress.get(enrolment.edition_id, (False, False))
        enrolment.edition_started = started
        enrolment.edition_ended = ended
        enrolment.can_cancel = enrolment.is_active and not ended
    return enrolments


def trainee_enrolments_by_edition(*, trainee: User) -> dict[int, Enrolment]:
    """The trainee's active enrolment per edition id. One query."""
    return {
        enrolment.edition_id: enrolment
        for enrolment in Enrolment.objects.filter(
            trainee=trainee, status__in=ACTIVE_STATUSES
        ).only("pk", "edition_id", "status", "waitlist_position", "offer_token")
    }


def enrolment_by_offer_token(*, token: str) -> Enrolment | None:
    if not token:
        return None
    return (
        Enrolment.objects.filter(offer_token=token)
        .select_related("edition__course", "trainee")
        .first()
    )


@dataclass
class EditionRoster:
    edition: CourseEdition
    confirmed: list[Enrolment] = field(default_factory=list)
    waitlist: list[Enrolment] = field(default_factory=list)
    pending: list[Enrolment] = field(default_factory=list)
    offers: list[Enrolment] = field(default_factory=list)
    past: list[Enrolment] = field(default_factory=list)


def edition_roster(*, edition: CourseEdition) -> EditionRoster:
    """An edition's enrolments sorted into the lists staff work with. One query."""
    roster = EditionRoster(edition=edition)
    by_status = defaultdict(list)
    for enrolment in (
        Enrolment.objects.filter(edition=edition)
        .select_related("trainee", "sponsor_company")
        .order_by("waitlist_position", "created_at", "pk")
    ):
        by_status[enrolment.status].append(enrolment)
    roster.confirmed = by_status[EnrolmentStatus.CONFIRMED]
    roster.waitlist = by_status[EnrolmentStatus.WAITLISTED]
    roster.pending = by_status[EnrolmentStatus.PENDING_APPROVAL]
    roster.offers = by_status[EnrolmentStatus.OFFERED]
    roster.past = [
        enrolment
        for status, rows in by_status.items()
        if status not in ACTIVE_STATUSES
        for enrolment in rows
    ]
    return roster


def status_change_from_entry(entry: ModelLogEntry) -> StatusChange:
    data = entry.data or {}
    return StatusChange(
        at=entry.timestamp,
        actor=entry.user,
        old_status=data.get("old_status", ""),
        new_status=data.get(
            "new_status", entry.action.removeprefix(STATUS_ACTION_PREFIX)
        ),
        reason=data.get("reason", ""),
        data=data,
    )


def enrolment_history(*, enrolment: Enrolment) -> list[StatusChange]:
    """Every change of status of the enrolment, oldest first, from the audit log."""
    entries = audit_entries(instance=enrolment, prefix=STATUS_ACTION_PREFIX)
    return [status_change_from_entry(entry) for entry in entries]


def editions_move_targets(*, enrolment: Enrolment) -> QuerySet[CourseEdition]:
    """Other editions of the same course (any translation) not yet started."""
    return (
        CourseEdition.objects.filter(
            course__translation_key=enrolment.edition.course.translation_key,
            status__in=[EditionStatus.DRAFT, EditionStatus.OPEN],
        )
        .exclude(pk=enrolment.edition_id)
        .exclude(editions_started_q())
        .select_related("course")
        .order_by("enrolment_opens_at")
    )


def editions_open_for_enrolment() -> QuerySet[CourseEdition]:
    now = timezone.now()
    return (
        CourseEdition.objects.filter(
            status=EditionStatus.OPEN,
            enrolment_opens_at__lte=now,
            enrolment_closes_at__gt=now,
        )
        .select_related("course")
        .annotate(course_title_shown=localized_course_title())
        .order_by("enrolment_closes_at", "code")
    )


def companies_managed(*, user: User) -> list[Company]:
    return list(
        Company.objects.filter(members__user=user, members__is_manager=True).order_by(
            "name"
        )
    )


def company_employees(*, company: Company) -> QuerySet[User]:
    return User.objects.filter(company_memberships__company=company).order_by(
        "last_name", "first_name", "email"
    )


def company_sponsored_enrolments(*, companies: list[Company]) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(sponsor_company__in=companies)
        .select_related("trainee", "edition__course", "sponsor_company")
        .order_by("-created_at", "-pk")
    )


def company_open_invitations(*, companies: list[Company]) -> QuerySet[Invitation]:
    """Invitations of these companies that nobody has accepted yet."""
    return (
        Invitation.objects.filter(company__in=companies, accepted_at__isnull=True)
        .select_related("edition__course", "company", "enrolment")
        .order_by("-created_at")
    )


def invitations_pending(*, user: User) -> list[Invitation]:
    """Open invitations sent to the user's address, for them to accept or decline.

    Empty until the address is verified: an invitation belongs to whoever proves
    they own the address it was sent to.
    """
    if not trainee_email_is_verified(trainee=user):
        return []
    return list(
        Invitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True)
        .select_related("edition__course", "company", "invited_by")
        .order_by("created_at", "pk")
    )


def _person_sessions(*, user_id: int) -> QuerySet[Session]:
    confirmed = (
        Enrolment.objects.filter(trainee_id=user_id, status=EnrolmentStatus.CONFIRMED)
        .order_by()
        .values("edition_id")
    )
    teaching = (
        CourseEdition.objects.filter(instructors__id=user_id).order_by().values("pk")
    )
    assigned = (
        Session.objects.filter(instructor_id=user_id).order_by().values("edition_id")
    )
    # The editions that can hold such a session first: PostgreSQL then reads
    # their sessions by index, not every session of the school (an OR of
    # subqueries alone is a sequential scan).
    editions = confirmed.union(teaching, assigned)
    return (
        Session.objects.exclude(edition__status=EditionStatus.DRAFT)
        .filter(edition_id__in=editions)
        .filter(
            Q(edition_id__in=confirmed)
            | Q(instructor_id=user_id)
            | Q(instructor__isnull=True, edition_id__in=teaching)
        )
    )


def person_calendar_sessions(*, user: User) -> QuerySet[Session]:
    """The sessions of a person's calendar feed: every session of their confirmed
    enrolments, and the sessions they teach (assigned to them, or with nobody
    assigned in an edition they teach). Draft editions never show."""
    return _person_sessions(user_id=user.pk)


_SAMPLE_NOW = datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC)
_FINGERPRINT_NAMES = list(fingerprint_aggregates())


@prepared_read(user_id=-1_000_001, now=_SAMPLE_NOW)
def _calendar_fingerprint_read(*, user_id, now):
    # One row: aggregates over all the rows, grouped by a constant.
    return (
        calendar_listed(_person_sessions(user_id=user_id), now=now)
        .order_by()
        .annotate(feed=Value(1))
        .values("feed")
        .annotate(**fingerprint_aggregates())
        .values_list(*_FINGERPRINT_NAMES)
    )


@prepared_read(user_id=-1_000_001)
def _enrolments_changed_read(*, user_id):
    return (
        Enrolment.objects.filter(trainee_id=user_id)
        .order_by()
        .values("trainee_id")
        .annotate(newest=Max("updated_at"))
        .values_list("newest")
    )


def person_calendar_fingerprint(*, user: User) -> SessionsFingerprint:
    """sessions_fingerprint(person_calendar_sessions(user)), as the personal
    feed asks it on every poll: a statement prepared once per connection."""
    rows = _calendar_fingerprint_read.rows(user_id=user.pk, now=timezone.now())
    if not rows:
        return fingerprint_from_row(dict.fromkeys(_FINGERPRINT_NAMES))
    return fingerprint_from_row(dict(zip(_FINGERPRINT_NAMES, rows[0], strict=True)))


def person_enrolments_changed_at(*, user: User) -> datetime.datetime | None:
    """When any enrolment of the person last changed (a cancellation removes an
    edition from the feed, and must make the feed's Last-Modified newer)."""
    rows = _enrolments_changed_read.rows(user_id=user.pk)
    return rows[0][0] if rows else None
