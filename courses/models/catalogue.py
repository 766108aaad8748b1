"""The catalogue's vocabulary: competencies (with their EQF level and ESCO
skill), areas, teaching languages, and the venues where sessions happen."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index

from core.i18n import localized_property

EQF_LEVELS = [(level, _("EQF %(level)d") % {"level": level}) for level in range(1, 9)]
eqf_validators = [MinValueValidator(1), MaxValueValidator(8)]
esco_skill_validator = RegexValidator(
    r"^https?://data\.europa\.eu/esco/skill/[0-9a-fA-F-]{36}$",
    _("Enter an ESCO skill URI, e.g. http://data.europa.eu/esco/skill/<uuid>."),
)


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
        _("ESCO skill URI"), blank=True, validators=[esco_skill_validator]
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
        FieldPanel("esco_uri"),
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
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.localized_title}"

    localized_title = localized_property("title")

    localized_description = localized_property("description")


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
