"""Every read of enrolments, in a fixed number of queries:

- prechecks: what an enrolment is checked against (window, prerequisites,
  schedule clash, verified address);
- enrolments: a trainee's, an edition's and a company's enrolments, history,
  move targets, invitations;
- calendar: the sessions and fingerprint of a person's own calendar feed.
"""

from .admin import enrolments_search
from .calendar import (
    person_calendar_fingerprint,
    person_calendar_sessions,
    person_enrolments_changed_at,
)
from .enrolments import (
    EditionRoster,
    companies_managed,
    company_employees,
    company_open_invitations,
    company_sponsored_enrolments,
    edition_roster,
    editions_move_targets,
    editions_open_for_enrolment,
    editions_progress,
    enrolment_by_offer_token,
    enrolment_history,
    enrolments_with_progress,
    invitations_pending,
    status_change_from_entry,
    trainee_enrolments,
    trainee_enrolments_by_edition,
)
from .prechecks import (
    EDITION_COLUMNS,
    EnrolmentPrechecks,
    edition_for_enrolment,
    edition_from_row,
    enrolment_prechecks,
    trainee_email_is_verified,
    trainee_missing_prerequisites,
    trainee_schedule_clash,
)

__all__ = [
    "EDITION_COLUMNS",
    "EditionRoster",
    "EnrolmentPrechecks",
    "companies_managed",
    "company_employees",
    "company_open_invitations",
    "company_sponsored_enrolments",
    "edition_for_enrolment",
    "edition_from_row",
    "edition_roster",
    "editions_move_targets",
    "editions_open_for_enrolment",
    "editions_progress",
    "enrolment_by_offer_token",
    "enrolment_history",
    "enrolment_prechecks",
    "enrolments_search",
    "enrolments_with_progress",
    "invitations_pending",
    "person_calendar_fingerprint",
    "person_calendar_sessions",
    "person_enrolments_changed_at",
    "status_change_from_entry",
    "trainee_email_is_verified",
    "trainee_enrolments",
    "trainee_enrolments_by_edition",
    "trainee_missing_prerequisites",
    "trainee_schedule_clash",
]
