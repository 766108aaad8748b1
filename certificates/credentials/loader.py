"""An offline JSON-LD document loader: the vendored contexts, nothing else.

A credential names its contexts by URL; expanding it (pyld) would fetch them.
This loader answers those URLs from certificates/credentials/contexts/ and
refuses every other one, so an expansion never reaches the network and a
context that is not vendored fails loudly instead of being fetched.
"""

import functools
import json
from pathlib import Path

from pyld import jsonld

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

CONTEXT_FILES = {
    VC_V2_CONTEXT: "credentials-v2.jsonld",
    OB_V3_CONTEXT: "context-3.0.3.json",
}


@functools.cache
def context_document(url: str) -> dict:
    """The vendored context published at `url` (KeyError for any other)."""
    return json.loads((CONTEXTS_DIR / CONTEXT_FILES[url]).read_text("utf-8"))


def offline_loader(url: str, options: dict | None = None) -> dict:
    """pyld's document loader interface, serving the vendored contexts only."""
    if url not in CONTEXT_FILES:
        raise jsonld.JsonLdError(
            f"Context {url} is not vendored; refusing to fetch it.",
            "jsonld.LoadDocumentError",
            code="loading document failed",
        )
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": context_document(url),
    }


def expand(document: dict) -> list:
    """The document expanded (JSON-LD 1.1) with the vendored contexts only."""
    return jsonld.expand(document, {"documentLoader": offline_loader})
