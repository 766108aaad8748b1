"""Registers, marks and assessments, taken over from enrolment without a copy.

enrolment's migration 0008 dropped the models from its own state; here they
join this app's state over the same tables (db_table), so no row moves. Their
content types move with them (app_label enrolment -> attendance), so group
permissions and the audit log's entries keep pointing at them. On a fresh
database the content types do not exist yet: post_migrate creates them under
attendance afterwards.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ("attendancerecord", "sessionregister", "assessment")


def _move_content_types(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        # A content type already made under the target (a partial migration
        # run whose post_migrate created it) holds nothing of value: the
        # permissions groups hold and the log entries point at the old one.
        ContentType.objects.filter(app_label=target, model=model).delete()
        old.app_label = target
        old.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def content_types_forwards(apps, schema_editor):
    _move_content_types(apps, "enrolment", "attendance")


def content_types_backwards(apps, schema_editor):
    _move_content_types(apps, "attendance", "enrolment")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('courses', '0006_session_sequence_counts_edition_cancellation'),
        ('enrolment', '0008_move_attendance_out_of_enrolment'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SessionRegister',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed at')),
                        ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='closed by')),
                        ('session', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='register', to='courses.session', verbose_name='session')),
                    ],
                    options={
                        'db_table': 'enrolment_sessionregister',
                        'verbose_name': 'session register',
                        'verbose_name_plural': 'session registers',
                    },
                ),
                migrations.CreateModel(
                    name='Assessment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('achieved', models.BooleanField(default=False, verbose_name='achieved')),
                        ('score', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='score (0-100)')),
                        ('note', models.TextField(blank=True, max_length=2000, verbose_name='note')),
                        ('assessed_at', models.DateTimeField(verbose_name='assessed at')),
                        ('assessed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assessed by')),
                        ('competency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='courses.competency', verbose_name='competency')),
                        ('enrolment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='enrolment.enrolment', verbose_name='enrolment')),
                    ],
                    options={
                        'db_table': 'enrolment_assessment',
                        'verbose_name': 'assessment',
                        'verbose_name_plural': 'assessments',
                        'ordering': ['enrolment', 'competency__code'],
                        'constraints': [models.UniqueConstraint(fields=('enrolment', 'competency'), name='assessment_one_per_enrolment_competency'), models.CheckConstraint(condition=models.Q(('score__isnull', True), ('score__lte', 100), _connector='OR'), name='assessment_score_0_100')],
                    },
                ),
                migrations.CreateModel(
                    name='AttendanceRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('present', 'Present'), ('late', 'Late'), ('left_early', 'Left early'), ('absent', 'Absent'), ('excused', 'Excused')], max_length=20, verbose_name='status')),
                        ('minutes_present', models.PositiveIntegerField(default=0, verbose_name='minutes present')),
                        ('source', models.CharField(choices=[('register', 'Register'), ('check_in', 'Self check-in'), ('staff', 'Staff correction')], default='register', max_length=20, verbose_name='recorded through')),
                        ('check_in_nonce', models.CharField(blank=True, max_length=32, verbose_name='check-in code')),
                        ('check_in_device', models.CharField(blank=True, max_length=64, verbose_name='check-in device')),
                        ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed at')),
                        ('recorded_at', models.DateTimeField(verbose_name='recorded at')),
                        ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='confirmed by')),
                        ('enrolment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance_records', to='enrolment.enrolment', verbose_name='enrolment')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance_records', to='courses.session', verbose_name='session')),
                    ],
                    options={
                        'db_table': 'enrolment_attendancerecord',
                        'verbose_name': 'attendance record',
                        'verbose_name_plural': 'attendance records',
                        'ordering': ['session__start', 'pk'],
                        'indexes': [models.Index(fields=['session', 'status'], name='enrolment_a_session_b59450_idx')],
                        'constraints': [models.UniqueConstraint(fields=('enrolment', 'session'), name='attendance_one_per_enrolment_session'), models.CheckConstraint(condition=models.Q(('minutes_present__gte', 0), ('minutes_present__lte', 1440)), name='attendance_minutes_within_a_day'), models.CheckConstraint(condition=models.Q(models.Q(('minutes_present', 0), ('status__in', ('absent', 'excused'))), models.Q(('minutes_present__gt', 0), ('status__in', ('present', 'late', 'left_early'))), _connector='OR'), name='attendance_minutes_match_status'), models.UniqueConstraint(condition=models.Q(('check_in_device', ''), _negated=True), fields=('session', 'check_in_device'), name='attendance_one_trainee_per_device_session')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_forwards, content_types_backwards),
    ]
