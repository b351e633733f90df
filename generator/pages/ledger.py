"""The public coverage page: per seed document and passage, what it states (in the atlas's words)
and where the atlas holds it, or why it does not (the ledgers in data/coverage/)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator import ledger
from generator.core.page import Page
from generator.core.paths import rel
from generator.core.site import Site


@dataclass(frozen=True, kw_only=True)
class LedgerPage:
    title: str
    description: str
    seeds: list[dict[str, Any]]
    cite: dict[str, Any]


def keys(site: Site) -> list[None]:
    return [None] if (site.cfg.root / ledger.FOLDER).is_dir() else []


def build(site: Site, key: None = None) -> list[Page]:
    a = site.atlas
    src = site.paths.under("coverage.md")
    seeds = []
    for led in ledger.load_ledgers(site.cfg.root):
        source = a.sources.get(led.source)
        rows = [
            {
                "locator": e.locator,
                "fact": e.fact,
                "records": [
                    {"title": a.records[r].title, "href": rel(src, site.paths.record(r))}
                    for r in e.records
                    if r in a.records
                ],
                "excluded": e.excluded,
            }
            for e in led.entries
        ]
        seeds.append(
            {
                "name": site.short[source.id] if source else led.source,
                "title": source.title if source else led.source,
                "href": rel(src, site.paths.source(source.id)) if source else None,
                "rows": rows,
                "entered": sum(1 for r in rows if r["records"]),
                "excluded": sum(1 for r in rows if not r["records"]),
            }
        )
    title = "What the atlas holds from its sources"
    description = (
        "Every passage of the atlas's core sources that states a fact about China's security engagement "
        "with the five states, with the records that carry it or the reason it is left out."
    )
    page = LedgerPage(title=title, description=description, seeds=seeds, cite=site.cite(src, title, description, []))
    return [site.render("ledger.md.j2", src, page=page)]
