"""The computed part of the home page, docs/index.md (`--8<-- "atlas/_includes/home.md"`):
headline figures, the map, countries, topics, core documents and the newest records. The home
page itself is the editors' Markdown; links here are relative to docs/index.md."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from generator import bibliography, maps
from generator.core import views
from generator.core.markup import names_html
from generator.core.page import Page
from generator.core.paths import rel
from generator.core.site import Site
from generator.model import Atlas
from generator.schema import KIND_LABELS, Record
from generator.text import fmt_number

HOME_LATEST = 6


@dataclass(frozen=True, kw_only=True)
class HomeInclude:
    figures: list[dict[str, Any]]
    map: dict[str, Any]
    countries: list[dict[str, Any]]
    topics: list[dict[str, Any]]
    seeds: list[dict[str, Any]]
    latest: list[dict[str, Any]]
    explore: str
    methodology: str
    glossary: str
    conflicts: str
    cite: str
    edition: str
    edition_date: str


def keys(site: Site) -> list[None]:
    return [None]


def _figures(site: Site, records_count: Counter[str]) -> list[dict[str, Any]]:
    cov = views.coverage(site.atlas)
    return [
        {"value": cov["records"], "label": "cited records"},
        {"value": f"{cov['first_year']}–{cov['last_year']}", "label": "years covered"},
        *(
            {"value": fmt_number(records_count[k]), "label": KIND_LABELS[k][1][:1].lower() + KIND_LABELS[k][1][1:]}
            for k in ("meeting", "exercise", "training", "programme", "transfer", "surveillance")
            if records_count[k]
        ),
        {"value": fmt_number(cov["places"]), "label": "places"},
        {"value": fmt_number(cov["sources"]), "label": "sources cited"},
    ]


def _events(a: Atlas, records: list[Record]) -> list[Record]:
    """Dated events, newest first: not figures or claims, not records dated by an article or the
    report that mentions them (`date_basis`), each event once."""
    return a.once([x for x in records if x.charted and x.when is not None and x.date_basis in (None, "stated")])


def build(site: Site, key: None = None) -> list[Page]:
    a = site.atlas
    src = "index.md"  # the page that includes it
    records = list(a.records.values())
    countries = []
    for c in a.focus_countries:
        rs = a.records_of_country(c.id)
        years = [x.when.year for x in rs if x.when]
        countries.append(
            {
                "name": c.name,
                "href": rel(src, site.paths.country(c.id)),
                "count": len(a.once(rs)),
                "years": f"{min(years)}–{max(years)}" if years else "",
                "names": names_html(c.names),
            }
        )
    the_map, files = maps.map_view(
        site, src, records, "map-home", rel(src, site.paths.under("records/index.md")), filters=False
    )
    page = HomeInclude(
        figures=_figures(site, Counter(x.kind for x in a.once(records))),
        map=the_map,
        countries=countries,
        topics=[
            {"title": t.title, "href": rel(src, site.paths.topic(t.id)), "count": len(a.records_of_topic(t.id))}
            for t in a.topics.values()
        ],
        seeds=[
            {
                "short": site.short[s.id],
                "href": rel(src, site.paths.source(s.id)),
                "full": bibliography.source_text(s),
                "count": len(a.cited_by.get(s.id, [])),
            }
            for s in a.sources.values()
            if s.seed
        ],
        latest=[
            {
                "title": x.title,
                "href": rel(src, site.paths.record(x.id)),
                "date": views.date_label(x),
                "kind": KIND_LABELS[x.kind][0],
                "detail": views.detail(site, x),
            }
            for x in _events(a, records)[:HOME_LATEST]
        ],
        explore=rel(src, site.paths.under("index.md")),
        methodology=rel(src, site.paths.under("methodology.md")),
        glossary=rel(src, site.paths.under("glossary.md")),
        conflicts=rel(src, site.paths.under("conflicts.md")),
        cite=rel(src, "cite.md"),
        edition=site.cfg.edition,
        edition_date=site.cfg.edition_date,
    )
    return [site.render("includes/home.md.j2", site.paths.under("_includes/home.md"), page=page, map=page.map), *files]
