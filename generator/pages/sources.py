"""The bibliography: core documents and the works they cite, with the records citing each."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from generator import bibliography
from generator.core.page import Page
from generator.core.paths import rel
from generator.core.site import Site
from generator.schema import KIND_LABELS


@dataclass(frozen=True, kw_only=True)
class SourcesPage:
    title: str
    description: str
    seeds: list[dict[str, Any]]
    others: list[dict[str, Any]]
    cite: dict[str, Any]


def keys(site: Site) -> list[None]:
    return [None]


def build(site: Site, key: None = None) -> list[Page]:
    src = site.paths.under("sources.md")
    a = site.atlas
    seeds: list[dict[str, Any]] = []
    others: list[dict[str, Any]] = []
    for s in sorted(a.sources.values(), key=lambda s: (site.short[s.id], s.id)):
        cited = a.cited_by.get(s.id, [])
        view = {
            "id": s.id,
            "href": rel(src, site.paths.source(s.id)),
            "short": site.short[s.id],
            "full": bibliography.source_text(s),
            "url": s.url,
            "license": s.license,
            "count": len(cited),
            "kinds": ", ".join(
                f"{n} {KIND_LABELS[k][1].lower()}" for k, n in Counter(a.records[x].kind for x in cited).most_common()
            ),
            "cited_in": {"id": s.cited_in, "short": site.short[s.cited_in]} if s.cited_in else None,
            "records": [{"title": a.records[x].title, "href": rel(src, site.paths.record(x))} for x in cited],
        }
        (seeds if s.seed else others).append(view)
    title, description = "Sources", "Bibliography of the atlas."
    page = SourcesPage(
        title=title,
        description=description,
        seeds=seeds,
        others=others,
        cite=site.cite(src, title, description, list(a.records)),
    )
    return [site.render("sources.md.j2", src, page=page)]
