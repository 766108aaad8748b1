"""Tasks the task-engine tests run in real RQ workers (importable by path)."""

import logging

from django_tasks import task

logger = logging.getLogger("makers.tests.tasks")


@task(queue_name="mail")
def task_that_fails(reason: str) -> None:
    raise RuntimeError(reason)


@task(queue_name="default")
def task_that_logs(message: str) -> str:
    logger.info("task says %s", message)
    return message
