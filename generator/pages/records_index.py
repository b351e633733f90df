"""All records: the index holds the newest records and links a page per year, so it stays light
(it held all 715 rows: 6,100 DOM nodes, Lighthouse mobile 67); with scripts on, atlas-tables.js
fetches the other rows (`rows.json`, written here) when the reader filters, sorts or scrolls to the
last row, and then sorts and filters them all."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from generator.core import views
from generator.core.page import Page
from generator.core.paths import rel, url_rel
from generator.core.site import Site
from generator.schema import Record

FIRST = 50  # rows on the index itself, newest first
UNDATED = "undated"


@dataclass(frozen=True, kw_only=True)
class RecordsIndexPage:
    title: str
    description: str
    count: int  # every record of the atlas
    rows: list[dict[str, Any]]  # the rows on this page
    rest: str | None  # the index: the file with the other rows, for the script
    years: list[dict[str, Any]]  # a link per year page, with its count
    span: str  # the first and last year of the atlas's records ("1991 2022"), for the year filter
    year: str | None  # a year page: its year
    index: str  # a year page: the link back to the index
    cite: dict[str, Any]


def _year(r: Record) -> str:
    return str(r.when.year) if r.when else UNDATED


def keys(site: Site) -> list[str | None]:
    return [None, *dict.fromkeys(_year(r) for r in site.atlas.records.values())]


def _src(site: Site, key: str | None) -> str:
    return site.paths.under("records/index.md" if key is None else f"records/years/{key}.md")


def build(site: Site, key: str | None = None) -> list[Page]:
    a = site.atlas
    src = _src(site, key)
    counts = Counter(_year(r) for r in a.records.values())
    years = [{"year": y, "count": n, "url": url_rel(src, _src(site, y))} for y, n in counts.items()]
    if key is None:
        records = list(a.records.values())
        title, description = "All records", "Every record of the atlas, newest first, with a page per year."
    else:
        records = [r for r in a.records.values() if _year(r) == key]
        title = f"Records of {key}" if key != UNDATED else "Undated records"
        description = f"The {len(records)} records of the atlas " + (
            f"dated {key}." if key != UNDATED else "without a date."
        )
    rows = [views.row(site, src, r) for r in records]
    out: list[Page] = []
    rest = None
    if key is None and len(rows) > FIRST:
        rest = site.paths.under("records/rows.json")
        html = site.render("partials/record_rows.md.j2", rest, rows=rows[FIRST:], show_kind=True).text
        out.append(Page(rest, json.dumps({"count": len(rows) - FIRST, "html": html}, ensure_ascii=False) + "\n"))
        rows = rows[:FIRST]
    page = RecordsIndexPage(
        title=title,
        description=description,
        count=len(a.records),
        rows=rows,
        rest=url_rel(src, rest) if rest else None,
        years=years,
        span=" ".join(str(y) for y in (min(dated), max(dated)))
        if (dated := [r.when.year for r in a.records.values() if r.when])
        else "",
        year=key,
        index=rel(src, _src(site, None)),
        cite=site.cite(src, title, description, [r.id for r in records]),
    )
    return [site.render("records_index.md.j2", src, page=page), *out]
