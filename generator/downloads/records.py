"""Downloads: every record as JSON, CSV and GeoJSON; places as GeoJSON; sources as BibTeX."""

from __future__ import annotations

import csv
import json
from typing import Any

from generator import source_cite
from generator.config import SiteConfig
from generator.core.page import Page
from generator.downloads.package import LICENSE
from generator.model import Atlas
from generator.schema import Record
from generator.text import csv_safe, joined_json

CSV_COLUMNS = [  # + edition and license, at the end
    "id",
    "kind",
    "date",
    "date_end",
    "date_basis",
    "countries",
    "participating",
    "region",
    "title",
    "places",
    "lat",
    "lon",
    "topics",
    "summary",
    "citations",
    "conflicts",
    "same_as",
    "attributed_to",
    "url",
    "edition",
    "license",
]


def record_row(atlas: Atlas, cfg: SiteConfig, r: Record) -> dict[str, Any]:
    place = atlas.place_of(r)
    d = r.when
    row: dict[str, Any] = {
        "id": r.id,
        "kind": r.kind,
        "date": d.iso if d else None,
        "date_end": r.date_end.iso if r.date_end else None,
        "date_basis": r.date_basis,
        "countries": list(r.countries),
        # the countries that took part or hosted (the others are crossed, named, ...: see roles)
        "participating": r.participating,
        "roles": dict(r.roles),
        "region": r.region,
        "title": r.title,
        "summary": r.summary,
        "places": list(r.places),
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "topics": r.topic_ids,
        "citations": [
            {"source": c.source, "locator": c.locator, **({"page": str(c.page)} if c.page is not None else {})}
            for c in r.citations
        ],
        "conflicts": [
            {
                "field": c.field,
                "note": c.note,
                "values": [
                    {"value": v.value, "source": v.citation.source, "locator": v.citation.locator} for v in c.values
                ],
            }
            for c in r.conflicts
        ],
        "related": atlas.related.get(r.id, []),
        "same_as": list(r.same_as),
        "distinct_from": [{"record": d.record, "note": d.note} for d in r.distinct_from],
        "attributed_to": r.attributed_to,
        "precision": dict(r.precision),
        "url": cfg.url(f"{cfg.out_rel}/records/{r.id}.md"),
        "details": json.loads(json.dumps(r.details(), default=str)),
    }
    return row


def record_files(atlas: Atlas, cfg: SiteConfig, records: list[dict[str, Any]]) -> list[Page]:
    """The whole-atlas, per-country and per-topic downloads from `records` (record_row, once each).

    Each record is serialised once, as a JSON line and a CSV line, and every file is joined from
    those lines: a record appears in the whole-atlas files, its countries' and its topics'."""
    # every file names its edition and licence (release keeps cfg.edition on the latest edition)
    stamp = {"edition": cfg.edition, "license": LICENSE["name"]}
    rows = [{**row, **stamp} for row in records]
    as_json = [json.dumps(row, ensure_ascii=False) for row in rows]
    header, as_csv = _csv_lines(rows)

    def files(stem: str, picked: list[int]) -> list[Page]:
        return [
            Page(f"{stem}.csv", header + "".join(as_csv[i] for i in picked)),
            Page(f"{stem}.json", joined_json([as_json[i] for i in picked])),
        ]

    everything = list(range(len(rows)))
    out = [
        *files("downloads/records", everything),
        Page("downloads/records.geojson", _geojson(rows, stamp)),
        Page("downloads/places.geojson", _places(atlas, stamp)),
        Page("downloads/sources.bib", "\n".join(source_cite.bibtex(s) for s in atlas.sources.values())),
    ]
    for c in atlas.focus_countries:
        out += files(f"downloads/countries/{c.slug}", [i for i in everything if c.id in rows[i]["participating"]])
    for t in atlas.topics.values():
        out += files(f"downloads/topics/{t.id}", [i for i in everything if t.id in rows[i]["topics"]])
    return out


class _Lines(list[str]):
    """A file for the csv writer that keeps each row it writes as one item (it writes a row, line
    ending included, in one call)."""

    def write(self, text: str) -> None:
        self.append(text)


def _csv_lines(rows: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """The CSV header and one CSV line per row (the csv writer writes each row in one call)."""
    lines = _Lines()
    w = csv.DictWriter(lines, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for row in rows:
        flat = dict(row)
        flat["countries"] = ";".join(row["countries"])
        flat["participating"] = ";".join(row["participating"])
        flat["same_as"] = ";".join(row["same_as"])
        flat["places"] = ";".join(row["places"])
        flat["topics"] = ";".join(row["topics"])
        flat["citations"] = "; ".join(f"{c['source']}: {c['locator']}" for c in row["citations"])
        flat["conflicts"] = "; ".join(c["field"] for c in row["conflicts"])
        w.writerow({k: csv_safe(v) for k, v in flat.items()})
    assert len(lines) == len(rows) + 1
    return lines[0], lines[1:]


def _geojson(rows: list[dict[str, Any]], stamp: dict[str, str]) -> str:
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
            "properties": {
                k: r[k] for k in ("id", "kind", "date", "countries", "title", "summary", "citations", "url", "edition")
            },
        }
        for r in rows
        if r["lat"] is not None
    ]
    return json.dumps({"type": "FeatureCollection", **stamp, "features": feats}, ensure_ascii=False) + "\n"


def _places(atlas: Atlas, stamp: dict[str, str]) -> str:
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
            "properties": {
                "id": p.id,
                "name": p.name,
                "country": p.country,
                "type": p.type,
                "precision": p.precision,
                "names": p.names,
                "geonames": p.geonames,
            },
        }
        for p in atlas.places.values()
    ]
    return json.dumps({"type": "FeatureCollection", **stamp, "features": feats}, ensure_ascii=False) + "\n"
