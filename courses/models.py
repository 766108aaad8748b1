import uuid
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.blocks import BaseStreamBlock
from core.cache import PageCacheMixin
from core.i18n import localized_property
from people.models import Role

from .cache import CATALOGUE_TAG, course_tag

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
        from .catalogue import catalogue_context

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
        from .catalogue import course_editions

        context = super().get_context(request, *args, **kwargs)
        context["editions"] = course_editions(request=request, course=self)
        context["competencies"] = list(self.competencies.all())
        return context


# Only people in the Instructors group can be chosen to teach.
INSTRUCTORS = {"groups__name": Role.INSTRUCTOR.value}


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for enrolment")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class CourseEdition(index.Indexed, ClusterableModel):
    """One run of a course, with its seats, enrolment window and sessions.

    seats_taken is kept by the enrolment services under a row lock on the edition
    (confirmed + awaiting approval + open offers), so listing seats left costs no
    extra query.
    """

    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="editions",
    )
    code = models.CharField(_("edition code"), max_length=30, unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EditionStatus.choices,
        default=EditionStatus.DRAFT,
        db_index=True,
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    seats_taken = models.PositiveIntegerField(
        _("seats taken"), default=0, editable=False
    )
    enrolment_opens_at = models.DateTimeField(_("enrolment opens"))
    enrolment_closes_at = models.DateTimeField(_("enrolment closes"))
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("venue"),
        on_delete=models.PROTECT,
        related_name="editions",
    )
    instructors = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        limit_choices_to=INSTRUCTORS,
        related_name="editions_taught",
        verbose_name=_("instructors"),
    )
    requires_approval = models.BooleanField(
        _("enrolments need approval"), default=False
    )
    auto_confirm_from_waitlist = models.BooleanField(
        _("confirm from the waitlist at once"),
        default=False,
        help_text=_("Instead of sending an offer to accept, confirm the next person."),
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("offer validity (hours)"), default=48, validators=[MinValueValidator(1)]
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance for the certificate (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
    )
    notes = models.TextField(_("notes for trainees"), blank=True)
    # What calendar feeds show of the edition (its notes, its instructors and
    # their names) changed: courses.selectors.sessions_fingerprint reads it.
    # Seat and status changes save their own fields and leave it alone.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    search_fields = [
        index.SearchField("code"),
        index.AutocompleteField("code"),
        index.FilterField("status"),
    ]
    panels = [
        FieldRowPanel([FieldPanel("course"), FieldPanel("code")]),
        # The status changes only through the edition services (cancel, complete,
        # reopen: the buttons of the edit view), never by editing the field.
        FieldRowPanel([FieldPanel("status", read_only=True), FieldPanel("capacity")]),
        FieldRowPanel(
            [FieldPanel("enrolment_opens_at"), FieldPanel("enrolment_closes_at")]
        ),
        FieldPanel("venue"),
        FieldPanel("instructors", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldPanel("requires_approval"),
                FieldPanel("auto_confirm_from_waitlist"),
                FieldPanel("offer_hours"),
                FieldPanel("min_attendance_percent"),
            ],
            heading=_("Rules"),
        ),
        FieldPanel("notes"),
        InlinePanel("sessions", label=_("Sessions"), heading=_("Sessions")),
    ]

    class Meta:
        verbose_name = _("course edition")
        verbose_name_plural = _("course editions")
        ordering = ["enrolment_opens_at", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gt=0), name="courseedition_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(enrolment_opens_at__lt=models.F("enrolment_closes_at")),
                name="courseedition_window_opens_before_close",
            ),
            models.CheckConstraint(
                condition=Q(min_attendance_percent__lte=100),
                name="courseedition_min_attendance_le_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.course.title}"

    def clean(self) -> None:
        super().clean()
        if (
            self.enrolment_opens_at
            and self.enrolment_closes_at
            and self.enrolment_opens_at >= self.enrolment_closes_at
        ):
            raise ValidationError(
                {"enrolment_closes_at": _("Enrolment must close after it opens.")}
            )
        if self.capacity is not None and self.capacity < self.seats_taken:
            raise ValidationError(
                {
                    "capacity": _(
                        "The capacity cannot go below the %(taken)s seats already "
                        "taken."
                    )
                    % {"taken": self.seats_taken}
                }
            )

    @property
    def localized_course(self) -> CoursePage:
        """The course page to show the reader: its translation in the active
        language when courses.selectors.editions_localize loaded it (set on the
        instance), the edition's own course page otherwise."""
        return self.__dict__.get("localized_course") or self.course

    @localized_course.setter
    def localized_course(self, page: CoursePage) -> None:
        self.__dict__["localized_course"] = page

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def enrolment_is_open(self) -> bool:
        now = timezone.now()
        return (
            self.status == EditionStatus.OPEN
            and self.enrolment_opens_at <= now < self.enrolment_closes_at
        )


class Session(Orderable):
    """One dated lesson of an edition. Times are aware and shown in Europe/Rome."""

    edition = ParentalKey(
        CourseEdition, on_delete=models.CASCADE, related_name="sessions"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    topic = models.CharField(_("topic (Italian)"), max_length=200)
    topic_en = models.CharField(_("topic (English)"), max_length=200, blank=True)
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructor"),
        null=True,
        blank=True,
        limit_choices_to=INSTRUCTORS,
        on_delete=models.SET_NULL,
        related_name="sessions_taught",
    )
    mandatory = models.BooleanField(_("mandatory"), default=False)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    # Calendar identity: the event's UID is <uuid>@<site domain>, and its SEQUENCE
    # grows with every change of what the event shows (the session's fields, its
    # edition cancelled or reopened: courses.services), so subscribed
    # calendars replace the event instead of keeping the old one.
    uuid = models.UUIDField(_("calendar identifier"), default=uuid.uuid4, unique=True)
    sequence = models.PositiveIntegerField(
        _("calendar revision"), default=0, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # A change of any of these (all shown by the calendar event) is a new
    # revision of the event; its SEQUENCE never goes back (RFC 5545 3.8.7.4).
    SEQUENCE_FIELDS = (
        "start",
        "end",
        "cancelled",
        "room",
        "topic",
        "topic_en",
        "instructor_id",
        "mandatory",
    )

    panels = [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldRowPanel([FieldPanel("topic"), FieldPanel("topic_en")]),
        FieldPanel("room"),
        FieldPanel("instructor"),
        FieldRowPanel([FieldPanel("mandatory"), FieldPanel("cancelled")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="session_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["edition", "start"])]

    def __str__(self) -> str:
        return f"{self.topic} ({timezone.localtime(self.start):%d/%m/%Y %H:%M})"

    localized_topic = localized_property("topic")

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("A session must end after it starts.")})

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def save(self, *args, **kwargs):
        # Staff edit sessions inline in the edition editor, which saves every
        # session of the edition: compare with the stored row, so only a real
        # change of what the event shows raises the calendar revision.
        if self.pk is not None and not self._state.adding:
            stored = (
                Session.objects.filter(pk=self.pk).values(*self.SEQUENCE_FIELDS).first()
            )
            if stored is not None and any(
                stored[name] != getattr(self, name) for name in self.SEQUENCE_FIELDS
            ):
                self.sequence += 1
                update_fields = kwargs.get("update_fields")
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "sequence"}
        super().save(*args, **kwargs)
