"""Static SVG charts drawn at build time: records per year, stacked by kind or by country."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from generator.palette import COUNTRY_COLOURS, KIND_COLOURS
from generator.schema import FOCUS, KIND_LABELS, RECORD_KINDS, Record
from generator.text import csv_safe, md

if TYPE_CHECKING:
    from generator.render import Renderer

W, H, PAD_L, PAD_B, PAD_T = 720, 240, 36, 28, 10


def per_year_chart(
    renderer: Renderer, src: str, records: list[Record], chart_id: str, caption: str, *, by: str = "kind"
) -> dict[str, Any]:
    atlas = renderer.atlas
    # Figures and claims are not events, nor is a record dated only by its report's date: a chart
    # of events per year leaves them out.
    dated = [r for r in records if r.date and r.charted and r.date_basis != "report"]
    if by == "kind":
        keys = [m.kind for m in RECORD_KINDS.values() if any(r.kind == m.kind for r in dated)]
        labels = {k: KIND_LABELS[k][1] for k in keys}
        colours = KIND_COLOURS
        pairs = [(r.date.year, r.kind) for r in dated if r.date]
    else:
        keys = [c for c in FOCUS if any(c in r.countries for r in dated)]
        labels = {k: atlas.countries[k].name for k in keys}
        colours = COUNTRY_COLOURS
        pairs = [(r.date.year, c) for r in dated if r.date for c in r.countries if c in keys]
    counts = Counter(pairs)
    years = list(range(min(y for y, _ in pairs), max(y for y, _ in pairs) + 1)) if pairs else []
    rows = [
        {"year": y, "cells": [counts[(y, k)] for k in keys], "total": sum(counts[(y, k)] for k in keys)} for y in years
    ]
    csv_name = f"{chart_id}.csv"
    return {
        "id": chart_id,
        "caption": caption,
        "svg": _svg(rows, keys, labels, colours, caption),
        "series": [labels[k] for k in keys],
        "rows": rows,
        "csv_href": renderer.rel(src, f"{renderer.out}/data/{csv_name}"),
        "csv_path": f"{renderer.out}/data/{csv_name}",
        "csv": _csv(rows, [labels[k] for k in keys]),
    }


def _csv(rows: list[dict[str, Any]], series: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([csv_safe(v) for v in ["year", *series, "total"]])
    w.writerows([r["year"], *r["cells"], r["total"]] for r in rows)
    return buf.getvalue()


def _svg(
    rows: list[dict[str, Any]], keys: list[str], labels: dict[str, str], colours: dict[str, str], caption: str
) -> Markup:
    if not rows:
        return Markup("<p>No dated records.</p>")
    top = max(r["total"] for r in rows) or 1
    step = _nice_step(top)
    top = ((top + step - 1) // step) * step
    plot_w, plot_h = W - PAD_L - 8, H - PAD_B - PAD_T
    bw = plot_w / len(rows)
    parts = [
        f'<svg class="atlas-chart-svg" viewBox="0 0 {W} {H + 22 * ((len(keys) + 3) // 4)}" role="img" aria-label="{md(caption)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for v in range(0, top + 1, step):
        y = PAD_T + plot_h - plot_h * v / top
        parts.append(
            f'<line x1="{PAD_L}" x2="{W - 8}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/><text x="{PAD_L - 4}" y="{y + 4:.1f}" class="ytick">{v}</text>'
        )
    label_every = max(1, round(len(rows) / 12))
    for i, row in enumerate(rows):
        x = PAD_L + i * bw
        acc = 0
        for k, v in zip(keys, row["cells"], strict=True):
            if not v:
                continue
            h = plot_h * v / top
            y = PAD_T + plot_h - plot_h * acc / top - h
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{max(bw - 2, 1):.1f}" height="{h:.1f}" fill="{colours[k]}"><title>{row["year"]}: {v} {md(labels[k])}</title></rect>'
            )
            acc += v
        if i % label_every == 0:
            parts.append(f'<text x="{x + bw / 2:.1f}" y="{H - PAD_B + 16}" class="xtick">{row["year"]}</text>')
    for j, k in enumerate(keys):
        lx, ly = PAD_L + (j % 4) * 170, H + 8 + 22 * (j // 4)
        parts.append(
            f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{colours[k]}" stroke="#333" stroke-width=".5"/><text x="{lx + 17}" y="{ly + 11}" class="legend">{md(labels[k])}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500):
        if top / step <= 6:
            return step
    return 1000
