"""Data for reuse: one CSV per kind, the data dictionary, datapackage.json and per-edition data.

The dictionary is read from the schema (pydantic models), so a new field appears in the CSV
header, the dictionary and the Frictionless schema at once.
"""

from __future__ import annotations

import csv
import io
import json
import types
import typing
from typing import Any

from generator import editions
from generator.config import SiteConfig
from generator.core.page import Page
from generator.core.views import FIELD_LABELS
from generator.dates import PartialDate
from generator.model import Atlas
from generator.schema import KIND_LABELS, RECORD_KINDS, Record
from generator.text import csv_safe, json_records

LICENSE = {
    "name": "CC-BY-SA-4.0",
    "path": "https://creativecommons.org/licenses/by-sa/4.0/",
    "title": "Creative Commons Attribution-ShareAlike 4.0",
}
BASE_COLUMNS = [
    "id",
    "kind",
    "title",
    "date",
    "date_end",
    "date_as_given",
    "countries",
    "participating",
    "roles",
    "places",
    "lat",
    "lon",
    "organisations",
    "topics",
    "summary",
    "citations",
    "conflicts",
    "related",
    "same_as",
    "attributed_to",
    "precision",
    "date_basis",
    "notes",
    "url",
]
TRAILER = ["edition", "license"]
_BASE_DESCRIPTIONS = {
    "id": "Permanent identifier of the record; never reused",
    "kind": "Kind of record",
    "title": "Title written by the atlas editors",
    "date": "Date (YYYY, YYYY-MM or YYYY-MM-DD: the precision the source gives)",
    "date_end": "End date, for events that span days",
    "date_as_given": "The date in the source's own words",
    "countries": "ISO 3166 codes of the countries involved, separated by ';'",
    "participating": "Countries that took part in or hosted it (these count it), separated by ';'",
    "roles": "The part of each tagged country that did not simply take part (JSON: code -> hosted, crossed, named, located-in)",
    "places": "Place ids (see places.geojson), separated by ';'",
    "lat": "Latitude of the first place (WGS 84)",
    "lon": "Longitude of the first place (WGS 84)",
    "organisations": "Organisation ids, separated by ';'",
    "topics": "Topic ids, separated by ';'",
    "summary": "Summary in the editors' words",
    "citations": "Sources and locators ('source: locator'), separated by '; '",
    "conflicts": "Fields on which the sources disagree, separated by '; '",
    "related": "Ids of related records, separated by ';'",
    "same_as": "Ids of records of the same event (counted once), separated by ';'",
    "attributed_to": "Who the source attributes the statement to",
    "precision": "How exact each number is (JSON: field -> about, more than, at least, up to, fewer than, to N)",
    "date_basis": "Where the date comes from: stated (the event's date), article (a cited article's date), report",
    "notes": "Editorial note",
    "url": "Permanent URL of the record's page",
    "edition": "Edition of the atlas this file belongs to",
    "license": "Licence of the data",
}


def _type_name(annotation: Any) -> str:
    """A field's type in Frictionless terms."""
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin in (typing.Union, types.UnionType) and args:
        return _type_name(args[0])
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin in (list, tuple, dict):
        return "string"  # lists are joined with ';' in CSV
    if annotation is bool:
        return "boolean"
    if annotation is int:
        return "integer"
    if annotation is float:
        return "number"
    if annotation is PartialDate:
        return "string"
    return "string"


MODELS: dict[str, type[Record]] = {m.kind: m for m in RECORD_KINDS.values()}  # "meeting" -> Meeting


def kind_fields(kind: str) -> list[str]:
    common = set(Record.model_fields)
    return [k for k in MODELS[kind].model_fields if k not in common]


def dictionary() -> list[dict[str, Any]]:
    """Every column of every CSV file, with its type and meaning, from the schema."""
    out = [
        {"kind": "all", "name": n, "type": "number" if n in ("lat", "lon") else "string", "description": d}
        for n, d in _BASE_DESCRIPTIONS.items()
    ]
    for kind, model in MODELS.items():
        for name in kind_fields(kind):
            info = model.model_fields[name]
            t = _type_name(info.annotation)
            out.append(
                {
                    "kind": kind,
                    "name": name,
                    # numbers in the data can be ints or floats: "number" accepts both
                    "type": "number" if t in ("integer", "number") else t,
                    "description": FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
                    + ("" if info.is_required() else " (optional)"),
                }
            )
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 30000000, not 30000000.0
    if isinstance(value, int | float):
        return str(value)  # a negative number is a number, not a formula
    if isinstance(value, list):
        return ";".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return csv_safe(str(value))


