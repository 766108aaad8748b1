"""Issue 33: a request body over its route's cap is refused (413) unread."""

import io

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client

from core.request_size import request_body_limit

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class CountingStream(io.RawIOBase):
    """A body that arrives as a stream, counting what the server reads of it."""

    def __init__(self, size: int):
        self.size = size
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.size - self.read_bytes)
        buffer[:n] = b"a" * n
        self.read_bytes += n
        return n


def _wsgi(path: str, stream, length: str, content_type: str) -> tuple[str, bytes]:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_LENGTH": length,
        "CONTENT_TYPE": content_type,
        "wsgi.input": stream,
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"] = status

    body = b"".join(WSGIHandler()(environ, start_response))
    return started["status"], body


def test_the_routes_caps():
    assert request_body_limit("/verify/") == 6 * MB
    assert request_body_limit("/en/verify/") == 6 * MB
    assert request_body_limit("/me/profile/") == 8 * MB
    assert request_body_limit("/admin/images/multiple/add/") == 32 * MB
    assert request_body_limit("/me/profile/requests/x/") == 1 * MB
    assert request_body_limit("/accounts/login/") == 1 * MB


def test_a_200_mb_upload_to_verify_is_refused_before_it_is_read(site):
    stream = CountingStream(200 * MB)
    status, body = _wsgi(
        "/verify/",
        stream,
        str(200 * MB),
        "multipart/form-data; boundary=xyz",
    )
    assert status.startswith("413")
    assert stream.read_bytes == 0
    assert "6 MB" in body.decode()


def test_the_refusal_is_a_clear_page_in_the_paths_language(site):
    status, body = _wsgi(
        "/en/verify/",
        CountingStream(7 * MB),
        str(7 * MB),
        "multipart/form-data; boundary=xyz",
    )
    text = body.decode()
    assert status.startswith("413")
    assert "Request too large" in text
    assert "6 MB" in text
    assert 'href="/en/verify/"' in text


def test_a_small_form_route_has_a_small_cap(site):
    stream = CountingStream(2 * MB)
    status, _ = _wsgi(
        "/accounts/login/",
        stream,
        str(2 * MB),
        "application/x-www-form-urlencoded",
    )
    assert status.startswith("413")
    assert stream.read_bytes == 0


def test_a_length_that_is_not_a_number_is_refused(site):
    status, _ = _wsgi(
        "/verify/", CountingStream(10), "ten", "application/x-www-form-urlencoded"
    )
    assert status.startswith("413")


def test_a_stream_longer_than_it_announced_is_read_only_as_far_as_announced(site):
    """A body that keeps streaming past its Content-Length is not read on."""
    stream = CountingStream(50 * MB)
    status, _ = _wsgi(
        "/verify/", stream, str(1024), "multipart/form-data; boundary=xyz"
    )
    assert not status.startswith("5")
    assert stream.read_bytes <= 1024


def test_an_upload_under_the_cap_still_reaches_the_form(site):
    """The verify form's own 5 MB message still answers a 5.5 MB file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile(
        "big.pdf", b"%PDF-1.4\n" + b"0" * int(5.5 * MB), "application/pdf"
    )
    response = Client().post("/en/verify/", {"pdf": big})
    assert response.status_code == 400
    assert "The file is too big: at most 5 MB." in response.content.decode()
