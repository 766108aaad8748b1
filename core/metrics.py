"""Prometheus metrics at /metrics, for the monitoring network only.

django-prometheus counts requests, latency and responses (its middleware) and
database queries (its database backend in production settings). This view adds
the task queues' state, read from Redis at every scrape (RQ's queue and
registries, through django_rq): tasks waiting, running, finished, failed,
deferred and scheduled, and workers listening, per queue in RQ_QUEUES. They
are the whole deployment's figures, whichever node answers.

Under gunicorn, PROMETHEUS_MULTIPROC_DIR (a folder every worker of the node's
app servers shares; deploy/gunicorn.conf.py clears a dead worker's gauges)
makes the figures those of every worker, not of the one that answered.

The endpoint answers only a client on a loopback or private address, also
through the proxy: every address in X-Forwarded-For and X-Real-IP must be one
too, so a visitor's request relayed by nginx gets 403 (nginx refuses it first:
deploy/nginx/makers-school-health.conf).
"""

import ipaddress
import logging
import os

import django_rq
import prometheus_client
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily
from rq import Worker

logger = logging.getLogger(__name__)


# Loopback and the private ranges (RFC 1918, RFC 4193): the same as nginx's
# allow lines for /readyz and /metrics.
INTERNAL_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "127.0.0.0/8",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "::1/128",
        "fc00::/7",
    )
)


def address_is_internal(value: str) -> bool:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return False
    if getattr(address, "ipv4_mapped", None):
        address = address.ipv4_mapped
    return any(address in network for network in INTERNAL_NETWORKS)


def client_is_internal(request: HttpRequest) -> bool:
    """The peer and every address a proxy names for the client are internal."""
    addresses = [request.META.get("REMOTE_ADDR", "")]
    addresses += request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    addresses.append(request.META.get("HTTP_X_REAL_IP", ""))
    return all(address_is_internal(a) for a in addresses if a.strip()) and bool(
        addresses[0]
    )


QUEUE_FIGURES = {
    "queued": "Tasks waiting in the queue",
    "started": "Tasks a worker is running",
    "finished": "Tasks finished and still kept in the registry",
    "failed": "Tasks failed and kept in the failed registry",
    "deferred": "Tasks waiting for another task",
    "scheduled": "Tasks waiting for their time (retries with back-off)",
    "workers": "Workers listening on the queue",
}


def queue_figures(name: str) -> dict[str, int]:
    queue = django_rq.get_queue(name)
    return {
        "queued": queue.count,
        "started": queue.started_job_registry.count,
        "finished": queue.finished_job_registry.count,
        "failed": queue.failed_job_registry.count,
        "deferred": queue.deferred_job_registry.count,
        "scheduled": queue.scheduled_job_registry.count,
        "workers": Worker.count(queue=queue),
    }


class TaskQueueCollector:
    """The state of every RQ queue, read when scraped; a queue whose Redis
    does not answer reports makers_task_queue_up 0 and no figures."""

    def collect(self):
        up = GaugeMetricFamily(
            "makers_task_queue_up", "1 if the queue's Redis answered", labels=["queue"]
        )
        families = {
            figure: GaugeMetricFamily(f"makers_tasks_{figure}", text, labels=["queue"])
            for figure, text in QUEUE_FIGURES.items()
        }
        for name in getattr(settings, "RQ_QUEUES", {}):
            try:
                figures = queue_figures(name)
            except Exception:
                logger.warning("Queue %s unreachable for metrics", name, exc_info=True)
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            for figure, value in figures.items():
                families[figure].add_metric([name], value)
        yield up
        yield from families.values()


def process_registry():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return prometheus_client.REGISTRY


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not client_is_internal(request):
        # A bare 403, as nginx's deny gives: no page to render, no database
        # read (a 404 would have Wagtail look for a redirect).
        return HttpResponseForbidden()
    queues = prometheus_client.CollectorRegistry(auto_describe=False)
    queues.register(TaskQueueCollector())
    body = prometheus_client.generate_latest(
        process_registry()
    ) + prometheus_client.generate_latest(queues)
    response = HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
    add_never_cache_headers(response)
    return response
