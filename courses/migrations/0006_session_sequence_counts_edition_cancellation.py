"""Session.sequence now counts its edition's cancellation itself (the feeds
used to add one on the fly, and dropped it when the edition was reopened): the
sessions of editions cancelled today keep the SEQUENCE their events show."""

from django.db import migrations
from django.db.models import F


def count_cancellation(apps, schema_editor):
    Session = apps.get_model("courses", "Session")
    Session.objects.filter(edition__status="cancelled", cancelled=False).update(
        sequence=F("sequence") + 1
    )


def uncount_cancellation(apps, schema_editor):
    Session = apps.get_model("courses", "Session")
    Session.objects.filter(
        edition__status="cancelled", cancelled=False, sequence__gt=0
    ).update(sequence=F("sequence") - 1)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_edition_and_venue_updated_at"),
    ]

    operations = [
        migrations.RunPython(count_cancellation, uncount_cancellation),
    ]
