"""`python -m generator new KIND`: append a skeleton record or entity to the right data file.

The skeleton is written from the JSON Schema (so it follows the model): every required field is
present with a placeholder that the validator rejects until it is filled in (so an unfinished item
can never be published by accident), and every optional field is there as a comment giving its
meaning and allowed values. The id is the next free `<prefix>-new-<n>`; rename it to a short
descriptive slug before publishing.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.config import SiteConfig
from generator.editorschema import new_file_text
from generator.errors import AtlasError
from generator.fieldref import type_label
from generator.json_schema import _definitions
from generator.load import RawItem, load_data
from generator.schema import KIND_LABELS, RECORD_KINDS
from generator.yamlappend import DEFAULT, ListStyle, append

ENTITIES = {"places": "place", "organisations": "organisation", "sources": "source"}
KINDS = {**{k: k for k in RECORD_KINDS}, **{m.kind: k for k, m in RECORD_KINDS.items()}}
KINDS.update({k: k for k in ENTITIES} | {v: k for k, v in ENTITIES.items()})


@dataclass(frozen=True)
class NewItem:
    key: str
    id: str
    file: Path
    line: int
    text: str
    note: str = ""  # why this file, when the country asked for has none of this kind


def resolve_kind(name: str) -> str:
    key = KINDS.get(name) or KINDS.get(name.replace("-", "_"))
    if key is None:
        raise AtlasError(f"unknown kind '{name}': use one of {', '.join(sorted(set(KINDS)))}")
    return key


def _next_id(key: str, used: set[str]) -> str:
    stem = f"{RECORD_KINDS[key].prefix}-new" if key in RECORD_KINDS else f"new-{ENTITIES[key]}"
    n = 1
    while f"{stem}-{n}" in used:
        n += 1
    return f"{stem}-{n}"


def _countries(data: Any) -> list[str]:
    if not isinstance(data, dict):
        return []
    found = data.get("countries", data.get("country"))
    return [str(c).upper() for c in (found if isinstance(found, list) else [found]) if c]


def _target(cfg: SiteConfig, key: str, items: list[RawItem], country: str | None) -> tuple[Path, str]:
    """The file holding most items of `key` for `country` (if given), else most items of `key`;
    otherwise a new file named after the key. Ties go to the first file by name."""
    mine = [i for i in items if i.key == key]
    counts = Counter(i.file for i in mine)
    note = ""
    if country:
        local = Counter(i.file for i in mine if country in _countries(i.data))
        if local:
            best = max(sorted(local), key=lambda f: (local[f], counts[f]))
            return cfg.root / best, note
        note = f"no data file holds {key} of {country}"
    if counts:
        return cfg.root / max(sorted(counts), key=lambda f: counts[f]), note
    folder = cfg.data_dir / ("records" if key in RECORD_KINDS else key)
    return folder / f"{key.replace('_', '-')}.yaml", note


def _comment(prop: dict[str, Any]) -> str:
    return f"{prop.get('description', '')} [{type_label(prop)}]".strip()


def skeleton(key: str, ident: str, style: ListStyle = DEFAULT) -> str:
    defs = _definitions()
    name = (RECORD_KINDS[key].__name__) if key in RECORD_KINDS else ENTITIES[key].capitalize()
    schema = defs[name]
    required = schema.get("required", [])
    label = KIND_LABELS[RECORD_KINDS[key].kind][0] if key in RECORD_KINDS else ENTITIES[key]
    pad, sub = " " * style.dash, " " * (style.key + style.nested)
    lines = [
        f"{pad}# New {label.lower()} written by `python -m generator new`: fill in every field that",
        f"{pad}# `make validate` reports, uncomment the optional fields you need, delete the rest.",
    ]
    first = True
    for field, prop in schema["properties"].items():
        lead = style.first("") if first else " " * style.key
        first = False
        comment = _comment(prop)
        if field == "id":
            lines.append(f"{lead}id: {ident}  # {comment} Rename it to a short descriptive slug before publishing.")
        elif field == "citations":
            lines += [
                f"{lead}citations:  # {comment}",
                f"{sub}- source: TODO  # id of a source in data/sources",
                f'{sub}  locator: ""  # where in the source: Appendix 1, Table 2, Figure 1, p. 12, ...',
            ]
        elif field in required:
            lines.append(f"{lead}{field}: {_placeholder(prop)}  # {comment}")
        else:
            lines.append(f"{lead}# {field}: {_example(prop)}  # {comment}")
    return "\n".join(lines) + "\n"


def _placeholder(prop: dict[str, Any]) -> str:
    # Placeholders the validator rejects, so an unfinished item cannot be published by accident.
    if type_label(prop).startswith("list"):
        return "[]"
    return "TODO" if type_label(prop) == "id" else '""'


def _example(prop: dict[str, Any]) -> str:
    options = [o for o in prop.get("anyOf", [prop]) if o.get("type") != "null"]
    p = options[0] if options else prop
    if "enum" in p:
        return json.dumps(p["enum"][0])
    t = p.get("type")
    if t == "array":
        return "[]"
    if t == "object":
        return "{}"
    if t == "boolean":
        return "false"
    if t in ("integer", "number"):
        return "0"
    if p.get("pattern", "").startswith("^[0-9]{4}"):
        return '"YYYY-MM-DD"'
    return '""'


def new_item(cfg: SiteConfig, kind: str, country: str | None = None, *, into: Path | None = None) -> NewItem:
    """Append a skeleton `kind` item to the file that holds that kind (for `country`, if given),
    or to `into`, in that file's own list style; the file is left untouched if that fails."""
    key = resolve_kind(kind)
    loaded = load_data(cfg.data_dir, cfg.root)
    if country:
        country = country.upper()
        known = {str(i.data.get("id")) for i in loaded.items if i.key == "countries" and isinstance(i.data, dict)}
        if country not in known:
            raise AtlasError(f"unknown country '{country}': use one of {', '.join(sorted(known))}")
    used = {str(i.data.get("id")) for i in loaded.items if isinstance(i.data, dict)}
    ident = _next_id(key, used)
    target, note = (into, "") if into is not None else _target(cfg, key, loaded.items, country)
    where = target.relative_to(cfg.root).as_posix() if target.is_relative_to(cfg.root) else str(target)
    written: list[str] = []  # the skeleton in the file's style (rendered first)

    def render(style: ListStyle) -> str:
        written.append(skeleton(key, ident, style))
        return written[-1]

    line = append(target, key, render, where, new_file_text(cfg.root, target))
    return NewItem(key, ident, target, line, written[0], note)
