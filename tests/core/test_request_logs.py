"""The request id (core.request_id) and JSON logs (core.logs)."""

import io
import json
import logging
import logging.config
import re

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from core.logs import JsonFormatter, RequestContextFilter
from core.request_id import HEADER, RequestIdMiddleware


@pytest.fixture
def json_lines():
    """Records of the request's loggers, as production formats them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger("makers.request"), logging.getLogger("tests.view")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def _view(request):
    logging.getLogger("tests.view").warning("inside the view")
    return HttpResponse("done", status=201)


def test_a_record_of_the_request_is_json_with_its_id_path_and_status(json_lines):
    request = RequestFactory().post("/me/enrol/", HTTP_X_REQUEST_ID="a1b2c3d4e5f6")
    response = RequestIdMiddleware(_view)(request)
    inside, access = json_lines()
    assert response[HEADER] == "a1b2c3d4e5f6"
    assert inside["message"] == "inside the view"
    assert inside["level"] == "WARNING"
    assert inside["request_id"] == "a1b2c3d4e5f6"
    assert inside["path"] == "/me/enrol/"
    assert inside["method"] == "POST"
    assert access["logger"] == "makers.request"
    assert access["request_id"] == "a1b2c3d4e5f6"
    assert access["path"] == "/me/enrol/"
    assert access["status"] == 201
    assert access["duration_ms"] >= 0


def test_outside_a_request_the_record_names_none(json_lines):
    logging.getLogger("tests.view").warning("in a worker")
    (line,) = json_lines()
    assert line["request_id"] is None
    assert line["message"] == "in a worker"


def test_a_passing_health_probe_is_not_logged(json_lines):
    """A balancer probes every few seconds; a failing probe is logged."""
    ok = RequestIdMiddleware(lambda request: HttpResponse("ok"))
    failing = RequestIdMiddleware(lambda request: HttpResponse(status=503))
    ok(RequestFactory().get("/healthz"))
    failing(RequestFactory().get("/readyz"))
    (line,) = json_lines()
    assert (line["path"], line["status"]) == ("/readyz", 503)


@pytest.mark.django_db
def test_the_proxys_request_id_round_trips(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="0123456789abcdef0123")
    assert response[HEADER] == "0123456789abcdef0123"


@pytest.mark.django_db
@pytest.mark.parametrize("given", [None, "short", "has spaces and\nnewlines in it"])
def test_a_missing_or_odd_request_id_is_replaced(client, given):
    extra = {"HTTP_X_REQUEST_ID": given} if given else {}
    response = client.get("/healthz", **extra)
    assert re.fullmatch(r"[0-9a-f]{32}", response[HEADER])


@pytest.mark.django_db
def test_a_redirect_carries_the_request_id_too(client):
    response = client.get("/me", HTTP_X_REQUEST_ID="redirect-1234")
    assert response.status_code in (301, 302)
    assert response[HEADER] == "redirect-1234"


def test_production_logging_configures(monkeypatch):
    """production.py's LOGGING loads (JSON on the console) and logs a line."""
    from makers_school.settings import production  # module constants only

    stream = io.StringIO()
    try:
        logging.config.dictConfig(production.LOGGING)
        handler = logging.getLogger().handlers[0]
        monkeypatch.setattr(handler, "stream", stream)
        logging.getLogger("tests.production").info("hello")
        assert json.loads(stream.getvalue())["message"] == "hello"
    finally:
        logging.config.dictConfig(settings.LOGGING)
