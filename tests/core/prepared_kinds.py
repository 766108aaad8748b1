"""Two kinds of prepared file for the tests (core.exports): a site one that
emails its owner, a staff one in the admin; a builder that counts its runs
and refuses or crashes when told to, or runs what a test hands it."""

from core.exports import PreparedFileError, register_export

CONTENT = b'{"hello": "world"}'
builds: list[dict] = []
failing = {"how": None}
# Called with the owner while building (a test's probe or mischief).
during: list = []


def _build(*, owner, params):
    builds.append(params)
    for call in during:
        call(owner)
    if failing["how"] == "refuse":
        raise PreparedFileError("The edition no longer exists.")
    if failing["how"] == "crash":
        raise RuntimeError("disk on fire")
    return "hello.json", "application/json", CONTENT


# What the kinds' audit was told: (event, file's pk, user, request's path).
audited: list[tuple] = []


def _audit(*, event, prepared, user, request):
    audited.append((event, prepared.pk, user, request.path if request else None))


register_export("test_site", _build, title="Test export", audit=_audit, notify=True)
register_export(
    "test_admin", _build, title="Test staff export", audit=_audit, admin=True
)
