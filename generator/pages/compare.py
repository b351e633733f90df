"""Compare the five states: records by kind per state (each count linking the state's per-kind page),
the key figures side by side, and records per year by country."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from generator import charts
from generator.core import facts
from generator.core.page import Page
from generator.core.paths import Paths, rel
from generator.core.site import Site
from generator.schema import KIND_LABELS, RECORD_KINDS, Record
from generator.text import fmt_number

TITLE = "Compare the five states"


@dataclass(frozen=True, kw_only=True)
class ComparePage:
    title: str
    description: str
    # the five states, in the atlas's order: name and link to the country page
    countries: list[dict[str, Any]]
    # one row per kind some state has records of: label and one cell per state ({count, href})
    kinds: list[dict[str, Any]]
    totals: list[int]  # records in which each state took part (a record of two states in both)
    region_wide: int  # records that name no state (`region: central-asia`), counted for none
    shared: int  # records in which two or more of the five took part
    figures: list[dict[str, Any]]  # label and one cell (text) per state
    chart: dict[str, Any] | None
    cite: dict[str, Any]


def keys(site: Site) -> list[None]:
    return [None]


def _figures(site: Site, per_country: list[list[Record]]) -> list[dict[str, Any]]:
    """The key figures of each state from its records, each event once (`same_as`), as in the
    country pages' infobox (core/facts.py)."""
    a = site.atlas
    events = [a.once(records) for records in per_country]
    kinds = [Counter(r.kind for r in e) for e in events]

    def years(e: list[Record]) -> str:
        ys = sorted(r.when.year for r in e if r.when is not None)
        return f"{ys[0]}–{ys[-1]}" if ys else "–"

    def of_kind(e: list[Record], kind: str) -> list[Record]:
        return [r for r in e if r.kind == kind]

    def trainees(e: list[Record]) -> str:
        training = of_kind(e, "training")
        counted = [n for r in training if (n := getattr(r, "trainees_count", None))]
        if not counted:
            return "not stated"
        return f"{fmt_number(sum(counted))} (in {len(counted)} of {len(training)} records)"

    def stated(e: list[Record], kind: str) -> str:
        return facts.stated_values(of_kind(e, kind), facts.KIND_VALUE[kind]) or "not stated"

    rows: list[dict[str, Any]] = [
        {"label": "Records (each event once)", "cells": [fmt_number(len(e)) for e in events]},
        {"label": "Years", "cells": [years(e) for e in events]},
    ]
    for kind, label in facts.KINDS:
        rows.append({"label": label, "cells": [fmt_number(k[kind]) for k in kinds]})
        if kind == "training":
            rows.append({"label": "Trainees", "cells": [trainees(e) for e in events]})
        if kind in facts.KIND_VALUE:
            label = "Stated value of transfers" if kind == "transfer" else "Stated cost of surveillance systems"
            rows.append({"label": label, "cells": [stated(e, kind) for e in events]})
    return rows


def build(site: Site, key: None = None) -> list[Page]:
    a = site.atlas
    src = site.paths.under("compare.md")
    states = a.focus_countries
    per_country = [a.records_of_country(c.id) for c in states]
    counts = [Counter(r.kind for r in records) for records in per_country]
    kinds = []
    for m in RECORD_KINDS.values():
        if not any(n[m.kind] for n in counts):
            continue  # a row of zeros says nothing
        cells = [
            {
                "count": n[m.kind],
                "href": rel(src, Paths.kind(site.paths.country(c.id), m.kind)) if n[m.kind] else None,
            }
            for c, n in zip(states, counts, strict=True)
        ]
        kinds.append({"kind": m.kind, "label": KIND_LABELS[m.kind][1], "cells": cells})
    focus = {c.id for c in states}
    records = list(a.records.values())
    description = (
        "Kazakhstan, Kyrgyzstan, Tajikistan, Uzbekistan and Turkmenistan side by side: "
        "records by kind, key figures and records per year, counted by participation."
    )
    chart, files = charts.chart_view(site, src, records, "chart-compare", "Records per year by country", by="country")
    page = ComparePage(
        title=TITLE,
        description=description,
        countries=[{"name": c.name, "href": rel(src, site.paths.country(c.id))} for c in states],
        kinds=kinds,
        totals=[len(records) for records in per_country],
        region_wide=sum(1 for r in records if r.region is not None),
        shared=sum(1 for r in records if len(focus.intersection(r.participating)) > 1),
        figures=_figures(site, per_country),
        chart=chart,
        cite=site.cite(src, TITLE, description, [r.id for r in records if focus.intersection(r.participating)]),
    )
    return [site.render("compare.md.j2", src, page=page), *files]
