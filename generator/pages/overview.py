"""The overview ("Explore the atlas"): key figures, the map with filters, countries by kind, topics, charts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from generator import charts, maps, prose
from generator.core import views
from generator.core.page import Page
from generator.core.paths import rel
from generator.core.site import Site
from generator.schema import KIND_LABELS, RECORD_KINDS


@dataclass(frozen=True, kw_only=True)
class OverviewPage:
    title: str
    description: str
    figures: list[dict[str, Any]]
    map: dict[str, Any]
    kinds: list[dict[str, Any]]
    country_rows: list[dict[str, Any]]
    topics: list[dict[str, Any]]
    charts: list[dict[str, Any]]
    cite: dict[str, Any]


def keys(site: Site) -> list[None]:
    return [None]


def build(site: Site, key: None = None) -> list[Page]:
    a = site.atlas
    src = site.paths.under("index.md")
    records = list(a.records.values())
    per_country = {c.id: Counter(r.kind for r in a.records_of_country(c.id)) for c in a.focus_countries}
    # the kinds some focus country has records of: a column of zeros in every row says nothing
    kinds = [m.kind for m in RECORD_KINDS.values() if any(n[m.kind] for n in per_country.values())]
    rows = []
    for c in a.focus_countries:
        counts = per_country[c.id]
        rows.append(
            {
                "name": c.name,
                "href": rel(src, site.paths.country(c.id)),
                "cells": [counts[k] for k in kinds],
                "total": sum(counts.values()),
            }
        )
    description = (
        f"An atlas of {len(records)} cited records of China's security engagement with the five Central Asian states."
    )
    the_map, files = maps.map_view(
        site, src, records, "map-overview", rel(src, site.paths.under("records/index.md")), filters=True
    )
    meetings = a.records_of_kind("meeting")
    exercises_training = [r for r in records if r.kind in ("exercise", "training", "programme")]
    made = []
    for chart_records, chart_id, caption, by in (
        (records, "chart-all", "Records per year by kind (country indicators not counted)", "kind"),
        (meetings, "chart-meetings", "Security meetings per year by country", "country"),
        (exercises_training, "chart-exercises-training", "Exercises and training per year by kind", "kind"),
    ):
        chart, more = charts.chart_view(site, src, chart_records, chart_id, caption, by=by)
        files += more
        if chart:
            made.append(chart)
    page = OverviewPage(
        title="Explore the atlas",
        description=description,
        figures=views.figures(a, records),
        map=the_map,
        kinds=[{"label": KIND_LABELS[k][1]} for k in kinds],
        country_rows=rows,
        topics=[
            {
                "title": t.title,
                "href": rel(src, site.paths.topic(t.id)),
                "count": len(a.records_of_topic(t.id)),
                "description": prose.plain(t.description or "", a),
            }
            for t in a.topics.values()
        ],
        charts=made,
        cite=site.cite(src, "Explore the atlas", description, list(a.records)),
    )
    return [site.render("overview.md.j2", src, page=page, map=page.map), *files]
