"""JSON Schema (Draft 7) for every kind of data file, generated from the pydantic models.

Editors get completion, descriptions and as-you-type errors from yaml-language-server (the VS Code
YAML extension), which speaks Draft 7. pydantic writes Draft 2020-12, so three keywords are
translated: `$defs` -> `definitions`, `prefixItems` -> `items` + `additionalItems`. The meaning of
each field lives here, next to the schema that carries it to the editor, the field reference
(docs/editors/fields.md) and the skeletons of `python -m generator new`.

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

from generator.schema import ENTITY_KINDS, FOCUS, KIND_LABELS, RECORD_KINDS, Record

DRAFT7 = "http://json-schema.org/draft-07/schema#"
SCHEMA_DIR = "schema"

# --- what each field means -------------------------------------------------------------------
# Keyed by model name; a record kind falls back to "Record" for the fields every record has.

FIELD_DOCS: dict[str, dict[str, str]] = {
    "Record": {
        "id": "Stable permalink id, unique across the atlas, starting with the kind's prefix. Never change or reuse it once published.",
        "title": "Short heading in your own words (3 to 160 characters).",
        "date": 'When it happened (the start), as "YYYY", "YYYY-MM" or "YYYY-MM-DD", quoted.',
        "date_end": "When it ended, for spans; same form as date.",
        "date_as_given": "The source's own wording of the date, kept when it differs from `date`.",
        "date_basis": "How `date` was chosen for an aggregate or undated claim: stated (the source gives it) or report (the report's own date).",
        "countries": f"Country codes concerned; at least one Central Asian state ({', '.join(FOCUS)}).",
        "region": "`central-asia` when the source names no Central Asian state; then leave them out of `countries`.",
        "places": "Place ids where it happened; the first one puts the record on the maps.",
        "organisations": "Organisation ids of the agencies, companies and bodies involved.",
        "topics": "Extra topic ids beyond the kind's own topic.",
        "summary": "One to four sentences in your own words; shown exactly as typed (plain text).",
        "citations": "Where the facts come from: at least one citation with a locator.",
        "related": "Record ids of the same event in another table, or closely linked records.",
        "conflicts": "Values on which sources disagree, each with its own citation.",
        "notes": "Editorial notes: corrections, caveats.",
    },
    "Meeting": {
        "ca_official": "The Central Asian official's office, as the source gives it.",
        "cn_official": "The Chinese official's office, as the source gives it.",
        "affairs_as_given": "The source's list of security affairs discussed, unchanged.",
        "security_topics": "Ids from the `security-topics` vocabulary.",
    },
    "Exercise": {
        "scope": "Whether the exercise is multilateral (for example under the SCO) or bilateral.",
        "name": 'The exercise\'s name, e.g. "Peace Mission-2010".',
        "framework": "The framework it was held under, e.g. SCO.",
        "participants": "Country codes of every participating state, China included.",
        "ca_forces": "Central Asian forces taking part, as given.",
        "cn_forces": "Chinese forces taking part, as given.",
        "size_total": "Personnel in all (integer).",
        "size_chinese": "Chinese personnel (integer).",
        "size_as_given": "The source's wording of the size, unchanged.",
        "scenario": "The scenario, in your own words.",
    },
    "Training": {
        "training_type": "Type as given: Education, Exchange, Joint operation, ...",
        "description_as_given": "The table's entry text, unchanged.",
        "trainer": "Who trains, as given.",
        "trainees": "Who is trained, as given.",
    },
    "Programme": {
        "trainer": "Who trains, as given.",
        "trainees": "Who is trained, as given.",
        "duration_days": "Length in days (integer, at least 1).",
        "duration_as_given": "The source's wording of the length, unchanged.",
        "area": "Field of the programme.",
        "area_basis": "Who classified `area`: editors (assigned by the editors) or source (named by a source).",
    },
    "Course": {
        "course_topic": "What the course teaches.",
        "trainer": "Who trains, as given.",
        "field_visits": "Places or institutions visited, one text per visit.",
        "specifics": "Particulars of the course, in your own words.",
        "duration_days": "Length in days (integer, at least 1).",
        "duration_as_given": "The source's wording of the length, unchanged.",
    },
    "Transfer": {
        "transfer_type": "What kind of transfer it was.",
        "donor": "The Chinese party, as given.",
        "recipient": "The recipient, as given.",
        "items": "What was transferred, in your own words or as given.",
        "quantity": "Number of items (integer).",
        "value": "Value as a number (in `currency`).",
        "currency": "ISO 4217 code in capitals: USD, CNY, EUR, KGS, ...",
        "value_as_given": "The source's wording of the value, unchanged.",
    },
    "Surveillance": {
        "system_type": "What kind of system was deployed.",
        "vendors": "Organisation ids of the vendors.",
        "cameras": "Number of cameras (integer).",
        "cost": "Cost as a number (in `currency`).",
        "currency": "ISO 4217 code in capitals: USD, CNY, EUR, KGS, ...",
        "cost_as_given": "The source's wording of the cost, unchanged.",
        "financing": "How it was paid for (loan, grant, ...).",
        "capabilities": "What the system can do, one text per capability.",
    },
    "Mechanism": {
        "mechanism_type": "What kind of mechanism it is.",
        "name": "Full name.",
        "abbreviation": "Short name, e.g. SCO.",
        "members": "Country codes of the members.",
        "established": "When it was established; places it in time when there is no `date`.",
    },
    "Infrastructure": {
        "facility_type": "What kind of facility it is.",
        "operator": "Who runs it, as given.",
        "established": "When it was established; places it in time when there is no `date`.",
    },
    "SecurityCompany": {
        "company": "Organisation id of the company.",
        "activities": "What the company does there.",
        "established": "When it was established; places it in time when there is no `date`.",
    },
    "Incident": {
        "incident_type": "What kind of incident or case it is.",
        "casualties": "Casualties, as given.",
        "participants_count": "Number of participants (integer).",
    },
    "Indicator": {
        "indicator": "Id from the `indicators` vocabulary; the year is carried by `date`.",
        "value": "The figure, as a number.",
        "unit": "Unit of the value, e.g. USD million or % of GDP.",
        "value_as_given": "The source's wording of the figure, unchanged.",
    },
    "Claim": {
        "claim": "What the source states (a principle, a deal, a programme, an arrangement), in your own words.",
        "claim_type": "What kind of statement it is.",
        "value_as_given": "The source's wording, unchanged.",
    },
    "GlossaryTerm": {
        "id": "Stable id of the term.",
        "term": "The term or acronym as the sources use it.",
        "expansion": "What an acronym stands for.",
        "names": "The term in other languages, keyed by language tag (zh, ru, ...).",
        "definition": "A short explanation in your own words, citing where the term is used.",
        "see": "Ids of related glossary terms.",
    },
    "Citation": {
        "source": "Id of the source in the bibliography.",
        "locator": 'Where in the source: "Appendix 1", "Table 2", "Figure 1", "section Safe cities", "p. 12".',
        "page": "Page number, when the locator is a table or figure.",
        "note": "A remark on this citation.",
    },
    "Conflict": {
        "field": "The field on which the sources disagree, e.g. cameras.",
        "note": "What the disagreement is, in your own words.",
        "values": "Two or more values, each with its citation.",
    },
    "ConflictValue": {
        "value": "One source's value.",
        "citation": "The citation for this value.",
    },
    "Country": {
        "id": "ISO 3166-1 alpha-2 code in capitals.",
        "name": "English name.",
        "slug": "URL part of the country page, e.g. kazakhstan.",
        "focus": "True for the five Central Asian states.",
        "capital": "Place id of the capital.",
        "adjective": "Adjective, e.g. Kazakh.",
        "names": "Names in other languages and scripts, keyed by language code (ru, kk, zh, ...).",
        "bbox": "Bounding box [west, south, east, north]; places in the country must lie inside it.",
        "overview": "The editors' introduction on the country page.",
    },
    "Place": {
        "id": "Stable id, e.g. dushanbe.",
        "name": "English name.",
        "country": "Code of the country it lies in.",
        "lat": "Latitude in decimal degrees (WGS84), north positive.",
        "lon": "Longitude in decimal degrees (WGS84), east positive.",
        "type": "What kind of place it is.",
        "names": "Names in other languages and scripts, keyed by language code (ru, zh, local).",
        "geonames": "GeoNames id (integer), if known.",
        "precision": "How exact the coordinates are.",
        "notes": "Editorial notes on the place or its coordinates.",
    },
    "Organisation": {
        "id": "Stable id, e.g. ministry-of-public-security.",
        "name": "English name.",
        "country": "Country code; leave out for multilateral bodies.",
        "type": "What kind of organisation it is.",
        "abbreviation": "Short name, e.g. MPS.",
        "names": "Names in other languages and scripts, keyed by language code.",
        "notes": "Editorial notes.",
        "url": "Official website (http:// or https://).",
    },
    "Source": {
        "id": "Stable id, e.g. yau-2022-fpri.",
        "type": "What kind of publication it is.",
        "title": "Title as published.",
        "authors": 'Authors as "Family, Given", in order.',
        "container": "Journal, outlet, book or series it appeared in.",
        "publisher": "Publisher.",
        "place": "Place of publication.",
        "date": 'Publication date, "YYYY", "YYYY-MM" or "YYYY-MM-DD", quoted.',
        "volume": "Volume.",
        "issue": "Issue.",
        "pages": "Page range, e.g. 12-34.",
        "url": "Where to read it (http:// or https://).",
        "doi": "DOI without the resolver, e.g. 10.1234/abc.",
        "isbn": "ISBN.",
        "license": "Licence of the work, if stated.",
        "seed": "True for the core documents the atlas is built from.",
        "cited_in": "Source id of the core document that cites this work.",
        "language": "Language code, e.g. en, ru, zh.",
        "accessed": "When the URL was last checked; same form as date.",
        "notes": "Editorial notes.",
    },
    "Term": {"id": "Stable id of the term.", "label": "How the term is shown."},
    "Vocabulary": {
        "id": "Stable id; security-topics and indicators are the ones the validator checks against.",
        "title": "Title of the list.",
        "terms": "The terms of the list.",
    },
    "Topic": {
        "id": "Stable id; the topic page's URL part.",
        "title": "Title of the topic page.",
        "short": "Short label for tables and charts.",
        "description": "The topic page's introduction.",
        "kinds": "Record kinds whose home is this topic.",
    },
}

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


def write_schemas(root: Path) -> list[str]:
    written = []
    for rel, text in generated_files().items():
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
