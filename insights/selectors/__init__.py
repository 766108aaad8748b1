"""Every read of the staff reports: aggregate queries grouped in the
database, a fixed number of them whatever the data (tests/insights)."""

from .attendance import at_risk_now, attendance_report
from .base import Figures, ReportFilters
from .certificates import certificates_issued, certificates_report
from .directory import directory_report
from .funding import funded_hours, funding_report
from .home import HomeFigure, home_figures
from .places import fill_report
from .satisfaction import satisfaction_report

__all__ = [
    "Figures",
    "HomeFigure",
    "ReportFilters",
    "at_risk_now",
    "attendance_report",
    "certificates_issued",
    "certificates_report",
    "directory_report",
    "fill_report",
    "funded_hours",
    "funding_report",
    "home_figures",
    "satisfaction_report",
]
