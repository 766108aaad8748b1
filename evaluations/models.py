"""Course evaluation: questionnaires staff build, the request each trainee of a
completed edition receives, and the anonymous responses.

Anonymity is structural: a Response names its questionnaire and its edition,
never a person, an enrolment or a request; its primary key is a random UUID and
it keeps only the date it was submitted, so neither order nor time joins it to
the request it answered (EvaluationRequest.answered_on is a date too).
"""

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from core.i18n import localized, localized_property
from courses.models import CourseEdition, CoursePage
from enrolment.models import Enrolment

RATING_MIN = 1
RATING_MAX = 5


class Questionnaire(ClusterableModel):
    """A questionnaire: the school's default, or the one of a course."""

    title = models.CharField(_("title (Italian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    is_default = models.BooleanField(
        _("school default"),
        default=False,
        help_text=_("Sent for every course that has no questionnaire of its own."),
    )
    course = models.OneToOneField(
        CoursePage,
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaire",
        help_text=_("Leave empty for the school's default questionnaire."),
    )

    localized_title = localized_property("title")

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("title_en")]),
        FieldRowPanel([FieldPanel("is_default"), FieldPanel("course")]),
        InlinePanel("questions", label=_("Questions"), heading=_("Questions")),
    ]

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-is_default", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="questionnaire_one_default",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.is_default and self.course_id:
            raise ValidationError(
                {"course": _("The school's default questionnaire has no course.")}
            )


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating 1-5")
    CHOICE = "choice", _("Single choice")
    TEXT = "text", _("Free text")


class Question(Orderable):
    questionnaire = ParentalKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default="rating"
    )
    text = models.CharField(_("question (Italian)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    choices = models.TextField(
        _("choices (Italian)"), blank=True, help_text=_("One per line.")
    )
    choices_en = models.TextField(
        _("choices (English)"), blank=True, help_text=_("One per line, same order.")
    )
    required = models.BooleanField(_("required"), default=True)

    localized_text = localized_property("text")

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("required")]),
        FieldRowPanel([FieldPanel("text"), FieldPanel("text_en")]),
        FieldRowPanel([FieldPanel("choices"), FieldPanel("choices_en")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values),
                name="question_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.kind != QuestionKind.CHOICE:
            return
        if len(self.choice_list()) < 2:
            raise ValidationError({"choices": _("Give at least two choices.")})
        english = [line for line in self.choices_en.splitlines() if line.strip()]
        if english and len(english) != len(self.choice_list()):
            raise ValidationError(
                {"choices_en": _("As many English choices as Italian ones.")}
            )

    def choice_list(self) -> list[str]:
        """The Italian choices: what a response stores (the same whatever the
        language the trainee answered in)."""
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def localized_choices(self) -> list[tuple[str, str]]:
        """(stored value, label in the active language) per choice."""
        values = self.choice_list()
        labels = [line.strip() for line in localized(self, "choices").splitlines()]
        labels = [label for label in labels if label]
        if len(labels) != len(values):
            labels = values
        return list(zip(values, labels, strict=True))


class EvaluationRequirement(models.Model):
    """An edition whose certificates wait for each trainee's questionnaire."""

    edition = models.OneToOneField(
        CourseEdition,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="evaluation_requirement",
    )

    panels = [FieldPanel("edition")]

    class Meta:
        verbose_name = _("questionnaire required before certificates")
        verbose_name_plural = _("questionnaires required before certificates")
        ordering = ["edition"]

    def __str__(self) -> str:
        return str(self.edition)


def _token() -> str:
    return secrets.token_urlsafe(24)


class EvaluationRequest(models.Model):
    """One trainee's invitation to evaluate one completed edition: who has
    answered (answered_on, a date), never what."""

    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="evaluation_request",
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    token = models.CharField(max_length=64, unique=True, default=_token)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation request")
        verbose_name_plural = _("evaluation requests")

    def __str__(self) -> str:
        return str(self.enrolment)


class Response(models.Model):
    """One anonymous set of answers: {question id (str): value}."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    edition = models.ForeignKey(
        CourseEdition,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="evaluation_responses",
    )
    submitted_on = models.DateField(_("submitted on"))
    answers = models.JSONField(_("answers"), default=dict)

    class Meta:
        verbose_name = _("evaluation response")
        verbose_name_plural = _("evaluation responses")

    def __str__(self) -> str:
        return str(_("Response to %(edition)s")) % {"edition": self.edition}
