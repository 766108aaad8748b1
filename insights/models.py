"""Reports keep no data of their own: one unmanaged model carries the
permission to read them (insights.view_reports, granted to the Staff role)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportAccess(models.Model):
    """No table: the holder of the reports' permission."""

    class Meta:
        managed = False
        verbose_name = _("report access")
        default_permissions = ()
        permissions = [("view_reports", _("Can read the staff reports"))]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
