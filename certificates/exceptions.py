from django.utils.translation import gettext_lazy as _


class CertificateError(Exception):
    """A refused certificate operation; the message is shown to the user as is."""


MESSAGES = {
    "not_eligible": _("This enrolment is not eligible for a certificate: %(reasons)s"),
    "already_revoked": _("This certificate is already revoked."),
    "superseded": _("This certificate was replaced by %(serial)s."),
    "reason_required": _("Please give a reason."),
    "not_reissuable": _("Only a valid or revoked certificate can be re-issued."),
    "no_enrolment": _(
        "The enrolment of this certificate no longer exists: it cannot be re-issued."
    ),
    "signing_not_configured": _(
        "Certificates cannot be issued: the school's signing key is not configured "
        "(MAKERS_SIGNING_P12 and MAKERS_SIGNING_PASSPHRASE)."
    ),
    "signing_key_unreadable": _(
        "Certificates cannot be issued: the signing key %(path)s cannot be read "
        "(missing file or wrong passphrase)."
    ),
    "holder_name_missing": _(
        "The trainee has no name on record: add it to their account first."
    ),
    "run_in_progress": _("Certificates of this edition are already being issued."),
    "run_not_stalled": _("This run is not stalled: it is still making progress."),
    "nothing_eligible": _("No enrolment of this edition is eligible right now."),
    "signing_ltv_failed": _(
        "The certificate could not be signed for the long term: the timestamp "
        "authority or the revocation services did not answer (%(error)s). Please "
        "try again later."
    ),
    "archive_no_tsa": _(
        "Certificates cannot be re-timestamped: no timestamp authority is "
        "configured (MAKERS_TSA_URL)."
    ),
    "archive_timestamp_invalid": _(
        "The last document timestamp of this certificate no longer validates, so "
        "it cannot be extended: re-issue the certificate."
    ),
}


def refuse(code: str, **params) -> CertificateError:
    message = MESSAGES[code]
    return CertificateError(str(message % params) if params else str(message))
