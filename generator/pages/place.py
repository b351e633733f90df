"""Place pages: a place, its locator map and every record that takes place there."""

from __future__ import annotations

from collections import Counter
from typing import Any

from generator import svgmaps
from generator.core import facts
from generator.core.entity import entity_page
from generator.core.markup import names_html
from generator.core.page import Page
from generator.core.paths import rel, url_rel
from generator.core.search import entity_names, search_data
from generator.core.site import Site
from generator.model import organisations_of


def keys(site: Site) -> list[str]:
    return list(site.atlas.places)


def build(site: Site, pid: str) -> list[Page]:
    a = site.atlas
    p = a.places[pid]
    src = site.paths.place(pid)
    refs = site.references(src)
    country = a.countries[p.country]
    records = a.records_of_place(pid)
    rows: list[dict[str, Any]] = [
        {
            "label": "Country",
            "value": country.name,
            "href": url_rel(src, site.paths.country(country.id)) if country.focus else None,
        },
        {"label": "Type", "value": p.type},
        {"label": "Coordinates (WGS84)", "value": f"{p.lat:.4f}, {p.lon:.4f} ({p.precision})", "wide": True},
    ]
    if p.geonames:
        rows.append({"label": "GeoNames", "value": str(p.geonames), "href": f"https://www.geonames.org/{p.geonames}"})
    partners = Counter(o for r in a.once(records) for o in organisations_of(r))
    top = [
        (a.organisations[o].name, url_rel(src, site.paths.organisation(o)))
        for o, _ in sorted(partners.items(), key=lambda x: (-x[1], a.organisations[x[0]].name.casefold()))[:3]
    ]
    rows += facts.entity_infobox(site, src, records, top)
    region = url_rel(src, site.paths.under("assets/region.svg"))
    page = entity_page(
        site,
        src,
        records,
        refs,
        title=p.name,
        origin=site.atlas.located[("places", pid)].origin,
        description=f"{p.name}, {country.name}: {len(records)} records of the atlas take place here.",
        kicker=f"Place in {country.name}",
        names=names_html(p.names),
        facts=[],
        infobox=[{"links": [], "wide": False, "href": None, **row} for row in rows],
        infobox_title=f"{p.name} at a glance",
        notes=site.prose(p.notes, refs),
        locator_svg=svgmaps.locator_svg(region, p, country) if site.with_maps else None,
        locator_label=f"{p.name}, {country.name}",
        index=rel(src, site.paths.under("places.md")),
        index_title="All places",
        full=None,
        search=search_data("Place", entity_names(p.name, p.aliases), [country.name], native=p.names.values()),
    )
    return [page]
