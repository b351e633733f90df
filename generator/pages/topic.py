"""Topic pages: the essay, key figures, map, charts (per year and of values) and records by kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator import charts, maps, prose
from generator.core import views
from generator.core.page import Page
from generator.core.paths import rel
from generator.core.search import search_data
from generator.core.site import Site


@dataclass(frozen=True, kw_only=True)
class TopicPage:
    title: str
    description: str
    lead: Markup
    essay: Markup
    figures: list[dict[str, Any]]
    map: dict[str, Any]
    chart: dict[str, Any] | None
    value_charts: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    csv_href: str
    json_href: str
    references: list[dict[str, Any]]
    endnotes: list[dict[str, Any]]  # the Notes: one per note marker in the page's prose
    cite: dict[str, Any]
    search: Markup


def keys(site: Site) -> list[str]:
    return list(site.atlas.topics)


def build(site: Site, tid: str) -> list[Page]:
    a = site.atlas
    t = a.topics[tid]
    src = site.paths.topic(tid)
    records = a.records_of_topic(tid)
    refs = site.references(src)
    description = prose.plain(t.description or t.title, a)[:300]
    lead = site.prose(t.description, refs)
    essay = site.prose(a.essays.topics.get(tid), refs)
    the_map, files = maps.map_view(site, src, records, f"map-{tid}", None)
    chart = None
    if any(r.charted and r.date for r in records):  # a topic of figures and claims only has no per-year chart
        caption = f"{t.title}: records per year by country"
        chart, more = charts.chart_view(site, src, records, f"chart-{tid}", caption, by="country")
        files += more
    value_charts = charts.value_charts(site, src, records, tid)
    files += [Page(c["csv_path"], c["csv"]) for c in value_charts]
    page = TopicPage(
        title=t.title,
        description=description,
        lead=lead,
        essay=essay,
        figures=views.figures(a, records),
        map=the_map,
        chart=chart,
        value_charts=value_charts,
        groups=views.groups(site, src, records, latest=views.LATEST),
        csv_href=rel(src, f"downloads/topics/{tid}.csv"),
        json_href=rel(src, f"downloads/topics/{tid}.json"),
        references=site.reference_views(refs),
        endnotes=site.note_views(refs),
        cite=site.cite(src, t.title, description, [r.id for r in records], origin=_origin(site, tid)),
        search=search_data("Topic", [t.title, t.short or "", *t.aliases]),
    )
    return [site.render("topic.md.j2", src, t=t, page=page, map=page.map), *files]


def _origin(site: Site, tid: str) -> str:
    """What "edit this page" opens: the topic's essay, else its entry in topics.yaml."""
    essay = site.atlas.essays.topics.get(tid)
    return essay.file if essay else site.atlas.located[("topics", tid)].origin
