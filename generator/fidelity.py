"""Checks that keep the records faithful to their sources beyond single fields: the part each
tagged country plays, records of one event (`same_as`) and look-alikes (`distinct_from`).

Each check returns `Problem`s at the file and line of the field, like `generator.validate`.
"""

from __future__ import annotations

import re
from itertools import combinations
from typing import Any

from generator.errors import Problem
from generator.fieldtypes import ROLES
from generator.model import Atlas, Located
from generator.schema import Record


def check(atlas: Atlas) -> list[Problem]:
    problems: list[Problem] = []
    for loc in atlas.located.values():
        if isinstance(loc.obj, Record):
            problems += _roles(atlas, loc) + _links(atlas, loc)
    problems += _duplicates(atlas)
    return problems


# Words that name every Central Asian state at once: "the five states", "each Central Asian state".
ALL_STATES = re.compile(
    r"\b(?:all|each|every)(?: the)?(?: five)? Central Asian\b|\bthe five (?:Central Asian )?(?:states|countries|republics)\b"
    r"|\ball five\b|\bacross Central Asia\b",
    re.IGNORECASE,
)


def _words(r: Record) -> str:
    """The record's own statement: its title, summary and kind-specific texts (not the editors' notes)."""
    texts = [r.title, r.summary or ""]
    for value in r.details().values():
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list):
            texts += [v for v in value if isinstance(v, str)]
    return " ".join(" ".join(texts).split())


def _names(atlas: Atlas, code: str) -> set[str]:
    c = atlas.countries[code]
    out = {c.name, c.adjective or "", *c.aliases, *c.names.values()}
    if c.capital and c.capital in atlas.places:
        out |= {atlas.places[c.capital].name, *atlas.places[c.capital].aliases}
    return {n for n in out if n}


def members_of(atlas: Atlas, organisations: list[str]) -> set[str]:
    """The member states of the multilateral organisations named, from their mechanism records."""
    out: set[str] = set()
    for m in atlas.records.values():
        if getattr(m, "mechanism_type", None) == "organisation" and set(m.organisations) & set(organisations):
            out |= set(getattr(m, "members", []))
    return out


def tag_support(atlas: Atlas, r: Record, code: str) -> str | None:
    """What supports a country tag on a record without places, or None: a role the editors gave,
    the record's own words naming the state (or all the region's states at once), the record's
    participants or members, or membership of an organisation the record names."""
    if code in r.roles:
        return "role"
    if code in getattr(r, "participants", []) or code in getattr(r, "members", []):
        return "listed"
    words = _words(r)
    if any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", words) for n in _names(atlas, code)):
        return "named"
    if ALL_STATES.search(words):
        return "all the states"
    if code in members_of(atlas, r.organisations):
        return "member"
    return None


def _roles(atlas: Atlas, loc: Located[Any]) -> list[Problem]:
    """A country tag on a record whose places all lie outside it needs a role that says why. (A
    record without places is checked by `tag_support` in the tests of the real atlas, not here:
    an editor's draft record may name its country only in fields still to be written.)"""
    r: Record = loc.obj
    where = {atlas.places[p].country for p in r.places if p in atlas.places}
    if not where:
        return []  # without places, `tag_support` decides; tests/test_fidelity.py checks the real atlas
    out = []
    for i, code in enumerate(r.countries):
        if code not in where and code not in r.roles:
            out.append(
                loc.item.problem(
                    ("countries", i),
                    f"{code} is tagged, but every place of the record lies outside it ({', '.join(sorted(where))})",
                    f"say what part it plays, e.g. `roles: {{{code}: crossed}}` ({', '.join(ROLES)}), "
                    "or remove the tag if the source does not name it",
                )
            )
    return out


def _links(atlas: Atlas, loc: Located[Any]) -> list[Problem]:
    r: Record = loc.obj
    out = []
    for i, other in enumerate(r.same_as):
        if other == r.id or other not in atlas.records:
            out.append(
                loc.item.problem(("same_as", i), f"'{other}' is not another record", "give the id of the other record")
            )
    for i, d in enumerate(r.distinct_from):
        if d.record == r.id or d.record not in atlas.records:
            out.append(
                loc.item.problem(
                    ("distinct_from", i, "record"), f"'{d.record}' is not another record", "give the look-alike's id"
                )
            )
        elif atlas.identity.get(d.record) == atlas.identity.get(r.id):
            out.append(
                loc.item.problem(
                    ("distinct_from", i, "record"),
                    f"'{d.record}' is also linked as the same event (same_as)",
                    "keep one of same_as and distinct_from",
                )
            )
    return out


def likely_duplicates(atlas: Atlas) -> list[tuple[Record, Record]]:
    """Pairs that look like one event recorded twice: a shared country, the same kind (or one of
    them a claim, which may restate an event), different citations (one table does not list an
    event twice), and either the same month with organisations that overlap or are not given, or,
    where one of them is dated to the year only, the same year with organisations or places that
    overlap. Dates taken from an article or the report are not the event's and are left out, as
    are pairs linked by `same_as` or told apart by `distinct_from`."""
    by_year: dict[int, list[Record]] = {}
    for r in atlas.records.values():
        d = r.date
        if d is not None and r.date_basis not in ("article", "report"):
            by_year.setdefault(d.year, []).append(r)
    out = []
    for rows in by_year.values():
        for a, b in combinations(sorted(rows, key=lambda x: x.id), 2):
            if _alike(a, b) and _same_time(a, b) and not _linked(atlas, a, b):
                out.append((a, b))
    return out


def _same_time(a: Record, b: Record) -> bool:
    assert a.date is not None and b.date is not None
    if a.date.month is not None and b.date.month is not None:
        return a.date.month == b.date.month
    # one is dated to the year only: the year alone is weak, so something named must be shared
    return bool(set(a.organisations) & set(b.organisations) or set(a.places) & set(b.places))


def _alike(a: Record, b: Record) -> bool:
    if a.kind != b.kind and "claim" not in (a.kind, b.kind):
        return False
    if not set(a.participating) & set(b.participating):
        return False
    if a.organisations and b.organisations and not set(a.organisations) & set(b.organisations):
        return False
    cited = {(c.source, c.locator) for c in a.citations}
    return not cited & {(c.source, c.locator) for c in b.citations}


def _linked(atlas: Atlas, a: Record, b: Record) -> bool:
    if atlas.identity.get(a.id, a.id) == atlas.identity.get(b.id, b.id):
        return True
    told = {x.record for x in a.distinct_from} | {x.record for x in b.distinct_from}
    return a.id in told or b.id in told


def _duplicates(atlas: Atlas) -> list[Problem]:
    out = []
    for a, b in likely_duplicates(atlas):
        item = atlas.located[("records", a.id)].item
        out.append(
            item.problem(
                ("id",),
                f"looks like the same event as '{b.id}' ({atlas.origin(b.id)}): a shared country, the same month (or year, with organisations or places in common), a like kind and organisations that do not differ, from different citations",
                f"if it is, add `same_as: [{b.id}]`; if not, add `distinct_from: [{{record: {b.id}, note: ...}}]` "
                "saying how they differ",
            )
        )
    return out
