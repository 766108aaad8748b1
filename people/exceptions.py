from django.utils.translation import gettext_lazy as _


class PeopleError(Exception):
    """A rule of the people app refused the request; str() is the message."""

    CV_TOO_LARGE = _("The CV is larger than 5 MB: upload a smaller PDF.")
    CV_NOT_PDF = _("The CV must be a PDF file.")
    PHOTO_TOO_LARGE = _("The photo is larger than 2 MB: upload a smaller image.")
    CONSENT_REQUIRED = _(
        "To publish your profile you must tick the box and agree to the consent text."
    )
    COMPANY_EXISTS = _(
        "A company with this partita IVA is already registered: ask its "
        "administrator to invite you."
    )
    NOT_COMPANY_ADMIN = _("Only an administrator of the company can do this.")
    ALREADY_MEMBER = _("This person is already a member of the company.")
    INVITE_INVALID = _("This invitation is not valid or has already been used.")
    INVITE_OTHER_EMAIL = _(
        "This invitation was sent to another address: sign in with that address."
    )
    LAST_ADMIN = _("The company's last administrator cannot be removed.")
    ALREADY_VERIFIED = _("This company is already verified.")
    MANAGER_DIRECTORY = _("A manager of the company always has the graduate directory.")

    COMPANY_NAME_TAKEN = _(
        "A verified company is already registered with this name: ask its "
        "administrator to invite you, or write to the school."
    )
    UNVERIFIED_INVITES = _(
        "The school has not verified this company yet: until then it cannot "
        "invite people by email."
    )
    COMPANY_INVITES_RATE = _(
        "The company has sent many invitations in the last hour: please try "
        "again later."
    )
    ADDRESS_INVITES_RATE = _(
        "This address has received many invitations today: please try again tomorrow."
    )
    INVITATION_REFUSALS = {
        "unverified": UNVERIFIED_INVITES,
        "company_rate": COMPANY_INVITES_RATE,
        "address_rate": ADDRESS_INVITES_RATE,
    }

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message
