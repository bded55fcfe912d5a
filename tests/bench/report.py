"""Rows of results, the JSON file and the printed table."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

Row = dict[str, Any]


def row(
    scenario: str,
    metric: str,
    value: float,
    unit: str,
    *,
    baseline: float | None = None,
    target: str | None = None,
    met: bool | None = None,
    ratio: float | None = None,
    note: str = "",
    compare: bool = True,
) -> Row:
    if compare and ratio is None and baseline:
        ratio = value / baseline
    return {
        "scenario": scenario,
        "metric": metric,
        "value": _round(value),
        "unit": unit,
        "baseline": _round(baseline),
        "ratio": _round(ratio, 3),
        "target": target,
        "met": met,
        "note": note,
    }


def _round(x: float | None, digits: int = 2) -> float | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return round(x, digits)


def write_json(rows: list[Row], path: Path) -> None:
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def table(rows: list[Row]) -> str:
    headers = ["scenario", "metric", "value", "unit", "baseline", "ratio", "target", "met"]
    cells = [headers]
    for r in rows:
        met = {True: "yes", False: "NO", None: ""}[r["met"]]
        cells.append(
            [
                r["scenario"],
                r["metric"],
                _fmt(r["value"]),
                r["unit"],
                _fmt(r["baseline"]),
                _fmt(r["ratio"]),
                r["target"] or "",
                met,
            ]
        )
    widths = [max(len(str(line[i])) for line in cells) for i in range(len(headers))]
    numeric = {2, 4, 5}
    lines = []
    for n, line in enumerate(cells):
        parts = [
            str(c).rjust(w) if i in numeric and n else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:g}"
