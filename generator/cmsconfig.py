"""The form editor's configuration (`admin/config.yml`), generated from the model.

Decap CMS edits the records in the browser (`/admin/` of the preview). Its collections, fields,
select options and required fields are made here from the same JSON Schema as `schema/*.json` and
the field reference, so they cannot drift from the model; `python -m generator schema` writes the
file and a test fails when the committed one differs.

Each record kind, and places, organisations and sources, is a Decap *folder* collection over a
virtual folder `atlas/<key>/`: one entry per item, `atlas/<key>/<id>.yaml`. The preview's proxy API
(`generator/cmsapi.py`) maps those paths to the items inside the real data files (lists, one file
per kind and country), so an editor sees every record of a kind in one list, opens one record's
form, and a save rewrites only that item in its own file.

Why not Decap's file collections (one entry per data file, a list widget over its items): the records
of one kind are spread over several files (meetings by country, claims in five files), so an editor
would have to know which file holds a record, every file would have to be named in this
configuration (which would then follow the data, not the model), a file opens as hundreds of
collapsed list items, and Decap would write the whole file back in its own layout, losing the
comments. Virtual per-item entries give one searchable list per kind and one form per record.

Fields the form cannot show faithfully (mappings such as `roles`, `precision`, `names`) are left
out of the form; the API keeps them as they are in the file.
"""

from __future__ import annotations

import functools
from typing import Any

import yaml

from generator.json_schema import _definitions
from generator.schema import ENTITY_KINDS, KIND_LABELS, RECORD_KINDS

CONFIG_FILE = "admin/config.yml"
VIRTUAL = "atlas"  # the collections' folder: atlas/<key>/<id>.yaml, mapped by generator/cmsapi.py
ENTITY_COLLECTIONS = ("places", "organisations", "sources")
LONG_TEXT = {"summary", "notes", "note", "abstract", "description", "claim", "scenario", "specifics"}
SORTABLE = ("id", "title", "name", "date")


def collection_keys() -> tuple[str, ...]:
    return (*RECORD_KINDS, *ENTITY_COLLECTIONS)


def _model_name(key: str) -> str:
    return (RECORD_KINDS.get(key) or ENTITY_KINDS[key]).__name__


def _labels(key: str) -> tuple[str, str]:
    if key in RECORD_KINDS:
        return KIND_LABELS[RECORD_KINDS[key].kind]
    return key[:-1].capitalize(), key.capitalize()


def _options(prop: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in prop.get("anyOf", [prop]) if o.get("type") != "null"]


def widget(name: str, prop: dict[str, Any], required: bool, defs: dict[str, Any]) -> dict[str, Any] | None:
    """The Decap field for one schema property, or None when the form cannot edit it."""
    options = _options(prop)
    if not options:
        return None
    p = options[0] if len(options) == 1 else {"type": "string"}  # `str | int` (a page): text
    field: dict[str, Any] = {"name": name, "label": name}
    if text := prop.get("description"):
        field["hint"] = text
    if not required:
        field["required"] = False
    if "$ref" in p:
        sub = _fields(defs[p["$ref"].rsplit("/", 1)[-1]], defs)
        return {**field, "widget": "object", "fields": sub}
    if "enum" in p or "const" in p:
        values = p.get("enum") or [p["const"]]
        field.update(widget="select", options=[str(v) for v in values])
        if "default" in prop and prop["default"] is not None:
            field["default"] = prop["default"]
        return field
    kind = p.get("type")
    if kind == "array":
        items = p.get("items")
        if not isinstance(items, dict):
            return None  # a fixed-length tuple (coordinates): left as written
        if "minItems" in p:
            field["min"] = p["minItems"]
        if "$ref" in items:
            sub = _fields(defs[items["$ref"].rsplit("/", 1)[-1]], defs)
            return {**field, "widget": "list", "fields": sub}
        if "enum" in items:
            return {**field, "widget": "select", "multiple": True, "options": [str(v) for v in items["enum"]]}
        if items.get("type") == "string":
            return {**field, "widget": "list"}  # one value per comma: ids, codes or names
        return None
    if kind == "object":
        return None  # mappings (roles, precision, names): kept in the file, edited in YAML
    if kind in ("integer", "number"):
        field.update(widget="number", value_type="int" if kind == "integer" else "float")
        for key, word in (("minimum", "min"), ("maximum", "max")):
            if key in p:
                field[word] = p[key]
        return field
    if kind == "boolean":
        return {**field, "widget": "boolean"}
    field["widget"] = "text" if name in LONG_TEXT else "string"
    if pattern := p.get("pattern"):
        field["pattern"] = [pattern, p.get("errorMessage") or f"must match {pattern}"]
    return field


def _fields(schema: dict[str, Any], defs: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    out = []
    for name, prop in schema.get("properties", {}).items():
        f = widget(name, prop, name in required, defs)
        if f is not None:
            out.append(f)
    return out


@functools.cache
def form_fields(key: str) -> tuple[str, ...]:
    """The top-level fields the form shows for `key` (the API keeps the others untouched)."""
    defs = _definitions()
    return tuple(f["name"] for f in _fields(defs[_model_name(key)], defs))


def collection(key: str, defs: dict[str, Any]) -> dict[str, Any]:
    schema = defs[_model_name(key)]
    singular, plural = _labels(key)
    props = schema["properties"]
    heading = "title" if "title" in props else "name"
    return {
        "name": key,
        "label": plural,
        "label_singular": singular,
        "description": schema.get("description") or f"{plural} of the atlas ({key} lists in data/).",
        "folder": f"{VIRTUAL}/{key}",
        "extension": "yaml",
        "format": "yaml",
        "create": True,
        "delete": False,  # ids are cited: withdraw a record in YAML, with editions/redirects.yaml
        "identifier_field": "id",
        "slug": "{{id}}",
        "summary": "{{id}} | {{" + heading + "}}",
        "sortable_fields": [f for f in SORTABLE if f in props],
        "fields": _fields(schema, defs),
    }


def config() -> dict[str, Any]:
    defs = _definitions()
    return {
        # A deployed form editor needs a git host: set `backend` (for example `name: github`,
        # `repo: OWNER/REPO`) before copying admin/ into the site; see docs/editors/index.md.
        "backend": {"name": "git-gateway", "branch": "main"},
        # The preview (`python -m generator serve`) answers at its own /api/v1; admin/index.html
        # points local_backend there, on whatever port the preview runs.
        "local_backend": True,
        "publish_mode": "simple",
        "media_folder": "admin/uploads",
        "collections": [collection(key, defs) for key in collection_keys()],
    }


def render() -> str:
    head = (
        "# Decap CMS configuration of the form editor (/admin/ of `python -m generator serve`).\n"
        "# Generated from generator/schema.py by `python -m generator schema`; do not edit.\n"
    )
    return head + yaml.safe_dump(config(), sort_keys=False, allow_unicode=True, width=120)


def generated_files() -> dict[str, str]:
    return {CONFIG_FILE: render()}
