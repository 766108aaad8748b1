"""Real concurrent work on PostgreSQL for the race tests: one thread per job,
each with its own database connection, all started together."""

import threading

from django.db import connection
from django.utils import translation


def run_at_once(
    jobs,
    *,
    refusal: type[Exception],
    language: str | None = None,
    timeout: float = 120,
) -> tuple[list[str], list[str]]:
    """Start every job together; return (refusals, errors): the messages of the
    `refusal` exceptions raised (a rule said no) and any other failure."""
    barrier = threading.Barrier(len(jobs))
    refusals: list[str] = []
    errors: list[str] = []

    def worker(job) -> None:
        try:
            barrier.wait(timeout=30)
            if language:
                with translation.override(language):
                    job()
            else:
                job()
        except refusal as refused:
            # A lazy message: read it in the job's language, not the thread's.
            with translation.override(language or translation.get_language()):
                refusals.append(str(refused))
        except Exception as error:  # noqa: BLE001 - the test reports every failure
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a job did not finish"
    return refusals, errors
