"""The catalogue's Wagtail pages: the course index (filters, search,
pagination) and each course's page."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BaseStreamBlock
from core.cache import PageCacheMixin

from ..cache import CATALOGUE_TAG, course_tag
from .catalogue import EQF_LEVELS, Area, Competency, TeachingLanguage, eqf_validators


class CourseIndexPage(PageCacheMixin, Page):
    """The course catalogue: filters, full-text search and pagination of courses."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]
    # Under the site's home page, whose type the app defining it registers
    # (course_catalogue_parent_register, from its ready()): none until then.
    parent_page_types: list = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")

    def page_cache_soft_tags(self):
        # The cards' seat figures may be late by MAKERS_PAGE_CACHE_SOFT_SECONDS:
        # during a burst of enrolments the catalogue is re-rendered once per that
        # interval, not on every seat taken. Content edits still show at once.
        return (CATALOGUE_TAG,)

    def get_context(self, request, *args, **kwargs):
        # Page models are Wagtail's presentation layer: the catalogue module reads
        # these models, so it is imported when a page is served, not at load time.
        from ..catalogue import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(request=request, index_page=self))
        return context


def course_catalogue_parent_register(*, page_type: type[Page]) -> None:
    """The catalogue (CourseIndexPage) may stand under pages of `page_type`:
    the higher app that defines the site's home page registers it from its
    AppConfig.ready(), before Wagtail first reads the rule (it keeps it once
    read), since courses names no app above it."""
    CourseIndexPage.parent_page_types = [
        *CourseIndexPage.parent_page_types,
        page_type,
    ]


class CoursePage(PageCacheMixin, Page):
    """A course of the school: what it teaches, for whom, and what it certifies.

    Its editions (the dated runs people enrol in) are snippets that point at the
    course; translations of the page share them through the translation key.
    """

    code = models.CharField(_("course code"), max_length=20)
    summary = models.TextField(_("summary"), max_length=500)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)
    hours = models.PositiveSmallIntegerField(
        _("hours"), validators=[MinValueValidator(1)]
    )
    eqf_level = models.PositiveSmallIntegerField(
        _("EQF level"), choices=EQF_LEVELS, validators=eqf_validators
    )
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    teaching_language = models.CharField(
        _("teaching language"),
        max_length=2,
        choices=TeachingLanguage.choices,
        default=TeachingLanguage.ITALIAN,
    )
    prerequisites = RichTextField(_("prerequisites"), blank=True)
    prerequisite_courses = ParentalManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="+",
        verbose_name=_("required courses"),
        help_text=_("Courses a trainee must have completed before enrolling."),
    )
    price = models.DecimalField(
        _("price (EUR)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    voucher_eligible = models.BooleanField(
        _("eligible for the Regione Piemonte voucher"), default=False
    )
    funding_notes = RichTextField(_("funding notes"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    competencies = ParentalManyToManyField(
        Competency, blank=True, related_name="courses", verbose_name=_("competencies")
    )

    search_fields = Page.search_fields + [
        index.SearchField("code"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("prerequisites"),
        index.FilterField("area"),
        index.FilterField("eqf_level"),
        index.FilterField("teaching_language"),
        index.FilterField("locale_id"),
    ]
    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("code"), FieldPanel("area")]),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("hours"),
                        FieldPanel("eqf_level"),
                        FieldPanel("teaching_language"),
                    ]
                ),
                FieldPanel("competencies"),
                FieldPanel("prerequisites"),
                FieldPanel("prerequisite_courses"),
            ],
            heading=_("Learning"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("price"),
                FieldPanel("voucher_eligible"),
                FieldPanel("funding_notes"),
            ],
            heading=_("Price and funding"),
        ),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(eqf_level__gte=1, eqf_level__lte=8),
                name="coursepage_eqf_level_1_8",
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0), name="coursepage_price_not_negative"
            ),
        ]

    def clean(self) -> None:
        # Translations share the code; two different courses may not.
        super().clean()
        clash = (
            CoursePage.objects.filter(code=self.code, locale_id=self.locale_id)
            .exclude(pk=self.pk)
            .exists()
        )
        if self.code and clash:
            raise ValidationError({"code": _("Another course already uses this code.")})

    def page_cache_tags(self):
        return (course_tag(self.translation_key),)

    def get_context(self, request, *args, **kwargs):
        from ..catalogue import course_editions

        context = super().get_context(request, *args, **kwargs)
        context["editions"] = course_editions(request=request, course=self)
        context["competencies"] = list(self.competencies.all())
        return context
