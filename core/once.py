"""Work that must happen once, however often its task runs.

A task may run twice: RQ retries it after a failure, or runs it again when its
worker died after the work but before the job was marked finished. do_once
claims the work's key (DoneOnce, a unique column) in the transaction that does
the work: a second run finds the key taken and does nothing; a run that fails
rolls the key back, so its retry does the work. Two runs at once wait on the
key's unique index; the one that commits first wins.
"""

from collections.abc import Callable

from django.db import IntegrityError, transaction

from .models import DoneOnce


def do_once(*, key: str, work: Callable[[], None]) -> bool:
    """Run `work` unless the work of `key` is done already; True if it ran.

    An email is sent inside the transaction: if the process dies between the
    send and the commit the key is not kept and a retry sends it again (at
    least once, never twice for a run that finished)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                DoneOnce.objects.create(key=key)
        except IntegrityError:
            return False
        work()
    return True
