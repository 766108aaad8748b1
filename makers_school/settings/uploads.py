"""How much a request may carry: per-route body caps and upload sizes (imported by
base.py)."""

# Request bodies (core.request_size): a request whose Content-Length exceeds its
# route's cap is answered 413 before it is read. The first pattern matching the
# path (path_info, with its language prefix) gives the cap; the default covers
# every other form. deploy/nginx/makers-school.conf refuses the same sizes.
MAKERS_REQUEST_BODY_MAX_BYTES = 1024 * 1024
MAKERS_REQUEST_BODY_LIMITS = (
    # A certificate to verify (5 MB, certificates.forms) and the form around it.
    (r"^/(?:[a-z]{2}/)?verify/", 6 * 1024 * 1024),
    # The graduate profile: a CV (5 MB) and a photo (2 MB) in one form.
    (r"^/(?:[a-z]{2}/)?me/profile/$", 8 * 1024 * 1024),
    # A register's sign-in sheet scan (5 MB, attendance.uploads).
    (r"^/(?:[a-z]{2}/)?me/teaching/sessions/\d+/scans/$", 6 * 1024 * 1024),
    # The Wagtail admin: images (10 MB, below) and documents.
    (r"^/admin/", 32 * 1024 * 1024),
)
# Files larger than this go to a temporary file while they are read, not memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Fields other than files, in one request (Django's own check, after ours).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "csv", "txt"]
