"""Where sources disagree: every conflicting value, side by side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.core import views
from generator.core.page import Page
from generator.core.paths import rel
from generator.core.site import Site


@dataclass(frozen=True, kw_only=True)
class ConflictsPage:
    title: str
    description: str
    records: list[dict[str, Any]]
    cite: dict[str, Any]


def keys(site: Site) -> list[None]:
    return [None]


def build(site: Site, key: None = None) -> list[Page]:
    src = site.paths.under("conflicts.md")
    conflicted = site.atlas.conflicted()
    records = [
        {"title": r.title, "href": rel(src, site.paths.record(r.id)), "conflicts": views.conflicts(site, src, r)}
        for r in conflicted
    ]
    title, description = "Where sources disagree", "Values on which the sources disagree."
    page = ConflictsPage(
        title=title,
        description=description,
        records=records,
        cite=site.cite(src, title, description, [r.id for r in conflicted]),
    )
    return [site.render("conflicts.md.j2", src, page=page)]
