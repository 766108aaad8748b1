"""How an edition and each place in it are paid for.

FundingLine: one source of money of an edition (a fund's plan, a regional voucher
scheme, a public call, the company, nobody). PlaceFunding: who pays what for one
enrolment, with the individual voucher if there is one. CompanyVoucher and
VoucherSpending: the Chamber's voucher granted to a firm and what it paid for.
VoucherRules: the individual voucher rules staff can change (a Wagtail setting).
The rules that cross rows live in funding.services.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

# The CUP (Codice Unico di Progetto, law 3/2003 art. 11) as CIPE's system issues
# it: 15 characters, a letter, two digits, the letter of the kind of project,
# then eleven digits (the year of the decision and a progressive number), e.g.
# J11B19000380007.
CUP_PATTERN = r"^[A-Z][0-9]{2}[A-Z][0-9]{11}$"
validate_cup = RegexValidator(
    CUP_PATTERN,
    _("A CUP is 15 characters: a letter, 2 digits, a letter, 11 digits."),
)
ZERO = Decimal("0.00")


class FundingKind(models.TextChoices):
    FONDO = "fondo", _("Fondo interprofessionale")
    REGIONAL_VOUCHER = "regional_voucher", _("Regional voucher")
    PUBLIC_CALL = "public_call", _("ESF / public call")
    COMPANY = "company", _("Paid by the company")
    FREE = "free", _("Free of charge")


# Public money: the CUP is required.
PUBLIC_KINDS = (FundingKind.REGIONAL_VOUCHER, FundingKind.PUBLIC_CALL)


def _money(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
        **kwargs,
    )


class FundingLine(models.Model):
    """One source of money of an edition, as its funder knows it: the kind, the
    funder, the call (avviso/bando) and plan codes, the CUP where public money
    is involved, and the hours and amount it funds."""

    edition = models.ForeignKey(
        "courses.CourseEdition",
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="funding_lines",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FundingKind.choices)
    funder = models.CharField(
        _("funder"), max_length=200, blank=True, help_text=_("e.g. Fondimpresa")
    )
    call_code = models.CharField(
        _("call or notice (avviso/bando)"), max_length=100, blank=True
    )
    plan_code = models.CharField(_("plan or project code"), max_length=100, blank=True)
    cup = models.CharField(
        _("CUP"),
        max_length=15,
        blank=True,
        validators=[validate_cup],
        help_text=_("Required for regional vouchers and public calls."),
    )
    funded_hours = models.PositiveIntegerField(_("funded hours"), default=0)
    amount = _money(_("amount (EUR)"), default=ZERO)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        ordering = ["edition", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=FundingKind.values), name="fundingline_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="fundingline_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(cup="") | Q(cup__regex=CUP_PATTERN),
                name="fundingline_cup_format",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=PUBLIC_KINDS) | ~Q(cup=""),
                name="fundingline_cup_for_public_money",
            ),
        ]

    def __str__(self) -> str:
        label = self.funder or self.get_kind_display()
        code = self.plan_code or self.call_code
        return " · ".join(str(p) for p in (self.edition.code, label, code) if p)

    def clean(self) -> None:
        super().clean()
        self.cup = (self.cup or "").strip().upper()
        if self.kind in PUBLIC_KINDS and not self.cup:
            raise ValidationError(
                {"cup": _("Public money: this kind of funding needs its CUP.")}
            )


class PlaceFunding(models.Model):
    """Who pays what for one place (enrolment): its funding line (of the same
    edition), the company's, the trainee's and the fund's shares, and for an
    individual voucher its number, amount, date granted and whether the person
    declared an ISEE of at most EUR 10,000 (the voucher may then cover the whole
    course cost). Saved only through funding.services.place_funding_save."""

    enrolment = models.OneToOneField(
        "enrolment.Enrolment",
        verbose_name=_("place"),
        on_delete=models.CASCADE,
        related_name="funding",
    )
    line = models.ForeignKey(
        FundingLine,
        verbose_name=_("funding line"),
        on_delete=models.PROTECT,
        related_name="places",
    )
    company_share = _money(_("company's share (EUR)"), default=ZERO)
    trainee_share = _money(_("trainee's share (EUR)"), default=ZERO)
    fund_share = _money(
        _("fund's share (EUR)"),
        default=ZERO,
        help_text=_("What the fund or public call pays for this place."),
    )
    voucher_number = models.CharField(_("voucher number"), max_length=50, blank=True)
    voucher_amount = models.DecimalField(
        _("voucher amount (EUR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    voucher_granted_on = models.DateField(
        _("voucher granted on"), null=True, blank=True
    )
    isee_low = models.BooleanField(
        _("ISEE of EUR 10,000 or less declared"),
        default=False,
        help_text=_("The voucher may then cover the whole course cost."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("place funding")
        verbose_name_plural = _("place funding")
        ordering = ["line", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    company_share__gte=0, trainee_share__gte=0, fund_share__gte=0
                ),
                name="placefunding_shares_not_negative",
            ),
            # A voucher is all three of number, amount and date, or none.
            models.CheckConstraint(
                condition=(
                    Q(voucher_number="", voucher_amount__isnull=True)
                    & Q(voucher_granted_on__isnull=True)
                )
                | (
                    ~Q(voucher_number="")
                    & Q(voucher_amount__gt=0, voucher_granted_on__isnull=False)
                ),
                name="placefunding_voucher_complete",
            ),
            models.UniqueConstraint(
                fields=["voucher_number"],
                condition=~Q(voucher_number=""),
                name="placefunding_voucher_number_unique",
            ),
        ]
        indexes = [models.Index(fields=["voucher_granted_on"])]

    def __str__(self) -> str:
        return f"{self.enrolment.trainee} · {self.line}"

    @property
    def has_voucher(self) -> bool:
        return self.voucher_amount is not None


class CompanyVoucher(models.Model):
    """The Chamber's voucher to a small or medium firm (EUR 20,000 to 200,000)
    for qualified services at the centre: granted once, spent on places and
    services; what is left is what was granted less what was spent."""

    company = models.ForeignKey(
        "people.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="funding_vouchers",
    )
    reference = models.CharField(_("reference"), max_length=50, unique=True)
    amount_granted = models.DecimalField(
        _("amount granted (EUR)"),
        max_digits=10,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("20000")),
            MaxValueValidator(Decimal("200000")),
        ],
    )
    granted_on = models.DateField(_("granted on"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("company voucher")
        verbose_name_plural = _("company vouchers")
        ordering = ["-granted_on", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_granted__gte=20000, amount_granted__lte=200000),
                name="companyvoucher_amount_in_scheme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.company}"


class VoucherSpending(models.Model):
    """One thing a company voucher paid for: a place (an employee's enrolment)
    or a service, and its amount. Saved only through
    funding.services.voucher_spending_save, under a lock on the voucher."""

    voucher = models.ForeignKey(
        CompanyVoucher,
        verbose_name=_("company voucher"),
        on_delete=models.PROTECT,
        related_name="spendings",
    )
    place = models.ForeignKey(
        "enrolment.Enrolment",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voucher_spendings",
    )
    description = models.CharField(_("service or place"), max_length=200)
    amount = models.DecimalField(
        _("amount (EUR)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    spent_on = models.DateField(_("date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("voucher spending")
        verbose_name_plural = _("voucher spendings")
        ordering = ["voucher", "spent_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="voucherspending_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voucher.reference} · {self.description} · {self.amount}"


@register_setting(icon="tag")
class VoucherRules(BaseGenericSetting):
    """The regional individual voucher's rules, as staff can change them when a
    new call changes them: at most `allowance` per person over any `years` years
    (from the grant dates), covering at most `share_percent` of the course cost,
    or `low_isee_share_percent` for a person declaring an ISEE of at most
    `low_isee_threshold`."""

    allowance = models.DecimalField(
        _("allowance per person (EUR)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("3000.00"),
        validators=[MinValueValidator(ZERO)],
    )
    years = models.PositiveSmallIntegerField(
        _("over how many years"), default=3, validators=[MinValueValidator(1)]
    )
    share_percent = models.PositiveSmallIntegerField(
        _("share of the course cost covered (%)"),
        default=70,
        validators=[MaxValueValidator(100)],
    )
    low_isee_share_percent = models.PositiveSmallIntegerField(
        _("share covered with a low ISEE (%)"),
        default=100,
        validators=[MaxValueValidator(100)],
    )
    low_isee_threshold = models.DecimalField(
        _("low ISEE threshold (EUR)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("10000.00"),
    )

    panels = [
        FieldPanel("allowance"),
        FieldPanel("years"),
        FieldPanel("share_percent"),
        FieldPanel("low_isee_share_percent"),
        FieldPanel("low_isee_threshold"),
    ]

    class Meta:
        verbose_name = _("voucher rules")
        verbose_name_plural = _("voucher rules")
