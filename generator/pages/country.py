"""Country pages: the essay, key figures, map, chart and the newest records of each kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator import charts, maps, svgmaps
from generator.core import facts, views
from generator.core.markup import names_html
from generator.core.page import Page
from generator.core.paths import rel, url_rel
from generator.core.search import entity_names, search_data
from generator.core.site import Site


@dataclass(frozen=True, kw_only=True)
class CountryPage:
    title: str
    description: str
    names: Markup
    lede: Markup  # the essay's first paragraph, then the infobox, then the rest of the essay
    essay: Markup
    infobox: list[dict[str, Any]]
    figures: list[dict[str, Any]]
    map: dict[str, Any]
    chart: dict[str, Any] | None
    groups: list[dict[str, Any]]
    # records tagged with the country in a role other than taking part (crossed, named, ...)
    named: list[dict[str, Any]]
    value_charts: list[dict[str, Any]]
    print_map: Markup | None
    url: str
    print_cite: str
    csv_href: str
    compare_href: str
    json_href: str
    references: list[dict[str, Any]]
    endnotes: list[dict[str, Any]]  # the Notes: one per note marker in the page's prose
    cite: dict[str, Any]
    search: Markup


def keys(site: Site) -> list[str]:
    return [c.id for c in site.atlas.focus_countries]


def build(site: Site, code: str) -> list[Page]:
    a, cfg = site.atlas, site.cfg
    c = a.countries[code]
    src = site.paths.country(code)
    records = a.records_of_country(code)
    refs = site.references(src)
    lede, _, essay = site.prose(a.essays.countries.get(c.slug) or c.overview, refs).strip().partition("\n\n")
    description = (
        f"China's security engagement with {c.name}: {len(records)} cited records with maps, timelines and sources."
    )
    the_map, files = maps.map_view(site, src, records, f"map-{c.slug}", None, country=c)
    chart, chart_files = charts.chart_view(site, src, records, f"chart-{c.slug}", f"{c.name}: records per year by kind")
    places = list({p.id: p for r in records if (p := a.place_of(r))}.values())
    page = CountryPage(
        title=c.name,
        description=description,
        names=names_html(c.names),
        lede=Markup(lede),
        essay=Markup(essay),
        infobox=facts.infobox(site, src, records),
        figures=views.figures(a, records),
        map=the_map,
        chart=chart,
        groups=views.groups(site, src, records, latest=views.LATEST),
        named=[views.row(site, src, r) for r in a.records_naming_country(code)],
        value_charts=[],
        print_map=svgmaps.country_svg(url_rel(src, site.paths.under("assets/region.svg")), c, places, cfg.url(src))
        if site.with_maps
        else None,
        url=cfg.url(src),
        print_cite=f"{c.name}. {cfg.site_name}, edition {cfg.edition} ({cfg.edition_date}). {cfg.url(src)}",
        csv_href=rel(src, f"downloads/countries/{c.slug}.csv"),
        compare_href=rel(src, site.paths.under("compare.md")),
        json_href=rel(src, f"downloads/countries/{c.slug}.json"),
        references=site.reference_views(refs),
        endnotes=site.note_views(refs),
        cite=site.cite(src, c.name, description, [r.id for r in records], origin=_origin(site, code)),
        search=search_data("Country", entity_names(c.name, c.aliases), [c.name], native=c.names.values()),
    )
    return [site.render("country.md.j2", src, c=c, page=page, map=page.map), *files, *chart_files]


def _origin(site: Site, code: str) -> str:
    """What "edit this page" opens: the country's essay, else its entry in countries.yaml."""
    a = site.atlas
    essay = a.essays.countries.get(a.countries[code].slug)
    return essay.file if essay else a.located[("countries", code)].origin
