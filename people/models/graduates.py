"""Graduate profiles (issue 10): what a trainee chooses to show verified
companies, their private files, and the consent log."""

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.storage import private_storage


def profile_public_id() -> str:
    """The random identifier in a profile's URL: never a sequential id."""
    return secrets.token_urlsafe(12)


# Graduates' files are in the school's one private storage (core.storage):
# outside MEDIA_ROOT, with no URL; only permission-checked views read them.
graduate_storage = private_storage


def _private_storage():
    """The private storage; this name stays, as the migrations refer to it."""
    return private_storage


def graduate_folder(instance: "GraduateProfile") -> str:
    """The folder of every file of a profile, named by its public id."""
    return f"graduates/{instance.public_id}"


def graduate_file_path(instance: "GraduateProfile", filename: str) -> str:
    """Files under a random name: the owner's id never appears in a path. The
    extension is the one people.uploads gives the parsed file (cv.pdf,
    photo.jpg), never the upload's."""
    suffix = {"cv.pdf": "pdf", "photo.jpg": "jpg"}.get(filename, "bin")
    return f"{graduate_folder(instance)}/{secrets.token_hex(8)}.{suffix}"


class Availability(models.TextChoices):
    OPEN_TO_WORK = "open_to_work", _("Open to work")
    OPEN_TO_OFFERS = "open_to_offers", _("Open to offers")
    NOT_LOOKING = "not_looking", _("Not looking")


# Field by field, what companies may see (the profile's show_<field> flags).
GRADUATE_VISIBLE_FIELDS = (
    "photo",
    "headline",
    "bio",
    "province",
    "availability",
    "languages",
    "skills",
    "courses",
    "competencies",
    "cv",
    "phone",
)


class GraduateProfile(models.Model):
    """What a trainee chooses to publish to verified companies.

    Off until the owner turns it on with explicit consent (art. 96 Codice privacy,
    GDPR art. 7); each field is shown only when its show_ flag is set. Files are
    private: served only through permission-checked views.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="graduate_profile",
    )
    public_id = models.CharField(
        _("public identifier"),
        max_length=32,
        unique=True,
        default=profile_public_id,
        editable=False,
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    headline = models.CharField(_("headline"), max_length=120, blank=True)
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    province = models.CharField(
        _("province"),
        max_length=2,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Two capital letters, e.g. TO."))],
    )
    availability = models.CharField(
        _("availability"),
        max_length=20,
        choices=Availability.choices,
        default=Availability.OPEN_TO_OFFERS,
    )
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    skills = models.TextField(
        _("self-declared skills"),
        max_length=1000,
        blank=True,
        help_text=_("Comma-separated; shown as declared by you, not verified."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    photo = models.ImageField(
        _("photo"), storage=_private_storage, upload_to=graduate_file_path, blank=True
    )
    cv = models.FileField(
        _("CV (PDF)"),
        storage=_private_storage,
        upload_to=graduate_file_path,
        blank=True,
    )
    show_photo = models.BooleanField(_("show photo"), default=False)
    show_headline = models.BooleanField(_("show headline"), default=True)
    show_bio = models.BooleanField(_("show short bio"), default=False)
    show_province = models.BooleanField(_("show province"), default=True)
    show_availability = models.BooleanField(_("show availability"), default=True)
    show_languages = models.BooleanField(_("show languages"), default=False)
    show_skills = models.BooleanField(_("show self-declared skills"), default=True)
    show_courses = models.BooleanField(_("show completed courses"), default=True)
    show_competencies = models.BooleanField(
        _("show verified competencies"), default=True
    )
    show_cv = models.BooleanField(_("show CV"), default=False)
    show_phone = models.BooleanField(
        _("share phone after an accepted contact request"), default=False
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("graduate profile")
        verbose_name_plural = _("graduate profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_published=False)
                | models.Q(published_at__isnull=False),
                name="graduate_profile_published_has_date",
            ),
        ]
        indexes = [models.Index(fields=["is_published", "availability"])]

    def __str__(self) -> str:
        return str(self.user)

    def shows(self, field: str) -> bool:
        return bool(getattr(self, f"show_{field}"))


class ConsentAction(models.TextChoices):
    GIVEN = "given", _("Consent given")
    WITHDRAWN = "withdrawn", _("Consent withdrawn")


class GraduateConsent(models.Model):
    """The consent log: every time a graduate turned their profile on or off,
    with the exact text they agreed to, in the language they read it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="graduate_consents",
    )
    action = models.CharField(_("action"), max_length=10, choices=ConsentAction.choices)
    text = models.TextField(_("consent text"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("graduate consent")
        verbose_name_plural = _("graduate consents")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(action="given") | ~models.Q(text=""),
                name="graduate_consent_given_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.at:%Y-%m-%d}"
