import re
import secrets
import unicodedata

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _
from stdnum.it import codicefiscale, iva


def validate_codice_fiscale(value: str) -> None:
    if not codicefiscale.is_valid(value):
        raise ValidationError(_("This is not a valid Italian codice fiscale."))


def validate_partita_iva(value: str) -> None:
    if not iva.is_valid(value):
        raise ValidationError(_("This is not a valid Italian partita IVA."))


def validate_ateco(value: str) -> None:
    if not re.fullmatch(r"\d{2}(\.\d{1,2}(\.\d{1,2})?)?", value or ""):
        raise ValidationError(_("This is not an ATECO code (for example 25.62.00)."))


def validate_no_markup(value: str) -> None:
    """A company's name reaches emails and pages: no < or > in it."""
    if "<" in (value or "") or ">" in (value or ""):
        raise ValidationError(_("A name cannot contain < or >."))


# Legal forms that end an Italian company's name, written without dots or spaces.
LEGAL_FORM_SUFFIXES = (
    "societaresponsabilitalimitatasemplificata",
    "societaresponsabilitalimitata",
    "societaperazioni",
    "societacooperativa",
    "scarl",
    "scrl",
    "scpa",
    "sapa",
    "srls",
    "srl",
    "spa",
    "sas",
    "snc",
    "coop",
)


def company_name_key(name: str) -> str:
    """The name as two people who mean the same company would agree on: no
    accents, case, spaces, punctuation or legal form ("Officine Rossi S.r.l."
    and "officine rossi srl" are one name)."""
    text = unicodedata.normalize("NFKD", name or "").casefold()
    key = "".join(char for char in text if char.isalnum() and char.isascii())
    for suffix in LEGAL_FORM_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key.removesuffix(suffix)
    return key


class Role(models.TextChoices):
    """The groups that give each kind of user their permissions."""

    TRAINEE = "Trainees", _("Trainee")
    INSTRUCTOR = "Instructors", _("Instructor")
    COMPANY_MEMBER = "Company members", _("Company member")
    STAFF = "Staff", _("School staff")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person with an account: trainee, instructor, company member or staff.

    Email is the login. The language is the one the school writes to them in.
    """

    username = None
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    codice_fiscale = models.CharField(
        _("codice fiscale"),
        max_length=16,
        blank=True,
        validators=[validate_codice_fiscale],
        help_text=_("Optional, for Italian trainees: printed on nothing public."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()
        self.codice_fiscale = self.codice_fiscale.upper().replace(" ", "")


class Company(models.Model):
    """A company that sponsors trainees and, once verified, browses graduates."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_no_markup])
    partita_iva = models.CharField(
        _("partita IVA"),
        max_length=11,
        unique=True,
        validators=[validate_partita_iva],
    )
    ateco = models.CharField(
        _("ATECO sector"),
        max_length=8,
        blank=True,
        validators=[validate_ateco],
        help_text=_("The ATECO 2007 code of the main activity, e.g. 25.62.00."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=2, blank=True)
    website = models.URLField(_("website"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def verification_label(self) -> str:
        if self.is_verified:
            return _("Verified")
        return _("Awaiting verification")


class CompanyMember(models.Model):
    """A person who belongs to a company; managers enrol the company's employees."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="company_memberships",
    )
    is_manager = models.BooleanField(
        _("manager"),
        default=False,
        help_text=_("Managers enrol employees and follow their progress."),
    )
    # A manager grants it (people.services.company_member_directory_access);
    # managers always hold it. Someone who joined to be enrolled does not.
    can_use_directory = models.BooleanField(
        _("may search the graduate directory"),
        default=False,
        help_text=_(
            "Granted by a manager of the company; managers always have it. Only "
            "once the school has verified the company."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("company member")
        verbose_name_plural = _("company members")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "user"], name="company_member_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(is_manager=False) | models.Q(can_use_directory=True),
                name="company_member_manager_uses_directory",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company}"


def calendar_feed_token() -> str:
    """A long random secret: 32 random bytes, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret that opens a person's personal calendar feed.

    The feed URL carries the token, never the user id; resetting it gives a new
    token, so the old URL stops working at once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=calendar_feed_token
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)


# --- Graduate profiles (issue 10) ---------------------------------------------


def profile_public_id() -> str:
    """The random identifier in a profile's URL: never a sequential id."""
    return secrets.token_urlsafe(12)


class _PrivateStorage(LazyObject):
    """Graduates' files outside MEDIA_ROOT (MAKERS_PRIVATE_ROOT), with no URL:
    only permission-checked views read them."""

    def _setup(self):

        root = getattr(settings, "MAKERS_PRIVATE_ROOT", None) or (
            settings.VAR_DIR / "private"
        )
        self._wrapped = FileSystemStorage(location=root, base_url="/private-none/")


graduate_storage = _PrivateStorage()


@receiver(setting_changed)
def _private_storage_reset(*, setting, **kwargs):
    """A changed MAKERS_PRIVATE_ROOT (tests' settings) takes effect at once."""
    if setting in ("MAKERS_PRIVATE_ROOT", "VAR_DIR"):
        graduate_storage._wrapped = empty


def _private_storage():
    return graduate_storage


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


def company_invite_token() -> str:
    return secrets.token_urlsafe(24)


class CompanyInvite(models.Model):
    """A company admin's invitation to a colleague to join the company."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="member_invites",
    )
    email = models.EmailField(_("email address"))
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=company_invite_token
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("company invitation")
        verbose_name_plural = _("company invitations")
        constraints = [
            models.UniqueConstraint(
                "company",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True),
                name="company_invite_open_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.company}"
