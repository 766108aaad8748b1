"""The one table core keeps: which periodic slot of which job was enqueued."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
