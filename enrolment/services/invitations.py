"""Companies enrolling their employees, and invitations for people without an
account yet."""

import logging
import secrets

from django.db import transaction
from django.utils import timezone

from courses.models import CourseEdition
from people.models import Company, CompanyMember, User

from ..exceptions import EnrolmentError, refuse
from ..models import Enrolment, Invitation
from .enrolments import enrolment_create

logger = logging.getLogger(__name__)


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

    Someone with an account who is not a member of the company is refused: the
    company may only enrol its own people.
    """
    _check_manager(company=company, manager=manager)
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if not CompanyMember.objects.filter(company=company, user=existing).exists():
            raise refuse("invitee_exists", email=email, company=company.name)
        return enrolment_sponsor(
            company=company, manager=manager, trainee=existing, edition=edition
        )
    if Invitation.objects.filter(
        email=email, edition=edition, accepted_at__isnull=True
    ).exists():
        raise refuse("already_invited", email=email)
    invitation = Invitation(
        email=email,
        company=company,
        edition=edition,
        invited_by=manager,
        token=secrets.token_urlsafe(32),
    )
    invitation.full_clean()
    invitation.save()
    from ..tasks import invitation_notify

    invitation_id = invitation.pk
    transaction.on_commit(
        lambda: invitation_notify.enqueue(invitation_id=invitation_id)
    )
    return invitation


def invitations_accept(*, user: User) -> list[Enrolment]:
    """Turn the open invitations for a user's (verified) email into enrolments.

    The invitee joins the inviting company as a member. An invitation whose
    enrolment is refused (window closed, clash...) is closed with that outcome.
    """
    enrolments: list[Enrolment] = []
    open_ids = list(
        Invitation.objects.filter(
            email=user.email.lower(), accepted_at__isnull=True
        ).values_list("pk", flat=True)
    )
    for invitation_id in open_ids:
        with transaction.atomic():
            invitation = (
                Invitation.objects.select_for_update(of=("self",))
                .select_related("company", "edition", "invited_by")
                .filter(pk=invitation_id, accepted_at__isnull=True)
                .first()
            )
            if invitation is None:
                continue
            CompanyMember.objects.get_or_create(company=invitation.company, user=user)
            invitation.accepted_at = timezone.now()
            try:
                with transaction.atomic():
                    enrolment = enrolment_create(
                        trainee=user,
                        edition=invitation.edition,
                        actor=invitation.invited_by,
                        sponsor_company=invitation.company,
                        sponsored_by=invitation.invited_by,
                    )
            except EnrolmentError as error:
                invitation.outcome = str(error)
                logger.info(
                    "Invitation %s not turned into an enrolment: %s",
                    invitation.pk,
                    error,
                )
            else:
                invitation.enrolment = enrolment
                invitation.outcome = enrolment.get_status_display()
                enrolments.append(enrolment)
            invitation.full_clean()
            invitation.save()
    return enrolments
