"""Pydantic's errors in an editor's words: each message repeats the bad value (quoted, shortened),
each hint leads to a valid file, and a misspelt word gets a "did you mean"."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.errors import Problem, visible
from generator.fieldtypes import LOCATOR_HINT, QUALIFIERS
from generator.load import Path_, RawItem


def suggest(value: str, options: Iterable[str]) -> str | None:
    match = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None


def shown(value: Any, limit: int = 40) -> str:
    """A bad value as a message repeats it: quoted text, shortened, control characters escaped."""
    if isinstance(value, str):
        return "'" + visible(value, limit=limit).replace("'", "\\'") + "'"
    return visible(repr(value), limit=limit)


def pydantic_problems(item: RawItem, model: type[BaseModel], exc: ValidationError) -> list[Problem]:
    return [item.problem(*_one(model, err)) for err in exc.errors(include_url=False)]


def _one(model: type[BaseModel], err: Any) -> tuple[Path_, str, str | None]:
    loc: Path_ = tuple(err["loc"])
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx", {})
    msg, hint = err["msg"], None
    if kind == "extra_forbidden":
        known = fields_at(model, loc[:-1])
        msg = "unknown field"
        hint = suggest(str(loc[-1]), known) or f"allowed fields: {', '.join(sorted(known))}"
    elif kind == "too_short":
        n = ctx.get("min_length", 1)
        msg = "needs at least one item" if n == 1 else f"needs at least {n} items"
        if loc[-1] == "citations":
            hint = "add a citation: `- {source: <source id>, locator: <page 12, section 3, table 2 ...>}`"
    elif kind == "missing":
        msg = "required field is missing"
        hint = f"add `{loc[-1]}:` to this item"
    elif kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        if "about" in pattern:  # a number's precision
            msg = f"{shown(value)} is not a precision"
            hint = suggest(str(value), QUALIFIERS) or f"use one of: {', '.join(QUALIFIERS)}, or `to N` for a range"
        elif "A-Z" in pattern and "{2}" in pattern:
            msg, hint = f"{shown(value)} is not a country code", "use ISO 3166-1 alpha-2 in capitals, e.g. KZ"
        elif "A-Z" in pattern:
            msg, hint = f"{shown(value)} is not a currency code", "use ISO 4217, e.g. USD or CNY"
        else:
            msg, hint = f"{shown(value)} is not a valid id", "use lowercase letters, digits and single hyphens"
            if isinstance(value, str) and re.fullmatch(r"[\w\s-]+", value):
                hint += f", e.g. '{re.sub(r'[^a-z0-9]+', '-', value.lower()).strip('-')}'"
    elif kind == "string_too_short":
        msg = "must not be empty"
        if loc and loc[-1] == "locator":
            hint = LOCATOR_HINT
        elif _required(model, loc):
            hint = "write the text; this field is required"
        else:
            hint = "write the text, or delete the whole line"
    elif kind in _PLAIN:
        msg, hint = _PLAIN[kind]
        msg = msg.format(**dict(ctx), got=_kind_of(value))
    elif kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        msg = f"{shown(value)} is not an allowed value"
        hint = suggest(str(value), allowed) or f"use one of: {', '.join(allowed)}"
    elif kind in _BOUNDS:
        if isinstance(value, float) and math.isnan(value):
            msg, hint = "is not a number", "write a number"
        else:
            bound = next(iter(ctx.values()), "")
            msg, hint = f"{value!r} {_BOUNDS[kind]} {bound}", None
    elif msg.startswith("Value error, "):
        msg = msg.removeprefix("Value error, ")
        field, sep, rest = msg.partition(": ")
        if sep and not loc and field.isidentifier():  # a model check naming its field
            loc, msg = (field,), rest
        msg, sep, tail = msg.partition(" (hint: ")
        hint = tail.removesuffix(")") if sep else None
        if isinstance(value, str | int | float) and not isinstance(value, bool) and loc and str(value) not in msg:
            msg = f"{shown(value)}: {msg}"
    return loc, msg, hint


def _required(model: type[BaseModel], loc: Path_) -> bool:
    names = [p for p in loc if isinstance(p, str)]
    if not names:
        return False
    current = _model_at(model, tuple(names[:-1]))
    info = current.model_fields.get(names[-1]) if current else None
    return bool(info and info.is_required())


_PLAIN: dict[str, tuple[str, str | None]] = {
    "list_type": ("expected a list, got {got}", "write `[a, b]`, or one `- item` per line"),
    "tuple_type": ("expected a list, got {got}", "write `[a, b]`, or one `- item` per line"),
    "dict_type": ("expected a mapping of fields, got {got}", "write `key: value` lines indented under it"),
    "model_type": ("expected a mapping of fields, got {got}", "write `key: value` lines indented under it"),
    "model_attributes_type": ("expected a mapping of fields, got {got}", "write `key: value` lines indented under it"),
    "string_type": ("expected text, got {got}", "put the value in quotes"),
    "int_type": ("expected a whole number, got {got}", "write digits only, e.g. 12"),
    "int_parsing": ("expected a whole number, got {got}", "write digits only, e.g. 12 (units go in their own field)"),
    "int_from_float": ("expected a whole number, got {got}", "drop the decimals"),
    "float_type": ("expected a number, got {got}", "write digits only, e.g. 12.5"),
    "float_parsing": ("expected a number, got {got}", "write digits only, e.g. 12.5 (units go in their own field)"),
    "finite_number": ("is not a number", "write a number"),
    "bool_type": ("expected true or false, got {got}", "write true or false"),
    "bool_parsing": ("expected true or false, got {got}", "write true or false"),
    "string_too_long": ("{got} is longer than {max_length} characters", "shorten it; details belong in `summary`"),
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
        return f"text {shown(value)}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _model_at(model: type[BaseModel], loc: Path_) -> type[BaseModel] | None:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        ann = info.annotation
        for arg in (*getattr(ann, "__args__", ()), ann):
            inner = getattr(arg, "__args__", (arg,))[0] if hasattr(arg, "__args__") else arg
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                current = inner
                break
    return current


def fields_at(model: type[BaseModel], loc: Path_) -> list[str]:
    current = _model_at(model, loc)
    return list(current.model_fields) if current else []
