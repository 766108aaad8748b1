"""People's models, one module per topic; every name is importable from
people.models (migrations name the validators and upload paths here)."""

from .accounts import (
    CalendarFeed,
    Role,
    User,
    UserManager,
    calendar_feed_token,
    validate_codice_fiscale,
)
from .companies import (
    LEGAL_FORM_SUFFIXES,
    Company,
    CompanyInvite,
    CompanyMember,
    company_invite_token,
    company_name_key,
    validate_ateco,
    validate_no_markup,
    validate_partita_iva,
)
from .graduates import (
    GRADUATE_VISIBLE_FIELDS,
    Availability,
    ConsentAction,
    GraduateConsent,
    GraduateProfile,
    _private_storage,
    graduate_file_path,
    graduate_folder,
    graduate_storage,
    profile_public_id,
)

__all__ = [
    "GRADUATE_VISIBLE_FIELDS",
    "LEGAL_FORM_SUFFIXES",
    "Availability",
    "CalendarFeed",
    "Company",
    "CompanyInvite",
    "CompanyMember",
    "ConsentAction",
    "GraduateConsent",
    "GraduateProfile",
    "Role",
    "User",
    "UserManager",
    "_private_storage",
    "calendar_feed_token",
    "company_invite_token",
    "company_name_key",
    "graduate_file_path",
    "graduate_folder",
    "graduate_storage",
    "profile_public_id",
    "validate_ateco",
    "validate_codice_fiscale",
    "validate_no_markup",
    "validate_partita_iva",
]
