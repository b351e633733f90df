"""Stage 2: check every item and every cross-reference, collecting all problems."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

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
        parsed.append(Located(obj, item))
    id_problems = _check_ids(parsed)
    problems.extend(id_problems)
    if not id_problems:
        # Items that failed their own checks are absent from the atlas; references to their
        # ids are not reported again, so each mistake is reported once, where it is.
        failed = {(i.key, str(i.data.get("id"))) for i in loaded.items if isinstance(i.data, dict)}
        failed -= {(loc.item.key, loc.obj.id) for loc in parsed}
        atlas = Atlas.build(parsed)
        problems.extend(_check_references(atlas, failed))
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
        elif msg.startswith("Value error, "):
            msg = msg.removeprefix("Value error, ")
            field, sep, rest = msg.partition(": ")
            if sep and not loc and field.isidentifier():  # a model check naming its field
                loc, msg = (field,), rest
        out.append(item.problem(loc, msg, hint))
    return out


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


def _check_references(atlas: Atlas, failed: set[tuple[str, str]] = frozenset()) -> list[Problem]:  # type: ignore[assignment]
    problems: list[Problem] = []
    failed_ids = {i for _, i in failed}

    def ref(loc: Located[Any], path: Path_, value: str, options: dict[str, Any], what: str) -> None:
        if value not in options and value not in failed_ids:
            item = loc.item
            hint = _suggest(value, options) or f"add it to the {what}s list first"
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
            for i, c in enumerate(obj.citations):
                ref(loc, ("citations", i, "source"), c.source, atlas.sources, "source")
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
