"""The field reference (docs/editors/fields.md): every field of every kind, with its type, bounds
and meaning, read from the same JSON Schema definitions as the editors' schema and `new`."""

from __future__ import annotations

from typing import Any

from generator.fieldtypes import LOCATOR_PATTERN
from generator.json_schema import ENTITY_FILES, _definitions
from generator.schema import ENTITY_KINDS, RECORD_KINDS

FIELD_REFERENCE = "docs/editors/fields.md"


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
    if t == "string" and pattern and pattern not in (r"\S", LOCATOR_PATTERN):  # text, a locator: plain text
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
