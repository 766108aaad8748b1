"""The kinds of export prepared on the reports queue, registered by the apps
that build them (core.prepared_files), and where each one's download page is.

A higher app registers from its AppConfig.ready() (core names no app):

    register_export(
        "funder_export", build, title=_("Funder export"), audit=log, admin=True
    )

`build(*, owner, params)` returns (filename, content type, bytes), or raises
PreparedFileError with a message for the owner. `audit(*, event, prepared,
user, request)` writes the audit entry (core.audit) of a request for the file
(EXPORT_REQUESTED) or a download of it (EXPORT_DOWNLOADED): who, on whose data
or what record, when; it runs in the transaction of the request.
"""

import dataclasses
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

# The download page of a prepared file: in the Wagtail admin, or on the site.
ADMIN_PAGE_URL_NAME = "makers_prepared_file"
SITE_PAGE_URL_NAME = "downloads:prepared_file"

Builder = Callable[..., tuple[str, str, bytes]]
Auditor = Callable[..., object]

# What happened to a prepared file, for its kind's audit.
EXPORT_REQUESTED = "requested"
EXPORT_DOWNLOADED = "downloaded"


class PreparedFileError(Exception):
    """A builder's refusal, with the message its owner reads."""


@dataclasses.dataclass(frozen=True)
class ExportKind:
    """A registered kind of export. `audit`: writes the entry of a request or
    a download; `admin`: its download page is in the Wagtail admin (staff
    exports); `notify`: the owner gets an email when the file is ready."""

    kind: str
    builder: Builder
    title: Any
    audit: Auditor
    admin: bool = False
    notify: bool = False


_kinds: dict[str, ExportKind] = {}


def register_export(
    kind: str,
    builder: Builder,
    *,
    title: Any,
    audit: Auditor,
    admin: bool = False,
    notify: bool = False,
) -> None:
    """Declare the builder of `kind` and its audit; a kind registered twice
    otherwise is refused (two apps would claim it)."""
    entry = ExportKind(kind, builder, title, audit, admin=admin, notify=notify)
    if _kinds.get(kind, entry) != entry:
        raise ImproperlyConfigured(f"Export kind {kind!r} is registered twice.")
    _kinds[kind] = entry


def export_kind(kind: str) -> ExportKind:
    """The registered kind; ImproperlyConfigured when nobody registered it."""
    try:
        return _kinds[kind]
    except KeyError:
        raise ImproperlyConfigured(
            f"No app registered the export kind {kind!r} (register_export)."
        ) from None


def prepared_file_page(prepared) -> str:
    """The path of the page where the owner follows and downloads the file."""
    admin = export_kind(prepared.kind).admin
    url_name = ADMIN_PAGE_URL_NAME if admin else SITE_PAGE_URL_NAME
    return reverse(url_name, args=[prepared.public_id])
