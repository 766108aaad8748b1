"""Rows of the benchmark table, the printed table and bench/results.json."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

RESULTS_PATH = Path(__file__).resolve().parent / "results.json"


@dataclass
class Row:
    """One figure of the table.

    value is a number, or None when the figure could not be measured (then meets
    is False and note says why). target is free text ("<= 200", ">= 0.7", "= 9");
    meets is None for informational rows that have no target. load: the host's
    1-minute load average when the figure was taken (bench.rigour); invalid: it
    was taken at a load >= the number of CPUs, so it says little.
    """

    name: str
    value: float | int | None
    unit: str
    target: str = ""
    meets: bool | None = None
    note: str = ""
    load: float | None = None
    invalid: bool = False

    def as_json(self) -> dict:
        data = asdict(self)
        for key in ("note", "load", "invalid"):
            if data[key] in ("", None, False):
                data.pop(key)
        return data


def error_row(name: str, error: BaseException | str) -> Row:
    """A row that says a figure could not be measured, and why."""
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return Row(name=name, value=None, unit="", target="", meets=False, note=text[:300])


def _format_value(value) -> str:
    if value is None:
        return "ERROR"
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _format_meets(meets: bool | None, invalid: bool = False) -> str:
    text = {True: "yes", False: "NO", None: "-"}[meets]
    return f"{text} (invalid: load)" if invalid else text


def render_table(rows: list[Row]) -> str:
    headers = ("figure", "measured", "unit", "target", "meets", "load")
    cells = [
        (
            r.name,
            _format_value(r.value),
            r.unit,
            r.target or "-",
            _format_meets(r.meets, r.invalid),
            "-" if r.load is None else f"{r.load:.2f}",
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]

    def line(values) -> str:
        parts = []
        for i, value in enumerate(values):
            right = i in (1, 5)
            parts.append(value.rjust(widths[i]) if right else value.ljust(widths[i]))
        return "| " + " | ".join(parts) + " |"

    out = [line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out.extend(line(c) for c in cells)
    notes = [f"  * {r.name}: {r.note}" for r in rows if r.note]
    if notes:
        out.append("")
        out.append("notes:")
        out.extend(notes)
    return "\n".join(out)


def write_results(rows: list[Row], path: Path = RESULTS_PATH) -> Path:
    path.write_text(json.dumps([r.as_json() for r in rows], indent=2) + "\n")
    return path
