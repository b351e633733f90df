"""A map's legend and filters as HTML in the page (maps.py puts it below the map's frame):
the kinds with their marker, name and count, country, years and the time slider. atlas-maps.js
enables the controls once the interactive map is drawn and keeps the counts."""

from __future__ import annotations

from html import escape as html_attr
from typing import Any

from generator.palette import KIND_STYLES
from generator.schema import Place, Record

_COUNTRIES = (
    ("", "All countries"),
    *(
        (c, n)
        for c, n in (
            ("KZ", "Kazakhstan"),
            ("KG", "Kyrgyzstan"),
            ("TJ", "Tajikistan"),
            ("UZ", "Uzbekistan"),
            ("TM", "Turkmenistan"),
        )
    ),
)


def filter_form(
    labels: dict[str, dict[str, str]],
    filters: bool,
    located: list[tuple[Record, Place | None]],
    country_level: list[dict[str, Any]],
) -> str:
    """The map's legend and filters, in the page from the start (disabled until the interactive
    map takes them over): the legend is there before the map opens, and opening the map inserts
    nothing, so the page below it never shifts. atlas-maps.js enables the controls and keeps the
    counts; the markup here is what it expects (tests/test_browser_maps.py)."""
    kinds_of: dict[str, set[str]] = {}
    years: list[int] = []
    for r, _ in located:
        kinds_of.setdefault(r.kind, set()).add(r.id)
        if r.when:
            years.append(r.when.year)
    for g in country_level:
        for row in g["r"]:
            kinds_of.setdefault(row[3], set()).add(row[0])
            if row[2]:
                years.append(row[2])
    total = len(set().union(*kinds_of.values())) if kinds_of else 0
    lo, hi = (min(years), max(years)) if years else (1990, 2030)
    out = ['<form class="atlas-filters" aria-label="Legend and filters of the map">']
    out.append('<details class="atlas-legend" open><summary>Legend: kinds of record</summary><fieldset>')
    out.append('<legend class="atlas-visually-hidden">Kinds of record shown</legend>')
    for k in (k for k in KIND_STYLES if k in labels):
        meta = labels[k]
        out.append(
            f'<label><input type="checkbox" name="kind" value="{html_attr(k)}" checked disabled>'
            f'<i class="atlas-swatch atlas-swatch--{html_attr(meta["pattern"])}" aria-hidden="true" '
            f'style="--swatch: {html_attr(meta["colour"])}"></i>{html_attr(meta["label"])}'
            f'<span class="atlas-kind-count" data-kind="{html_attr(k)}"> {len(kinds_of.get(k, ()))}</span></label>'
        )
    out.append("</fieldset>")
    if country_level:
        out.append(
            '<p class="atlas-legend-level"><i class="atlas-swatch atlas-swatch--level" aria-hidden="true"></i>'
            "Country-level records (no place given), counted in a dashed circle at the capital</p>"
        )
    out.append("</details>")
    options = "".join(f'<option value="{c}">{n}</option>' for c, n in _COUNTRIES)
    out.append(f'<select name="country" aria-label="Country" disabled{"" if filters else " hidden"}>{options}</select>')
    for name, text, hint in (("from", "From year ", lo), ("to", "to year ", hi)):
        out.append(
            f'<label class="atlas-year">{text}<input type="number" name="{name}" min="{lo}" max="{hi}" step="1" '
            f'placeholder="{hint}" disabled></label>'
        )
    if hi > lo:
        out.append(
            '<div class="atlas-time"><button type="button" class="atlas-play" aria-pressed="false" disabled>'
            "\u25b6 Play years</button>"
            f'<input type="range" name="year" min="{lo}" max="{hi}" step="1" value="{hi}" '
            'aria-label="Show records up to the year" disabled>'
            '<span class="atlas-time-year" aria-hidden="true">all years</span></div>'
        )
    out.append(f'<output role="status">{total} of {total} records on the map shown</output></form>')
    # the legend is one line on a phone: closed before the first paint, so nothing shifts
    out.append(
        "<script>(function(f){if(f&&window.matchMedia('(max-width: 600px)').matches)"
        "f.querySelector('details').open=false;})(document.currentScript.previousElementSibling);</script>"
    )
    return "\n".join(out) + "\n"
