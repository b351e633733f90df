"""Charts drawn at build time, legible on a phone and in dark mode.

Bars are an SVG stretched to the frame (`preserveAspectRatio="none"`, no text inside); every
word and number around them (axis ticks, years, legend) is HTML, so text keeps its CSS size
(never below 11 px) at any width and legends wrap instead of being cut. At most 8 categories
per chart, in the Okabe-Ito palette (colour-blind safe; every colour has >= 3:1 contrast on
Material's dark background, and bars carry an outline for the light one).

Counts of events never include country indicators (values, not events), and a record whose date
the source does not state goes in a "year not stated" column, not in the year of the report.
Value charts (transfer values by currency as given, cameras by place, exercise sizes) sit on the
topic pages, each with its table and CSV.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from generator.core.page import Page
from generator.core.paths import rel
from generator.palette import CHART_COLOURS, COUNTRY_CHART_COLOURS, KIND_GROUPS
from generator.schema import FOCUS, Record
from generator.text import csv_safe, fmt_number, md

if TYPE_CHECKING:
    from generator.core.site import Site

NOT_STATED = "year not stated"
MAX_SERIES = 8

_GROUP_OF = {kind: gid for gid, _, kinds in KIND_GROUPS for kind in kinds}
assert len(KIND_GROUPS) <= MAX_SERIES


def chart_year(r: Record) -> int | None:
    """The year a chart places a record in, or None when the source does not state it (the
    record then carries the report's year as `date`, with `date_basis: report`, or says "not
    stated" in `date_as_given`)."""
    if r.date_basis == "report" or (r.date_as_given or "").strip().lower().startswith("not stated"):
        return None
    d = r.when
    return d.year if d else None


def per_year_chart(
    site: Site, src: str, records: list[Record], chart_id: str, caption: str, *, by: str = "kind"
) -> dict[str, Any] | None:
    """Events per year, stacked by kind group or by country. None when there are no events."""
    atlas = site.atlas
    events = atlas.once([r for r in records if r.kind in _GROUP_OF])
    if not events:
        return None
    if by == "kind":
        keys = [gid for gid, _, _ in KIND_GROUPS if any(_GROUP_OF[r.kind] == gid for r in events)]
        labels = {gid: label for gid, label, _ in KIND_GROUPS}
        colours = CHART_COLOURS
        pairs = [(chart_year(r), _GROUP_OF[r.kind]) for r in events]
    else:
        keys = [c for c in FOCUS if any(c in r.participating for r in events)]
        labels = {k: atlas.countries[k].name for k in keys}
        colours = COUNTRY_CHART_COLOURS
        pairs = [(chart_year(r), c) for r in events for c in r.participating if c in keys]
    counts = Counter(pairs)
    years_known = [y for y, _ in pairs if y is not None]
    columns: list[int | None] = list(range(min(years_known), max(years_known) + 1)) if years_known else []
    if any(y is None for y, _ in pairs):
        columns.append(None)
    rows = [
        {
            "year": NOT_STATED if y is None else y,
            "cells": [counts[(y, k)] for k in keys],
            "total": sum(counts[(y, k)] for k in keys),
        }
        for y in columns
    ]
    series = [{"label": labels[k], "colour": colours[k]} for k in keys]
    return _chart(site, src, chart_id, caption, "Year", series, rows, _stacked_columns(rows, series, caption))


def value_charts(site: Site, src: str, records: list[Record], topic: str) -> list[dict[str, Any]]:
    """The charts of values the data holds, for the topic pages that have them."""
    out = []
    atlas = site.atlas
    if topic == "transfers":
        by_currency: dict[str, list[Record]] = defaultdict(list)
        for r in records:
            if r.kind == "transfer" and getattr(r, "value", None) is not None and getattr(r, "currency", None):
                by_currency[r.currency].append(r)  # type: ignore[attr-defined]
        for cur, rs in sorted(by_currency.items(), key=lambda kv: -len(kv[1])):
            rs = atlas.once(rs)
            keys = [c for c in FOCUS if any(c in r.participating for r in rs)]
            sums: dict[tuple[int | None, str], float] = defaultdict(float)
            for r in rs:
                named = [c for c in r.participating if c in keys]
                for c in named:  # a transfer to several states is shown once per state, not split
                    sums[(chart_year(r), c)] += r.value  # type: ignore[attr-defined]
            known = sorted({y for y, _ in sums if y is not None})
            columns: list[int | None] = list(range(known[0], known[-1] + 1)) if known else []
            if any(y is None for y, _ in sums):
                columns.append(None)
            rows = [
                {
                    "year": NOT_STATED if y is None else y,
                    "cells": [_num(sums.get((y, k), 0)) for k in keys],
                    "total": _num(sum(sums.get((y, k), 0) for k in keys)),
                }
                for y in columns
            ]
            series = [{"label": atlas.countries[k].name, "colour": COUNTRY_CHART_COLOURS[k]} for k in keys]
            caption = f"Value of transfers per year by recipient country, in {cur} as the sources give it ({len(rs)} transfers with a value; one to several states counts for each)"
            out.append(
                _chart(
                    site,
                    src,
                    f"chart-transfer-values-{cur.lower()}",
                    caption,
                    "Year",
                    series,
                    rows,
                    _stacked_columns(rows, series, caption),
                )
            )
    if topic == "surveillance":
        cams: dict[str, int] = defaultdict(int)
        n: Counter[str] = Counter()
        for r in records:
            if getattr(r, "cameras", None) and r.places:
                name = atlas.places[r.places[0]].name
                cams[name] += r.cameras  # type: ignore[attr-defined]
                n[name] += 1
        if cams:
            items = sorted(cams.items(), key=lambda kv: -kv[1])
            out.append(
                _bars(
                    site,
                    src,
                    "chart-cameras-by-place",
                    "Cameras reported per place (sum of the records that give a number)",
                    "Place",
                    "Cameras",
                    [(name, v, f"{n[name]} record{'s' if n[name] > 1 else ''}") for name, v in items],
                )
            )
    if topic == "exercises":
        sized = sorted(
            (r for r in records if r.kind == "exercise" and getattr(r, "size_total", None)),
            key=lambda r: (chart_year(r) or 0, r.id),
        )
        if sized:
            out.append(
                _bars(
                    site,
                    src,
                    "chart-exercise-sizes",
                    "Size of joint exercises: personnel taking part, where the source gives it",
                    "Exercise",
                    "Personnel",
                    [
                        (r.title, r.size_total, str(chart_year(r) or NOT_STATED))  # type: ignore[attr-defined]
                        for r in sized
                    ],
                )
            )
    return out


def _num(v: float) -> int | float:
    return int(v) if float(v).is_integer() else round(v, 2)


def _chart(
    site: Site,
    src: str,
    chart_id: str,
    caption: str,
    first: str,
    series: list[dict[str, str]],
    rows: list[dict[str, Any]],
    html: Markup,
) -> dict[str, Any]:
    csv_name = f"{chart_id}.csv"
    return {
        "id": chart_id,
        "caption": caption,
        "svg": html,
        "first": first,
        "series": [s["label"] for s in series],
        "rows": [{**r, "cells": [fmt_number(v) for v in r["cells"]], "total": fmt_number(r["total"])} for r in rows],
        "csv_href": rel(src, f"{site.out}/data/{csv_name}"),
        "csv_path": f"{site.out}/data/{csv_name}",
        "csv": _csv(first, rows, [s["label"] for s in series]),
    }


def _csv(first: str, rows: list[dict[str, Any]], series: list[str]) -> str:
    def cell(s: Any) -> str:
        s = csv_safe(s) if isinstance(s, str) else str(s)
        return '"' + s.replace('"', '""') + '"' if any(ch in s for ch in ',"\n') else s

    total = len(series) > 1
    lines = [",".join([first.lower(), *map(cell, series), *(["total"] if total else [])])]
    lines += [",".join(cell(v) for v in [r["year"], *r["cells"], *([r["total"]] if total else [])]) for r in rows]
    return "\n".join(lines) + "\n"


def _legend(series: list[dict[str, str]]) -> str:
    items = "".join(
        f'<li><i style="background:{s["colour"]}"></i>{md(s["label"])}</li>' for s in series if len(series) > 1
    )
    return f'<ul class="atlas-chart-legend">{items}</ul>' if items else ""


def _stacked_columns(rows: list[dict[str, Any]], series: list[dict[str, str]], caption: str) -> Markup:
    if not rows:
        return Markup("<p>No records.</p>")
    top = max(r["total"] for r in rows) or 1
    step = _nice_step(top)
    top = -(-top // step) * step if isinstance(top, int) else step * -(-top // step)
    n = len(rows)
    rects = []
    for i, row in enumerate(rows):
        acc = 0.0
        for s, v in zip(series, row["cells"], strict=True):
            if not v:
                continue
            h = 100 * v / top
            y = 100 - 100 * acc / top - h
            rects.append(
                f'<rect x="{i * 10 + 1}" y="{y:.2f}" width="8" height="{h:.2f}" fill="{s["colour"]}">'
                f"<title>{md(row['year'])}: {fmt_number(v)} {md(s['label'])}</title></rect>"
            )
            acc += v
    ticks = "".join(f'<span style="bottom:{100 * v / top:.1f}%">{fmt_number(v)}</span>' for v in _range(0, top, step))
    every = max(1, round(n / 7))
    nd = rows[-1]["year"] == NOT_STATED  # its label sits at the right edge, on two lines
    years = "".join(
        f'<span style="left:{100 * (i + 0.5) / n:.2f}%">{md(row["year"])}</span>'
        for i, row in enumerate(rows)
        if i % every == 0 and not (nd and i >= n - 1 - 2 * every)
    )
    if nd:
        years += f'<span class="atlas-chart-nd">{NOT_STATED}</span>'

    grid = "".join(
        f'<line x1="0" x2="{n * 10}" y1="{100 - 100 * v / top:.2f}" y2="{100 - 100 * v / top:.2f}" class="grid"/>'
        for v in _range(0, top, step)
    )
    return Markup(
        f'<div class="atlas-chart-frame" role="img" aria-label="{md(caption)}">'
        f'<div class="atlas-chart-y" aria-hidden="true">{ticks}</div>'
        f'<svg class="atlas-chart-svg" viewBox="0 0 {n * 10} 100" preserveAspectRatio="none" '
        f'xmlns="http://www.w3.org/2000/svg">{grid}{"".join(rects)}</svg>'
        f'<div class="atlas-chart-x" aria-hidden="true">{years}</div></div>' + _legend(series)
    )


def _bars(
    site: Site,
    src: str,
    chart_id: str,
    caption: str,
    first: str,
    unit: str,
    items: list[tuple[str, float, str]],
) -> dict[str, Any]:
    """Horizontal bars, one per item, label and number as HTML text (never cut: they wrap)."""
    top = max(v for _, v, _ in items) or 1
    rows_html = "".join(
        f'<div class="atlas-hbar"><span class="atlas-hbar-label">{md(label)} <small>({md(note)})</small></span>'
        f'<span class="atlas-hbar-track"><span class="atlas-hbar-bar" style="width:{100 * v / top:.1f}%"></span></span>'
        f'<span class="atlas-hbar-value">{fmt_number(v)}</span></div>'
        for label, v, note in items
    )
    html = Markup(f'<div class="atlas-hbars" role="img" aria-label="{md(caption)}">{rows_html}</div>')
    rows = [{"year": label, "cells": [v], "total": v} for label, v, _ in items]
    series = [{"label": unit, "colour": CHART_COLOURS["meetings"]}]
    return _chart(site, src, chart_id, caption, first, series, rows, html)


def _range(start: float, stop: float, step: float) -> list[float]:
    out, v = [], start
    while v <= stop + 1e-9:
        out.append(v)
        v += step
    return out


def _nice_step(top: float) -> float:
    magnitude = 1.0
    while top / (magnitude * 10) > 6:
        magnitude *= 10
    for mult in (1, 2, 2.5, 5, 10):
        if top / (magnitude * mult) <= 6:
            step = magnitude * mult
            return int(step) if float(step).is_integer() else step
    return magnitude * 10


def chart_view(
    site: Site, src: str, records: list[Record], chart_id: str, caption: str, by: str = "kind"
) -> tuple[dict[str, Any] | None, list[Page]]:
    """A per-year chart and its CSV file (none when there is nothing to chart)."""
    chart = per_year_chart(site, src, records, chart_id, caption, by=by)
    return chart, ([Page(chart["csv_path"], chart["csv"])] if chart else [])
