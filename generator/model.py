"""Stage 3: the validated atlas, indexed the ways the pages need it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, TypeVar

from generator.load import RawItem
from generator.prose import Essays
from generator.schema import (
    KIND_LABELS,
    RECORD_KINDS,
    Country,
    GlossaryTerm,
    Organisation,
    Place,
    Record,
    Source,
    Topic,
    Vocabulary,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Located(Generic[T]):
    """A validated object and the raw item (file, line) it came from."""

    obj: T
    item: RawItem

    @property
    def origin(self) -> str:
        return f"{self.item.file}:{self.item.line}"


def _sort_key(r: Record) -> tuple[int, int, int, str]:
    d = r.when
    return (-(d.year if d else 0), -((d.month or 0) if d else 0), -((d.day or 0) if d else 0), r.id)


@dataclass
class Atlas:
    countries: dict[str, Country] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    vocabularies: dict[str, Vocabulary] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    glossary: dict[str, GlossaryTerm] = field(default_factory=dict)
    records: dict[str, Record] = field(default_factory=dict)  # newest first
    located: dict[tuple[str, str], Located[Any]] = field(default_factory=dict)
    related: dict[str, list[str]] = field(default_factory=dict)  # symmetric links
    cited_by: dict[str, list[str]] = field(default_factory=dict)  # source id -> record ids
    # record id -> the id that stands for its event: records linked by `same_as` share one
    identity: dict[str, str] = field(default_factory=dict)
    essays: Essays = field(default_factory=Essays)  # editors' Markdown under data/prose/

    @classmethod
    def build(cls, parsed: list[Located[Any]]) -> Atlas:
        atlas = cls()
        records: list[Record] = []
        for loc in parsed:
            obj, key = loc.obj, loc.item.key
            if isinstance(obj, Record):
                records.append(obj)
                atlas.located[("records", obj.id)] = loc
            else:
                getattr(atlas, key)[obj.id] = obj
                atlas.located[(key, obj.id)] = loc
        atlas.records = {r.id: r for r in sorted(records, key=_sort_key)}
        atlas.identity = _identities(records)
        links: dict[str, set[str]] = defaultdict(set)
        cited: dict[str, set[str]] = defaultdict(set)
        for r in records:
            for other in [*r.related, *r.same_as]:
                links[r.id].add(other)
                links[other].add(r.id)
            for c in r.citations:
                cited[c.source].add(r.id)
            for conflict in r.conflicts:
                for v in conflict.values:
                    cited[v.citation.source].add(r.id)
        order = {rid: i for i, rid in enumerate(atlas.records)}
        atlas.related = {k: sorted(v, key=lambda x: order.get(x, 0)) for k, v in links.items()}
        atlas.cited_by = {k: sorted(v, key=lambda x: order.get(x, 0)) for k, v in cited.items()}
        return atlas

    # --- views used by the pages --------------------------------------------------------------

    @property
    def focus_countries(self) -> list[Country]:
        return [c for c in self.countries.values() if c.focus]

    def origin(self, record_id: str) -> str:
        return self.located[("records", record_id)].origin

    def records_of_country(self, code: str) -> list[Record]:
        """The records in which the country took part or which it hosted (see `Record.roles`)."""
        return [r for r in self.records.values() if code in r.participating]

    def records_naming_country(self, code: str) -> list[Record]:
        """Records tagged with the country in another role: crossed, named, a neighbour."""
        return [r for r in self.records.values() if code in r.countries and code not in r.participating]

    def once(self, records: list[Record]) -> list[Record]:
        """The records with each event once: of records linked by `same_as`, the first listed."""
        seen: set[str] = set()
        out = []
        for r in records:
            key = self.identity.get(r.id, r.id)
            if key not in seen:
                seen.add(key)
                out.append(r)
        return out

    def records_of_topic(self, topic_id: str) -> list[Record]:
        return [r for r in self.records.values() if topic_id in r.topic_ids]

    def records_of_kind(self, kind: str) -> list[Record]:
        return [r for r in self.records.values() if r.kind == kind]

    def records_of_place(self, place_id: str) -> list[Record]:
        return [r for r in self.records.values() if place_id in r.places]

    def records_of_organisation(self, org_id: str) -> list[Record]:
        return self._by_organisation.get(org_id, [])

    @cached_property
    def _by_organisation(self) -> dict[str, list[Record]]:
        """Organisation id -> its records, newest first (one pass, not one pass per organisation)."""
        out: dict[str, list[Record]] = defaultdict(list)
        for r in self.records.values():
            for oid in organisations_of(r):
                out[oid].append(r)
        return dict(out)

    def records_of_source(self, source_id: str) -> list[Record]:
        return [self.records[x] for x in self.cited_by.get(source_id, [])]

    def place_of(self, record: Record) -> Place | None:
        return self.places[record.places[0]] if record.places else None

    def conflicted(self) -> list[Record]:
        return [r for r in self.records.values() if r.conflicts]


def _identities(records: list[Record]) -> dict[str, str]:
    """Record id -> the smallest id of its `same_as` group (links count both ways, and chain)."""
    parent = {r.id: r.id for r in records}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for r in records:
        for other in r.same_as:
            if other in parent:
                a, b = root(r.id), root(other)
                parent[max(a, b)] = min(a, b)
    return {rid: root(rid) for rid in parent}


def organisations_of(r: Record) -> list[str]:
    """Every organisation a record names: its list, its vendors and its company."""
    out = list(r.organisations)
    out += [v for v in getattr(r, "vendors", []) if v not in out]
    company = getattr(r, "company", None)
    if company and company not in out:
        out.append(company)
    return out


def group_by_kind(records: list[Record]) -> list[tuple[str, str, list[Record]]]:
    """(kind, plural label, records) in the fixed kind order, skipping empty kinds."""
    out = []
    for model in RECORD_KINDS.values():
        rows = [r for r in records if r.kind == model.kind]
        if rows:
            out.append((model.kind, KIND_LABELS[model.kind][1], rows))
    return out
