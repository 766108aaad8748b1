"""The catalogue's vocabulary: competencies (with their EQF level and their
references in ESCO, the Atlante del Lavoro, ATECO and CP ISTAT), areas, teaching
languages, and the venues where sessions happen."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from core.i18n import localized_property

from ..references import (
    ADA_RE,
    ATECO_RE,
    CP_ISTAT_RE,
    ESCO_RE,
    ada_code_validator,
    ateco_code_validator,
    cp_istat_code_validator,
    esco_uri_validator,
)

EQF_LEVELS = [(level, _("EQF %(level)d") % {"level": level}) for level in range(1, 9)]
eqf_validators = [MinValueValidator(1), MaxValueValidator(8)]
# Kept under its old name, where other modules import it from.
esco_skill_validator = esco_uri_validator


class AtecoVersion(models.TextChoices):
    ATECO_2007 = "2007", "ATECO 2007"
    ATECO_2025 = "2025", "ATECO 2025"


def _blank_or(field: str, pattern: str) -> Q:
    return Q(**{field: ""}) | Q(**{f"{field}__regex": pattern})


class Area(models.TextChoices):
    ADDITIVE = "additive", _("Additive manufacturing")
    ROBOTICS = "robotics", _("Robotics and cobots")
    CNC = "cnc", _("CNC machining")
    IOT = "iot", _("Industrial IoT")
    METROLOGY = "metrology", _("Metrology and quality")
    CYBERSECURITY = "cybersecurity", _("OT cybersecurity")
    DIGITAL_TWIN = "digital-twin", _("Digital twins")


class TeachingLanguage(models.TextChoices):
    ITALIAN = "it", _("Italian")
    ENGLISH = "en", _("English")


class Competency(index.Indexed, models.Model):
    """A skill a course certifies, with its EQF level and, where one fits, ESCO URI."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    title = models.CharField(_("title (Italian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description (Italian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    eqf_level = models.PositiveSmallIntegerField(
        _("EQF level"), choices=EQF_LEVELS, validators=eqf_validators
    )
    esco_uri = models.URLField(
        _("ESCO URI (skill or occupation)"),
        blank=True,
        validators=[esco_uri_validator],
    )
    # The Italian references an attestato di competenze prints (D.Lgs. 13/2013
    # art. 6, DM 30/6/2015); formats in courses.references.
    ada_code = models.CharField(
        _("Atlante del Lavoro activity area (ADA)"),
        max_length=20,
        blank=True,
        validators=[ada_code_validator],
    )
    qualification = models.CharField(
        _("qualification (repertory)"),
        max_length=255,
        blank=True,
        help_text=_("The qualification of the regional repertory it belongs to."),
    )
    ateco_code = models.CharField(
        _("ATECO code"), max_length=8, blank=True, validators=[ateco_code_validator]
    )
    ateco_version = models.CharField(
        _("ATECO version"),
        max_length=4,
        choices=AtecoVersion.choices,
        default=AtecoVersion.ATECO_2007,
    )
    cp_istat_code = models.CharField(
        _("CP ISTAT 2011 code"),
        max_length=9,
        blank=True,
        validators=[cp_istat_code_validator],
    )
    assessment_method = models.CharField(
        _("how it is assessed (Italian)"), max_length=255, blank=True
    )
    assessment_method_en = models.CharField(
        _("how it is assessed (English)"), max_length=255, blank=True
    )

    search_fields = [
        index.SearchField("title"),
        index.SearchField("title_en"),
        index.AutocompleteField("code"),
    ]
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("eqf_level")]),
        FieldPanel("title"),
        FieldPanel("title_en"),
        FieldPanel("description"),
        FieldPanel("description_en"),
        MultiFieldPanel(
            [
                FieldPanel("esco_uri"),
                FieldRowPanel([FieldPanel("ada_code"), FieldPanel("qualification")]),
                FieldRowPanel(
                    [
                        FieldPanel("ateco_code"),
                        FieldPanel("ateco_version"),
                        FieldPanel("cp_istat_code"),
                    ]
                ),
                FieldPanel("assessment_method"),
                FieldPanel("assessment_method_en"),
            ],
            heading=_("References (ESCO, Atlante del Lavoro, ATECO, CP ISTAT)"),
        ),
    ]

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(eqf_level__gte=1, eqf_level__lte=8),
                name="competency_eqf_level_1_8",
            ),
            models.CheckConstraint(
                condition=_blank_or("esco_uri", ESCO_RE),
                name="competency_esco_uri_format",
            ),
            models.CheckConstraint(
                condition=_blank_or("ada_code", ADA_RE),
                name="competency_ada_code_format",
            ),
            models.CheckConstraint(
                condition=_blank_or("ateco_code", ATECO_RE),
                name="competency_ateco_code_format",
            ),
            models.CheckConstraint(
                condition=_blank_or("cp_istat_code", CP_ISTAT_RE),
                name="competency_cp_istat_code_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.localized_title}"

    localized_title = localized_property("title")

    localized_description = localized_property("description")

    localized_assessment_method = localized_property("assessment_method")


class Venue(models.Model):
    """A place where sessions happen: the MTC building or a partner's lab."""

    name = models.CharField(_("name (Italian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=100, default="Torino")
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    # Calendar feeds show the venue's name and address: a change makes their
    # copies stale (courses.selectors.sessions_fingerprint).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldRowPanel(
            [FieldPanel("address"), FieldPanel("postcode"), FieldPanel("city")]
        ),
        FieldPanel("accessibility_notes"),
    ]

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    localized_name = localized_property("name")

    @property
    def full_address(self) -> str:
        return f"{self.address}, {self.postcode} {self.city}"
