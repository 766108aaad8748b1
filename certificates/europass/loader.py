"""The JSON-LD contexts and SHACL shapes, read only from vendor/ (no network).

The document loader serves exactly the vendored contexts and refuses any other
URL: a credential that names an unknown context cannot make the server fetch it.
"""

import functools
import json
from pathlib import Path

import rdflib
from pyld import jsonld

VENDOR = Path(__file__).resolve().parent / "vendor"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
EDC_AP = "http://data.europa.eu/snb/model/context/edc-ap"
CONTEXTS = {
    VC_V1: "credentials-v1.jsonld",
    EDC_AP: "edc-ap-context.jsonld",
}
SHAPES = "EDC-generic-no-cv.ttl"


class ContextRefused(Exception):
    """A JSON-LD document asked for a context that is not vendored."""


@functools.cache
def _context(url: str) -> dict:
    return json.loads((VENDOR / CONTEXTS[url]).read_text(encoding="utf-8"))


def document_loader(url: str, options: dict | None = None) -> dict:
    """PyLD's document loader over the vendored contexts; anything else raises."""
    if url not in CONTEXTS:
        raise ContextRefused(url)
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": _context(url),
    }


def expand(document: dict, *, dropped: list | None = None) -> list:
    """The document expanded with the vendored contexts only; the terms the
    contexts do not define (expansion drops them) appended to `dropped`."""
    return jsonld.expand(
        document,
        {"documentLoader": document_loader},
        on_property_dropped=(dropped if dropped is not None else []).append,
    )


def graph(document: dict, *, dropped: list | None = None) -> rdflib.Graph:
    """The document's RDF: expanded offline first, so rdflib sees no context
    URL to resolve."""
    expanded = expand(document, dropped=dropped)
    return rdflib.Graph().parse(data=json.dumps(expanded), format="json-ld")


@functools.cache
def shapes() -> rdflib.Graph:
    """The EDC generic profile's SHACL shapes, parsed once per process."""
    return rdflib.Graph().parse(VENDOR / SHAPES, format="turtle")
