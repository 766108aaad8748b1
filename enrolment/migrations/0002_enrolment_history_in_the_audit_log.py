"""Enrolment history moves to Wagtail's audit log (one log for the whole school).

Each EnrolmentEvent becomes a ModelLogEntry with action makers.enrolment.<status>
and the old status, reason and details in its data; then the table goes.
"""

from django.db import migrations


def events_to_log_entries(apps, schema_editor):
    EnrolmentEvent = apps.get_model("enrolment", "EnrolmentEvent")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="enrolment", model="enrolment"
    )
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                object_id=str(event.enrolment_id),
                label=f"Enrolment {event.enrolment_id}",
                action=f"makers.enrolment.{event.new_status}",
                user_id=event.actor_id,
                timestamp=event.at,
                data={
                    "old_status": event.old_status,
                    "new_status": event.new_status,
                    "reason": event.reason,
                    **(event.data or {}),
                },
            )
            for event in EnrolmentEvent.objects.order_by("at", "pk").iterator()
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0001_initial_enrolments"),
        ("wagtailcore", "0068_log_entry_empty_object"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(events_to_log_entries, migrations.RunPython.noop),
        migrations.DeleteModel(name="EnrolmentEvent"),
    ]
