"""/healthz and /readyz (core.health), /metrics (core.metrics), outside the
language prefix."""

from django.urls import path

from . import health, metrics

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Prometheus, for loopback and private addresses only.
    path("metrics", metrics.metrics, name="metrics"),
]
