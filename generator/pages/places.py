"""The gazetteer: every place with coordinates, precision, other names and its count of records."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from generator.core.markup import names_html
from generator.core.page import Page
from generator.core.paths import rel
from generator.core.site import Site
from generator.text import lang_names


@dataclass(frozen=True, kw_only=True)
class PlacesPage:
    title: str
    description: str
    places: list[dict[str, Any]]
    cite: dict[str, Any]


def keys(site: Site) -> list[None]:
    return [None]


def build(site: Site, key: None = None) -> list[Page]:
    src = site.paths.under("places.md")
    a = site.atlas
    counts = Counter(p for r in a.records.values() for p in r.places)
    places = [
        {
            "id": p.id,
            "name": p.name,
            "country": a.countries[p.country].name,
            "coords": f"{p.lat:.4f}, {p.lon:.4f}",
            "precision": p.precision,
            "names": lang_names(p.names),
            "geonames": p.geonames,
            "count": counts[p.id],
            "href": rel(src, site.paths.place(p.id)),
            "names_html": names_html(p.names),
        }
        for p in sorted(a.places.values(), key=lambda p: (a.countries[p.country].name, p.name))
    ]
    title, description = "Places", "Gazetteer of the atlas."
    page = PlacesPage(
        title=title, description=description, places=places, cite=site.cite(src, title, description, list(a.records))
    )
    return [site.render("places.md.j2", src, page=page)]
