"""All records in one table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.core import views
from generator.core.page import Page
from generator.core.site import Site


@dataclass(frozen=True, kw_only=True)
class RecordsIndexPage:
    title: str
    description: str
    count: int
    rows: list[dict[str, Any]]
    cite: dict[str, Any]


def keys(site: Site) -> list[None]:
    return [None]


def build(site: Site, key: None = None) -> list[Page]:
    src = site.paths.under("records/index.md")
    rows = [views.row(site, src, r) for r in site.atlas.records.values()]
    title, description = "All records", "Every record of the atlas in one table."
    page = RecordsIndexPage(
        title=title,
        description=description,
        count=len(rows),
        rows=rows,
        cite=site.cite(src, title, description, list(site.atlas.records)),
    )
    return [site.render("records_index.md.j2", src, page=page)]
