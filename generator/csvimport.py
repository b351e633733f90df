"""`python -m generator import FILE.csv`: add the new rows of a spreadsheet to the data.

The input is the per-kind CSV the site publishes (`downloads/kinds/<kind>.csv`, or
`records-all-fields.csv`), opened in a spreadsheet, with rows added. Rows whose id is already in
the atlas are left alone (edit those in YAML or the form editor); every other row becomes a new
record, appended to the data file that holds most records of its kind for its first country (as
`python -m generator new` chooses), or to `--into`, in that file's own list style.

Columns map back to fields: lists are split at `;`, citations are `source: locator` pairs split at
`; `, `roles` and `precision` are JSON objects as exported, and the columns the site derives
(`participating`, `lat`, `lon`, `url`, `edition`, `license`) are ignored; the kind's own topic,
which the export lists first under `topics`, is dropped again. A leading apostrophe that the export
put before a cell a spreadsheet would run as a formula is removed.

Every problem of every row is reported at once, as `FILE.csv:row:column: field: message (hint)`
(row as the spreadsheet numbers it, the header being row 1), after validating the whole atlas with
the new rows in place; if there is any, nothing is written.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import types
import typing
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.build import load_atlas
from generator.cmsapi import _fresh, _ordered, dump_item
from generator.config import SiteConfig
from generator.editorschema import new_file_text
from generator.errors import AtlasError, DataError, Problem
from generator.load import MAX_BYTES, _parse, load_data
from generator.newitem import _target
from generator.schema import RECORD_KINDS, Record
from generator.yamlappend import plan

KEYS = {m.kind: key for key, m in RECORD_KINDS.items()}  # "meeting" -> "meetings"
DERIVED = {"participating", "lat", "lon", "url", "edition", "license", "kind"}
JSON_FIELDS = {"roles", "precision"}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_WHERE = re.compile(r"^([a-z_]+\[\d+\])\.?([a-z_]+)?(.*)$")


@dataclass
class Row:
    number: int  # the spreadsheet's row number (the header is row 1)
    key: str
    data: dict[str, Any]
    ok: bool = True  # every cell converted (else the row is reported, not appended)
    target: Path | None = None


@dataclass
class Imported:
    added: list[Row] = field(default_factory=list)
    existing: int = 0
    files: list[str] = field(default_factory=list)


def _cell(value: str) -> str:
    value = value.strip()
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA) else value


def _scalar_type(annotation: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is typing.Annotated:
        return _scalar_type(args[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and args:
        return _scalar_type(args[0])
    return annotation


def convert(model: type[Record], name: str, text: str) -> Any:
    """The field value for one cell; raises ValueError with a message for the editor."""
    if name == "citations":
        out = []
        for part in filter(None, (p.strip() for p in text.split("; "))):
            source, sep, locator = part.partition(":")
            if not sep or not locator.strip():
                raise ValueError(f"'{part}' is not `source: locator`")
            out.append({"source": source.strip(), "locator": locator.strip()})
        return out
    if name in JSON_FIELDS:
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError('expected a JSON object such as {"KZ": "hosted"}')
        return value
    if name == "conflicts":
        raise ValueError("conflicting values cannot be imported from a spreadsheet; add them in YAML")
    info = model.model_fields.get(name)
    kind = _scalar_type(info.annotation) if info else str
    if typing.get_origin(kind) is list:
        return [v.strip() for v in text.split(";") if v.strip()]
    if kind is int:
        return int(float(text)) if re.fullmatch(r"-?\d+(\.0+)?", text) else int(text)
    if kind is float:
        return float(text)
    return text


def _record(header: list[str], cells: list[str], number: int, name: str, problems: list[Problem]) -> Row | None:
    values = dict(zip(header, (_cell(c) for c in cells), strict=False))
    kind = values.get("kind", "")
    if kind not in KEYS:
        col = header.index("kind") + 1 if "kind" in header else 0
        problems.append(Problem(f"{name}:{number}", col, "kind", f"unknown kind '{kind}'", ", ".join(KEYS)))
        return None
    model = RECORD_KINDS[KEYS[kind]]
    data: dict[str, Any] = {}
    for col, (column, text) in enumerate(zip(header, cells, strict=False), start=1):
        text = _cell(text)
        if column in DERIVED or not text:
            continue
        if column not in model.model_fields and column not in JSON_FIELDS:
            problems.append(Problem(f"{name}:{number}", col, column, "no such field in a " + kind, "delete the column"))
            continue
        try:
            data[column] = convert(model, column, text)
        except ValueError as exc:
            problems.append(Problem(f"{name}:{number}", col, column, str(exc).splitlines()[0], None))
    if isinstance(data.get("topics"), list):
        data["topics"] = [t for t in data["topics"] if t != model.home_topic]
    return Row(number, KEYS[kind], data, ok=not any(p.file == f"{name}:{number}" for p in problems))


def read_rows(path: Path, problems: list[Problem], known: Collection[str] = ()) -> list[Row]:
    """The rows of `path`; a row whose id is in `known` (already in the atlas) is not converted."""
    name = path.name
    if path.stat().st_size > MAX_BYTES:
        raise AtlasError(f"{name}: larger than {MAX_BYTES / 1e6:.0f} MB")
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    if "id" not in header or "kind" not in header:
        raise AtlasError(f"{name}:1: the header needs the columns `id` and `kind`, as the site's CSV has them")
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            problems.append(Problem(f"{name}:{number}", len(header) + 1, "row", "more cells than columns", None))
        ident = _cell(cells[header.index("id")]) if header.index("id") < len(cells) else ""
        if ident in known:
            rows.append(Row(number, "", {"id": ident}))
            continue
        row = _record(header, cells, number, name, problems)
        if row is not None:
            rows.append(row)
    return rows


def import_csv(cfg: SiteConfig, path: Path, into: Path | None = None) -> Imported:
    """Append the new rows of `path` to the data; raises DataError (row:column problems) and
    writes nothing when any row, or the atlas with them, does not validate."""
    problems: list[Problem] = []
    loaded = load_data(cfg.data_dir, cfg.root)
    known = {str(i.data.get("id")) for i in loaded.items if isinstance(i.data, dict)}
    rows = read_rows(path, problems, known)
    header = next(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")), [])
    columns = {h.strip(): i for i, h in enumerate(header, start=1)}
    result = Imported()
    texts: dict[Path, str] = {}
    seen: dict[str, int] = {}  # new ids -> their row
    for row in rows:
        ident = str(row.data.get("id", ""))
        if ident in seen:
            msg = f"id '{ident}' is also the id of row {seen[ident]}"
            problems.append(
                Problem(f"{path.name}:{row.number}", columns["id"], "id", msg, "give each new row its own id")
            )
            continue
        if ident in known:
            result.existing += 1
            continue
        if not row.ok:
            continue
        if not ident:
            problems.append(Problem(f"{path.name}:{row.number}", columns["id"], "id", "a new row needs an id", None))
            continue
        seen[ident] = row.number
        countries = row.data.get("countries") or [None]
        target = into if into is not None else _target(cfg, row.key, loaded.items, countries[0])[0]
        _inside(cfg, target)
        text = texts.get(target) or (
            target.read_text(encoding="utf-8") if target.exists() else new_file_text(cfg.root, target)
        )
        item = _fresh(_ordered(row.key, row.data))
        blocks: list[str] = []

        def render(style: Any, item: Any = item, key: str = row.key, blocks: list[str] = blocks) -> str:
            blocks.append(dump_item(key, item, style))
            return blocks[-1]

        texts[target], _ = plan(text, row.key, render, path.name)
        row.target = target
        result.added.append(row)
    for target, text in texts.items():
        if len(text.encode("utf-8")) > MAX_BYTES:
            raise AtlasError(f"{target.name} would exceed {MAX_BYTES // 1_000_000} MB: import into a new file (--into)")
    if texts:  # the rows that converted, checked with the atlas: all problems in one report
        try:
            load_atlas(cfg, texts)
        except DataError as exc:
            located = _located(cfg, texts, result.added)
            problems += [_at_row(p, cfg, located, columns, path.name) for p in exc.problems]
    if problems:
        raise ImportProblems(problems)
    for target, text in texts.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.import")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
        result.files.append(target.relative_to(cfg.root).as_posix())
    return result


def _inside(cfg: SiteConfig, target: Path) -> None:
    data = cfg.data_dir.resolve()
    if target.is_symlink() or not target.resolve().is_relative_to(data) or target.suffix != ".yaml":
        raise AtlasError(f"{target}: rows are written only into .yaml files inside data/")


def _at_row(
    p: Problem, cfg: SiteConfig, rows: dict[tuple[str, str], Row], columns: dict[str, int], name: str
) -> Problem:
    """A validation problem inside an imported row, pointed at that row and column."""
    m = _WHERE.match(p.where)
    row = rows.get((p.file, p.where.split(".", 1)[0])) if m else None
    if row is None or m is None:
        return p
    fieldname = m.group(2) or ""
    return Problem(f"{name}:{row.number}", columns.get(fieldname, 0), f"{fieldname}{m.group(3)}", p.message, p.hint)


def _located(cfg: SiteConfig, texts: dict[Path, str], added: list[Row]) -> dict[tuple[str, str], Row]:
    """(file, "key[index]") of each imported row's item in the new texts."""
    by_id = {str(r.data.get("id")): r for r in added}
    out: dict[tuple[str, str], Row] = {}
    for target, text in texts.items():
        name = target.relative_to(cfg.root).as_posix()
        for item in _parse(text, name, []):
            row = by_id.get(str(item.data.get("id"))) if isinstance(item.data, dict) else None
            if row is not None and row.target == target:
                out[(name, f"{item.key}[{item.index}]")] = row
    return out


class ImportProblems(DataError):
    """The problems of an import, by row and column of the spreadsheet."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems.sort(key=lambda p: (p.file.rsplit(":", 1)[0], _number(p.file), p.line, p.where))


def _number(file: str) -> int:
    tail = file.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0
