"""gunicorn's settings for every app server (deploy/systemd/makers-school-app@,
make serve-prod); the command line adds the address and the worker count.

PROMETHEUS_MULTIPROC_DIR, when set, is a folder that every worker of the
node's app servers writes its metrics to (core.metrics reads them all); a
worker that exits takes its live gauges with it.
"""

import os

from prometheus_client import multiprocess

timeout = 60
graceful_timeout = 30
# A worker is replaced after this many requests (a leak cannot grow for ever).
max_requests = 5000
max_requests_jitter = 500
# nginx on the same host: X-Forwarded-* from it only.
forwarded_allow_ips = "127.0.0.1"
# gunicorn's control socket has one default path per user: two app servers on
# a node would share it. Nothing here uses it.
control_socket_disable = True


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
