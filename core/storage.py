"""The school's private storage: files outside MEDIA_ROOT (MAKERS_PRIVATE_ROOT)
with no URL at all, read only by views that check who asks."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateFileSystemStorage(FileSystemStorage):
    """Files with no URL: a permission-checked view serves them."""

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view.")


class PrivateStorage(LazyObject):
    """MAKERS_PRIVATE_ROOT, read at first use."""

    def _setup(self):
        self._wrapped = PrivateFileSystemStorage(location=settings.MAKERS_PRIVATE_ROOT)


private_storage = PrivateStorage()


@receiver(setting_changed)
def _private_storage_reset(*, setting, **kwargs):
    """A changed MAKERS_PRIVATE_ROOT (tests' settings) takes effect at once."""
    if setting == "MAKERS_PRIVATE_ROOT":
        private_storage._wrapped = empty


def core_private_storage():
    """The private storage, as a callable: migrations do not freeze a path."""
    return private_storage
