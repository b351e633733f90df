"""The list of organisations named in the records."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from generator.core.page import Page
from generator.core.paths import rel
from generator.core.site import Site
from generator.model import organisations_of
from generator.text import lang_names


@dataclass(frozen=True, kw_only=True)
class OrganisationsPage:
    title: str
    description: str
    organisations: list[dict[str, Any]]
    cite: dict[str, Any]


def keys(site: Site) -> list[None]:
    return [None]


def build(site: Site, key: None = None) -> list[Page]:
    src = site.paths.under("organisations.md")
    a = site.atlas
    counts = Counter(o for r in a.records.values() for o in organisations_of(r))
    orgs = [
        {
            "id": o.id,
            "name": o.name,
            "abbreviation": o.abbreviation,
            "names": lang_names(o.names),
            "type": o.type,
            "country": a.countries[o.country].name if o.country else "",
            "count": counts[o.id],
            "href": rel(src, site.paths.organisation(o.id)),
        }
        for o in sorted(a.organisations.values(), key=lambda o: o.name)
    ]
    title, description = "Organisations", "Organisations named in the atlas."
    page = OrganisationsPage(
        title=title,
        description=description,
        organisations=orgs,
        cite=site.cite(src, title, description, list(a.records)),
    )
    return [site.render("organisations.md.j2", src, page=page)]
