"""What `make security` changes in its throwaway database, run as
`python -m security.hostile <step>` with the server's environment.

  setup     accounts the live checks need (a graduate for hostile uploads, a
            member of the verified company without directory permission);
            prints them as JSON
  markup    markup in the teaching edition's venue name and course title, and a
            certificate re-issued under that title; prints its id as JSON
  demote    takes the demo instructor out of the Instructors group
  restore   puts them back
"""

from __future__ import annotations

import json
import sys

from .world import ACCOUNTS, DEMO, DEMO_PASSWORD

UPLOADER = "sicurezza-upload" + DEMO
NO_DIRECTORY = "azienda-senza-directory" + DEMO
# A lone '<', an image by server path, a javascript: link (issue 29).
MARKUP = '<img src="/etc/passwd"/> <a href="javascript:alert(1)">x</a> a < b'


def _account(email: str, role: str):
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    from people.models import User

    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": "Prova", "last_name": "Sicurezza"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=role))
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def setup() -> dict:
    from people.models import Company, CompanyMember, Role

    _account(UPLOADER, Role.TRAINEE.value)
    member = _account(NO_DIRECTORY, Role.COMPANY_MEMBER.value)
    company = Company.objects.filter(
        members__user__email=ACCOUNTS["manager"], verified_at__isnull=False
    ).first()
    if company is not None:
        row, _ = CompanyMember.objects.get_or_create(
            company=company, user=member, defaults={"is_manager": False}
        )
        # The directory permission of the issue 36 decision: off for him.
        fields = {f.name for f in CompanyMember._meta.get_fields()}
        if "can_use_directory" in fields:
            CompanyMember.objects.filter(pk=row.pk).update(can_use_directory=False)
    return {"uploader": UPLOADER, "no_directory": NO_DIRECTORY}


def markup(*, teaching_edition: int) -> dict:
    """Markup where the register PDF and a certificate PDF print text."""
    from certificates.models import Certificate
    from certificates.services import certificate_reissue
    from courses.models import CourseEdition, Venue

    edition = CourseEdition.objects.select_related("course", "venue").get(
        pk=teaching_edition
    )
    Venue.objects.filter(pk=edition.venue_id).update(name=MARKUP, name_en=MARKUP)
    result = {"markup_certificate": 0, "markup_error": ""}
    certificate = (
        Certificate.objects.filter(status="valid", enrolment__isnull=False)
        .exclude(enrolment__trainee__email=ACCOUNTS["owner"])
        .select_related("enrolment__edition__course", "enrolment__edition__venue")
        .order_by("pk")
        .first()
    )
    pages = [edition.course]
    if certificate is not None:
        pages.append(certificate.enrolment.edition.course)
        Venue.objects.filter(pk=certificate.enrolment.edition.venue_id).update(
            name=MARKUP, name_en=MARKUP
        )
    for page in pages:
        page.title = MARKUP
        page.save_revision().publish()
    if certificate is None:
        result["markup_error"] = "no certificate in the demo"
        return result
    try:
        new = certificate_reissue(
            certificate=certificate, actor=None, reason="make security: markup"
        )
    except Exception as error:  # noqa: BLE001 - reported in the table
        result["markup_error"] = f"{type(error).__name__}: {error}"[:160]
    else:
        result["markup_certificate"] = new.pk
    return result


def instructor(*, member: bool) -> dict:
    from django.contrib.auth.models import Group

    from people.models import Role, User

    user = User.objects.get(email=ACCOUNTS["instructor"])
    group = Group.objects.get(name=Role.INSTRUCTOR.value)
    if member:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    return {"instructor_in_group": member}


def main(argv: list[str]) -> dict:
    step = argv[0]
    if step == "setup":
        return setup()
    if step == "markup":
        return markup(teaching_edition=int(argv[1]))
    if step in ("demote", "restore"):
        return instructor(member=step == "restore")
    raise SystemExit(f"unknown step {step!r}")


if __name__ == "__main__":  # pragma: no cover - run by security.__main__
    import django

    django.setup()
    print(json.dumps(main(sys.argv[1:])))
