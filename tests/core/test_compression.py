"""HTML goes out gzipped to browsers that accept it, through the whole middleware
stack and the page cache (GZipMiddleware in settings.MIDDLEWARE)."""

import gzip

import pytest

from tests.factories import CourseEditionFactory

pytestmark = pytest.mark.django_db


def test_html_is_compressed_for_clients_that_accept_gzip(site, client):
    course = CourseEditionFactory().course
    client.get("/")  # the first request ever creates the site settings row
    plain = client.get(course.url)  # fills the page cache, uncompressed
    assert "Content-Encoding" not in plain
    compressed = client.get(course.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert compressed["X-Page-Cache"] == "hit"
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert compressed["Content-Type"].startswith("text/html")
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 2
    # The cache keeps the plain page: a client without gzip still gets it so.
    again = client.get(course.url)
    assert again["X-Page-Cache"] == "hit"
    assert "Content-Encoding" not in again
    assert again.content == plain.content


def test_a_rendered_page_is_compressed_too(site, client):
    _, index = site
    response = client.get(index.url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["X-Page-Cache"] == "miss"
    assert response["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.content)
