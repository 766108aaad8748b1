import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EnrolmentStatus(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")
    OFFERED = "offered", _("Seat offered")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Offer expired")
    MOVED = "moved", _("Moved to another edition")


# A trainee holds at most one enrolment in these states per edition.
ACTIVE_STATUSES = (
    EnrolmentStatus.PENDING_APPROVAL,
    EnrolmentStatus.CONFIRMED,
    EnrolmentStatus.WAITLISTED,
    EnrolmentStatus.OFFERED,
)
# These hold a seat: CourseEdition.seats_taken counts them.
SEAT_STATUSES = (
    EnrolmentStatus.PENDING_APPROVAL,
    EnrolmentStatus.CONFIRMED,
    EnrolmentStatus.OFFERED,
)


class Enrolment(models.Model):
    """A trainee's place in an edition: a seat, a request, a waitlist slot or an offer.

    Only the services in enrolment.services change it, under a lock on the edition
    row; the database refuses two active enrolments of one trainee in one edition,
    two waitlist entries at the same position, and a position outside the waitlist.
    """

    # Left out of Wagtail's reference index (the admin's "usage" of an edition or
    # a user), which would queue a task on every save (an enrolment's inside the
    # edition's lock); the school's own screens list these rows.
    wagtail_reference_index_ignore = True

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    edition = models.ForeignKey(
        "courses.CourseEdition",
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EnrolmentStatus.choices, db_index=True
    )
    waitlist_position = models.PositiveIntegerField(
        _("waitlist position"), null=True, blank=True
    )
    offer_expires_at = models.DateTimeField(
        _("offer expires at"), null=True, blank=True
    )
    offer_token = models.CharField(
        _("offer token"), max_length=64, unique=True, null=True, blank=True
    )
    sponsor_company = models.ForeignKey(
        "people.Company",
        verbose_name=_("sponsoring company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsored_enrolments",
    )
    sponsored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsored_enrolments",
    )
    moved_to = models.OneToOneField(
        "self",
        verbose_name=_("moved to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moved_from",
    )
    reason = models.TextField(_("reason"), blank=True)
    # The audit entry (and email) a committed change still owes: written by the
    # worker (enrolment.tasks.enrolment_changes_record), which then clears it.
    # The change and what it owes commit together, in one row (an outbox).
    pending_record = models.JSONField(
        _("change to record"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "edition"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="enrolment_one_active_per_trainee",
            ),
            models.UniqueConstraint(
                fields=["edition", "waitlist_position"],
                condition=Q(status=EnrolmentStatus.WAITLISTED),
                name="enrolment_waitlist_position_unique",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=EnrolmentStatus.WAITLISTED, waitlist_position__gte=1)
                    | (
                        ~Q(status=EnrolmentStatus.WAITLISTED)
                        & Q(waitlist_position__isnull=True)
                    )
                ),
                name="enrolment_position_iff_waitlisted",
            ),
            models.CheckConstraint(
                condition=~Q(status=EnrolmentStatus.OFFERED)
                | Q(offer_expires_at__isnull=False, offer_token__isnull=False),
                name="enrolment_offer_has_expiry_and_token",
            ),
        ]
        indexes = [
            models.Index(fields=["edition", "status"]),
            models.Index(fields=["status", "offer_expires_at"]),
            # The staff listing, newest first: its first page without a sort
            # of every enrolment.
            models.Index(fields=["-created_at", "-id"], name="enrolment_newest_first"),
        ]

    def __str__(self) -> str:
        # Also the label of its audit entries (the admin's History and Site
        # history): a person, an edition code and a status, never a row id.
        # The services pass the edition they hold locked, so no query is added.
        return f"{self.trainee} · {self.edition.code} · {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_STATUSES


@dataclass(frozen=True)
class StatusChange:
    """One entry of an enrolment's history, read back from the audit log."""

    at: datetime.datetime
    actor: object | None
    old_status: str
    new_status: str
    reason: str
    data: dict

    def get_old_status_display(self) -> str:
        return EnrolmentStatus(self.old_status).label if self.old_status else ""

    def get_new_status_display(self) -> str:
        return EnrolmentStatus(self.new_status).label


def status_action(status: str) -> str:
    """The audit-log action of a change to `status`: makers.enrolment.<status>."""
    return f"{STATUS_ACTION_PREFIX}{status}"


STATUS_ACTION_PREFIX = "makers.enrolment."


class Invitation(models.Model):
    """A company's invitation to a person without an account to enrol in an edition.

    When someone confirms this email address (sign-up) or logs in with it, the
    enrolment is created as if the company had enrolled an existing employee.
    """

    email = models.EmailField(_("email address"))
    company = models.ForeignKey(
        "people.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="enrolment_invitations",
    )
    edition = models.ForeignKey(
        "courses.CourseEdition",
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("enrolment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation",
    )
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            # Per company: one company's invitation neither blocks nor reveals
            # another's of the same person.
            models.UniqueConstraint(
                fields=["company", "email", "edition"],
                condition=Q(accepted_at__isnull=True),
                name="invitation_one_open_per_company_email_edition",
            ),
            models.CheckConstraint(
                condition=Q(email=models.functions.Lower("email")),
                name="invitation_email_lowercase",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.edition.code}"

    def clean(self) -> None:
        super().clean()
        self.email = (self.email or "").strip().lower()
