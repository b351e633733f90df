"""Stage 2: check every item and every cross-reference, collecting all problems."""

from __future__ import annotations

import unicodedata
from typing import Any

from pydantic import ValidationError

from generator import fidelity, refs
from generator.errors import DataError, Problem, visible
from generator.load import Loaded, RawItem
from generator.messages import pydantic_problems, suggest
from generator.model import Atlas, Located
from generator.schema import ENTITY_KINDS, FOCUS, RECORD_KINDS, Record

_ALL_KEYS = sorted([*RECORD_KINDS, *ENTITY_KINDS])


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
                    suggest(item.key, _ALL_KEYS) or f"use one of: {', '.join(_ALL_KEYS)}",
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
            problems.extend(pydantic_problems(item, model, exc))
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
    skip = {i for _, i in failed} | {i for ids in loaded.broken.values() for i in ids}
    problems.extend(refs.check(atlas, loaded, skip, loaded.broken))
    problems.extend(_check_failed_ids(loaded, parsed))
    problems.extend(_check_places(atlas))
    if not problems:  # roles, same_as and look-alikes, once every reference resolves
        problems.extend(fidelity.check(atlas))
    if problems:
        raise DataError(problems)
    return atlas


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
    problems += _colliding_slugs(parsed)
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


def _colliding_slugs(parsed: list[Located[Any]]) -> list[Problem]:
    """Two items of one kind whose slugs name the same page once case and Unicode forms are
    folded (file systems and browsers may treat them as one): the second one is refused."""
    out = []
    seen: dict[tuple[str, str], RawItem] = {}
    for loc in parsed:
        slug = getattr(loc.obj, "slug", None)
        if not isinstance(slug, str):
            continue
        key = (loc.item.key, unicodedata.normalize("NFKC", slug).casefold())
        if key in seen and (first := seen[key]) is not loc.item:
            out.append(
                loc.item.problem(
                    ("slug",),
                    f"slug '{visible(slug)}' names the same page as {first.file}:{first.line}",
                    "give each its own slug",
                )
            )
        seen.setdefault(key, loc.item)
    return out


def _check_places(atlas: Atlas) -> list[Problem]:
    """A place inside its country's box; every focus country present."""
    problems: list[Problem] = []
    for loc in atlas.located.values():
        obj = loc.obj
        if loc.item.key == "places" and (country := atlas.countries.get(obj.country)) and country.bbox:
            w, s, e, n = country.bbox
            if not (w <= obj.lon <= e and s <= obj.lat <= n):
                problems.append(
                    loc.item.problem(
                        ("lat",),
                        f"({obj.lat}, {obj.lon}) lies outside {country.name}",
                        "check the coordinates: lat is north-south, lon east-west",
                    )
                )
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


def _check_failed_ids(loaded: Loaded, parsed: list[Located[Any]]) -> list[Problem]:
    """An item with a type error is left out of the atlas, but its id prefix is still checked now."""
    problems: list[Problem] = []
    ok = {id(loc.item) for loc in parsed}
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
    return problems
