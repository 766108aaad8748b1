"""The cells of an edition's register grid in the admin (attendance.viewsets.
EditionRegisterView), built in Python: 40 trainees x 30 sessions are 1,200
cells, and the template's {% url %}, {% translate %} and filters per cell were
most of the page's time (issue 22: register screen <= 150 ms). The markup is
the template's own, escaped by format_html."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import AttendanceStatus, attendance_code

# Stand-ins reversed once, then replaced per cell: reverse() for each of
# 1,200 cells was a third of the grid's cost.
_SESSION, _ENROLMENT = 987654321, 987654322
_SHOWS_MINUTES = {AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY}


def _abbrs() -> dict[str, SafeString]:
    """<abbr> of each status, translated once per page (get_status_display()
    per cell hashed the lazy choices 1,200 times)."""
    return {
        value: format_html('<abbr title="{}">{}</abbr>', label, attendance_code(value))
        for value, label in AttendanceStatus.choices
    }


def _mark(record, awaiting: str, abbrs: dict[str, SafeString]) -> SafeString:
    if record is None:
        return mark_safe("·")  # noqa: S308  # nosec B308 B703 - a constant
    mark = abbrs.get(record.status) or format_html(
        '<abbr title="">{}</abbr>', attendance_code(record.status)
    )
    if record.status in _SHOWS_MINUTES:
        mark += format_html(" {}'", record.minutes_present)
    if record.awaits_confirmation:
        mark += format_html(' <span title="{}">?</span>', awaiting)
    return mark


def register_grid(*, summary, edition, can_act: bool, correct_url_name: str):
    """[(trainee, [<td> of each session])] in the summary's order."""
    pattern = reverse(correct_url_name, args=[edition.pk, _SESSION, _ENROLMENT])
    correct, awaiting = _("Correct"), _("Self check-in awaiting the instructor")
    abbrs = _abbrs()
    grid = []
    for trainee in summary.trainees:
        cells = []
        enrolment = str(trainee.enrolment.pk)
        for session in summary.sessions:
            if session.cancelled:
                cells.append(mark_safe("<td>—</td>"))  # noqa: S308  # nosec B308 B703
                continue
            mark = _mark(trainee.marks.get(session.pk), awaiting, abbrs)
            if can_act:
                url = pattern.replace(str(_SESSION), str(session.pk)).replace(
                    str(_ENROLMENT), enrolment
                )
                mark = format_html('<a href="{}" title="{}">{}</a>', url, correct, mark)
            cells.append(format_html("<td>{}</td>", mark))
        grid.append((trainee, cells))
    return grid
