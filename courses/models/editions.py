"""Editions (one run of a course, with its seats and enrolment window) and
their sessions (the dated lessons, each a calendar event)."""

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from core.i18n import localized_property
from people.models import Role

from ..exceptions import EditionError
from ..rules import edition_capacity_check
from .catalogue import Venue
from .pages import CoursePage

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
        if self.capacity is not None:
            # The rule is the services' own (courses.rules); here for the form.
            try:
                edition_capacity_check(
                    capacity=self.capacity, seats_taken=self.seats_taken
                )
            except EditionError as error:
                raise ValidationError({"capacity": str(error)}) from error

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
