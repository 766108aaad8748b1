"""Core's tables: the keys of work that must happen once, which periodic
slot of which job was enqueued, the files prepared on the reports queue, the
jobs a queue refused, and the addresses no email is sent to (bounces)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import core_private_storage


class DoneOnce(models.Model):
    """A piece of background work that must not happen twice (an email sent
    for one enrolment change), by its key; core.once.do_once claims the key in
    the transaction that does the work, so a retried or re-delivered task
    finds it taken. Also carries the permission to manage failed tasks."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    done_at = models.DateTimeField(_("done at"), auto_now_add=True)

    class Meta:
        verbose_name = _("work done once")
        verbose_name_plural = _("work done once")
        default_permissions = ()
        permissions = [("manage_failed_tasks", _("Can see and run again failed tasks"))]

    def __str__(self) -> str:
        return self.key


class ScheduledRun(models.Model):
    """One periodic job's slot, claimed by the scheduler that enqueued it.

    The unique (job, slot_start) pair is the claim: when two schedulers reach
    the same slot, one insert wins and the other's fails, so the job is queued
    once (core.scheduler).
    """

    job = models.CharField(_("job"), max_length=100)
    slot_start = models.DateTimeField(_("slot start"))
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    scheduler = models.CharField(_("scheduler"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(
                fields=["job", "slot_start"], name="scheduled_run_once_per_slot"
            )
        ]
        indexes = [models.Index(fields=["enqueued_at"])]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot_start.isoformat()}"


class PreparedFileStatus(models.TextChoices):
    QUEUED = "queued", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


# The private storage's folder of prepared files, one folder per file in it.
PREPARED_ROOT = "prepared"


def prepared_file_path(instance: "PreparedFile", filename: str) -> str:
    """A folder per file, named by its random id: never guessed, never shared."""
    return f"{PREPARED_ROOT}/{instance.public_id}/{filename}"


class PreparedFile(models.Model):
    """A download built in the background (core.prepared_files): an export the
    owner asked for, by its registered kind and parameters, queued on the
    reports queue, then kept in the private storage until it expires."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="prepared_files",
    )
    kind = models.CharField(_("kind"), max_length=100)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PreparedFileStatus.choices,
        default=PreparedFileStatus.QUEUED,
    )
    file = models.FileField(
        _("file"),
        storage=core_private_storage,
        upload_to=prepared_file_path,
        max_length=300,
        blank=True,
    )
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    # The language of the request: the file's labels are in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("prepared file")
        verbose_name_plural = _("prepared files")
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=PreparedFileStatus.READY) | ~Q(file=""),
                name="prepared_file_ready_has_file",
            )
        ]
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.kind} ({self.status})"


class DeferredTask(models.Model):
    """A job its queue refused (Redis down) after the change that made it had
    committed: kept here and queued again by core.deferred.deferred_tasks_flush
    once the queue answers, so an outage delays the work instead of losing it."""

    task_path = models.CharField(_("task"), max_length=255)
    kwargs = models.JSONField(_("arguments"), default=dict)
    created_at = models.DateTimeField(_("refused at"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("deferred task")
        verbose_name_plural = _("deferred tasks")

    def __str__(self) -> str:
        return self.task_path


class EmailBounce(models.Model):
    """An address the mail relay reported as bouncing: core.emails.email_send
    (every email of the school) skips it until staff clear the mark."""

    email = models.EmailField(_("email address"), unique=True)  # lower-cased
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        ordering = ["-marked_at"]
        verbose_name = _("bounced address")
        verbose_name_plural = _("bounced addresses")

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # Before the unique check: the admin's form finds the address marked
        # however it is typed.
        super().clean()
        self.email = self.email.strip().lower()
