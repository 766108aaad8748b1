"""One private storage (core.storage) for every private file: certificates'
PDFs, graduates' photos and CVs, register scans, prepared files. Their
migrations keep naming the callables they named, and files already stored
stay readable at their paths."""

import pytest

from attendance.models import RegisterScan
from certificates.models import Certificate
from core.models import PreparedFile
from core.storage import private_storage
from people.models import GraduateProfile

FIELDS = [
    (Certificate, "pdf", "certificates.models._private_storage"),
    (GraduateProfile, "photo", "people.models.graduates._private_storage"),
    (GraduateProfile, "cv", "people.models.graduates._private_storage"),
    (RegisterScan, "file", "attendance.models.scan_storage"),
    (PreparedFile, "file", "core.storage.core_private_storage"),
]


@pytest.mark.parametrize("model, name, callable_path", FIELDS)
def test_every_private_file_field_uses_the_one_storage(model, name, callable_path):
    field = model._meta.get_field(name)
    assert field.storage is private_storage
    storage = field.deconstruct()[3]["storage"]
    assert f"{storage.__module__}.{storage.__qualname__}" == callable_path


@pytest.mark.parametrize(
    "path",
    ["certificates/2025/MS-2025-000001.pdf", "graduates/AbCd/0123abcd.pdf"],
)
def test_files_stored_before_stay_readable_and_have_no_url(settings, tmp_path, path):
    settings.MAKERS_PRIVATE_ROOT = tmp_path
    stored = tmp_path / path
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"%PDF-1.7 kept")
    for model, name, _path in FIELDS[:3]:
        storage = model._meta.get_field(name).storage
        with storage.open(path) as handle:
            assert handle.read() == b"%PDF-1.7 kept"
        with pytest.raises(ValueError):
            storage.url(path)
