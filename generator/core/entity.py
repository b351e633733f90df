"""What the three entity page types (place, organisation, source) share: one template
(entity.md.j2) and its context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator import prose
from generator.core import views
from generator.core.page import Page
from generator.core.site import Site
from generator.schema import Record


@dataclass(frozen=True, kw_only=True)
class EntityPage:
    title: str
    description: str
    kicker: str
    names: Markup | None
    facts: list[dict[str, Any]]
    notes: Markup
    locator_svg: Markup | None
    locator_label: str
    index: str
    index_title: str
    full: str | None
    groups: list[dict[str, Any]]
    count: int
    references: list[dict[str, Any]]
    endnotes: list[dict[str, Any]]  # the Notes: one per note marker in the page's prose
    cite: dict[str, Any]
    cite_source: Markup | None = None  # a source's page: the document itself (Site.cite_source)
    search: Markup | None = None  # filters and names for Pagefind (core.search)
    infobox: list[dict[str, Any]] | None = None  # organisation and place pages: core.facts.entity_infobox
    infobox_title: str = ""
    lede: Markup | None = None  # a short cited description (an organisation's `description`)
    network: list[dict[str, Any]] | None = None  # an organisation's partners (core.network.views)


def entity_page(
    site: Site,
    src: str,
    records: list[Record],
    refs: prose.References,
    *,
    title: str,
    description: str,
    sources: list[str] | None = None,
    origin: str | None = None,
    **ctx: Any,
) -> Page:
    """The page of an entity and every record that names it; `sources`, those the page cites
    besides its text's (a source's page: the source itself); `origin`, its data file and line."""
    groups = views.groups(site, src, records)
    page = EntityPage(
        title=title,
        description=description,
        groups=groups,
        count=len(records),
        references=site.reference_views(refs),
        endnotes=site.note_views(refs),
        cite=site.cite(
            src, title, description, [x.id for x in records], sources=[*(sources or []), *refs.order], origin=origin
        ),
        **ctx,
    )
    return site.render("entity.md.j2", src, page=page)
