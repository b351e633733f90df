"""Cross-references, checked on every item as written, whether or not the item passed its own
type checks: a bad date and an unknown vendor in one item are reported together."""

from __future__ import annotations

from collections.abc import Iterator, Set
from typing import Any

from generator.errors import Problem
from generator.load import Loaded, Path_
from generator.messages import shown, suggest
from generator.model import Atlas
from generator.schema import RECORD_KINDS

LISTS = {
    "country": "the countries in data/countries.yaml",
    "place": "the places in data/places.yaml",
    "organisation": "an organisations list",
    "source": "a sources list",
    "topic": "data/topics.yaml",
    "record": "a records file",
    "security topic": "the security-topics vocabulary in data/vocabularies.yaml",
    "indicator": "the indicators vocabulary in data/vocabularies.yaml",
}

# field -> (index in the atlas, what it names); a list field or a single value
_RECORD_REFS = {
    "countries": ("countries", "country"),
    "participants": ("countries", "country"),
    "members": ("countries", "country"),
    "places": ("places", "place"),
    "organisations": ("organisations", "organisation"),
    "vendors": ("organisations", "organisation"),
    "company": ("organisations", "organisation"),
    "topics": ("topics", "topic"),
    "related": ("records", "record"),
    "security_topics": ("security-topics", "security topic"),
    "indicator": ("indicators", "indicator"),
}
_ENTITY_REFS = {
    "places": {"country": ("countries", "country")},
    "organisations": {"country": ("countries", "country")},
    "countries": {"capital": ("places", "place")},
    "sources": {"cited_in": ("sources", "source")},
}


def _values(data: dict[str, Any], field: str) -> Iterator[tuple[Path_, Any]]:
    value = data.get(field)
    if isinstance(value, list):
        for i, v in enumerate(value):
            yield (field, i), v
    elif value is not None:
        yield (field,), value


def _sources(data: dict[str, Any]) -> Iterator[tuple[Path_, Any]]:
    for i, c in enumerate(_list(data.get("citations"))):
        if isinstance(c, dict):
            yield ("citations", i, "source"), c.get("source")
    for i, conflict in enumerate(_list(data.get("conflicts"))):
        values = conflict.get("values") if isinstance(conflict, dict) else None
        for j, v in enumerate(_list(values)):
            citation = v.get("citation") if isinstance(v, dict) else None
            if isinstance(citation, dict):
                yield ("conflicts", i, "values", j, "citation", "source"), citation.get("source")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def check(atlas: Atlas, loaded: Loaded, skip: Set[str], broken: dict[str, set[str]]) -> list[Problem]:
    """Every unknown reference in every item; ids of items that failed or files that could not be
    read are not reported again (each mistake once, where it is)."""
    vocab = {v.id: {t.id: t for t in v.terms} for v in atlas.vocabularies.values()}
    indexes: dict[str, Any] = {
        "countries": atlas.countries,
        "places": atlas.places,
        "organisations": atlas.organisations,
        "topics": atlas.topics,
        "records": atlas.records,
        "sources": atlas.sources,
        **{k: vocab.get(k, {}) for k in ("security-topics", "indicators")},
    }
    problems: list[Problem] = []
    for item in loaded.items:
        if not isinstance(item.data, dict):
            continue
        spec = _RECORD_REFS if item.key in RECORD_KINDS else _ENTITY_REFS.get(item.key, {})
        refs = [(p, v, *spec[f]) for f in spec for p, v in _values(item.data, f)]
        if item.key in RECORD_KINDS:
            refs += [(p, v, "sources", "source") for p, v in _sources(item.data)]
        elif isinstance(description := item.data.get("description"), dict):
            cites = enumerate(_list(description.get("citations")))
            refs += [
                (("description", "citations", i, "source"), c.get("source"), "sources", "source")
                for i, c in cites
                if isinstance(c, dict)
            ]
        for path, value, index, what in refs:
            options = indexes[index]
            if not isinstance(value, str) or value in options or value in skip:
                continue
            hint = suggest(value, options) or f"add it to {LISTS.get(what, f'the {what}s list')} first"
            if what == "country" and not suggest(value, options):
                hint = f"use one of: {', '.join(options)}; or {hint}"
            if broken:
                hint += f"; or fix {', '.join(sorted(broken))}, which could not be read"
            problems.append(item.problem(path, f"unknown {what} {shown(value)}", hint))
    return problems
