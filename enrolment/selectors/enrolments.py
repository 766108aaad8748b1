"""A trainee's, an edition's and a company's enrolments, their history, where one
can move, and invitations."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    QuerySet,
)
from django.utils import timezone
from wagtail.models import ModelLogEntry

from core.audit import audit_entries
from courses.models import CourseEdition, EditionStatus
from courses.selectors import (
    editions_ended_q,
    editions_started_q,
    localized_course_title,
)
from people.models import Company, User

from ..models import (
    ACTIVE_STATUSES,
    STATUS_ACTION_PREFIX,
    Enrolment,
    EnrolmentStatus,
    Invitation,
    StatusChange,
)
from .prechecks import trainee_email_is_verified


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
