"""The tables taken over from enrolment get this app's names (a rename: the
rows stay)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0001_initial_from_enrolment"),
    ]

    operations = [
        migrations.AlterModelTable(name="attendancerecord", table=None),
        migrations.AlterModelTable(name="sessionregister", table=None),
        migrations.AlterModelTable(name="assessment", table=None),
    ]
