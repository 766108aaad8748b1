"""Reading demo/data/*.yaml, and turning their compact StreamField blocks into the
raw data cms.blocks expects."""

import json
from functools import cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
IMAGES_DIR = Path(__file__).resolve().parent / "images"
FILES = (
    "attendance",
    "calendar",
    "catalogue",
    "certificates",
    "courses",
    "directory",
    "enrolments",
    "evaluations",
    "funding",
    "images",
    "news",
    "pages",
    "people",
)


@cache
def data(name: str) -> dict:
    """The parsed demo/data/<name>.yaml (safe_load: plain data only)."""
    with open(DATA_DIR / f"{name}.yaml", encoding="utf-8") as file:
        return yaml.safe_load(file)


def password() -> str:
    """Every demo account's password."""
    return data("people")["password"]


def _block(spec: dict) -> dict:
    ((kind, value),) = spec.items()
    if kind == "heading":
        value = value if isinstance(value, dict) else {"text": value}
        value = {"heading_text": value["text"], "size": value.get("size", "h2")}
    elif kind == "callout":
        value = {"style": "info", **value}
    elif kind == "quote":
        value = {"attribution": "", **value}
    elif kind == "key_figures":
        value = {"figures": value}
    elif kind != "paragraph":
        raise ValueError(f"unknown demo block {kind!r}")
    return {"type": kind, "value": value}


def stream(blocks: list[dict], **replace: str) -> str:
    """The JSON a StreamField accepts, with {name} placeholders in texts replaced."""
    raw = json.dumps([_block(spec) for spec in blocks], ensure_ascii=False)
    for name, text in replace.items():
        raw = raw.replace("{" + name + "}", text)
    return raw


def texts(spec: dict, *names: str, **replace: str) -> dict:
    """The named fields of one language of a page spec; a body becomes a stream."""
    result = {}
    for name in names:
        value = spec[name]
        if name == "body":
            result[name] = stream(value, **replace)
        else:
            for key, text in replace.items():
                value = value.replace("{" + key + "}", text)
            result[name] = value
    return result
