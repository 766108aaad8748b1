"""A cached page's compressed variants: compressed once, when the page is kept.

Every browser asks for a compressed page (Accept-Encoding: gzip, br). The page
cache (core.middleware.PageCacheMiddleware) keeps each shared page plain and
compressed with every encoding of ENCODERS, so a hit sends stored bytes and
compresses nothing; a client that accepts none of them gets the plain bytes.
Everything else (personal pages, JSON, CSV, calendars) is compressed per
response by Django's GZipMiddleware (core.middleware.CompressionMiddleware),
above the page cache.

BREACH: a shared page carries nothing secret (it renders as for an anonymous
visitor and sets no cookie: core.cache), so its compressed bytes need no random
padding and may be the same for everyone.

Brotli would be one more entry of ENCODERS (the `brotli` package is not a
dependency of the site).
"""

import gzip
import hashlib
from collections.abc import Callable

IDENTITY = "identity"
GZIP = "gzip"
# zlib's default level, as GZipMiddleware; mtime=0: the same page, the same bytes.
GZIP_LEVEL = 6
# Shorter bodies go out plain (GZipMiddleware's bound too).
MIN_COMPRESSED_SIZE = 200


def gzip_compress(content: bytes) -> bytes:
    return gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)


# The encodings a cached page is kept in besides its plain bytes, in the order
# the server prefers them when a client accepts several.
ENCODERS: dict[str, Callable[[bytes], bytes]] = {GZIP: gzip_compress}


def compressed_variants(content: bytes) -> dict[str, bytes]:
    """The page's bodies by content coding: plain ("identity") and every
    encoding of ENCODERS that makes it smaller."""
    variants = {IDENTITY: content}
    if len(content) < MIN_COMPRESSED_SIZE:
        return variants
    for encoding, encode in ENCODERS.items():
        body = encode(content)
        if len(body) < len(content):
            variants[encoding] = body
    return variants


def _accepted(header: str) -> tuple[dict[str, float], float | None]:
    """Each coding the client names with its q value, and the q of "*"."""
    named: dict[str, float] = {}
    star = None
    for item in header.split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        coding = coding.lower()
        if not coding:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding == "*":
            star = quality
        else:
            named[coding] = quality
    return named, star


def negotiate(accept_encoding: str, available) -> str:
    """The content coding to send: the server's preferred encoding among the
    available ones that the client accepts (q > 0), else "identity"."""
    named, star = _accepted(accept_encoding or "")
    for encoding in ENCODERS:
        if encoding not in available:
            continue
        quality = named.get(encoding, star if star is not None else 0.0)
        if quality > 0:
            return encoding
    return IDENTITY


def entity_tag(content: bytes) -> str:
    """A strong ETag of the plain page (its hash)."""
    return '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'


def variant_tag(etag: str, encoding: str) -> str:
    """The ETag of one variant: different bytes, a different tag."""
    if encoding == IDENTITY:
        return etag
    return f'{etag[:-1]}-{encoding}"'
