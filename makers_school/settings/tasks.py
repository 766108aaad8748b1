"""The task engine's settings (core.tasks; docs/operations.md, "Task engine").

Read by base.py, so every settings module has them: development and tests run
tasks at once (the immediate backend), production picks the RQ backend.
"""

import os
from urllib.parse import urlsplit, urlunsplit

# The task queues (core.tasks): each runs in workers of its own in production.
MAKERS_TASK_QUEUES = ["default", "mail", "certificates", "reports"]
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": MAKERS_TASK_QUEUES,
    }
}
# RQ (production's task engine; docs/operations.md): the queues live in their own
# Redis database, RQ_REDIS_DB on the cache's server (REDIS_URL). A job may run this
# many seconds before RQ stops it.
RQ_JOB_TIMEOUTS = {"default": 600, "mail": 300, "certificates": 3600, "reports": 1800}


def rq_queues(redis_url: str, db: int) -> dict:
    """RQ_QUEUES for every task queue on database `db` of `redis_url`'s server."""
    parts = urlsplit(redis_url)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))
    return {
        name: {"URL": url, "DEFAULT_TIMEOUT": RQ_JOB_TIMEOUTS[name]}
        for name in MAKERS_TASK_QUEUES
    }


RQ_QUEUES = rq_queues(
    os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    int(os.environ.get("RQ_REDIS_DB", 1)),
)
RQ = {"JOB_CLASS": "core.tasks.Job", "WORKER_CLASS": "core.tasks.Worker"}
# A worker's heartbeat for its running job, every MAKERS_RQ_MONITORING_SECONDS; a
# job silent for that plus the grace is abandoned (its worker died), and found at
# a worker's next maintenance.
MAKERS_RQ_MONITORING_SECONDS = int(os.environ.get("MAKERS_RQ_MONITORING_SECONDS", 10))
MAKERS_RQ_HEARTBEAT_GRACE_SECONDS = int(
    os.environ.get("MAKERS_RQ_HEARTBEAT_GRACE_SECONDS", 30)
)
MAKERS_RQ_MAINTENANCE_SECONDS = int(os.environ.get("MAKERS_RQ_MAINTENANCE_SECONDS", 30))
