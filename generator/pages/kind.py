"""Per-kind pages: every record of one kind of a country or topic page (out of the nav)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.core import views
from generator.core.page import Page
from generator.core.paths import Paths, rel
from generator.core.site import Site
from generator.model import group_by_kind
from generator.schema import Record


@dataclass(frozen=True, kw_only=True)
class KindPage:
    title: str
    description: str
    back: str
    back_title: str
    rows: list[dict[str, Any]]
    count: int
    cite: dict[str, Any]


def keys(site: Site) -> list[tuple[str, str]]:
    """(parent page type, id): each country and topic page with records has its per-kind pages."""
    parents = [("country", c.id) for c in site.atlas.focus_countries] + [("topic", t) for t in site.atlas.topics]
    return [key for key in parents if _parent(site, key)[2]]


def _parent(site: Site, key: tuple[str, str]) -> tuple[str, str, list[Record]]:
    a = site.atlas
    kind, ident = key
    if kind == "country":
        return site.paths.country(ident), a.countries[ident].name, a.records_of_country(ident)
    return site.paths.topic(ident), a.topics[ident].title, a.records_of_topic(ident)


def build(site: Site, key: tuple[str, str]) -> list[Page]:
    parent, title, records = _parent(site, key)
    pages = []
    for kind, label, rows in group_by_kind(records):
        src = Paths.kind(parent, kind)
        page_title = f"{title}: {label}"
        description = f"All {len(rows)} {label.lower()} records of the page {title}."
        page = KindPage(
            title=page_title,
            description=description,
            back=rel(src, parent),
            back_title=title,
            rows=[views.row(site, src, r) for r in rows],
            count=len(rows),
            cite=site.cite(src, page_title, description, [r.id for r in rows]),
        )
        pages.append(site.render("kind.md.j2", src, page=page))
    return pages
