"""Structured logs: one JSON object a line, with the request they belong to.

Standard logging only: production settings' LOGGING puts RequestContextFilter
and JsonFormatter on the console handler, so every record (Django's, gunicorn's
through the root logger, ours) is one JSON line that a log shipper reads as is.
"""

import datetime
import json
import logging

from .request_id import current

# Attributes a record may carry through `extra=` that the JSON line keeps.
EXTRA_FIELDS = ("status", "duration_ms", "status_code")


class RequestContextFilter(logging.Filter):
    """Adds the current request's id, method and path to each record (None
    outside a request, e.g. in a task worker)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = current.get()
        record.request_id = context.request_id if context else None
        record.method = context.method if context else None
        record.path = context.path if context else None
        return True


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: time (UTC), level, logger, message, the
    request's id, method and path, status when known, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(
                record.created, tz=datetime.UTC
            ).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "method": getattr(record, "method", None),
            "path": getattr(record, "path", None),
        }
        for name in EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry["status" if name == "status_code" else name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
