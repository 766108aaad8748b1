"""Graduate profiles: the owner's fields and files, and turning the profile on
(with consent) or off (issue 10)."""

from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.audit import audit_log

from ..consent import CONSENT_VERSION, consent_text
from ..exceptions import PeopleError
from ..models import (
    GRADUATE_VISIBLE_FIELDS,
    ConsentAction,
    GraduateConsent,
    GraduateProfile,
    User,
    graduate_folder,
    graduate_storage,
)
from ..uploads import cv_clean, photo_clean

GRADUATE_EDITABLE_FIELDS = (
    "headline",
    "bio",
    "province",
    "availability",
    "languages",
    "skills",
    "phone",
    *(f"show_{name}" for name in GRADUATE_VISIBLE_FIELDS),
)


def graduate_profile_ensure(*, user: User) -> GraduateProfile:
    """The person's profile, created off (unpublished) on first use."""
    profile, _created = GraduateProfile.objects.get_or_create(user=user)
    return profile


def _graduate_files_delete(names: list[str]) -> None:
    for name in names:
        graduate_storage.delete(name)


@transaction.atomic
def graduate_profile_update(
    *,
    profile: GraduateProfile,
    data: dict,
    cv: UploadedFile | None = None,
    photo: UploadedFile | None = None,
    remove_cv: bool = False,
    remove_photo: bool = False,
) -> GraduateProfile:
    """Change the owner's fields and what companies may see of them. A CV or a
    photo is parsed and stored as what was parsed (people.uploads); a refused
    file changes nothing at all. A replaced or removed file leaves the disk once
    the change is committed."""
    new_cv = cv_clean(upload=cv) if cv is not None else None
    new_photo = photo_clean(upload=photo) if photo is not None else None
    for name, value in data.items():
        if name in GRADUATE_EDITABLE_FIELDS:
            setattr(profile, name, value)
    profile.province = (profile.province or "").upper()
    profile.full_clean(exclude=["cv", "photo"])
    replaced, written = [], []
    for field, new, remove in (
        ("cv", new_cv, remove_cv),
        ("photo", new_photo, remove_photo),
    ):
        current = getattr(profile, field)
        if current and (new is not None or remove):
            replaced.append(current.name)
            setattr(profile, field, "")
        if new is not None:
            getattr(profile, field).save(new.name, new, save=False)
            written.append(getattr(profile, field).name)
    try:
        profile.save()
        audit_log(
            instance=profile, action="makers.graduate_profile.update", user=profile.user
        )
    except Exception:
        _graduate_files_delete(written)  # the row never pointed at them
        raise
    if replaced:
        transaction.on_commit(lambda: _graduate_files_delete(replaced))
    return profile


def graduate_files_erase(*, profile: GraduateProfile) -> None:
    """Remove every file ever stored for the profile (its whole folder, earlier
    versions included) once the caller's transaction commits."""
    folder = graduate_folder(profile)

    def erase() -> None:
        if not graduate_storage.exists(folder):
            return
        _dirs, files = graduate_storage.listdir(folder)
        _graduate_files_delete([f"{folder}/{name}" for name in files])
        path = Path(graduate_storage.path(folder))
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()

    transaction.on_commit(erase)


@transaction.atomic
def graduate_profile_publish(
    *, profile: GraduateProfile, agreed: bool, language: str
) -> GraduateProfile:
    """Turn the profile on: only with the explicit consent, whose exact text and
    time go to the consent log."""
    if not agreed:
        raise PeopleError(PeopleError.CONSENT_REQUIRED)
    now = timezone.now()
    text = consent_text(language)
    consent = GraduateConsent(
        user=profile.user,
        action=ConsentAction.GIVEN,
        text=f"[{CONSENT_VERSION}] {text}",
        language=language[:2],
        at=now,
    )
    consent.full_clean()
    consent.save()
    profile.is_published = True
    profile.published_at = now
    profile.full_clean()
    profile.save(update_fields=["is_published", "published_at", "updated_at"])
    audit_log(
        instance=profile,
        action="makers.graduate_profile.publish",
        user=profile.user,
        data={"consent": consent.pk, "version": CONSENT_VERSION},
    )
    return profile


@transaction.atomic
def graduate_profile_unpublish(*, profile: GraduateProfile) -> GraduateProfile:
    """Turn the profile off: no company sees it from this moment; the withdrawal
    goes to the consent log."""
    if not profile.is_published:
        return profile
    GraduateConsent.objects.create(
        user=profile.user, action=ConsentAction.WITHDRAWN, at=timezone.now()
    )
    profile.is_published = False
    profile.published_at = None
    profile.full_clean()
    profile.save(update_fields=["is_published", "published_at", "updated_at"])
    audit_log(
        instance=profile, action="makers.graduate_profile.unpublish", user=profile.user
    )
    return profile
