"""The coverage ledgers (data/coverage/<source id>.yaml): every fact of a seed is listed with the
records that carry it or the reason it is left out, and every record citing a seed is listed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.build import load_atlas
from generator.config import load_config
from generator.model import Atlas
from tests.conftest import ROOT

COVERAGE = ROOT / "data" / "coverage"
CORE_SOURCES = ("yau-2022-governance", "peyrouse-2022", "hoagland-2020", "yau-2022-fpri", "aminjonov-2022")
# Why an entry carries no record: one of these, optionally followed by ": " and an explanation.
REASONS = (
    "not about China",
    "not about these states",
    "opinion without a fact",
    "summary of facts listed elsewhere",
    "not legible in the source text",
)


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas(load_config(ROOT))


def load_ledger(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["coverage"]


def missing_ledgers(folder: Path) -> set[str]:
    return {s for s in CORE_SOURCES if not (folder / f"{s}.yaml").is_file()}


def ledger_problems(ledger: dict, record_ids: set[str]) -> list[str]:
    """Every entry: a locator, a fact, and exactly one of `records` (existing ids) or `excluded`."""
    problems = []
    locators = {e.get("locator") for e in ledger["entries"]}
    for i, e in enumerate(ledger["entries"]):
        where = f"entries[{i}] ({e.get('locator')})"
        if not e.get("locator") or not e.get("fact"):
            problems.append(f"{where}: needs a locator and a fact")
        if ("records" in e) == ("excluded" in e):
            problems.append(f"{where}: give exactly one of records or excluded")
        for rid in e.get("records") or []:
            if rid not in record_ids:
                problems.append(f"{where}: unknown record {rid}")
        if "records" in e and not e["records"]:
            problems.append(f"{where}: records is empty")
        reason = e.get("excluded")
        if reason is not None and not reason.startswith(REASONS):
            dup = reason.removeprefix("duplicate of ").strip()
            if not reason.startswith("duplicate of ") or dup not in locators:
                problems.append(f"{where}: reason must be one of {REASONS} or 'duplicate of <locator>'")
    return problems


def ledgers() -> list[Path]:
    return sorted(COVERAGE.glob("*.yaml"))


def test_every_core_source_has_a_ledger():
    assert missing_ledgers(COVERAGE) == set()


def test_a_missing_ledger_is_detected(tmp_path):
    (tmp_path / "yau-2022-fpri.yaml").write_text("coverage: {source: yau-2022-fpri, entries: []}\n")
    assert missing_ledgers(tmp_path) == set(CORE_SOURCES) - {"yau-2022-fpri"}


@pytest.mark.parametrize("path", ledgers(), ids=lambda p: p.stem)
def test_ledger_entries_are_well_formed(atlas, path):
    ledger = load_ledger(path)
    assert ledger["source"] == path.stem and ledger["source"] in CORE_SOURCES
    assert ledger["entries"], "a ledger lists the seed's facts"
    assert ledger_problems(ledger, set(atlas.records)) == []


@pytest.mark.parametrize("path", ledgers(), ids=lambda p: p.stem)
def test_every_record_citing_the_seed_is_in_its_ledger(atlas, path):
    ledger = load_ledger(path)
    listed = {rid for e in ledger["entries"] for rid in e.get("records") or []}
    citing = set(atlas.cited_by.get(ledger["source"], []))
    assert sorted(citing - listed) == []


@pytest.mark.parametrize("path", ledgers(), ids=lambda p: p.stem)
def test_every_record_in_a_ledger_cites_the_seed(atlas, path):
    ledger = load_ledger(path)
    listed = {rid for e in ledger["entries"] for rid in e.get("records") or []}
    assert sorted(listed - set(atlas.cited_by.get(ledger["source"], []))) == []


def test_ledger_problems_are_reported():
    bad = {
        "entries": [
            {"locator": "p. 1", "fact": "x", "records": ["no-such-record"]},
            {"locator": "p. 2", "fact": "y", "records": ["r"], "excluded": "not about China"},
            {"locator": "p. 3", "fact": "z", "excluded": "boring"},
            {"locator": "p. 4", "fact": "w", "excluded": "duplicate of p. 1"},
        ]
    }
    problems = ledger_problems(bad, {"r"})
    assert len(problems) == 3
    assert "unknown record no-such-record" in problems[0]
