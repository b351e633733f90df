"""An organisation's network: the organisations, places and states it appears with, each through
the records that name both, ranked by how many events link them. Computed from the records'
organisations (and vendors, company), places and participating states; every link is a list of
records, whose pages carry the citations."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from generator.core.paths import url_rel
from generator.core.site import Site
from generator.model import Atlas, organisations_of
from generator.schema import Record

TOP = 10  # partners shown per group; the rest are counted


@dataclass(frozen=True)
class Link:
    """One partner and the records (each event once, newest first) that name it with the entity."""

    group: str  # "organisation", "place" or "state"
    id: str
    records: tuple[Record, ...]


def partners(atlas: Atlas, oid: str) -> dict[str, list[Link]]:
    """The organisation's partners by group, most linking events first, then by name."""
    records = atlas.once(atlas.records_of_organisation(oid))
    found: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for r in records:
        for other in organisations_of(r):
            if other != oid:
                found[("organisation", other)].append(r)
        for pid in dict.fromkeys(r.places):
            found[("place", pid)].append(r)
        for code in dict.fromkeys(r.participating):
            found[("state", code)].append(r)

    def name(group: str, x: str) -> str:
        table: dict[str, Any] = {"organisation": atlas.organisations, "place": atlas.places, "state": atlas.countries}
        return str(table[group][x].name)

    out: dict[str, list[Link]] = {"organisation": [], "place": [], "state": []}
    for (group, pid), rows in found.items():
        out[group].append(Link(group, pid, tuple(rows)))
    for links in out.values():
        links.sort(key=lambda link: (-len(link.records), name(link.group, link.id).casefold(), link.id))
    return out


GROUPS = (
    ("organisation", "Organisations"),
    ("state", "States"),
    ("place", "Places"),
)


def views(site: Site, src: str, oid: str) -> list[dict[str, Any]]:
    """The network for the template: per group its heading, its first TOP partners (name, link,
    record count and the linking records' titles, dates and links) and how many more there are."""
    a = site.atlas
    found = partners(a, oid)
    out = []
    for group, label in GROUPS:
        links = found[group]
        if not links:
            continue
        rows = []
        for link in links[:TOP]:
            href: str | None
            if group == "organisation":
                name, href = a.organisations[link.id].name, url_rel(src, site.paths.organisation(link.id))
            elif group == "place":
                name, href = a.places[link.id].name, url_rel(src, site.paths.place(link.id))
            else:
                c = a.countries[link.id]
                name, href = c.name, url_rel(src, site.paths.country(c.id)) if c.focus else None
            rows.append(
                {
                    "name": name,
                    "href": href,
                    "count": len(link.records),
                    "records": [
                        {
                            "title": r.title,
                            "year": r.when.year if r.when else None,
                            "href": url_rel(src, site.paths.record(r.id)),
                        }
                        for r in link.records
                    ],
                }
            )
        out.append({"group": group, "label": label, "rows": rows, "more": len(links) - len(rows)})
    return out
