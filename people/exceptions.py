from django.utils.translation import gettext_lazy as _


class PeopleError(Exception):
    """A rule of the people app refused the request; str() is the message."""

    CV_TOO_LARGE = _("The CV is larger than 5 MB: upload a smaller PDF.")
    CV_NOT_PDF = _("The CV must be a PDF file.")
    CV_ENCRYPTED = _(
        "The CV is protected by a password or encrypted: save it again without "
        "protection."
    )
    CV_TOO_MANY_PAGES = _("The CV has more than 20 pages: upload a shorter PDF.")
    CV_TOO_COMPLEX = _(
        "The CV expands to more than 25 MB or holds too many objects once opened: "
        "save it again with “Print to PDF” or with compressed images."
    )
    CV_ACTIVE_CONTENT = _(
        "The CV contains active content (scripts, actions, attachments, embedded "
        "media or forms): save it again as a plain PDF, for example with "
        "“Print to PDF”."
    )
    PHOTO_TOO_LARGE = _("The photo is larger than 2 MB: upload a smaller image.")
    PHOTO_NOT_IMAGE = _("The photo must be a JPEG or PNG image.")
    PHOTO_TOO_MANY_PIXELS = _(
        "The photo has more than 40 million pixels: upload a smaller image."
    )
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

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field  # the form field the message belongs to, if any
