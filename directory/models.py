"""What verified companies do with the graduate directory: shortlists, contact
requests, blocks and the log of profile views. The profiles themselves are the
graduates' own data (people.GraduateProfile)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import Company, GraduateProfile


class ShortlistEntry(models.Model):
    """A graduate a company saved to look at again (one shortlist per company)."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="shortlist",
    )
    profile = models.ForeignKey(
        GraduateProfile,
        verbose_name=_("graduate profile"),
        on_delete=models.CASCADE,
        related_name="shortlisted_by",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("shortlist entry")
        verbose_name_plural = _("shortlist entries")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "profile"], name="shortlist_entry_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.company}: {self.profile}"


class ContactStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    # Accepted, then taken back when the graduate re-published the profile and
    # chose to start afresh: the company no longer sees how to reach them.
    WITHDRAWN = "withdrawn", _("Contact access withdrawn")


class ContactRequest(models.Model):
    """A company asks a graduate for contact; only an accepted request shows the
    company how to reach them."""

    public_id = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="contact_requests",
    )
    graduate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("graduate"),
        on_delete=models.CASCADE,
        related_name="contact_requests_received",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="contact_requests_sent",
    )
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ContactStatus.choices,
        default=ContactStatus.PENDING,
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "graduate"],
                condition=Q(status="pending"),
                name="contact_request_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(answered_at__isnull=False),
                name="contact_request_answered_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(message=""), name="contact_request_has_message"
            ),
        ]
        indexes = [models.Index(fields=["graduate", "status"])]

    def __str__(self) -> str:
        return f"{self.company} → {self.graduate}"


class CompanyBlock(models.Model):
    """A graduate blocked a company: it no longer sees them or writes to them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("graduate"),
        on_delete=models.CASCADE,
        related_name="company_blocks",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="blocked_by",
    )
    created_at = models.DateTimeField(_("blocked at"), default=timezone.now)

    class Meta:
        verbose_name = _("blocked company")
        verbose_name_plural = _("blocked companies")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company"], name="company_block_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ✕ {self.company}"


class ProfileView(models.Model):
    """How many times a company's members opened a profile, per day."""

    profile = models.ForeignKey(
        GraduateProfile,
        verbose_name=_("graduate profile"),
        on_delete=models.CASCADE,
        related_name="views",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="profile_views",
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("views"), default=1)
    last_at = models.DateTimeField(_("last viewed at"), default=timezone.now)

    class Meta:
        verbose_name = _("profile view")
        verbose_name_plural = _("profile views")
        ordering = ["-day", "company__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "company", "day"], name="profile_view_per_day"
            ),
            models.CheckConstraint(
                condition=Q(count__gte=1), name="profile_view_count"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} · {self.profile} · {self.day}"
