"""The email that tells its owner a prepared file is ready to download."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .emails import email_send, site_url
from .exports import export_kind, prepared_file_page
from .models import PreparedFile, PreparedFileStatus


def prepared_file_email_send(*, prepared_id: int) -> None:
    """Email the owner the link to the ready file, in the language it was
    asked in; nothing if it expired or is not ready."""
    prepared = (
        PreparedFile.objects.select_related("owner")
        .filter(pk=prepared_id, status=PreparedFileStatus.READY)
        .first()
    )
    if prepared is None or not prepared.owner.email:
        return
    language = prepared.language or settings.LANGUAGE_CODE
    with translation.override(language):
        title = export_kind(prepared.kind).title
        email_send(
            to=prepared.owner.email,
            subject=_("Your file is ready: %(title)s") % {"title": title},
            template="core/emails/prepared_file_ready",
            context={
                "owner": prepared.owner,
                "prepared": prepared,
                "title": title,
                "url": site_url(prepared_file_page(prepared)),
                "LANGUAGE_CODE": language,
            },
        )
