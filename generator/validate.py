"""Stage 2: check every item and every cross-reference, collecting all problems."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Set
from typing import Any

from pydantic import BaseModel, ValidationError

from generator import fidelity
from generator.errors import DataError, Problem
from generator.load import Loaded, Path_, RawItem
from generator.model import Atlas, Located
from generator.schema import ENTITY_KINDS, FOCUS, RECORD_KINDS, Record

_ALL_KEYS = sorted([*RECORD_KINDS, *ENTITY_KINDS])


def _suggest(value: str, options: Iterable[str]) -> str | None:
    match = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None


def validate(loaded: Loaded) -> Atlas:
    """Return the typed atlas, or raise DataError with every problem found."""
    problems = list(loaded.problems)
    parsed: list[Located[Any]] = []
    for item in loaded.items:
        model = RECORD_KINDS.get(item.key) or ENTITY_KINDS.get(item.key)
        if model is None:
            problems.append(
                Problem(
                    item.file,
                    item.line,
                    item.key,
                    "unknown list",
                    _suggest(item.key, _ALL_KEYS) or f"use one of: {', '.join(_ALL_KEYS)}",
                )
            )
            continue
        if not isinstance(item.data, dict):
            problems.append(
                Problem(
                    item.file,
                    item.line,
                    item.where(),
                    "expected a mapping of fields",
                    "write `- id: ...` and the fields under it",
                )
            )
            continue
        try:
            obj = model.model_validate(item.data)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(item, model, exc))
            continue
        except (RecursionError, ValueError, TypeError) as exc:  # never a traceback for data
            problems.append(item.problem((), f"cannot be read as a {item.key} item ({type(exc).__name__})"))
            continue
        parsed.append(Located(obj, item))
    problems.extend(_check_ids(parsed))
    # Items that failed their own checks are absent from the atlas; references to their ids are
    # not reported again, so each mistake is reported once, where it is.
    failed = {(i.key, str(i.data.get("id"))) for i in loaded.items if isinstance(i.data, dict)}
    failed -= {(loc.item.key, loc.obj.id) for loc in parsed}
    atlas = Atlas.build(parsed)
    problems.extend(_check_references(atlas, failed, loaded.broken))
    if not problems:  # roles, same_as and look-alikes, once every reference resolves
        problems.extend(fidelity.check(atlas))
    problems.extend(_check_failed_items(atlas, loaded, parsed, failed, loaded.broken))
    if problems:
        raise DataError(problems)
    return atlas


def _pydantic_problems(item: RawItem, model: type[BaseModel], exc: ValidationError) -> list[Problem]:
    out = []
    for err in exc.errors(include_url=False):
        loc: Path_ = tuple(err["loc"])
        msg, hint = err["msg"], None
        if err["type"] == "extra_forbidden":
            known = _fields_at(model, loc[:-1])
            msg = "unknown field"
            hint = _suggest(str(loc[-1]), known) or f"allowed fields: {', '.join(sorted(known))}"
        elif err["type"] == "too_short":
            n = err.get("ctx", {}).get("min_length", 1)
            msg = "needs at least one item" if n == 1 else f"needs at least {n} items"
            hint = (
                "add a citation: `- {source: <source id>, locator: <table, figure, section or page>}`"
                if loc[-1] == "citations"
                else None
            )
        elif err["type"] == "missing":
            msg = "required field is missing"
            hint = f"add `{loc[-1]}:` to this item"
        elif err["type"] == "string_pattern_mismatch":
            pattern = err.get("ctx", {}).get("pattern", "")
            if "A-Z" in pattern and "{2}" in pattern:
                msg, hint = f"{err['input']!r} is not a country code", "use ISO 3166-1 alpha-2 in capitals, e.g. KZ"
            elif "A-Z" in pattern:
                msg, hint = f"{err['input']!r} is not a currency code", "use ISO 4217, e.g. USD or CNY"
            else:
                msg, hint = f"{err['input']!r} is not a valid id", "use lowercase letters, digits and single hyphens"
        elif err["type"] in _PLAIN:
            msg, hint = _PLAIN[err["type"]]
            ctx = err.get("ctx", {})
            msg = msg.format(**{k: v for k, v in ctx.items()}, got=_kind_of(err.get("input")))
        elif err["type"] == "literal_error":
            allowed = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
            msg = f"{err.get('input')!r} is not an allowed value"
            hint = _suggest(str(err.get("input")), allowed) or f"use one of: {', '.join(allowed)}"
        elif err["type"] in _BOUNDS:
            value = err.get("input")
            if isinstance(value, float) and math.isnan(value):
                msg, hint = "is not a number", "write a number"
            else:
                bound = next(iter(err.get("ctx", {}).values()), "")
                msg, hint = f"{value!r} {_BOUNDS[err['type']]} {bound}", None
        elif msg.startswith("Value error, "):
            msg = msg.removeprefix("Value error, ")
            field, sep, rest = msg.partition(": ")
            if sep and not loc and field.isidentifier():  # a model check naming its field
                loc, msg = (field,), rest
        out.append(item.problem(loc, msg, hint))
    return out


_PLAIN: dict[str, tuple[str, str | None]] = {
    "list_type": ("expected a list, got {got}", "write `[a, b]`, or one `- item` per line"),
    "tuple_type": ("expected a list, got {got}", "write `[a, b]`, or one `- item` per line"),
    "dict_type": ("expected a mapping of fields, got {got}", "write `key: value` lines indented under it"),
    "model_type": ("expected a mapping of fields, got {got}", "write `key: value` lines indented under it"),
    "model_attributes_type": ("expected a mapping of fields, got {got}", "write `key: value` lines indented under it"),
    "string_type": ("expected text, got {got}", "put the value in quotes"),
    "int_type": ("expected a whole number, got {got}", None),
    "int_parsing": ("expected a whole number, got {got}", None),
    "int_from_float": ("expected a whole number, got {got}", None),
    "float_type": ("expected a number, got {got}", None),
    "float_parsing": ("expected a number, got {got}", "write digits only, e.g. 12.5 (units go in their own field)"),
    "finite_number": ("is not a number", "write a number"),
    "bool_type": ("expected true or false, got {got}", None),
    "bool_parsing": ("expected true or false, got {got}", None),
    "string_too_short": ("must not be empty", "write the text, or remove the field"),
    "string_too_long": ("is longer than {max_length} characters", "shorten it; details belong in `summary`"),
    "too_long": ("has more than {max_length} items", None),
}
_BOUNDS = {
    "greater_than": "must be greater than",
    "greater_than_equal": "must be at least",
    "less_than": "must be less than",
    "less_than_equal": "must be at most",
}


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, str):
        return f"text {value[:40]!r}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _fields_at(model: type[BaseModel], loc: Path_) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return []
        ann = info.annotation
        for arg in (*getattr(ann, "__args__", ()), ann):
            inner = getattr(arg, "__args__", (arg,))[0] if hasattr(arg, "__args__") else arg
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                current = inner
                break
    return list(current.model_fields)


def _check_ids(parsed: list[Located[Any]]) -> list[Problem]:
    problems: list[Problem] = []
    groups: dict[tuple[str, str], list[RawItem]] = {}
    for loc in parsed:
        space = "records" if isinstance(loc.obj, Record) else loc.item.key
        groups.setdefault((space, loc.obj.id), []).append(loc.item)
    for (_, ident), items in groups.items():
        for item in items if len(items) > 1 else ():
            others = ", ".join(f"{o.file}:{o.line}" for o in items if o is not item)
            problems.append(
                item.problem(
                    ("id",),
                    f"duplicate id '{ident}'",
                    f"also used at {others}; ids must be unique",
                )
            )
    for loc in parsed:
        problems += _reserved(loc)
    for loc in parsed:
        obj, item = loc.obj, loc.item
        if isinstance(obj, Record):
            if not obj.id.startswith(f"{obj.prefix}-"):
                problems.append(
                    item.problem(
                        ("id",),
                        f"{obj.kind} ids start with '{obj.prefix}-'",
                        f"rename to '{obj.prefix}-{obj.id}'",
                    )
                )
            if obj.date_required and obj.date is None:
                problems.append(
                    Problem(
                        item.file,
                        item.line,
                        item.where(("date",)),
                        "required field is missing",
                        'add `date: "YYYY-MM"` (or "YYYY")',
                    )
                )
            if obj.date and obj.date_end and obj.date_end < obj.date:
                problems.append(
                    item.problem(
                        ("date_end",),
                        "ends before it starts",
                        "check date and date_end",
                    )
                )
    return problems


# An id or slug names a page file: `index` would be the list page of its folder (a place with id
# `index` replaced /atlas/places/), and a file name longer than common file systems allow failed
# the write half way ("File name too long").
RESERVED_IDS = {"index"}
MAX_ID = 120


def _reserved(loc: Located[Any]) -> list[Problem]:
    out = []
    for field in ("id", "slug"):
        value = getattr(loc.obj, field, None)
        if not isinstance(value, str):
            continue
        if value in RESERVED_IDS:
            out.append(
                loc.item.problem(
                    (field,),
                    f"'{value}' is reserved: its page would replace the list of all {loc.item.key}",
                    "choose another id",
                )
            )
        elif len(value) > MAX_ID:
            out.append(
                loc.item.problem(
                    (field,),
                    f"is {len(value)} characters long; ids are at most {MAX_ID} (they name files and web addresses)",
                    "shorten it",
                )
            )
    return out


_LISTS = {
    "country": "the countries in data/countries.yaml",
    "place": "the places in data/places.yaml",
    "organisation": "an organisations list",
    "source": "a sources list",
    "topic": "data/topics.yaml",
    "record": "a records file",
    "security topic": "the security-topics vocabulary in data/vocabularies.yaml",
    "indicator": "the indicators vocabulary in data/vocabularies.yaml",
}


def _check_references(
    atlas: Atlas,
    failed: Set[tuple[str, str]] = frozenset(),
    broken: dict[str, set[str]] | None = None,
) -> list[Problem]:
    problems: list[Problem] = []
    broken = broken or {}
    failed_ids = {i for _, i in failed} | {i for ids in broken.values() for i in ids}

    def ref(loc: Located[Any], path: Path_, value: str, options: dict[str, Any], what: str) -> None:
        if value not in options and value not in failed_ids:
            item = loc.item
            hint = _suggest(value, options) or f"add it to {_LISTS.get(what, f'the {what}s list')} first"
            if broken:
                hint += f"; or fix {', '.join(sorted(broken))}, which could not be read"
            problems.append(item.problem(path, f"unknown {what} '{value}'", hint))

    vocab = {v.id: {t.id for t in v.terms} for v in atlas.vocabularies.values()}
    for loc in atlas.located.values():
        obj = loc.obj
        if isinstance(obj, Record):
            for i, c in enumerate(obj.countries):
                ref(loc, ("countries", i), c, atlas.countries, "country")
            for i, p in enumerate(obj.places):
                ref(loc, ("places", i), p, atlas.places, "place")
            for i, o in enumerate(obj.organisations):
                ref(loc, ("organisations", i), o, atlas.organisations, "organisation")
            for i, t in enumerate(obj.topics):
                ref(loc, ("topics", i), t, atlas.topics, "topic")
            for i, r in enumerate(obj.related):
                ref(loc, ("related", i), r, atlas.records, "record")
            for i, cit in enumerate(obj.citations):
                ref(loc, ("citations", i, "source"), cit.source, atlas.sources, "source")
            for i, conflict in enumerate(obj.conflicts):
                for j, v in enumerate(conflict.values):
                    ref(
                        loc,
                        ("conflicts", i, "values", j, "citation", "source"),
                        v.citation.source,
                        atlas.sources,
                        "source",
                    )
            for field, options, what in (
                ("participants", atlas.countries, "country"),
                ("members", atlas.countries, "country"),
                ("vendors", atlas.organisations, "organisation"),
                ("security_topics", vocab.get("security-topics", {}), "security topic"),
            ):
                for i, v in enumerate(getattr(obj, field, None) or []):
                    ref(loc, (field, i), v, dict.fromkeys(options), what)
            if (company := getattr(obj, "company", None)) is not None:
                ref(loc, ("company",), company, atlas.organisations, "organisation")
            if (indicator := getattr(obj, "indicator", None)) is not None:
                ref(loc, ("indicator",), indicator, dict.fromkeys(vocab.get("indicators", {})), "indicator")
        elif loc.item.key == "places":
            ref(loc, ("country",), obj.country, atlas.countries, "country")
            country = atlas.countries.get(obj.country)
            if country and country.bbox:
                w, s, e, n = country.bbox
                if not (w <= obj.lon <= e and s <= obj.lat <= n):
                    problems.append(
                        loc.item.problem(
                            ("lat",),
                            f"({obj.lat}, {obj.lon}) lies outside {country.name}",
                            "check the coordinates: lat is north-south, lon east-west",
                        )
                    )
        elif loc.item.key == "organisations" and obj.country:
            ref(loc, ("country",), obj.country, atlas.countries, "country")
        elif loc.item.key == "countries" and obj.capital:
            ref(loc, ("capital",), obj.capital, atlas.places, "place")
        elif loc.item.key == "sources" and obj.cited_in:
            ref(loc, ("cited_in",), obj.cited_in, atlas.sources, "source")
    missing = [c for c in FOCUS if c not in atlas.countries]
    if missing and atlas.records:
        problems.append(
            Problem(
                "data/countries.yaml",
                1,
                "countries",
                f"missing focus countries: {', '.join(missing)}",
                "every Central Asian state needs an entry",
            )
        )
    return problems


_RAW_REFS = (
    ("countries", "countries", "country"),
    ("places", "places", "place"),
    ("organisations", "organisations", "organisation"),
    ("topics", "topics", "topic"),
    ("related", "records", "record"),
)


def _check_failed_items(
    atlas: Atlas,
    loaded: Loaded,
    parsed: list[Located[Any]],
    failed: set[tuple[str, str]],
    broken: dict[str, set[str]],
) -> list[Problem]:
    """An item with a type error is left out of the atlas, but its other mistakes are still
    reported now (id prefix, unknown references), so an editor sees every problem at once."""
    problems: list[Problem] = []
    ok = {id(loc.item) for loc in parsed}
    skip = {i for _, i in failed} | {i for ids in broken.values() for i in ids}
    for item in loaded.items:
        model = RECORD_KINDS.get(item.key)
        if model is None or id(item) in ok or not isinstance(item.data, dict):
            continue
        ident = item.data.get("id")
        if isinstance(ident, str) and not ident.startswith(f"{model.prefix}-"):
            problems.append(
                item.problem(
                    ("id",), f"{model.kind} ids start with '{model.prefix}-'", f"rename to '{model.prefix}-{ident}'"
                )
            )
        for field, index, what in _RAW_REFS:
            values = item.data.get(field)
            if not isinstance(values, list):
                continue
            options = getattr(atlas, index)
            for i, value in enumerate(values):
                if isinstance(value, str) and value not in options and value not in skip:
                    hint = _suggest(value, options) or f"add it to {_LISTS[what]} first"
                    problems.append(item.problem((field, i), f"unknown {what} '{value}'", hint))
        for i, citation in enumerate(item.data.get("citations") or []):
            source = citation.get("source") if isinstance(citation, dict) else None
            if isinstance(source, str) and source not in atlas.sources and source not in skip:
                hint = _suggest(source, atlas.sources) or f"add it to {_LISTS['source']} first"
                problems.append(item.problem(("citations", i, "source"), f"unknown source '{source}'", hint))
    return problems
