"""Tombstones: a removed or renamed id keeps a citable page, withdrawn or pointing to its successor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator import editions
from generator.core.page import Page
from generator.core.paths import rel, url_rel
from generator.core.site import Site


@dataclass(frozen=True, kw_only=True)
class TombstonePage:
    title: str
    description: str
    status: str
    edition: str
    edition_href: str
    reason: str | None
    target: dict[str, Any] | None
    last: str | None
    last_href: str | None
    cite: dict[str, Any]


def keys(site: Site) -> list[editions.Redirect]:
    return list(site.eds.redirects.values())


def build(site: Site, rd: editions.Redirect) -> list[Page]:
    eds = site.eds
    src = site.paths.record(rd.id)
    old_title = next((e.records[rd.id]["title"] for e in reversed(eds.editions) if rd.id in e.records), rd.id)
    target = site.atlas.records.get(rd.to) if rd.to else None
    last = next((e.name for e in reversed(eds.editions) if rd.id in e.records), None)
    description = f"Record {rd.status} in edition {rd.edition}."
    page = TombstonePage(
        title=old_title,
        description=description,
        status=rd.status,
        edition=rd.edition,
        # an edition not released yet has no changelog page: its changes are on the editions index
        edition_href=rel(src, site.paths.edition(rd.edition))
        if any(e.name == rd.edition for e in eds.editions)
        else rel(src, site.paths.under("editions/index.md")),
        reason=rd.reason,
        target={
            "title": target.title,
            "href": rel(src, site.paths.record(target.id)),
            "url": url_rel(src, site.paths.record(target.id)),
        }
        if target
        else None,
        last=last,
        last_href=site.archived_url(last, rd.id) if last else None,
        cite=site.cite(src, old_title, description, [], key=rd.id, heading="Cite this record"),
    )
    return [site.render("tombstone.md.j2", src, page=page)]
