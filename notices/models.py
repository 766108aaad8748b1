"""Reminders and notices: who opted out of what, which notice went to whom
(once per key), and the attendance risks shown on pages.

notices.services writes these rows. The addresses that bounce are core's
(core.EmailBounce: no email of any kind goes to them); staff mark or clear one
in the admin (notices.wagtail_hooks).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    SESSION_REMINDER = "session_reminder", _("A reminder the day before a session")
    OFFER_EXPIRY = "offer_expiry", _("An offered seat about to expire")
    CERTIFICATE_EXPIRY = "certificate_expiry", _("A certificate about to expire")
    ATTENDANCE_RISK = "attendance_risk", _("Attendance at risk")
    REGISTER_OPEN = "register_open", _("A register left open")


# Each person may switch these off on /me/notices/.
OPTIONAL_KINDS = (
    NoticeKind.SESSION_REMINDER,
    NoticeKind.OFFER_EXPIRY,
    NoticeKind.CERTIFICATE_EXPIRY,
)
# Service notices: about a certificate or a register at stake, always sent
# (unless the address bounces).
SERVICE_KINDS = (NoticeKind.ATTENDANCE_RISK, NoticeKind.REGISTER_OPEN)


class NoticeOptOut(models.Model):
    """One optional kind of notice a person chose not to receive."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notice_opt_outs",
    )
    kind = models.CharField(_("notice"), max_length=30, choices=NoticeKind.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice opt-out")
        verbose_name_plural = _("notice opt-outs")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notice_opt_out_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"


class SentNotice(models.Model):
    """A notice sent: its key (unique) makes a second run, a retry or a second
    scheduler send nothing."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("notice"), max_length=30, choices=NoticeKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What it was about, as the person's data export shows it ("session
    # 2026-06-11 of EDITION-CODE", "certificate SERIAL", ...).
    about = models.CharField(_("about"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice sent")
        verbose_name_plural = _("notices sent")

    def __str__(self) -> str:
        return self.key


class RiskCause(models.TextChoices):
    MINIMUM = "minimum", _("The minimum attendance can no longer be reached")
    MANDATORY = "mandatory", _("A mandatory session was missed")


class AttendanceRisk(models.Model):
    """One cause of an enrolment's attendance at risk, found once: the notice on
    the trainee's and the company manager's pages, and the key of its emails."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    enrolment = models.ForeignKey(
        "enrolment.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="attendance_risks",
    )
    cause = models.CharField(_("cause"), max_length=20, choices=RiskCause.choices)
    session = models.ForeignKey(
        "courses.Session",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendance at risk")
        verbose_name_plural = _("attendance at risk")
        ordering = ["found_at", "pk"]

    def __str__(self) -> str:
        return self.key
