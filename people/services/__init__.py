"""People's services (writes), one module per topic: roles, accounts, graduate
profiles, companies."""

from .accounts import calendar_feed_ensure, calendar_feed_reset, user_sessions_end
from .companies import (
    company_invite_accept,
    company_invite_create,
    company_invite_email_send,
    company_member_directory_access,
    company_member_remove,
    company_register,
    company_verify,
)
from .graduates import (
    GRADUATE_EDITABLE_FIELDS,
    graduate_files_erase,
    graduate_profile_ensure,
    graduate_profile_publish,
    graduate_profile_unpublish,
    graduate_profile_update,
)
from .roles import roles_sync

__all__ = [
    "GRADUATE_EDITABLE_FIELDS",
    "calendar_feed_ensure",
    "calendar_feed_reset",
    "company_invite_accept",
    "company_invite_create",
    "company_invite_email_send",
    "company_member_directory_access",
    "company_member_remove",
    "company_register",
    "company_verify",
    "graduate_files_erase",
    "graduate_profile_ensure",
    "graduate_profile_publish",
    "graduate_profile_unpublish",
    "graduate_profile_update",
    "roles_sync",
    "user_sessions_end",
]
