"""The certificates' settings (certificates/; docs/security.md).

Read by base.py, so every settings module has them.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("MAKERS_VAR_DIR", BASE_DIR / "var"))

# Certificates (certificates/). Their PDFs live outside MEDIA_ROOT, served only by
# a permission-checked view. The signing key is a PKCS#12 file; in development
# `manage.py certificates_signing_key --dev` creates one here, with its passphrase
# in the file beside it. MAKERS_TSA_URL: an RFC 3161 timestamp authority.
MAKERS_PRIVATE_ROOT = Path(os.environ.get("MAKERS_PRIVATE_ROOT", VAR_DIR / "private"))
MAKERS_SIGNING_P12 = os.environ.get(
    "MAKERS_SIGNING_P12", str(VAR_DIR / "signing" / "dev-signing.p12")
)
MAKERS_SIGNING_PASSPHRASE = os.environ.get("MAKERS_SIGNING_PASSPHRASE") or None
MAKERS_SIGNING_PASSPHRASE_FILE = VAR_DIR / "signing" / "dev-signing.passphrase"
MAKERS_TSA_URL = os.environ.get("MAKERS_TSA_URL", "")
# Archival re-timestamping (manage.py certificates_retimestamp): a certificate
# gets a new document timestamp when the certificate of the authority that made
# its last one expires within this many days.
MAKERS_ARCHIVE_RETIMESTAMP_DAYS = int(
    os.environ.get("MAKERS_ARCHIVE_RETIMESTAMP_DAYS", 365)
)
MAKERS_CERTIFICATE_ISSUER = {
    "organisation": os.environ.get(
        "MAKERS_SCHOOL_ORGANISATION", "Camera di commercio di Torino"
    ),
    "place": os.environ.get("MAKERS_SCHOOL_PLACE", "Torino"),
    "legal_identifier": os.environ.get("MAKERS_SCHOOL_LEGAL_ID", ""),
    "logo_path": os.environ.get("MAKERS_SCHOOL_LOGO", ""),
    # The school's accreditation for training and for certifying competences
    # (e.g. the Regione's accreditation decree and number), printed on every
    # certificate of competence (D.Lgs. 13/2013 art. 6).
    "accreditation": os.environ.get("MAKERS_SCHOOL_ACCREDITATION", ""),
}
MAKERS_CERTIFICATE_SERIAL_PREFIX = "MS"
# A bulk issue silent for this long has lost its worker and may be resumed.
MAKERS_CERTIFICATE_RUN_STALL_SECONDS = 120
# Verification lookups (page, JSON, upload) per client IP and minute.
MAKERS_VERIFY_RATE_PER_MINUTE = int(os.environ.get("MAKERS_VERIFY_RATE", 60))
MAKERS_VERIFY_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
# The issuer's eIDAS legal identifier on Europass credentials (certificates.europass)
# when a certificate's snapshot has none: the codice fiscale of the Camera di
# commercio di Torino, the school's legal entity. MAKERS_SCHOOL_LEGAL_ID overrides it.
MAKERS_EUROPASS_LEGAL_ID = os.environ.get("MAKERS_SCHOOL_LEGAL_ID") or "80062130010"
