"""Companies: registration, verification by the school, members and their
invitations."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.emails import email_send, site_url
from core.links import page_link

from ..exceptions import PeopleError
from ..invitation_limits import invitation_refusal
from ..models import Company, CompanyInvite, CompanyMember, Role, User
from ..selectors import company_name_taken


def _company_admin_check(*, company: Company, user: User) -> None:
    if not CompanyMember.objects.filter(
        company=company, user=user, is_manager=True
    ).exists():
        raise PeopleError(PeopleError.NOT_COMPANY_ADMIN)


@transaction.atomic
def company_register(
    *,
    user: User,
    name: str,
    partita_iva: str,
    ateco: str = "",
    address: str = "",
    city: str = "",
    province: str = "",
    website: str = "",
) -> Company:
    """A person registers their company (partita IVA checked by python-stdnum) and
    becomes its administrator. It stays unverified, and its members see no
    graduate profile, until the school's staff verify it. Refused: a name that
    is a verified company's (company_name_key: case, spaces, punctuation and
    legal form aside) and markup in the name (the model's validator)."""
    partita_iva = (partita_iva or "").replace(" ", "").upper().removeprefix("IT")
    if Company.objects.filter(partita_iva=partita_iva).exists():
        raise PeopleError(PeopleError.COMPANY_EXISTS)
    if company_name_taken(name=name):
        raise PeopleError(PeopleError.COMPANY_NAME_TAKEN)
    company = Company(
        name=name.strip(),
        partita_iva=partita_iva,
        ateco=ateco.strip(),
        address=address.strip(),
        city=city.strip(),
        province=province.strip().upper(),
        website=website.strip(),
    )
    company.full_clean()
    company.save()
    member = CompanyMember(
        company=company, user=user, is_manager=True, can_use_directory=True
    )
    member.full_clean()
    member.save()
    group = Group.objects.filter(name=Role.COMPANY_MEMBER.value).first()
    if group is not None:
        user.groups.add(group)
    audit_log(instance=company, action="makers.company.register", user=user)
    return company


@transaction.atomic
def company_verify(*, company: Company, by: User) -> Company:
    """Staff confirm the company is who it says: from now on its members may
    search the graduate directory."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    if company.verified_at is not None:
        raise PeopleError(PeopleError.ALREADY_VERIFIED)
    company.verified_at = timezone.now()
    company.verified_by = by
    company.full_clean()
    company.save(update_fields=["verified_at", "verified_by"])
    audit_log(instance=company, action="makers.company.verify", user=by)
    return company


@transaction.atomic
def company_invite_create(*, company: Company, by: User, email: str) -> CompanyInvite:
    """A company administrator invites a colleague by email; joining needs the
    colleague to sign in with that address and accept. Only a verified
    company, within the invitation rate limits (people.invitation_limits)."""
    _company_admin_check(company=company, user=by)
    email = (email or "").strip().lower()
    if CompanyMember.objects.filter(
        company=company, user__email__iexact=email
    ).exists():
        raise PeopleError(PeopleError.ALREADY_MEMBER)
    refusal = invitation_refusal(company=company, email=email)
    if refusal is not None:
        raise PeopleError(PeopleError.INVITATION_REFUSALS[refusal])
    invite = CompanyInvite.objects.filter(
        company=company, email__iexact=email, accepted_at__isnull=True
    ).first()
    if invite is None:
        invite = CompanyInvite(company=company, email=email, invited_by=by)
        invite.full_clean()
        invite.save()
    audit_log(
        instance=company, action="makers.company.invite", user=by, data={"email": email}
    )
    invite_id = invite.pk
    transaction.on_commit(lambda: company_invite_email_send(invite_id=invite_id))
    return invite


def company_invite_email_send(*, invite_id: int) -> None:
    invite = CompanyInvite.objects.select_related("company").get(pk=invite_id)

    with translation.override(settings.LANGUAGE_CODE):
        email_send(
            to=invite.email,
            subject=_("%(company)s invites you to join it at the Makers' School")
            % {"company": invite.company.name[:80]},
            template="people/emails/company_invite",
            context={
                "invite": invite,
                # The page where the colleague joins is served above people
                # and registered as "company_join" (core.links).
                "accept_url": site_url(page_link("company_join", invite.token)),
            },
        )


@transaction.atomic
def company_invite_accept(*, token: str, user: User) -> CompanyMember:
    """The invited colleague, signed in with the invited address, joins."""
    invite = (
        CompanyInvite.objects.select_for_update()
        .filter(token=token, accepted_at__isnull=True)
        .first()
    )
    if invite is None:
        raise PeopleError(PeopleError.INVITE_INVALID)
    if invite.email.lower() != user.email.lower():
        raise PeopleError(PeopleError.INVITE_OTHER_EMAIL)
    try:
        with transaction.atomic():
            member = CompanyMember.objects.create(company=invite.company, user=user)
    except IntegrityError:
        raise PeopleError(PeopleError.ALREADY_MEMBER) from None
    invite.accepted_at = timezone.now()
    invite.save(update_fields=["accepted_at"])
    group = Group.objects.filter(name=Role.COMPANY_MEMBER.value).first()
    if group is not None:
        user.groups.add(group)
    audit_log(instance=invite.company, action="makers.company.member_join", user=user)
    return member


@transaction.atomic
def company_member_remove(*, company: Company, by: User, member: CompanyMember) -> None:
    """A company administrator removes a colleague; never the last administrator."""
    _company_admin_check(company=company, user=by)
    if member.company_id != company.pk:
        raise PeopleError(PeopleError.NOT_COMPANY_ADMIN)
    if (
        member.is_manager
        and not CompanyMember.objects.filter(company=company, is_manager=True)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise PeopleError(PeopleError.LAST_ADMIN)
    audit_log(
        instance=company,
        action="makers.company.member_remove",
        user=by,
        data={"member": member.user.email},
    )
    member.delete()


@transaction.atomic
def company_member_directory_access(
    *, company: Company, by: User, member: CompanyMember, allowed: bool
) -> CompanyMember:
    """A company's manager grants a member the graduate directory, or takes it
    back. Managers always hold it (a database constraint); audited."""
    _company_admin_check(company=company, user=by)
    member = CompanyMember.objects.select_for_update().get(pk=member.pk)
    if member.company_id != company.pk:
        raise PeopleError(PeopleError.NOT_COMPANY_ADMIN)
    if member.is_manager and not allowed:
        raise PeopleError(PeopleError.MANAGER_DIRECTORY)
    if member.can_use_directory == allowed:
        return member
    member.can_use_directory = allowed
    member.full_clean()
    member.save(update_fields=["can_use_directory"])
    audit_log(
        instance=company,
        action="makers.company.directory_grant"
        if allowed
        else "makers.company.directory_revoke",
        user=by,
        data={"member": member.user.email},
    )
    return member
