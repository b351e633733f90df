"""Entity pages: one per place, organisation and source, listing every record that names it.

They sit out of the navigation like record pages (`not_in_nav` in mkdocs.yml) and are reached
from the records, the indexes (places, organisations, sources) and inline citations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator import citations, maps, prose
from generator.schema import Record

if TYPE_CHECKING:
    from generator.render import Page, Renderer

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


def _render(r: Renderer, src: str, page: dict[str, Any], records: list[Record], refs: prose.References) -> Page:
    page["groups"] = r.groups(src, records)
    page["count"] = len(records)
    page["references"] = r.reference_views(refs)
    page["cite"] = r.cite(src, page["title"], page["description"], [x.id for x in records])
    return r._render("entity.md.j2", src, page=page)


def place_page(r: Renderer, pid: str) -> Page:
    a = r.atlas
    p = a.places[pid]
    src = r.place_path(pid)
    refs = r.references(src)
    country = a.countries[p.country]
    records = a.records_of_place(pid)
    facts = [
        {"label": "Country", "value": country.name},
        {"label": "Coordinates (WGS84)", "value": f"{p.lat:.4f}, {p.lon:.4f} ({p.precision})"},
        {"label": "Type", "value": p.type},
    ]
    if p.geonames:
        facts.append({"label": "GeoNames", "value": r.link(f"https://www.geonames.org/{p.geonames}", str(p.geonames))})
    svg = maps.locator_svg(r.url_rel(src, f"{r.out}/assets/region.svg"), p, country) if r.with_maps else None
    page = {
        "title": p.name,
        "description": f"{p.name}, {country.name}: {len(records)} records of the atlas take place here.",
        "kicker": f"Place in {country.name}",
        "names": r.names_html(p.names),
        "facts": facts,
        "notes": r.prose(src, p.notes, refs),
        "locator_svg": svg,
        "locator_label": f"{p.name}, {country.name}",
        "index": r.rel(src, f"{r.out}/places.md"),
        "index_title": "All places",
        "full": None,
    }
    return _render(r, src, page, records, refs)


def organisation_page(r: Renderer, oid: str) -> Page:
    a = r.atlas
    o = a.organisations[oid]
    src = r.organisation_path(oid)
    refs = r.references(src)
    records = a.records_of_organisation(oid)
    facts = [{"label": "Type", "value": ORG_TYPES.get(o.type, o.type)}]
    if o.abbreviation:
        facts.append({"label": "Abbreviation", "value": o.abbreviation})
    if o.country:
        c = a.countries[o.country]
        facts.append(
            {"label": "Country", "value": r.link(r.rel(src, r.country_path(c.id)), c.name) if c.focus else c.name}
        )
    if o.url:
        facts.append({"label": "Website", "value": r.autolink(o.url)})
    page = {
        "title": o.name + (f" ({o.abbreviation})" if o.abbreviation else ""),
        "description": f"{o.name}: {len(records)} records of the atlas name this organisation.",
        "kicker": ORG_TYPES.get(o.type, o.type),
        "names": r.names_html(o.names),
        "facts": facts,
        "notes": r.prose(src, o.notes, refs),
        "locator_svg": None,
        "locator_label": "",
        "index": r.rel(src, f"{r.out}/organisations.md"),
        "index_title": "All organisations",
        "full": None,
    }
    return _render(r, src, page, records, refs)


def source_page(r: Renderer, sid: str) -> Page:
    a = r.atlas
    s = a.sources[sid]
    src = r.source_path(sid)
    refs = r.references(src)
    records = a.records_of_source(sid)
    facts = [{"label": "Type", "value": s.type}]
    if s.url:
        facts.append({"label": "Address", "value": r.autolink(s.url)})
    if s.license:
        facts.append({"label": "Licence", "value": s.license})
    if s.cited_in:
        facts.append({"label": "Cited in", "value": r.link(r.rel(src, r.source_path(s.cited_in)), r.short[s.cited_in])})
    citing = [x for x in a.sources.values() if x.cited_in == sid]
    if citing:
        facts.append(
            {
                "label": "Works it cites",
                "value": r.join_links([(r.rel(src, r.source_path(x.id)), r.short[x.id]) for x in citing]),
            }
        )
    facts.append({"label": "Core document", "value": "yes" if s.seed else "no"})
    page = {
        "title": r.short[sid],
        "description": f"{citations.source_text(s)[:200]} Cited by {len(records)} records.",
        "kicker": "Core document" if s.seed else "Work cited in a core document",
        "names": None,
        "facts": facts,
        "notes": r.prose(src, s.notes, refs),
        "locator_svg": None,
        "locator_label": "",
        "index": r.rel(src, f"{r.out}/sources.md"),
        "index_title": "All sources",
        "full": citations.source_text(s),
    }
    return _render(r, src, page, records, refs)
