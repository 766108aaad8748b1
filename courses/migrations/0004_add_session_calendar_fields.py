import uuid

import django.utils.timezone
from django.db import migrations, models


def fill_uuids(apps, schema_editor):
    # Each existing session needs its own identifier before the column is unique.
    Session = apps.get_model("courses", "Session")
    for session in Session.objects.filter(uuid__isnull=True).only("pk"):
        Session.objects.filter(pk=session.pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0003_english_session_topics_and_venue_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
            name="uuid",
            field=models.UUIDField(null=True, verbose_name="calendar identifier"),
        ),
        migrations.RunPython(fill_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="session",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4, unique=True, verbose_name="calendar identifier"
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="sequence",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="calendar revision"
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True,
                default=django.utils.timezone.now,
                verbose_name="updated at",
            ),
            preserve_default=False,
        ),
    ]
