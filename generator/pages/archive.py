"""The archive: every record page as published in each released edition, made from the data
snapshot the repository keeps for it (editions/<edition>.records.json.gz), at
/editions/<edition>/atlas/records/<id>/, with an index per edition at /editions/<edition>/.

A citation of a record names the page of the edition its content last changed in, so every
cited URL exists in the build a fresh clone makes: no git tag, no extra command. An archived page
shows the record as its snapshot holds it (names of places, sources and countries are today's),
says which edition it is, links the current version, and cites itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator import prose
from generator.core import views
from generator.core.page import Page
from generator.core.paths import rel
from generator.core.site import Site
from generator.core.views import FIELD_LABELS, REGION_LABELS
from generator.dates import PartialDate
from generator.schema import KIND_LABELS


@dataclass(frozen=True, kw_only=True)
class ArchivedRecordPage:
    title: str
    description: str
    edition: str
    edition_date: str
    edition_href: str
    index_href: str
    current_href: str | None
    kind_label: str
    date_label: str
    countries: str
    summary: str
    facts: list[dict[str, Any]]
    citations: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    cite: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class ArchiveIndexPage:
    title: str
    description: str
    edition: str
    edition_date: str
    edition_href: str
    records: list[dict[str, Any]]
    cite: dict[str, Any]


def keys(site: Site) -> list[tuple[str, str | None]]:
    """(edition, record id) for each archived record, and (edition, None) for each edition's index."""
    out: list[tuple[str, str | None]] = []
    for edition, rows in site.archive().items():
        out.append((edition, None))
        out += [(edition, rid) for rid in rows]
    return out


def _path(site: Site, edition: str, src: str) -> str:
    return f"{site.archive_rel}/{edition}/{src}"


def _date_label(row: dict[str, Any]) -> str:
    def label(value: Any) -> str:
        try:
            return PartialDate.parse(str(value)).label
        except (ValueError, TypeError):
            return str(value)

    if not row.get("date"):
        return "undated"
    return label(row["date"]) + (f" to {label(row['date_end'])}" if row.get("date_end") else "")


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_value(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def build(site: Site, key: tuple[str, str | None]) -> list[Page]:
    """An edition's index, or a record as that edition published it; in the preview (a memo), a
    record's archived page is kept while what it shows is unchanged (`inputs`)."""
    edition, rid = key
    if rid is None:
        return [_index(site, edition)]
    if site.memo is None:
        return [_record(site, edition, rid)]
    return [site.memo.page(("archive", edition, rid), inputs(site, edition, rid), lambda: _record(site, edition, rid))]


def inputs(site: Site, edition: str, rid: str) -> tuple[Any, ...]:
    """The archived row, whether the record still exists (and the title it is cited under now),
    whether a redirect names it, and the rest of the atlas as one digest."""
    current = site.atlas.records.get(rid)
    return (
        site.digest(),
        repr(site.archive()[edition][rid]),
        views.cite_title(site, rid) if current is not None else None,
        rid in site.eds.redirects,
    )


def _edition_date(site: Site, edition: str) -> str:
    return next((e.date for e in site.eds.editions if e.name == edition), "")


def _record(site: Site, edition: str, rid: str) -> Page:
    a = site.atlas
    row = site.archive()[edition][rid]
    src = _path(site, edition, site.paths.record(rid))
    title = str(row.get("title") or rid)
    kind = str(row.get("kind") or "")
    countries = ", ".join(a.countries[c].name if c in a.countries else str(c) for c in row.get("countries") or [])
    facts = [{"label": "Date", "value": _date_label(row)}]
    if row.get("places"):
        facts.append(
            {
                "label": "Places",
                "value": ", ".join(a.places[p].name if p in a.places else str(p) for p in row["places"]),
            }
        )
    if row.get("topics"):
        facts.append(
            {
                "label": "Topics",
                "value": ", ".join(a.topics[t].title if t in a.topics else str(t) for t in row["topics"]),
            }
        )
    for name, value in (row.get("details") or {}).items():
        if value not in (None, "", []):
            facts.append({"label": FIELD_LABELS.get(name, name.replace("_", " ").capitalize()), "value": _value(value)})
    citations = []
    for c in row.get("citations") or []:
        sid = str(c.get("source", ""))
        locator = str(c.get("locator", "")) + (f", p. {c['page']}" if c.get("page") else "")
        citations.append(
            {
                "label": site.short.get(sid, sid),
                "href": rel(src, site.paths.source(sid)) if sid in a.sources else None,
                "locator": site.readable(locator),
            }
        )
    conflicts = [
        {
            "field": FIELD_LABELS.get(str(c.get("field")), str(c.get("field"))),
            "note": c.get("note"),
            "entries": [
                {
                    "value": _value(v.get("value")),
                    "source": site.short.get(str(v.get("source")), str(v.get("source"))),
                    "locator": site.readable(str(v.get("locator", ""))),
                }
                for v in c.get("values") or []
            ],
        }
        for c in row.get("conflicts") or []
    ]
    description = f"{title}: the record as published in edition {edition} of {site.cfg.site_name}."
    current = site.paths.record(rid)
    page = ArchivedRecordPage(
        title=title,
        description=description,
        edition=edition,
        edition_date=_edition_date(site, edition),
        edition_href=rel(src, site.paths.edition(edition)),
        index_href=rel(src, _path(site, edition, "index.md")),
        current_href=rel(src, current) if rid in a.records or rid in site.eds.redirects else None,
        kind_label=KIND_LABELS.get(kind, (kind, kind))[0],
        date_label=_date_label(row),
        countries=REGION_LABELS.get(str(row.get("region")), countries) if row.get("region") else countries,
        summary=prose.plain(str(row.get("summary") or "")),
        facts=facts,
        citations=citations,
        conflicts=conflicts,
        cite=site.cite(
            src,
            views.cite_title(site, rid) if rid in a.records else title,
            description,
            [],
            key=rid,
            heading="Cite this record",
            as_of=(edition, _edition_date(site, edition)),
        ),
    )
    return site.render("archived_record.md.j2", src, page=page)


def _index(site: Site, edition: str) -> Page:
    src = _path(site, edition, "index.md")
    rows = sorted(
        site.archive()[edition].values(), key=lambda r: (str(r.get("date") or ""), str(r.get("id"))), reverse=True
    )
    records = [
        {
            "title": str(r.get("title") or r.get("id")),
            "href": rel(src, _path(site, edition, site.paths.record(str(r.get("id"))))),
            "date": _date_label(r),
            "kind": KIND_LABELS.get(str(r.get("kind")), (str(r.get("kind")),))[0],
        }
        for r in rows
    ]
    title = f"Edition {edition}: archived records"
    description = f"The {len(records)} record pages of edition {edition} of {site.cfg.site_name}, as published."
    page = ArchiveIndexPage(
        title=title,
        description=description,
        edition=edition,
        edition_date=_edition_date(site, edition),
        edition_href=rel(src, site.paths.edition(edition)),
        records=records,
        cite=site.cite(src, title, description, [], as_of=(edition, _edition_date(site, edition))),
    )
    return site.render("archive_index.md.j2", src, page=page)
