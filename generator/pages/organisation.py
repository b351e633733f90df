"""Organisation pages: an organisation and every record that names it."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from generator import svgmaps
from generator.core import facts, network
from generator.core.entity import entity_page
from generator.core.markup import WEB, names_html
from generator.core.page import Page
from generator.core.paths import rel, url_rel
from generator.core.search import search_data
from generator.core.site import Site
from generator.prose import Cite, marker

ORG_TYPES = {
    "government": "Government body",
    "military": "Armed forces",
    "police": "Police",
    "security-service": "Security service",
    "company": "Company",
    "multilateral": "Multilateral organisation",
    "academic": "Academic institution",
    "ngo": "Non-governmental organisation",
    "media": "Media",
    "other": "Organisation",
}


def keys(site: Site) -> list[str]:
    return list(site.atlas.organisations)


def build(site: Site, oid: str) -> list[Page]:
    a = site.atlas
    o = a.organisations[oid]
    src = site.paths.organisation(oid)
    refs = site.references(src)
    records = a.records_of_organisation(oid)
    rows: list[dict[str, Any]] = [{"label": "Type", "value": ORG_TYPES.get(o.type, o.type)}]
    if o.abbreviation:
        rows.append({"label": "Abbreviation", "value": o.abbreviation})
    if o.country:
        c = a.countries[o.country]
        rows.append(
            {"label": "Country", "value": c.name, "href": url_rel(src, site.paths.country(c.id)) if c.focus else None}
        )
    found = network.partners(a, oid)
    top = [(a.organisations[x.id].name, url_rel(src, site.paths.organisation(x.id))) for x in found["organisation"][:3]]
    rows += facts.entity_infobox(site, src, records, top)
    if o.url and WEB.match(o.url):
        rows.append({"label": "Website", "links": [(o.url, o.url)], "wide": True})
    description = None
    if o.description:
        d = o.description
        n = refs.note([Cite(c.source, c.locator) for c in d.citations])
        description = Markup(site.prose(d.text, refs) + Markup(marker(n)))
    places = [a.places[p] for p in dict.fromkeys(p for r in records for p in r.places)]
    locator = None
    if places and site.with_maps:
        region = url_rel(src, site.paths.under("assets/region.svg"))
        locator = svgmaps.places_svg(region, places, f"Locator map: the places of the records naming {o.name}")
    shown = ", ".join(p.name for p in places[:6]) + (f" and {len(places) - 6} more" if len(places) > 6 else "")
    page = entity_page(
        site,
        src,
        records,
        refs,
        title=o.name + (f" ({o.abbreviation})" if o.abbreviation else ""),
        origin=a.located[("organisations", oid)].origin,
        description=f"{o.name}: {len(records)} records of the atlas name this organisation.",
        kicker=ORG_TYPES.get(o.type, o.type),
        names=names_html(o.names),
        facts=[],
        infobox=[{"links": [], "wide": False, "href": None, **row} for row in rows],
        infobox_title=f"{o.abbreviation or o.name} at a glance",
        lede=description,
        network=network.views(site, src, oid),
        notes=site.prose(o.notes, refs),
        locator_svg=locator,
        locator_label=f"Where its records take place: {shown}",
        index=rel(src, site.paths.under("organisations.md")),
        index_title="All organisations",
        full=None,
        search=search_data(
            "Organisation",
            [o.name],
            [a.countries[o.country].name] if o.country else [],
            field="organisation",
            native=o.names.values(),
            short=[o.abbreviation or "", *o.aliases],
        ),
    )
    return [page]
