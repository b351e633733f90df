"""The editions: the index (with unreleased changes) and one changelog page per edition."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator import editions
from generator.core.page import Page
from generator.core.paths import rel
from generator.core.site import Site


@dataclass(frozen=True, kw_only=True)
class EditionPage:
    title: str
    description: str
    changes: dict[str, list[dict[str, Any]]]
    edition: str
    date: str
    csv_href: str
    json_href: str
    site_href: str | None
    site_url: str | None
    index_href: str
    cite: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class EditionsPage:
    title: str
    description: str
    current: str
    editions: list[dict[str, Any]]
    pending: dict[str, list[dict[str, Any]]]
    pending_count: int
    cite: dict[str, Any]


def keys(site: Site) -> list[None]:
    return [None]


def _changes(site: Site, src: str, ch: editions.Changes) -> dict[str, list[dict[str, Any]]]:
    def row(rid: str) -> dict[str, Any]:
        return {"id": rid, "title": ch.titles.get(rid, rid), "href": rel(src, site.paths.record(rid))}

    return {
        "added": [row(x) for x in ch.added],
        "changed": [row(x) for x in ch.changed],
        "withdrawn": [row(x) for x in ch.withdrawn],
    }


def build(site: Site, key: None = None) -> list[Page]:
    index_src = site.paths.under("editions/index.md")
    logs = editions.changelog(site.eds.editions)
    pending = editions.unreleased_changes(site.atlas, site.eds.editions)
    out = []
    for ch in logs:
        src = site.paths.edition(ch.edition)
        title = f"Edition {ch.edition}"
        description = f"Edition {ch.edition} of the atlas, released {ch.date}: records added, changed and withdrawn."
        page = EditionPage(
            title=title,
            description=description,
            changes=_changes(site, src, ch),
            edition=ch.edition,
            date=ch.date,
            csv_href=rel(src, f"downloads/editions/{ch.edition}/records.csv"),
            json_href=rel(src, f"downloads/editions/{ch.edition}/records.json"),
            site_href=rel(src, f"{site.archive_rel}/{ch.edition}/index.md") if site.edition_url(ch.edition) else None,
            site_url=site.edition_url(ch.edition),
            index_href=rel(src, index_src),
            cite=site.cite(src, title, description, []),
        )
        out.append(site.render("edition.md.j2", src, page=page))
    description = "The editions of the atlas and what changed in each."
    index = EditionsPage(
        title="Editions",
        description=description,
        current=site.eds.current,
        editions=[
            {
                "name": ch.edition,
                "date": ch.date,
                "href": rel(index_src, site.paths.edition(ch.edition)),
                "added": len(ch.added),
                "changed": len(ch.changed),
                "withdrawn": len(ch.withdrawn),
            }
            for ch in logs
        ],
        pending=_changes(site, index_src, pending),
        pending_count=len(pending.added) + len(pending.changed) + len(pending.withdrawn),
        cite=site.cite(index_src, "Editions", description, []),
    )
    out.append(site.render("editions.md.j2", index_src, page=index))
    return out
