"""The request id: one per request, in every log record and the response.

nginx sets `X-Request-ID` (its $request_id) on what it forwards
(deploy/nginx/makers-school-proxy.conf), so its access log and the application's
records share the id. Without the header (no proxy, as in development) or with a
value that is not a plain token, the application makes one. The id, the method
and the path live in a context variable while the request runs, where
core.logs.RequestContextFilter finds them.
"""

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
# What a trusted proxy sends (nginx: 32 hex digits); anything else is replaced,
# so a client cannot write arbitrary text into the logs.
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")

access_logger = logging.getLogger("makers.request")
# Load balancers probe these every few seconds, Prometheus scrapes the last:
# logged only when they fail.
QUIET_PATHS = ("/healthz", "/readyz", "/metrics")


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    method: str
    path: str


current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "makers_request", default=None
)


def request_id_from(request: HttpRequest) -> str:
    """The proxy's id when it is a plain token, else a new one."""
    given = request.META.get(META_KEY, "")
    return given if VALID_ID.match(given) else uuid.uuid4().hex


class RequestIdMiddleware:
    """Names the request in its log records and its response; logs one line
    (method, path, status, duration) when it is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request)
        request.request_id = request_id
        token = current.set(RequestContext(request_id, request.method, request.path))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            if request.path in QUIET_PATHS and response.status_code < 400:
                return response
            access_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current.reset(token)
