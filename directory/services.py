"""Writes of the graduate directory: shortlists, contact requests and their
answers, blocks, the profile-view log."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.emails import email_send, site_url
from core.links import page_link
from people.models import Company, GraduateProfile, User
from people.services import graduate_profile_publish

from .exceptions import DirectoryError
from .models import (
    CompanyBlock,
    ContactRequest,
    ContactStatus,
    ProfileView,
    ShortlistEntry,
)
from .selectors import (
    contact_request_recent,
    profile_earlier_links,
    profile_for_company,
)

REPEAT_DAYS = 30


def _visible(*, company: Company | None, profile: GraduateProfile) -> None:
    if company is None or not company.is_verified:
        raise DirectoryError(DirectoryError.NOT_VERIFIED)
    if profile_for_company(company=company, public_id=profile.public_id) is None:
        raise DirectoryError(DirectoryError.HIDDEN)


@transaction.atomic
def shortlist_add(
    *, company: Company, profile: GraduateProfile, by: User
) -> ShortlistEntry:
    """Save a visible graduate to the company's shortlist (once)."""
    _visible(company=company, profile=profile)
    entry, _created = ShortlistEntry.objects.get_or_create(
        company=company, profile=profile, defaults={"added_by": by}
    )
    return entry


@transaction.atomic
def shortlist_remove(*, company: Company, profile: GraduateProfile) -> None:
    ShortlistEntry.objects.filter(company=company, profile=profile).delete()


@transaction.atomic
def contact_request_create(
    *, company: Company | None, profile: GraduateProfile, by: User, message: str
) -> ContactRequest:
    """A verified company writes to a graduate whose profile it may see; at most
    one request per company and graduate in 30 days. The graduate is emailed."""
    _visible(company=company, profile=profile)
    message = (message or "").strip()
    if not message:
        raise DirectoryError(DirectoryError.EMPTY_MESSAGE)
    # Lock the graduate's profile so two members' requests cannot both pass.
    GraduateProfile.objects.select_for_update().filter(pk=profile.pk).first()
    if contact_request_recent(company=company, graduate=profile.user, days=REPEAT_DAYS):
        raise DirectoryError(DirectoryError.REPEATED)
    request = ContactRequest(
        company=company, graduate=profile.user, sent_by=by, message=message
    )
    request.full_clean()
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise DirectoryError(DirectoryError.REPEATED) from None
    audit_log(instance=request, action="makers.contact_request.send", user=by)
    request_id = request.pk
    transaction.on_commit(lambda: contact_request_email_send(request_id=request_id))
    return request


def contact_request_email_send(*, request_id: int) -> None:
    request = ContactRequest.objects.select_related("company", "graduate").get(
        pk=request_id
    )
    graduate = request.graduate
    with translation.override(graduate.language):
        email_send(
            to=graduate.email,
            subject=_("%(company)s would like to contact you")
            % {"company": request.company.name[:80]},
            template="directory/emails/contact_request",
            context={
                "request": request,
                # The graduate answers on a page served above the directory,
                # registered as "contact_request" (core.links).
                "answer_url": site_url(page_link("contact_request", request.public_id)),
            },
        )


@transaction.atomic
def contact_request_answer(
    *, request: ContactRequest, user: User, accept: bool
) -> ContactRequest:
    """The graduate accepts or declines; only acceptance shows the company their
    email address (and phone, if they chose to share it)."""
    request = ContactRequest.objects.select_for_update().get(pk=request.pk)
    if request.graduate_id != user.pk:
        raise DirectoryError(DirectoryError.NOT_YOURS)
    if request.status != ContactStatus.PENDING:
        raise DirectoryError(DirectoryError.ANSWERED)
    request.status = ContactStatus.ACCEPTED if accept else ContactStatus.DECLINED
    request.answered_at = timezone.now()
    request.full_clean()
    request.save(update_fields=["status", "answered_at"])
    audit_log(
        instance=request,
        action=f"makers.contact_request.{request.status}",
        user=user,
    )
    return request


@transaction.atomic
def profile_publish(
    *,
    profile: GraduateProfile,
    agreed: bool,
    language: str,
    keep_earlier: bool | None = None,
) -> GraduateProfile:
    """Turn the graduate's profile on with their consent. When companies had
    saved it to a shortlist, or could see the email address after an accepted
    request, before it was turned off, the graduate must choose: keep them
    (keep_earlier=True), or start afresh (False), which deletes those shortlist
    entries and withdraws the accepted contact access."""
    graduate_profile_publish(profile=profile, agreed=agreed, language=language)
    earlier = profile_earlier_links(profile=profile)
    if not any(earlier.values()):
        return profile
    if keep_earlier is None:
        raise DirectoryError(DirectoryError.EARLIER_CHOICE_REQUIRED)
    if not keep_earlier:
        ShortlistEntry.objects.filter(profile=profile).delete()
        accepted = ContactRequest.objects.select_for_update().filter(
            graduate_id=profile.user_id, status=ContactStatus.ACCEPTED
        )
        for request in accepted:
            request.status = ContactStatus.WITHDRAWN
            request.full_clean()
            request.save(update_fields=["status"])
            audit_log(
                instance=request,
                action="makers.contact_request.withdrawn",
                user=profile.user,
            )
    audit_log(
        instance=profile,
        action=(
            "makers.graduate_profile.keep_earlier"
            if keep_earlier
            else "makers.graduate_profile.start_afresh"
        ),
        user=profile.user,
        data=earlier,
    )
    return profile


@transaction.atomic
def company_block(*, user: User, company: Company) -> CompanyBlock:
    """The graduate blocks a company: it no longer finds or reaches them, and its
    waiting requests are declined."""
    block, _created = CompanyBlock.objects.get_or_create(user=user, company=company)
    ContactRequest.objects.filter(
        graduate=user, company=company, status=ContactStatus.PENDING
    ).update(status=ContactStatus.DECLINED, answered_at=timezone.now())
    ShortlistEntry.objects.filter(company=company, profile__user=user).delete()
    return block


@transaction.atomic
def company_unblock(*, user: User, company: Company) -> None:
    CompanyBlock.objects.filter(user=user, company=company).delete()


def profile_view_log(*, profile: GraduateProfile, company: Company) -> None:
    """Count one view of the profile by the company today (one row per day)."""
    today = timezone.localdate()
    updated = ProfileView.objects.filter(
        profile=profile, company=company, day=today
    ).update(count=F("count") + 1, last_at=timezone.now())
    if updated:
        return
    try:
        with transaction.atomic():
            ProfileView.objects.create(profile=profile, company=company, day=today)
    except IntegrityError:  # another request created today's row first
        ProfileView.objects.filter(profile=profile, company=company, day=today).update(
            count=F("count") + 1, last_at=timezone.now()
        )
