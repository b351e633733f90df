"""Source pages: a source's full reference and every record that cites it."""

from __future__ import annotations

from typing import Any

from generator import bibliography
from generator.core.entity import entity_page
from generator.core.markup import autolink, join_links, link
from generator.core.page import Page
from generator.core.paths import rel
from generator.core.search import search_data
from generator.core.site import Site


def keys(site: Site) -> list[str]:
    return list(site.atlas.sources)


def build(site: Site, sid: str) -> list[Page]:
    a = site.atlas
    s = a.sources[sid]
    src = site.paths.source(sid)
    refs = site.references(src)
    records = a.records_of_source(sid)
    facts: list[dict[str, Any]] = [{"label": "Type", "value": s.type}]
    if s.url:
        facts.append({"label": "Address", "value": autolink(s.url)})
    if s.license:
        facts.append({"label": "Licence", "value": s.license})
    if s.cited_in:
        facts.append(
            {"label": "Cited in", "value": link(rel(src, site.paths.source(s.cited_in)), site.short[s.cited_in])}
        )
    citing = [x for x in a.sources.values() if x.cited_in == sid]
    if citing:
        works = join_links([(rel(src, site.paths.source(x.id)), site.short[x.id]) for x in citing])
        facts.append({"label": "Works it cites", "value": works})
    facts.append({"label": "Core document", "value": "yes" if s.seed else "no"})
    page = entity_page(
        site,
        src,
        records,
        refs,
        title=site.short[sid],
        origin=a.located[("sources", sid)].origin,
        description=f"{bibliography.source_text(s)[:200]} Cited by {len(records)} records.",
        kicker="Core document" if s.seed else "Work cited in a core document",
        names=None,
        facts=facts,
        notes=site.prose(s.notes, refs),
        locator_svg=None,
        locator_label="",
        index=rel(src, site.paths.under("sources.md")),
        index_title="All sources",
        full=bibliography.source_text(s),
        sources=[sid],
        cite_source=site.cite_source(sid),
        search=search_data("Source"),
    )
    return [page]
