"""Moving registers, marks and assessments out of enrolment loses nothing.

The database is taken back to the schema before the move (enrolment 0007, every
other app at its latest), rows are written through the historical models there,
with a group holding the old permission and an audit entry pointing at a mark;
then the migrations run forward and everything is found through the new models.
Runs on SQLite and on PostgreSQL (DATABASE_URL=postgres://...).
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from wagtail.models import ModelLogEntry

from attendance.models import Assessment, AttendanceRecord, SessionRegister
from tests.factories import (
    CompetencyFactory,
    ConfirmedEnrolmentFactory,
    SessionFactory,
    StaffFactory,
    UserFactory,
    rome_at,
)

BEFORE = [("enrolment", "0007_relabel_enrolment_history")]
MOVED = ("attendancerecord", "sessionregister", "assessment")


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


def _migrate(targets) -> None:
    executor = _executor()
    executor.migrate(targets)


def _latest() -> list[tuple[str, str]]:
    return _executor().loader.graph.leaf_nodes()


def _write_before(*, enrolment, session, competency, staff) -> dict:
    """Rows as the schema before the move holds them, through its models."""
    apps = _executor().loader.project_state(BEFORE).apps
    record_model = apps.get_model("enrolment", "AttendanceRecord")
    register_model = apps.get_model("enrolment", "SessionRegister")
    assessment_model = apps.get_model("enrolment", "Assessment")
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    group_model = apps.get_model("auth", "Group")
    now = timezone.now()
    record = record_model.objects.create(
        enrolment_id=enrolment.pk,
        session_id=session.pk,
        status="late",
        minutes_present=90,
        source="check_in",
        check_in_device="device-1",
        recorded_by_id=staff.pk,
        recorded_at=now,
    )
    register = register_model.objects.create(
        session_id=session.pk, closed_at=now, closed_by_id=staff.pk
    )
    assessment = assessment_model.objects.create(
        enrolment_id=enrolment.pk,
        competency_id=competency.pk,
        achieved=True,
        score=87,
        assessed_by_id=staff.pk,
        assessed_at=now,
    )
    record_type, _ = content_type.objects.get_or_create(
        app_label="enrolment", model="attendancerecord"
    )
    change, _ = permission.objects.get_or_create(
        content_type=record_type,
        codename="change_attendancerecord",
        defaults={"name": "Can change attendance record"},
    )
    group = group_model.objects.create(name="Register keepers")
    group.permissions.add(change)
    return {
        "record": record.pk,
        "register": register.pk,
        "assessment": assessment.pk,
        "record_type": record_type.pk,
        "permission": change.pk,
        "group": group.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_marks_registers_and_assessments_survive_the_move():
    enrolment = ConfirmedEnrolmentFactory()
    session = SessionFactory(
        edition=enrolment.edition,
        start=rome_at(-1, hour=9),
        end=rome_at(-1, hour=9) + datetime.timedelta(hours=2),
    )
    competency = CompetencyFactory()
    staff = StaffFactory()
    latest = _latest()
    try:
        _migrate(BEFORE)
        ids = _write_before(
            enrolment=enrolment, session=session, competency=competency, staff=staff
        )
        ModelLogEntry.objects.create(
            content_type_id=ids["record_type"],
            object_id=str(ids["record"]),
            label="a mark",
            action="makers.attendance.mark",
            timestamp=timezone.now(),
            user=staff,
        )
    finally:
        _migrate(latest)
    ContentType.objects.clear_cache()

    record = AttendanceRecord.objects.get(pk=ids["record"])
    assert (record.enrolment, record.session) == (enrolment, session)
    assert (record.status, record.minutes_present) == ("late", 90)
    assert (record.source, record.check_in_device) == ("check_in", "device-1")
    register = SessionRegister.objects.get(pk=ids["register"])
    assert (register.session, register.closed_by) == (session, staff)
    assessment = Assessment.objects.get(pk=ids["assessment"])
    assert (assessment.achieved, assessment.score) == (True, 87)
    assert assessment.competency == competency

    # The content type moved (same row), so the audit entry and the group's
    # permission follow it; nothing is left under enrolment.
    record_type = ContentType.objects.get_for_model(AttendanceRecord)
    assert record_type.pk == ids["record_type"]
    assert record_type.app_label == "attendance"
    entry = ModelLogEntry.objects.get(object_id=str(ids["record"]))
    assert entry.content_type.model_class() is AttendanceRecord
    group = Group.objects.get(pk=ids["group"])
    assert list(group.permissions.values_list("pk", flat=True)) == [ids["permission"]]
    keeper = UserFactory()
    keeper.groups.set([group])
    assert keeper.has_perm("attendance.change_attendancerecord")
    assert not ContentType.objects.filter(app_label="enrolment", model__in=MOVED)

    # post_migrate (content types, permissions) adds no second copy.
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    for model in MOVED:
        assert ContentType.objects.filter(model=model).count() == 1
    assert (
        record_type.permission_set.filter(codename="change_attendancerecord").count()
        == 1
    )
    assert (
        connection.introspection.table_names().count("attendance_attendancerecord") == 1
    )