def flat_row(row: dict[str, Any], edition: str) -> dict[str, str]:
    """One exported record (export.record_row) as CSV cells, kind-specific fields included."""
    flat = {k: _cell(row.get(k)) for k in BASE_COLUMNS if k not in ("citations", "conflicts")}
    flat["citations"] = csv_safe("; ".join(f"{c['source']}: {c['locator']}" for c in row["citations"]))
    flat["conflicts"] = csv_safe("; ".join(c["field"] for c in row["conflicts"]))
    for k, v in row.get("details", {}).items():
        flat[k] = _cell(v)
    flat["edition"] = edition
    flat["license"] = LICENSE["name"]
    return flat


def write_csv(rows: list[dict[str, Any]], columns: list[str], edition: str) -> str:
    return csv_text([flat_row(row, edition) for row in rows], columns)


def csv_text(flats: list[dict[str, str]], columns: list[str]) -> str:
    """A CSV file of rows already made into cells (flat_row), in `columns`."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(flats)
    return buf.getvalue()


def _schema(columns: list[str], kind: str | None) -> dict[str, Any]:
    info = {(d["kind"], d["name"]): d for d in dictionary()}
    fields = []
    for c in columns:
        d = info.get(("all", c)) or info.get((kind or "", c)) or next(v for (k, n), v in info.items() if n == c)
        fields.append({"name": c, "type": d["type"], "description": d["description"]})
    return {"fields": fields, "primaryKey": ["id"]}


def all_columns() -> list[str]:
    seen = dict.fromkeys(BASE_COLUMNS)
    for kind in MODELS:
        seen.update(dict.fromkeys(kind_fields(kind)))
    return [*seen, *TRAILER]


def package_files(atlas: Atlas, cfg: SiteConfig, rows: list[dict[str, Any]], state: editions.State) -> list[Page]:
    edition = state.current
    out: list[Page] = []
    resources = []
    everything = all_columns()
    flats = [flat_row(row, edition) for row in rows]  # each record's cells once, for every file
    out.append(Page("downloads/records-all-fields.csv", csv_text(flats, everything)))
    resources.append(
        _resource("records-all-fields", "records-all-fields.csv", "Every record, every field", everything, None)
    )
    for kind in MODELS:
        subset = [flat for row, flat in zip(rows, flats, strict=True) if row["kind"] == kind]
        if not subset:
            continue
        columns = [*BASE_COLUMNS, *kind_fields(kind), *TRAILER]
        out.append(Page(f"downloads/kinds/{kind.replace('_', '-')}.csv", csv_text(subset, columns)))
        name = kind.replace("_", "-")
        resources.append(_resource(name, f"kinds/{name}.csv", KIND_LABELS[kind][1], columns, kind))
    for e in state.editions:
        snap = editions.load_snapshot(cfg.root, e.name)
        if snap is None:
            continue
        stamped = [{**row, "edition": e.name, "license": LICENSE["name"]} for row in snap]
        out.append(Page(f"downloads/editions/{e.name}/records.json", json_records(stamped)))
        out.append(Page(f"downloads/editions/{e.name}/records.csv", write_csv(snap, everything, e.name)))
    package = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "central-asia-security-atlas",
        "title": cfg.site_name,
        "description": "Cited records of China's security and governance engagement with the five Central Asian states.",
        "version": edition,
        "homepage": cfg.site_url,
        "licenses": [LICENSE],
        "contributors": [{"title": cfg.publisher, "roles": ["author", "publisher"]}],
        "resources": resources,
    }
    out.append(Page("downloads/datapackage.json", json.dumps(package, ensure_ascii=False, indent=1) + "\n"))
    return out


def _resource(name: str, path: str, title: str, columns: list[str], kind: str | None) -> dict[str, Any]:
    return {
        "name": name,
        "path": path,
        "title": title,
        "type": "table",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": _schema(columns, kind),
    }
