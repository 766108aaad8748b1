"""The audit entries of enrolments written before Enrolment.__str__ named the
edition carry "<trainee> · <row id> · <status>" as their label (the admin's
History and Site history show it): rewrite each as the model labels it now,
"<trainee> · <edition code> · <status>", the status in the site's language."""

from django.conf import settings
from django.db import migrations
from django.utils import translation

BATCH = 500


def relabel(apps, schema_editor):
    from enrolment.models import EnrolmentStatus

    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    Enrolment = apps.get_model("enrolment", "Enrolment")
    content_type = ContentType.objects.filter(
        app_label="enrolment", model="enrolment"
    ).first()
    if content_type is None:
        return
    entries = ModelLogEntry.objects.filter(content_type=content_type)
    ids = {int(pk) for pk in entries.values_list("object_id", flat=True).distinct()}
    labels = {}
    with translation.override(settings.LANGUAGE_CODE):
        for enrolment in Enrolment.objects.filter(pk__in=ids).select_related(
            "trainee", "edition"
        ):
            trainee = enrolment.trainee
            name = f"{trainee.first_name} {trainee.last_name}".strip()
            status = EnrolmentStatus(enrolment.status).label
            labels[str(enrolment.pk)] = (
                f"{name or trainee.email} · {enrolment.edition.code} · {status}"
            )
    changed = []
    for entry in entries.only("pk", "object_id", "label").iterator():
        label = labels.get(entry.object_id)
        if label and entry.label != label:
            entry.label = label
            changed.append(entry)
    ModelLogEntry.objects.bulk_update(changed, ["label"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0006_scope_open_invitations_by_company"),
        ("wagtailcore", "0068_log_entry_empty_object"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(relabel, migrations.RunPython.noop)]
