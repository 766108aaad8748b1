"""Companies, their members and the invitations to join them."""

import re
import secrets
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.it import iva


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
