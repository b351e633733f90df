"""The explorer: every record with facets, a map and a per-year chart, in one page.

The page holds a plain table of every record inside `<noscript>` (parsed as nodes only when
scripts are off) and an empty frame that `docs/assets/atlas/atlas-explore.js` fills from two side
files: the facets' data (`explore/data.json`, one compact row per record, fetched once) and each
record's citation as its page gives it (`explore/cite.json`, BibTeX and RIS, fetched only when a
reader downloads those). The CSV, JSON and GeoJSON of a selection are cut from the published
downloads (`downloads/records.*`) in the browser, so they are those files' own rows.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator import cite
from generator.core import views
from generator.core.page import Page
from generator.core.paths import rel, url_rel
from generator.core.site import Site
from generator.model import organisations_of
from generator.palette import CHART_COLOURS, KIND_COLOURS
from generator.schema import FOCUS, KIND_LABELS, Record
from generator.text import json_for_html

DATA = "explore/data.json"
CITES = "explore/cite.json"
PAGE_SIZE = 50

# How sure the date is: to the day, month or year; a publication's date standing in for the
# event's (date_basis article or report); or none.
DATE_CERTAINTY = {
    "day": "Day known",
    "month": "Month known",
    "year": "Year only",
    "publication": "Publication date, not the event's",
    "none": "Undated",
}
PLACE_PRECISION = {
    "exact": "Exact place",
    "approximate": "Approximate place",
    "region": "Region or country only",
    "none": "No place given",
}
REGION = "CA"  # records of the region as a whole (no state named)


@dataclass(frozen=True, kw_only=True)
class ExplorePage:
    title: str
    description: str
    count: int
    edition: str
    rows: list[dict[str, Any]]
    config: Markup  # JSON for the script, escaped for an HTML attribute: where its files are, the page size
    downloads_md: str  # the downloads page, as a Markdown link
    downloads_url: str  # and as a browser URL (for the raw HTML)
    cite: dict[str, Any]


def keys(site: Site) -> list[None]:
    return [None]


def _certainty(r: Record) -> str:
    d = r.when
    if d is None:
        return "none"
    if r.date_basis in ("article", "report"):
        return "publication"
    return "day" if d.day else "month" if d.month else "year"


class _Index:
    """Values of one facet, numbered in order of first use."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def __call__(self, key: str) -> int:
        return self.ids.setdefault(key, len(self.ids))


def data(site: Site, src: str) -> dict[str, Any]:
    """The explorer's data: one compact row per record, the facets' values as tables it indexes.

    A row: [id, title, kind, date, countries, topics, organisations, places, sources, conflict,
    date certainty]; kinds, topics, organisations, places and sources are indexes into their
    tables; countries are the participating focus states as the country pages count them (or
    "CA" for a record of the region as a whole)."""
    a = site.atlas
    topics, orgs, places, sources = _Index(), _Index(), _Index(), _Index()
    kinds = [k for k in KIND_LABELS if a.records_of_kind(k)]
    rows = []
    for r in a.records.values():
        d = r.when
        countries = [c for c in r.participating if c in FOCUS] or ([REGION] if r.region else [])
        rows.append(
            [
                r.id,
                r.title,
                kinds.index(r.kind),
                d.iso if d else "",
                ",".join(countries),
                [topics(t) for t in r.topic_ids if t in a.topics],
                [orgs(o) for o in organisations_of(r) if o in a.organisations],
                [places(p) for p in r.places if p in a.places],
                [sources(s) for s in dict.fromkeys(c.source for c in r.citations)],
                1 if r.conflicts else 0,
                list(DATE_CERTAINTY).index(_certainty(r)),
            ]
        )
    record_href = url_rel(src, site.paths.record("RID"))
    return {
        "edition": site.eds.current,
        "record": record_href,
        "kinds": [[k, KIND_LABELS[k][1], KIND_COLOURS.get(k, "#777777")] for k in kinds],
        "countries": [
            *([c.id, c.name] for c in a.focus_countries),
            [REGION, views.REGION_LABELS["central-asia"]],
        ],
        "topics": [[t, a.topics[t].title] for t in topics.ids],
        "orgs": [[o, a.organisations[o].name] for o in orgs.ids],
        "places": [
            [p, a.places[p].name, round(a.places[p].lat, 3), round(a.places[p].lon, 3), a.places[p].precision]
            for p in places.ids
        ],
        "sources": [[s, site.short[s]] for s in sources.ids],
        "certainty": list(DATE_CERTAINTY.items()),
        "precision": list(PLACE_PRECISION.items()),
        "colour": CHART_COLOURS["meetings"],
        "records": rows,
    }


def citations(site: Site) -> dict[str, list[str]]:
    """Each record's BibTeX and RIS entries, as its page's "Cite this record" block gives them."""
    out = {}
    for r in site.atlas.records.values():
        src = site.paths.record(r.id)
        ref, _ = site.cite_ref(
            src, views.cite_title(site, r.id), views.record_description(site, r), [r.id], key=r.id, record=r.id
        )
        item = cite.csl_item(ref)
        # the BibTeX as the record's page shows and downloads it (Markdown expands its tabs)
        out[r.id] = [cite.bibtex(item).expandtabs(4), cite.ris(item)]
    return out


def _selection_cite(site: Site) -> dict[str, str]:
    """The parts of the selection's own citation that the script cannot escape itself."""
    name = site.cfg.site_name
    return {
        "name": name,
        "publisher": site.cfg.publisher,
        "bib_name": cite.latex_escape(name),
        "bib_publisher": cite.latex_escape(site.cfg.publisher),
        "date": site.eds.current_date,
    }


def build(site: Site, key: None = None) -> list[Page]:
    src = site.paths.under("explore.md")
    a = site.atlas
    rows = [views.row(site, src, r) for r in a.records.values()]
    title = "Explore all records"
    description = (
        "Every record of the atlas with filters by country, kind, topic, years, organisation, place, "
        "source and certainty, a map and a chart that follow them, and the selection as CSV, JSON, "
        "GeoJSON, BibTeX or RIS."
    )
    data_path, cites_path = f"{site.out}/{DATA}", f"{site.out}/{CITES}"
    config: dict[str, object] = {
        "data": url_rel(src, data_path),
        "script": url_rel(src, "assets/atlas/atlas-explore.js"),
        "cite": url_rel(src, cites_path),
        "csv": url_rel(src, "downloads/records.csv"),
        "json": url_rel(src, "downloads/records.json"),
        "geojson": url_rel(src, "downloads/records.geojson"),
        "basemap": url_rel(src, "assets/atlas/basemap.geojson"),
        "leaflet": [
            url_rel(src, f"assets/{p}")
            for p in ("vendor/leaflet/leaflet.css", "vendor/leaflet/leaflet.js", "atlas/atlas-maps.js")
        ],
        "page": PAGE_SIZE,
        "selection": _selection_cite(site),
    }
    page = ExplorePage(
        title=title,
        description=description,
        count=len(rows),
        edition=site.eds.current,
        rows=rows,
        config=Markup(html.escape(json_for_html(config), quote=True)),
        downloads_md=rel(src, site.paths.under("downloads.md")),
        downloads_url=url_rel(src, site.paths.under("downloads.md")),
        cite=site.cite(src, title, description, list(a.records)),
    )
    return [
        site.render("explore.md.j2", src, page=page),
        Page(data_path, json_for_html(data(site, src)) + "\n"),
        Page(cites_path, json_for_html(citations(site)) + "\n"),
    ]
