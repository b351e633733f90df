"""JSON Schema (Draft 7) for every kind of data file, generated from the pydantic models.

Editors get completion, descriptions and as-you-type errors from yaml-language-server (the VS Code
YAML extension), which speaks Draft 7. pydantic writes Draft 2020-12, so three keywords are
translated: `$defs` -> `definitions`, `prefixItems` -> `items` + `additionalItems`. The meaning of
each field lives in generator/fielddocs.py; this module carries it to the editor, the field
reference (docs/editors/fields.md) and the skeletons of `python -m generator new`.

Checks that span items (references, duplicate ids, coordinates inside a country) stay in
`generator.validate`; the schema is the per-file part of the same rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from generator.fielddocs import FIELD_DOCS
from generator.schema import ENTITY_KINDS, KIND_LABELS, RECORD_KINDS, Record

DRAFT7 = "http://json-schema.org/draft-07/schema#"
SCHEMA_DIR = "schema"

# --- which files hold what --------------------------------------------------------------------


@dataclass(frozen=True)
class FileType:
    name: str  # schema/<name>.json
    title: str
    keys: tuple[str, ...]  # top-level keys such a file may hold
    globs: tuple[str, ...]  # files it applies to, relative to the project root


ENTITY_FILES = tuple(ENTITY_KINDS)  # each entity list lives in data/<key>.yaml or data/<key>/
FILE_TYPES: tuple[FileType, ...] = (
    FileType("records", "records (any kind)", tuple(RECORD_KINDS), ("data/records/**/*.yaml",)),
    *(FileType(key, key, (key,), (f"data/{key}.yaml", f"data/{key}/**/*.yaml")) for key in ENTITY_FILES),
    FileType("data", "any data file", (*RECORD_KINDS, *ENTITY_FILES), ()),
)


def _model(key: str) -> type[BaseModel]:
    return RECORD_KINDS.get(key) or ENTITY_KINDS[key]


def describe(model: type[BaseModel], field: str) -> str | None:
    for cls in model.__mro__:
        if field in FIELD_DOCS.get(cls.__name__, {}):
            return FIELD_DOCS[cls.__name__][field]
    return None


def undocumented() -> list[str]:
    """Model fields without a meaning in FIELD_DOCS (the test of the field reference uses it)."""
    seen: list[str] = []
    for model in _all_models():
        seen += [f"{model.__name__}.{f}" for f in model.model_fields if describe(model, f) is None]
    return seen


def _all_models() -> list[type[BaseModel]]:
    out: list[type[BaseModel]] = []

    def visit(m: type[BaseModel]) -> None:
        if m in out:
            return
        out.append(m)
        for info in m.model_fields.values():
            for arg in _types_in(info.annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    visit(arg)

    for key in (*RECORD_KINDS, *ENTITY_KINDS):
        visit(_model(key))
    return out


def _types_in(ann: Any) -> list[Any]:
    args = getattr(ann, "__args__", None)
    return [ann] if not args else [t for a in args for t in _types_in(a)]


# --- the schema -------------------------------------------------------------------------------


def _draft7(node: Any) -> Any:
    """Translate pydantic's Draft 2020-12 keywords into their Draft 7 equivalents."""
    if isinstance(node, list):
        return [_draft7(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _draft7(v) for k, v in node.items() if k not in ("$defs", "prefixItems")}
    if "prefixItems" in node:
        out["items"] = _draft7(node["prefixItems"])
        out["additionalItems"] = False
    if "$defs" in node:
        out["definitions"] = _draft7(node["$defs"])
    return out


def _definitions() -> dict[str, Any]:
    models = [_model(k) for k in (*RECORD_KINDS, *ENTITY_FILES) if k in RECORD_KINDS or k in ENTITY_KINDS]
    _, top = models_json_schema([(m, "validation") for m in models], ref_template="#/definitions/{model}")
    defs: dict[str, Any] = top["$defs"]
    by_name = {m.__name__: m for m in _all_models()}
    for name, schema in defs.items():
        model = by_name.get(name)
        if model is None:
            continue
        for field, prop in schema.get("properties", {}).items():
            prop.pop("title", None)
            if (text := describe(model, field)) is not None:
                prop["description"] = text
        if issubclass(model, Record):
            kind = model.kind
            schema["description"] = f"{KIND_LABELS[kind][0]} (record kind `{kind}`); ids start with `{model.prefix}-`."
            schema["properties"]["id"]["pattern"] = f"^{model.prefix}-[a-z0-9]+(-[a-z0-9]+)*$"
            if model.date_required and "date" not in schema.get("required", []):
                schema["required"] = [*schema.get("required", []), "date"]
        schema.pop("title", None)
        schema["title"] = name
    return _draft7(defs)


def file_schema(ft: FileType, definitions: dict[str, Any]) -> dict[str, Any]:
    props = {}
    for key in ft.keys:
        name = _model(key).__name__
        label = KIND_LABELS[RECORD_KINDS[key].kind][1] if key in RECORD_KINDS else key.capitalize()
        props[key] = {"type": "array", "description": label, "items": {"$ref": f"#/definitions/{name}"}}
    used = _reachable({"properties": props}, definitions)
    return {
        "$schema": DRAFT7,
        "$id": f"https://central-asia-security-atlas/schema/{ft.name}.json",
        "title": f"Central Asia Security Atlas data file: {ft.title}",
        "description": "Generated from generator/schema.py by `python -m generator schema`; do not edit.",
        "type": "object",
        "additionalProperties": False,
        "properties": props,
        "definitions": {k: definitions[k] for k in sorted(used)},
    }


def _reachable(node: Any, definitions: dict[str, Any], seen: set[str] | None = None) -> set[str]:
    seen = set() if seen is None else seen
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            name = ref.removeprefix("#/definitions/")
            if name not in seen:
                seen.add(name)
                _reachable(definitions[name], definitions, seen)
        for v in node.values():
            _reachable(v, definitions, seen)
    elif isinstance(node, list):
        for v in node:
            _reachable(v, definitions, seen)
    return seen


def schemas() -> dict[str, dict[str, Any]]:
    definitions = _definitions()
    return {ft.name: file_schema(ft, definitions) for ft in FILE_TYPES}


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


FIELD_REFERENCE = "docs/editors/fields.md"
VSCODE_SETTINGS = ".vscode/settings.json"


def generated_files() -> dict[str, str]:
    """Every committed file this module generates: path relative to the root -> text."""
    out = {f"{SCHEMA_DIR}/{name}.json": render(schema) for name, schema in schemas().items()}
    out[FIELD_REFERENCE] = field_reference()
    settings = {"yaml.schemas": vscode_schemas(), "yaml.validate": True, "yaml.completion": True, "yaml.hover": True}
    out[VSCODE_SETTINGS] = json.dumps(settings, indent=2) + "\n"
    return out


def stale_schemas(root: Path, files: dict[str, str] | None = None) -> list[str]:
    """The generated files (default: this module's) that differ from what the model makes now,
    missing ones too."""
    stale = []
    for rel, text in (generated_files() if files is None else files).items():
        path = root / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(rel)
    return stale


def write_schemas(root: Path, files: dict[str, str] | None = None) -> list[str]:
    written = []
    for rel, text in (generated_files() if files is None else files).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(rel)
    return written


def vscode_schemas() -> dict[str, list[str]]:
    """`yaml.schemas` for .vscode/settings.json: schema file -> the data files it applies to."""
    return {f"./{SCHEMA_DIR}/{ft.name}.json": list(ft.globs) for ft in FILE_TYPES if ft.globs}


# --- the field reference ----------------------------------------------------------------------


def type_label(prop: dict[str, Any]) -> str:
    """A short human description of a property's type, e.g. `list of place ids`."""
    options = [o for o in prop.get("anyOf", [prop]) if o.get("type") != "null"]
    return " or ".join(_one_type(o) for o in options) or "any"


def _one_type(p: dict[str, Any]) -> str:
    if "$ref" in p:
        return p["$ref"].rsplit("/", 1)[-1].lower()
    if "enum" in p:
        return "one of " + ", ".join(f"`{v}`" for v in p["enum"])
    if "const" in p:
        return f"`{p['const']}`"
    t = p.get("type")
    if t == "array":
        items = p.get("items")
        if isinstance(items, list):
            return f"list of {len(items)} {'/'.join(_one_type(i) for i in items[:1])}s"
        return "list of " + (_one_type(items) if items else "values")
    if t == "object":
        return (
            "mapping of " + _one_type(p.get("additionalProperties") or {})
            if p.get("additionalProperties")
            else "mapping"
        )
    pattern = p.get("pattern", "")
    if t == "string" and pattern:
        if pattern == r"^[A-Z]{2}$":
            return "country code"
        if pattern.startswith("^[0-9]{4}"):
            return "date"
        if pattern == r"^[A-Z]{3}$":
            return "currency code"
        if pattern.startswith("^https?://"):
            return "web address"
        return "id"
    return {"string": "text", "integer": "integer", "number": "number", "boolean": "true/false"}.get(str(t), str(t))


def _bounds(p: dict[str, Any]) -> str:
    parts = []
    for key, word in (("minimum", ">="), ("maximum", "<="), ("minLength", "length >="), ("maxLength", "length <=")):
        if key in p:
            parts.append(f"{word} {p[key]}")
    if "minItems" in p and p.get("type") == "array" and not isinstance(p.get("items"), list):
        parts.append(f"at least {p['minItems']}")
    return ", ".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def field_reference() -> str:
    """docs/editors/fields.md: every field of every kind, generated from the schema."""
    defs = _definitions()
    lines = [
        "---",
        "title: Field reference",
        "description: Every field of every kind of record and entity, generated from the schema.",
        "---",
        "",
        "# Field reference",
        "",
        "Generated from the typed model by `python -m generator schema` (do not edit by hand; the",
        "tests fail when it is out of date). The same text appears as you type in an editor that",
        "reads the JSON Schema in `schema/` (see the [editors' guide](index.md#editor-support)).",
        "",
    ]
    sections: list[tuple[str, str, str]] = []
    for key, model in RECORD_KINDS.items():
        sections.append((f"Record: `{key}`", model.__name__, defs[model.__name__].get("description", "")))
    for key in ENTITY_FILES:
        if key in ENTITY_KINDS:
            sections.append((f"Entity: `{key}`", ENTITY_KINDS[key].__name__, ""))
    for name in ("Citation", "Conflict", "ConflictValue", "Term"):
        sections.append((f"Part: {name.lower()}", name, ""))
    for heading, name, intro in sections:
        schema = defs[name]
        required = set(schema.get("required", []))
        lines += [f"## {heading}", ""]
        if intro:
            lines += [intro, ""]
        lines += ["| field | required | type | meaning |", "|---|---|---|---|"]
        for field, prop in schema["properties"].items():
            typ = type_label(prop)
            if bounds := _bounds(prop):
                typ += f" ({bounds})"
            lines.append(
                f"| `{field}` | {'yes' if field in required else 'no'} | {_cell(typ)} | {_cell(prop.get('description', ''))} |"
            )
        lines.append("")
    return "\n".join(lines)
