"""What a certificate's Open Badge keeps once it is first built.

Its place in the school's Bitstring Status List (a list number and a bit index,
assigned once and never reused, so the credential a trainee saved years ago
still points at its own bit) and the salted hash of the holder's email as it
was then (the credential is the same on every download, whatever the person
changes later). Imported by certificates.models, so Django finds it.
"""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Bits per status list: 131,072 (16 KiB), the minimum the Bitstring Status List
# specification asks for, so that one revoked bit hides among many.
STATUS_LIST_BITS = 16 * 1024 * 8


class OpenBadgeRecord(models.Model):
    certificate = models.OneToOneField(
        "certificates.Certificate",
        verbose_name=_("certificate"),
        on_delete=models.CASCADE,
        related_name="openbadge_record",
    )
    status_list = models.PositiveSmallIntegerField(_("status list"), default=1)
    status_index = models.PositiveIntegerField(
        _("status list index"),
        validators=[MaxValueValidator(STATUS_LIST_BITS - 1)],
    )
    identity_salt = models.CharField(_("salt"), max_length=32, blank=True)
    identity_hash = models.CharField(_("hashed email"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("Open Badge record")
        verbose_name_plural = _("Open Badge records")
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"],
                name="openbadgerecord_one_bit_per_certificate",
            ),
            models.CheckConstraint(
                condition=Q(status_index__lt=STATUS_LIST_BITS) & Q(status_list__gte=1),
                name="openbadgerecord_index_in_list",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} · {self.status_list}/{self.status_index}"
