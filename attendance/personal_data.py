"""What attendance holds about a person, in their data export
(people.personal_data). Marks and assessments stay, with the anonymised account,
as school statistics, so attendance adds no erasure step."""

from people.models import User
from people.personal_data import export_rows, export_section_register

from .models import Assessment, AttendanceRecord


def attendance_section(*, user: User) -> list[dict]:
    return export_rows(
        AttendanceRecord.objects.filter(enrolment__trainee=user),
        [
            "session__edition__code",
            "session__start",
            "status",
            "minutes_present",
            "entered_at",
            "exited_at",
        ],
    )


def assessments_section(*, user: User) -> list[dict]:
    return export_rows(
        Assessment.objects.filter(enrolment__trainee=user),
        ["enrolment__edition__code", "competency__code", "achieved", "assessed_at"],
    )


def personal_data_register() -> None:
    """From AttendanceConfig.ready()."""
    export_section_register(key="attendance", position=100, build=attendance_section)
    export_section_register(key="assessments", position=110, build=assessments_section)
