"""Core's one table: the keys of work that must happen once."""

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
