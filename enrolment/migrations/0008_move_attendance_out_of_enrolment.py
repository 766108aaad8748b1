"""Registers, marks and assessments leave enrolment for their own app.

Only Django's record of the models goes: their tables and rows stay, and the
app that now owns them takes them over in its first migration (it depends on
this one; this one names no app above enrolment).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0007_relabel_enrolment_history"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="attendancerecord",
                    name="confirmed_by",
                ),
                migrations.RemoveField(
                    model_name="attendancerecord",
                    name="enrolment",
                ),
                migrations.RemoveField(
                    model_name="attendancerecord",
                    name="recorded_by",
                ),
                migrations.RemoveField(
                    model_name="attendancerecord",
                    name="session",
                ),
                migrations.RemoveField(
                    model_name="sessionregister",
                    name="closed_by",
                ),
                migrations.RemoveField(
                    model_name="sessionregister",
                    name="session",
                ),
                migrations.DeleteModel(
                    name="Assessment",
                ),
                migrations.DeleteModel(
                    name="AttendanceRecord",
                ),
                migrations.DeleteModel(
                    name="SessionRegister",
                ),
            ],
            database_operations=[],
        ),
    ]
