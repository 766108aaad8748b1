"""Companies enrolling their employees, and invitations that the invitee accepts
or declines."""

import logging
import secrets

from django.db import transaction
from django.utils import timezone

from core.tasks import enqueue_on_commit
from courses.models import CourseEdition
from people.invitation_limits import invitation_refusal
from people.models import Company, CompanyMember, User

from ..exceptions import refuse
from ..models import Enrolment, Invitation
from ..selectors import trainee_email_is_verified
from ..tasks import invitation_notify
from .enrolments import enrolment_create

logger = logging.getLogger(__name__)

# The outcome stored on an invitation its invitee declined.
DECLINED_OUTCOME = "declined"


def _check_manager(*, company: Company, manager: User) -> None:
    if not CompanyMember.objects.filter(
        company=company, user=manager, is_manager=True
    ).exists():
        raise refuse("not_manager", company=company.name)


def enrolment_sponsor(
    *, company: Company, manager: User, trainee: User, edition: CourseEdition
) -> Enrolment:
    """A company manager enrols one of the company's members in an edition."""
    return enrolment_create(
        trainee=trainee,
        edition=edition,
        actor=manager,
        sponsor_company=company,
        sponsored_by=manager,
    )


@transaction.atomic
def invitation_create(
    *, company: Company, manager: User, email: str, edition: CourseEdition
) -> Invitation | Enrolment:
    """Invite someone by email; an existing member of the company is enrolled at once.

    Anyone else, with an account or not, gets an invitation that only they can
    accept (invitation_accept): nobody joins a company, or is enrolled by it,
    without saying yes. The manager is told the same either way, so the form
    never reveals whether an address has an account. Emailing someone outside
    the company needs a verified company, within the invitation rate limits
    (people.invitation_limits).
    """
    _check_manager(company=company, manager=manager)
    email = email.strip().lower()
    member = User.objects.filter(
        email__iexact=email, company_memberships__company=company
    ).first()
    if member is not None:
        return enrolment_sponsor(
            company=company, manager=manager, trainee=member, edition=edition
        )
    if Invitation.objects.filter(
        company=company, email=email, edition=edition, accepted_at__isnull=True
    ).exists():
        raise refuse("already_invited", email=email)
    refusal = invitation_refusal(company=company, email=email)
    if refusal is not None:
        raise refuse(f"invitation_{refusal}", company=company.name)
    invitation = Invitation(
        email=email,
        company=company,
        edition=edition,
        invited_by=manager,
        token=secrets.token_urlsafe(32),
    )
    invitation.full_clean()
    invitation.save()

    enqueue_on_commit(invitation_notify, invitation_id=invitation.pk)
    return invitation


def _open_invitation_of(*, invitation_id: int, user: User) -> Invitation:
    """The open invitation, locked, if it was sent to the user's verified address."""
    if not trainee_email_is_verified(trainee=user):
        raise refuse("unverified_email")
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("company", "edition", "invited_by")
        .filter(pk=invitation_id, email__iexact=user.email, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        raise refuse("invitation_unknown")
    return invitation


@transaction.atomic
def invitation_accept(*, invitation_id: int, user: User) -> Enrolment:
    """The invitee says yes: they join the inviting company and are enrolled.

    Only the person whose verified address was invited may accept. If the
    enrolment is refused (window closed, clash...) nothing changes: the person
    does not join the company and the invitation stays open, to accept later
    or decline.
    """
    invitation = _open_invitation_of(invitation_id=invitation_id, user=user)
    CompanyMember.objects.get_or_create(company=invitation.company, user=user)
    enrolment = enrolment_create(
        trainee=user,
        edition=invitation.edition,
        actor=invitation.invited_by,
        sponsor_company=invitation.company,
        sponsored_by=invitation.invited_by,
    )
    invitation.accepted_at = timezone.now()
    invitation.enrolment = enrolment
    invitation.outcome = str(enrolment.get_status_display())
    invitation.full_clean()
    invitation.save()
    return enrolment


@transaction.atomic
def invitation_decline(*, invitation_id: int, user: User) -> Invitation:
    """The invitee says no: the invitation is closed, nobody joins or enrols.

    Invitation has no field of its own for a refusal yet: a declined invitation
    is closed (accepted_at, the time it stopped being open) with no enrolment and
    "declined" as its outcome.
    """
    invitation = _open_invitation_of(invitation_id=invitation_id, user=user)
    invitation.accepted_at = timezone.now()
    invitation.outcome = DECLINED_OUTCOME
    invitation.full_clean()
    invitation.save()
    logger.info("Invitation %s declined by the invitee", invitation.pk)
    return invitation
