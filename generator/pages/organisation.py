"""Organisation pages: an organisation and every record that names it."""

from __future__ import annotations

from typing import Any

from generator.core.entity import entity_page
from generator.core.markup import autolink, link, names_html
from generator.core.page import Page
from generator.core.paths import rel
from generator.core.search import search_data
from generator.core.site import Site

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
    facts: list[dict[str, Any]] = [{"label": "Type", "value": ORG_TYPES.get(o.type, o.type)}]
    if o.abbreviation:
        facts.append({"label": "Abbreviation", "value": o.abbreviation})
    if o.country:
        c = a.countries[o.country]
        facts.append(
            {"label": "Country", "value": link(rel(src, site.paths.country(c.id)), c.name) if c.focus else c.name}
        )
    if o.url:
        facts.append({"label": "Website", "value": autolink(o.url)})
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
        facts=facts,
        notes=site.prose(o.notes, refs),
        locator_svg=None,
        locator_label="",
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
