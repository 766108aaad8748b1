"""Graduate profiles (consent, CV checks) and companies (registration,
verification, members): people.services."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from core.audit import audit_entries
from people import services
from people.exceptions import PeopleError
from people.models import Company, CompanyInvite, CompanyMember, GraduateConsent
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    StaffFactory,
    TraineeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _pdf() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, "Curriculum")
    pdf.save()
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.MAKERS_PRIVATE_ROOT = tmp_path


def test_profile_is_off_until_consent_and_records_consent_and_withdrawal():
    profile = services.graduate_profile_ensure(user=TraineeFactory())
    assert not profile.is_published
    with pytest.raises(PeopleError):
        services.graduate_profile_publish(profile=profile, agreed=False, language="it")
    assert not GraduateConsent.objects.exists()

    services.graduate_profile_publish(profile=profile, agreed=True, language="en")
    profile.refresh_from_db()
    assert profile.is_published and profile.published_at
    given = GraduateConsent.objects.get()
    assert given.action == "given" and "job placement" in given.text
    assert given.language == "en"

    services.graduate_profile_unpublish(profile=profile)
    profile.refresh_from_db()
    assert not profile.is_published
    assert list(
        GraduateConsent.objects.filter(user=profile.user).values_list(
            "action", flat=True
        )
    ) == ["given", "withdrawn"]
    actions = [e.action for e in audit_entries(instance=profile)]
    assert "makers.graduate_profile.publish" in actions
    assert "makers.graduate_profile.unpublish" in actions


def test_italian_consent_text_is_italian():
    profile = services.graduate_profile_ensure(user=TraineeFactory())
    services.graduate_profile_publish(profile=profile, agreed=True, language="it")
    assert "Chiedo alla Makers' School" in GraduateConsent.objects.get().text


def test_cv_must_be_a_pdf_by_its_bytes_and_at_most_5_mb():
    profile = services.graduate_profile_ensure(user=TraineeFactory())
    fake = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(PeopleError, match="PDF"):
        services.graduate_profile_update(profile=profile, data={}, cv=fake)
    big = SimpleUploadedFile("cv.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "x")
    with pytest.raises(PeopleError, match="5 MB"):
        services.graduate_profile_update(profile=profile, data={}, cv=big)
    profile.refresh_from_db()
    assert not profile.cv

    good = SimpleUploadedFile("mio cv.pdf", _pdf(), "application/pdf")
    services.graduate_profile_update(
        profile=profile, data={"headline": "Saldatore", "province": "to"}, cv=good
    )
    profile.refresh_from_db()
    assert profile.cv.name.startswith(f"graduates/{profile.public_id}/")
    assert "mio" not in profile.cv.name
    assert profile.province == "TO" and profile.headline == "Saldatore"


def test_public_ids_are_random_not_sequential():
    a = services.graduate_profile_ensure(user=TraineeFactory())
    b = services.graduate_profile_ensure(user=TraineeFactory())
    assert len(a.public_id) >= 16 and a.public_id != b.public_id
    # Not derived from the row number: a random id shares no long prefix with the
    # next one (a sequence or a pk-based id would).
    common = next(
        (
            i
            for i, (x, y) in enumerate(zip(a.public_id, b.public_id, strict=False))
            if x != y
        ),
        len(a.public_id),
    )
    assert common < 8
    assert a.public_id != str(a.pk)


def test_company_registration_makes_the_person_admin_and_stays_unverified():
    user = UserFactory()
    company = services.company_register(
        user=user,
        name="Robotica Alpina S.r.l.",
        partita_iva="IT 00743110157",
        ateco="28.99.20",
        address="Via Roma 1",
        city="Torino",
        province="to",
    )
    assert company.partita_iva == "00743110157"
    assert not company.is_verified
    assert CompanyMember.objects.get(company=company).user == user
    assert CompanyMember.objects.get(company=company).is_manager
    with pytest.raises(PeopleError):
        services.company_register(
            user=UserFactory(), name="Copia", partita_iva="00743110157"
        )


@pytest.mark.parametrize(
    "fields",
    [
        {"partita_iva": "00743110158"},  # wrong check digit
        {"partita_iva": "123"},
        {"partita_iva": "00743110157", "ateco": "venticinque"},
    ],
)
def test_bad_company_input_is_refused_and_nothing_is_stored(fields):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.company_register(user=UserFactory(), name="Ditta", **fields)
    assert not Company.objects.exists()
    assert not CompanyMember.objects.exists()


def test_staff_verify_is_audited_and_only_once():
    company = CompanyFactory(verified_at=None)
    staff = StaffFactory()
    services.company_verify(company=company, by=staff)
    company.refresh_from_db()
    assert company.is_verified and company.verified_by == staff
    assert [e.action for e in audit_entries(instance=company)] == [
        "makers.company.verify"
    ]
    with pytest.raises(PeopleError):
        services.company_verify(company=company, by=staff)


def test_admin_invites_colleague_who_accepts_and_is_removed(
    django_capture_on_commit_callbacks,
):
    admin = CompanyMemberFactory(is_manager=True)
    company = admin.company
    with django_capture_on_commit_callbacks(execute=True):
        invite = services.company_invite_create(
            company=company, by=admin.user, email="Collega@Example.com"
        )
    assert invite.email == "collega@example.com"
    assert len(mail.outbox) == 1 and invite.token in mail.outbox[0].body
    with pytest.raises(PeopleError):
        services.company_invite_accept(token=invite.token, user=UserFactory())
    colleague = UserFactory(email="collega@example.com")
    member = services.company_invite_accept(token=invite.token, user=colleague)
    assert member.company == company and not member.is_manager
    with pytest.raises(PeopleError):
        services.company_invite_accept(token=invite.token, user=colleague)
    # Only an admin removes, and never the last admin.
    with pytest.raises(PeopleError):
        services.company_member_remove(company=company, by=colleague, member=admin)
    with pytest.raises(PeopleError):
        services.company_member_remove(company=company, by=admin.user, member=admin)
    services.company_member_remove(company=company, by=admin.user, member=member)
    assert not CompanyMember.objects.filter(user=colleague).exists()
    assert CompanyInvite.objects.filter(accepted_at__isnull=False).count() == 1


def test_non_admin_cannot_invite():
    member = CompanyMemberFactory(is_manager=False)
    with pytest.raises(PeopleError):
        services.company_invite_create(
            company=member.company, by=member.user, email="x@example.com"
        )


# --- a company's name and what it may email (finding 26) --------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Officine Meccaniche Torinesi S.r.l.",
        "officine meccaniche torinesi srl",
        "OFFICINE  MECCANICHE-TORINESI",
        "Officine Meccaniche Torinesi S.p.A.",
        "Officine Meccàniche Torinesi s.r.l",
    ],
)
def test_the_name_of_a_verified_company_cannot_be_taken(name):
    CompanyFactory(name="Officine Meccaniche Torinesi S.r.l.")
    with pytest.raises(PeopleError) as refusal:
        services.company_register(
            user=UserFactory(), name=name, partita_iva="00743110157"
        )
    assert refusal.value.message == PeopleError.COMPANY_NAME_TAKEN
    assert Company.objects.count() == 1


def test_an_unverified_namesake_or_a_longer_name_is_no_clash():
    CompanyFactory(name="Officine Meccaniche Torinesi S.r.l.", verified_at=None)
    CompanyFactory(name="Robotica S.r.l.")
    company = services.company_register(
        user=UserFactory(),
        name="Officine Meccaniche Torinesi Nord S.r.l.",
        partita_iva="00743110157",
    )
    assert company.pk


def test_markup_in_a_company_name_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refusal:
        services.company_register(
            user=UserFactory(), name="<b>Officine</b>", partita_iva="00743110157"
        )
    assert "name" in refusal.value.message_dict
    assert not Company.objects.exists()


def test_an_unverified_company_emails_nobody(django_capture_on_commit_callbacks):
    admin = CompanyMemberFactory(is_manager=True, company__verified_at=None)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(PeopleError) as refusal,
    ):
        services.company_invite_create(
            company=admin.company, by=admin.user, email="vittima@example.com"
        )
    assert refusal.value.message == PeopleError.UNVERIFIED_INVITES
    assert mail.outbox == []
    assert not CompanyInvite.objects.exists()


def test_colleague_invitations_are_rate_limited(
    settings, django_capture_on_commit_callbacks
):
    settings.MAKERS_INVITATIONS_PER_COMPANY_HOUR = 3
    admin = CompanyMemberFactory(is_manager=True)
    sent = refused = 0
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(6):
            try:
                services.company_invite_create(
                    company=admin.company,
                    by=admin.user,
                    email=f"collega{number}@example.com",
                )
            except PeopleError as error:
                assert error.message == PeopleError.COMPANY_INVITES_RATE
                refused += 1
            else:
                sent += 1
    assert (sent, refused) == (3, 3)
    assert len(mail.outbox) == 3


def test_the_admin_list_labels_a_company_awaiting_verification(client):
    from django.urls import reverse

    CompanyFactory(name="Officine Ombra", verified_at=None)
    CompanyFactory(name="Officine Vere")
    client.force_login(StaffFactory())
    url = reverse(Company.snippet_viewset.get_url_name("list"))
    # The admin speaks the staff member's language: Italian by default.
    body = client.get(url).content.decode()
    assert "Officine Ombra" in body and "Officine Vere" in body
    assert "In attesa di verifica" in body
