"""Demo graduate profiles, the company's shortlist and a contact request waiting
for an answer (demo/data/directory.yaml). Creates only what is missing."""

from collections import Counter

from django.utils import timezone

from directory.models import ContactRequest, ShortlistEntry
from people.consent import CONSENT_VERSION, consent_text
from people.models import (
    GRADUATE_VISIBLE_FIELDS,
    Company,
    GraduateConsent,
    GraduateProfile,
    User,
)

from .data import data


def load_directory(*, users: dict[str, User], company: Company, created: Counter):
    spec = data("directory")
    profiles = {}
    for item in spec["profiles"]:
        user = users[item["user"]]
        published = bool(item.get("published"))
        shown = set(item.get("show", []))
        profile, was_created = GraduateProfile.objects.get_or_create(
            user=user,
            defaults={
                "is_published": published,
                "published_at": timezone.now() if published else None,
                "headline": item.get("headline", ""),
                "bio": item.get("bio", ""),
                "province": item.get("province", ""),
                "availability": item.get("availability", "open_to_offers"),
                "languages": item.get("languages", ""),
                "skills": item.get("skills", ""),
                "phone": item.get("phone", ""),
                **{f"show_{name}": name in shown for name in GRADUATE_VISIBLE_FIELDS},
            },
        )
        created["graduate profiles"] += was_created
        if was_created and published:
            GraduateConsent.objects.create(
                user=user,
                action="given",
                text=f"[{CONSENT_VERSION}] {consent_text(user.language)}",
                language=user.language,
            )
        profiles[item["user"]] = profile
    for key in spec.get("shortlist", []):
        _, was_created = ShortlistEntry.objects.get_or_create(
            company=company, profile=profiles[key]
        )
        created["shortlist entries"] += was_created
    for item in spec.get("contact_requests", []):
        graduate = users[item["to"]]
        if not ContactRequest.objects.filter(
            company=company, graduate=graduate
        ).exists():
            ContactRequest.objects.create(
                company=company,
                graduate=graduate,
                sent_by=users[item["by"]],
                message=item["message"],
            )
            created["contact requests"] += 1
