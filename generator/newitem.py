"""`python -m generator new KIND`: append a skeleton record or entity to the right data file.

The skeleton is written from the JSON Schema (so it follows the model): every required field is
present with a placeholder that the validator rejects until it is filled in (so an unfinished item
can never be published by accident), and every optional field is there as a comment giving its
meaning and allowed values. The id is the next free `<prefix>-new-<n>`; rename it to a short
descriptive slug before publishing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.config import SiteConfig
from generator.errors import AtlasError
from generator.json_schema import _definitions, type_label
from generator.load import load_data
from generator.schema import KIND_LABELS, RECORD_KINDS

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


def _target(cfg: SiteConfig, key: str, files: dict[str, list[str]]) -> Path:
    """The file that already holds most items of `key` with `key` as its last list (so appending
    lands in that list); otherwise a new file named after the key."""
    counts = {f: keys.count(key) for f, keys in files.items() if keys and keys[-1] == key}
    if counts:
        best = max(counts, key=lambda f: (counts[f], f))
        return cfg.root / best
    folder = cfg.data_dir / ("records" if key in RECORD_KINDS else key)
    return folder / f"{key.replace('_', '-')}.yaml"


def _comment(prop: dict[str, Any]) -> str:
    return f"{prop.get('description', '')} [{type_label(prop)}]".strip()


def skeleton(key: str, ident: str) -> str:
    defs = _definitions()
    name = (RECORD_KINDS[key].__name__) if key in RECORD_KINDS else ENTITIES[key].capitalize()
    schema = defs[name]
    required = schema.get("required", [])
    label = KIND_LABELS[RECORD_KINDS[key].kind][0] if key in RECORD_KINDS else ENTITIES[key]
    lines = [
        f"  # New {label.lower()} written by `python -m generator new`: fill in every field that",
        "  # `make validate` reports, uncomment the optional fields you need, delete the rest.",
    ]
    first = True
    for field, prop in schema["properties"].items():
        lead = "  - " if first else "    "
        first = False
        comment = _comment(prop)
        if field == "id":
            lines.append(f"{lead}id: {ident}  # {comment} Rename it to a short descriptive slug before publishing.")
        elif field == "citations":
            lines += [
                f"{lead}citations:  # {comment}",
                "      - source: TODO  # id of a source in data/sources",
                '        locator: ""  # where in the source: Appendix 1, Table 2, Figure 1, p. 12, ...',
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


def new_item(cfg: SiteConfig, kind: str) -> NewItem:
    key = resolve_kind(kind)
    loaded = load_data(cfg.data_dir, cfg.root)
    used = {str(i.data.get("id")) for i in loaded.items if isinstance(i.data, dict)}
    files: dict[str, list[str]] = {f: [] for f in loaded.files}
    for item in loaded.items:
        keys = files.setdefault(item.file, [])
        if not keys or keys[-1] != item.key:
            keys.append(item.key)
    ident = _next_id(key, used)
    target = _target(cfg, key, files)
    text = skeleton(key, ident)
    if target.exists():
        old = target.read_text(encoding="utf-8")
        new = old + ("" if old.endswith("\n") or not old else "\n") + "\n" + text
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        new = f"{key}:\n" + text
    target.write_text(new, encoding="utf-8")
    line = next(i for i, ln in enumerate(new.splitlines(), 1) if ln.startswith(f"  - id: {ident}  #"))
    return NewItem(key, ident, target, line, text)
