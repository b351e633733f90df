"""Source pages: a source's full reference and every record that cites it."""

from __future__ import annotations

from typing import Any

from generator import bibliography
from generator.core import views
from generator.core.entity import entity_page
from generator.core.markup import autolink, join_links, link
from generator.core.page import Page
from generator.core.paths import rel
from generator.core.search import search_data
from generator.core.site import Site


def keys(site: Site) -> list[str]:
    return list(site.atlas.sources)


def build(site: Site, sid: str) -> list[Page]:
    """A source's page; in the preview (a memo), the page of the last build while nothing it
    shows has changed (`inputs`)."""
    if site.memo is None:
        return [_page(site, sid)]
    return [site.memo.page(("source", sid), inputs(site, sid), lambda: _page(site, sid))]


def inputs(site: Site, sid: str) -> tuple[Any, ...] | None:
    """What a source's page is made from: the source (its file:line), the records citing it (as
    cited, with their history), the rest of the atlas as one digest; None when a text of it
    computes figures from all records (`[[count ...]]`)."""
    a = site.atlas
    records = a.records_of_source(sid)
    dumps = tuple((r.id, site.dump(r.id), a.origin(r.id), views.cite_title(site, r.id)) for r in records)
    if "[[" in repr(a.sources[sid]) or any("[[" in d[1] for d in dumps):
        return None
    ids = [r.id for r in records]
    return (site.digest(), sid, a.located[("sources", sid)].origin, dumps, site.eds.stamp(ids))


def _page(site: Site, sid: str) -> Page:
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
    return page
