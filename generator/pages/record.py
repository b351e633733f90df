"""Record pages: one per record, with its facts, sources, conflicts, related records and history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator import bibliography, svgmaps
from generator.core import views
from generator.core.markup import named_links
from generator.core.page import Page
from generator.core.paths import rel, url_rel
from generator.core.search import search_data
from generator.core.site import Site
from generator.fieldtypes import ROLE_LABELS
from generator.schema import KIND_LABELS, Record
from generator.text import md


@dataclass(frozen=True, kw_only=True)
class RecordPage:
    title: str
    description: str
    publisher: str
    edition: str
    edition_date: str
    site_name: str
    url: str
    kind_label: str
    date_label: str
    countries: list[dict[str, Any]]
    region: str | None
    facts: list[dict[str, Any]]
    topics: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    citations: list[dict[str, Any]]
    related: list[dict[str, Any]]
    locator_svg: Markup | None
    place_label: str
    history: dict[str, Any]
    origin: str
    summary: Markup
    notes: Markup
    references: list[dict[str, Any]]
    endnotes: list[dict[str, Any]]  # the Notes: one per note marker in the page's prose
    cite: dict[str, Any]
    search: Markup


def keys(site: Site) -> list[str]:
    return list(site.atlas.records)


def build(site: Site, rid: str) -> list[Page]:
    """A record's page; in the preview (a memo), the page of the last build while nothing it shows
    has changed since (`inputs`)."""
    r = site.atlas.records[rid]
    if site.memo is None:
        return [_page(site, r)]
    return [site.memo.page(("record", rid), inputs(site, r), lambda: _page(site, r))]


def inputs(site: Site, r: Record) -> tuple[Any, ...] | None:
    """Everything a record page is made from: the record (and its file:line), the records it
    links to, its editions history, and the rest of the atlas and the site as one digest.
    None when the page has figures computed from all records (`[[count ...]]` in its text)."""
    dump = site.dump(r.id)
    if "[[" in dump:
        return None
    a = site.atlas
    return (
        site.digest(),
        dump,
        a.origin(r.id),
        repr(site.eds.histories.get(r.id)),
        site.eds.stamp([r.id]),
        views.cite_title(site, r.id),  # longer where another record has the same title
        tuple((x, site.dump(x)) for x in [*a.related.get(r.id, []), *(d.record for d in r.distinct_from)]),
    )


# facts that name other records: a search for those finds them, not this one
NOT_SEARCHED = {"Same event as", "Not the same as"}


def _facts(site: Site, src: str, r: Record) -> list[dict[str, Any]]:
    a = site.atlas
    facts: list[dict[str, Any]] = [
        {
            "label": "Date",
            "value": views.date_label(r) + views.as_given(r) + views.DATE_BASIS.get(r.date_basis or "", ""),
        }
    ]
    if r.places:
        places = [(a.places[p].name, rel(src, site.paths.place(p)), a.places[p].names) for p in r.places]
        facts.append({"label": "Places", "value": named_links(places)})
    if r.organisations:
        facts.append({"label": "Organisations", "value": site.org_links(src, r.organisations)})
    if r.attributed_to:
        facts.append({"label": "Attributed to", "value": f"{r.attributed_to} (as the source reports it)"})
    if r.same_as:
        links = ", ".join(f"[{md(a.records[x].title)}]({rel(src, site.paths.record(x))})" for x in r.same_as)
        facts.append({"label": "Same event as", "value": Markup(links + " (counted once)")})
    for d in r.distinct_from:
        link = f"[{md(a.records[d.record].title)}]({rel(src, site.paths.record(d.record))})"
        facts.append({"label": "Not the same as", "value": Markup(f"{link}: {md(d.note)}")})
    for key, value in r.details().items():
        facts.append(
            {
                "label": views.FIELD_LABELS.get(key, key.replace("_", " ").capitalize()),
                "value": site.readable_value(views.value(site, src, key, value, r)),
            }
        )
    return facts


def _page(site: Site, r: Record) -> Page:
    a, cfg = site.atlas, site.cfg
    src = site.paths.record(r.id)
    place = a.place_of(r)
    cites = [
        {
            "short": site.short[c.source],
            "href": rel(src, site.paths.source(c.source)),
            "locator": site.linked(src, bibliography.locator_text(c)),
            "full": bibliography.source_text(a.sources[c.source]),
        }
        for c in r.citations
    ]
    related = [
        {
            "title": a.records[x].title,
            "href": rel(src, site.paths.record(x)),
            "kind_label": KIND_LABELS[a.records[x].kind][0],
            "date": views.date_label(a.records[x]),
        }
        for x in a.related.get(r.id, [])
    ]
    svg = (
        svgmaps.locator_svg(url_rel(src, site.paths.under("assets/region.svg")), place, a.countries[place.country])
        if place and site.with_maps
        else None
    )
    description = views.record_description(site, r)
    refs = site.references(src)
    summary = site.prose(r.summary, refs)
    notes = site.prose(r.notes, refs)
    facts = _facts(site, src, r)
    page = RecordPage(
        title=r.title,
        description=description,
        publisher=cfg.publisher,
        edition=cfg.edition,
        edition_date=cfg.edition_date,
        site_name=cfg.site_name,
        url=cfg.url(src),
        kind_label=KIND_LABELS[r.kind][0],
        date_label=views.date_label(r),
        countries=[
            {
                "name": a.countries[cc].name,
                "href": rel(src, site.paths.country(cc)),
                "role": "" if cc in r.participating else ROLE_LABELS[r.roles[cc]],
            }
            for cc in r.countries
            if a.countries[cc].focus
        ],
        region=views.REGION_LABELS[r.region] if r.region else None,
        facts=facts,
        topics=[
            {"title": a.topics[t].title, "href": rel(src, site.paths.topic(t))} for t in r.topic_ids if t in a.topics
        ],
        conflicts=views.conflicts(site, src, r),
        citations=cites,
        related=related,
        locator_svg=svg,
        place_label=f"{place.name}, {a.countries[place.country].name} ({place.lat:.2f}, {place.lon:.2f}; {place.precision})"
        if place
        else "",
        history=views.history(site, src, r.id),
        origin=a.origin(r.id),
        summary=summary,
        notes=notes,
        references=site.reference_views(refs),
        endnotes=site.note_views(refs),
        cite=site.cite(
            src,
            views.cite_title(site, r.id),
            description,
            [r.id],
            key=r.id,
            heading="Cite this record",
            record=r.id,
            origin=a.origin(r.id),
            sources=[c.source for c in r.citations]
            + [v.citation.source for c in r.conflicts for v in c.values]
            + refs.order,
        ),
        # the field values are found by search but kept out of the excerpts (they read as a list)
        search=search_data(
            KIND_LABELS[r.kind][0],
            countries=[a.countries[cc].name for cc in r.countries],
            field="fields",
            text=[
                *(a.countries[cc].name for cc in r.countries),
                *(f["value"] for f in facts if f["label"] not in NOT_SEARCHED),
            ],
        ),
    )
    return site.render("record.md.j2", src, r=r, page=page)
