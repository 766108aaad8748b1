from django.utils.translation import gettext_lazy as _


class DirectoryError(Exception):
    """A rule of the graduate directory refused the request; str() is the message."""

    NOT_VERIFIED = _(
        "Your company has not been verified by the school yet: graduate profiles "
        "are not visible to it."
    )
    HIDDEN = _("This profile is not available.")
    REPEATED = _(
        "Your company already wrote to this graduate in the last 30 days: wait for "
        "an answer or try again later."
    )
    NOT_YOURS = _("This contact request is not addressed to you.")
    ANSWERED = _("This contact request has already been answered.")
    EMPTY_MESSAGE = _("Write a message to the graduate.")
    EARLIER_CHOICE_REQUIRED = _(
        "Choose whether companies keep the shortlists and contacts they had before "
        "you turned the profile off, or whether you start afresh."
    )

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message
