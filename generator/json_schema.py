"""JSON Schema (Draft 7) of the data files, generated from the pydantic models.

Editors get completion, descriptions and as-you-type errors from yaml-language-server (the VS Code
YAML extension, and Neovim, Helix, Zed and JetBrains through it), which speaks Draft 7. pydantic
writes Draft 2020-12, so three keywords are translated: `$defs` -> `definitions`, `prefixItems` ->
`items` + `additionalItems`. The meaning of each field lives in generator/fielddocs.py; this module
carries it to the editor, the field reference (generator/fieldref.py) and the skeletons of
`python -m generator new`.

The generator takes any layout under data/ and tells a file's kind by its top-level keys, so there
is one schema for every data file (`schema/data.json`): one property per list key. Beyond the
models' own types, it states the rules of `generator.validate` that one item shows by itself:
record id prefixes, required dates, reserved and overlong ids, a Central Asian country or the
region, precision only for numbers that are set. Checks that span items (references, duplicate
ids, coordinates inside a country) and the order of two dates stay in `generator.validate`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from generator.fielddocs import FIELD_DOCS
from generator.load import MAX_NUMBER
from generator.schema import ENTITY_KINDS, FOCUS, KIND_LABELS, RECORD_KINDS, Record
from generator.validate import MAX_ID, RESERVED_IDS

DRAFT7 = "http://json-schema.org/draft-07/schema#"
SCHEMA_DIR = "schema"
SCHEMA_ID = "https://central-asia-security-atlas/schema/"

# --- which files hold what --------------------------------------------------------------------


@dataclass(frozen=True)
class FileType:
    name: str  # schema/<name>.json
    title: str
    keys: tuple[str, ...]  # top-level keys such a file may hold


ENTITY_FILES = tuple(ENTITY_KINDS)
# Every data file, whatever its folder: the generator reads each list by its key.
DATA_FILE = FileType(
    "data", "any data file (records, places, organisations, sources, ...)", (*RECORD_KINDS, *ENTITY_FILES)
)
FILE_TYPES: tuple[FileType, ...] = (DATA_FILE,)


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
        for field in ("id", "slug"):  # they name files and addresses (generator.validate._reserved)
            if field in schema.get("properties", {}) and "pattern" in schema["properties"][field]:
                reserved = "|".join(sorted(RESERVED_IDS))
                message = (
                    f"{' and '.join(sorted(RESERVED_IDS))}: reserved (its page would replace the list); choose another"
                )
                # a second pattern (in allOf), not `not`: an editor shows a pattern's errorMessage
                schema["properties"][field].update(
                    maxLength=MAX_ID, allOf=[{"pattern": f"^(?!({reserved})$)", "errorMessage": message}]
                )
        if issubclass(model, Record):
            _record_rules(model, schema)
        schema.pop("title", None)
        schema["title"] = name
    return _bounded(_draft7(defs))


def _bounded(node: Any) -> Any:
    """Every number within the loader's range (generator.load.MAX_NUMBER: beyond it sums overflow)."""
    if isinstance(node, list):
        return [_bounded(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _bounded(v) for k, v in node.items()}
    if out.get("type") in ("integer", "number"):
        out.setdefault("minimum", -int(MAX_NUMBER))
        out.setdefault("maximum", int(MAX_NUMBER))
    return out


def _record_rules(model: type[Record], schema: dict[str, Any]) -> None:
    """What `generator.validate` and the model's own validator ask of one record, as schema."""
    kind, prefix = model.kind, model.prefix
    schema["description"] = f"{KIND_LABELS[kind][0]} (record kind `{kind}`); ids start with `{prefix}-`."
    schema["properties"]["id"]["pattern"] = f"^{prefix}-[a-z0-9]+(-[a-z0-9]+)*$"
    schema["properties"]["id"]["errorMessage"] = (
        f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} id: `{prefix}-`, then lowercase letters, digits and single hyphens, e.g. `{prefix}-kg-2021-03`"
    )
    if model.date_required and "date" not in schema.get("required", []):
        schema["required"] = [*schema.get("required", []), "date"]
    focus = {"enum": list(FOCUS)}
    named = (
        f"name at least one Central Asian country ({', '.join(FOCUS)}) in `countries`, or set `region: central-asia`"
    )
    region = (
        "a region-level record names no Central Asian state in `countries`: remove `region` if the source names one"
    )
    rules: list[dict[str, Any]] = [
        {  # Record._focus: a Central Asian state in `countries`, or `region` without one
            "anyOf": [
                {
                    "required": ["countries"],
                    "properties": {
                        "countries": {"contains": focus, "errorMessage": named},
                        "region": {"type": "null", "errorMessage": region},
                    },
                },
                {
                    "required": ["region"],
                    "properties": {
                        "region": {"const": "central-asia"},
                        # `items` + a pattern, not `not`: an editor shows a pattern's errorMessage
                        "countries": {"items": {"pattern": f"^(?!({'|'.join(FOCUS)})$)", "errorMessage": region}},
                    },
                },
            ],
            "errorMessage": named,
        }
    ]
    numbers = [f for f, info in model.model_fields.items() if _is_number(info.annotation)]
    precision = schema["properties"]["precision"]
    if numbers:
        message = f"precision is given for a number field of this kind: {', '.join(numbers)}"
        precision["propertyNames"] = {"enum": numbers, "errorMessage": message}
    else:  # an empty `enum` is not a valid schema (ajv, yaml-language-server refuse the file)
        precision.update(maxProperties=0, errorMessage=f"a {kind} has no number field to qualify")
    for field in numbers:  # Record._focus: precision only for a number that is set
        rules.append(
            {
                "if": {"required": ["precision"], "properties": {"precision": {"required": [field]}}},
                "then": {
                    "required": [field],
                    "properties": {field: {"type": "number"}},
                    "errorMessage": f"`precision` qualifies `{field}`: give `{field}` a number, or take it out of `precision`",
                },
            }
        )
    schema["allOf"] = rules


def _is_number(annotation: Any) -> bool:
    types = [t for t in _types_in(annotation) if t is not type(None)]
    return bool(types) and all(t in (int, float) for t in types)


def file_schema(ft: FileType, definitions: dict[str, Any]) -> dict[str, Any]:
    props = {}
    for key in ft.keys:
        name = _model(key).__name__
        label = KIND_LABELS[RECORD_KINDS[key].kind][1] if key in RECORD_KINDS else key.capitalize()
        props[key] = {
            "type": "array",
            "description": f"{label}: a list of `{key}` items, each starting with `- `.",
            "items": {"$ref": f"#/definitions/{name}"},
        }
    used = _reachable({"properties": props}, definitions)
    return {
        "$schema": DRAFT7,
        "$id": f"{SCHEMA_ID}{ft.name}.json",
        "title": f"Central Asia Security Atlas data file: {ft.title}",
        "description": "Generated from generator/schema.py by `python -m generator schema`; do not edit. "
        "A data file is a mapping of lists, each under the key of its kind (any number of kinds in one file).",
        "type": "object",
        "additionalProperties": False,
        "errorMessage": f"a data file holds lists under these keys only: {', '.join(ft.keys)}",
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
