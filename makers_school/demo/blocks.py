"""Helpers that build StreamField raw data with the block names of cms.blocks."""

import json


def paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def heading(text: str, size: str = "h2") -> dict:
    return {"type": "heading", "value": {"heading_text": text, "size": size}}


def callout(title: str, html: str, style: str = "info") -> dict:
    return {"type": "callout", "value": {"title": title, "text": html, "style": style}}


def quote(text: str, attribution: str = "") -> dict:
    return {"type": "quote", "value": {"text": text, "attribution": attribution}}


def key_figures(*figures: tuple[str, str]) -> dict:
    return {
        "type": "key_figures",
        "value": {"figures": [{"value": v, "label": label} for v, label in figures]},
    }


def stream(*blocks: dict) -> str:
    """Serialise blocks as the JSON a StreamField accepts on assignment."""
    return json.dumps(list(blocks))
