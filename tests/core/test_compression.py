"""HTML goes out gzipped to browsers that accept it, through the whole middleware
stack and the page cache: a cached page is compressed once, when it is kept
(core.compression), and every hit sends the stored bytes."""

import gzip

import pytest

from core import compression
from tests.factories import CourseEditionFactory

pytestmark = pytest.mark.django_db

BROWSER = "gzip, deflate, br, zstd"


@pytest.fixture
def gzip_calls(monkeypatch):
    """Counts the page cache's gzip compressions."""
    calls = []

    def counting(content: bytes) -> bytes:
        calls.append(len(content))
        return compression.gzip_compress(content)

    monkeypatch.setitem(compression.ENCODERS, compression.GZIP, counting)
    return calls


def _course_url(client) -> str:
    course = CourseEditionFactory().course
    client.get("/")  # the first request ever creates the site settings row
    return course.url


def test_a_hit_sends_the_gzip_bytes_kept_with_the_page(site, client, gzip_calls):
    url = _course_url(client)
    plain = client.get(url)  # fills the page cache
    assert plain["X-Page-Cache"] == "miss"
    compressed = client.get(url, HTTP_ACCEPT_ENCODING=BROWSER)
    assert compressed["X-Page-Cache"] == "hit"
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert compressed["Content-Type"].startswith("text/html")
    assert int(compressed["Content-Length"]) == len(compressed.content)
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 2
    assert "Bootstrap" not in compressed.content.decode("latin-1")


def test_the_page_is_compressed_once_per_entry_not_per_hit(site, client, gzip_calls):
    url = _course_url(client)
    gzip_calls.clear()
    bodies = {client.get(url, HTTP_ACCEPT_ENCODING="gzip").content for _ in range(5)}
    assert len(gzip_calls) == 1  # on the miss, when the page was kept
    assert len(bodies) == 1  # the same stored bytes every time
    # A new entry (content saved: every page refreshes) is compressed once more.
    CourseEditionFactory()
    client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert len(gzip_calls) == 2


def test_a_client_without_accept_encoding_gets_the_plain_page(site, client):
    url = _course_url(client)
    miss = client.get(url, HTTP_ACCEPT_ENCODING=BROWSER)
    assert miss["X-Page-Cache"] == "miss"
    assert miss["Content-Encoding"] == "gzip"
    for accept_encoding in (None, "identity", "gzip;q=0", "br"):
        headers = (
            {} if accept_encoding is None else {"HTTP_ACCEPT_ENCODING": accept_encoding}
        )
        hit = client.get(url, **headers)
        assert hit["X-Page-Cache"] == "hit"
        assert "Content-Encoding" not in hit
        assert "Accept-Encoding" in hit["Vary"]
        assert hit.content == gzip.decompress(miss.content)
        assert b"<html" in hit.content


def test_each_variant_has_its_own_etag_and_a_revalidation_gets_304(site, client):
    url = _course_url(client)
    client.get(url)
    plain = client.get(url)
    compressed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert plain["ETag"] != compressed["ETag"]
    assert compressed["ETag"].endswith('-gzip"')
    again = client.get(
        url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=compressed["ETag"]
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == compressed["ETag"]
    assert "Accept-Encoding" in again["Vary"]
    # The plain variant's tag does not match the gzip bytes: the page is sent.
    other = client.get(
        url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=plain["ETag"]
    )
    assert other.status_code == 200
    assert other["Content-Encoding"] == "gzip"


def test_a_rendered_page_is_compressed_too(site, client):
    _, index = site
    response = client.get(index.url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["X-Page-Cache"] == "miss"
    assert response["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.content)


def test_pages_the_cache_does_not_keep_are_compressed_per_response(site, client):
    url = _course_url(client)
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_COOKIE="messages=x")
    assert "X-Page-Cache" not in response
    assert response["Content-Encoding"] == "gzip"  # GZipMiddleware's
    assert b"<html" in gzip.decompress(response.content)


@pytest.mark.parametrize(
    ("accept_encoding", "expected"),
    [
        ("", "identity"),
        ("gzip", "gzip"),
        ("GZIP", "gzip"),
        ("deflate, gzip;q=0.5", "gzip"),
        ("gzip;q=0", "identity"),
        ("gzip;q=0.0, *", "identity"),
        ("*", "gzip"),
        ("*;q=0", "identity"),
        ("br", "identity"),
        ("identity", "identity"),
        ("gzip;q=nonsense", "identity"),
    ],
)
def test_negotiation_follows_the_q_values(accept_encoding, expected):
    available = {"identity": b"", "gzip": b""}
    assert compression.negotiate(accept_encoding, available) == expected


def test_short_or_incompressible_bodies_are_kept_plain_only():
    assert compression.compressed_variants(b"<p>x</p>") == {"identity": b"<p>x</p>"}
    noise = bytes(range(256)) * 2
    assert set(compression.compressed_variants(noise)) >= {"identity"}
    page = b"<html>" + b"<p>corso</p>" * 100 + b"</html>"
    variants = compression.compressed_variants(page)
    assert gzip.decompress(variants["gzip"]) == page
