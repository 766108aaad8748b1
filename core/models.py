"""Core's tables: the keys of work that must happen once, and which periodic
slot of which job was enqueued."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
