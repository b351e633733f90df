"""The coverage ledgers: every fact of a seed document is either carried by records or left out
for a stated reason, and every record that cites a seed is listed in that seed's ledger.

A ledger is `data/coverage/<source id>.yaml`:

    coverage:
      source: <source id>
      entries:
        - {locator: ..., fact: ..., records: [<record id>, ...]}
        - {locator: ..., fact: ..., excluded: <reason>}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.build import load_atlas
from generator.config import load_config
from generator.load import load_data
from generator.model import Atlas
from tests.conftest import ROOT

COVERAGE = ROOT / "data" / "coverage"
# The five seed documents: each must have a ledger.
CORE_SOURCES = ("yau-2022-governance", "peyrouse-2022", "hoagland-2020", "yau-2022-fpri", "aminjonov-2022")
ENTRY_KEYS = {"locator", "fact", "records", "excluded"}
LEDGERS = sorted(COVERAGE.glob("*.yaml"))


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas(load_config(ROOT))


def _ledger(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["coverage"]


def _cites(record: Any, source: str) -> bool:
    return any(c.source == source for c in record.citations)


def test_core_sources_are_the_seed_documents(atlas):
    assert set(CORE_SOURCES) == {s.id for s in atlas.sources.values() if s.seed}


@pytest.mark.parametrize("source", CORE_SOURCES)
def test_every_core_source_has_a_ledger(source):
    assert (COVERAGE / f"{source}.yaml").is_file(), f"data/coverage/{source}.yaml is missing"


@pytest.mark.parametrize("path", LEDGERS, ids=lambda p: p.stem)
def test_ledger_entries_are_well_formed(path):
    ledger = _ledger(path)
    assert ledger["source"] == path.stem, "a ledger is named after the source it covers"
    assert ledger["source"] in CORE_SOURCES
    bad = []
    for i, e in enumerate(ledger["entries"]):
        if set(e) - ENTRY_KEYS or not e.get("locator") or not e.get("fact"):
            bad.append((i, "needs locator and fact, and no other keys than " + ", ".join(sorted(ENTRY_KEYS))))
        elif ("records" in e) == ("excluded" in e):
            bad.append((i, "needs exactly one of records or excluded"))
        elif "records" in e and not (isinstance(e["records"], list) and e["records"]):
            bad.append((i, "records must be a non-empty list of record ids"))
        elif "excluded" in e and not (isinstance(e["excluded"], str) and e["excluded"].strip()):
            bad.append((i, "excluded must give the reason"))
    assert bad == []


@pytest.mark.parametrize("path", LEDGERS, ids=lambda p: p.stem)
def test_ledger_records_exist_and_cite_the_source(atlas, path):
    ledger = _ledger(path)
    listed = [rid for e in ledger["entries"] for rid in e.get("records", [])]
    assert [rid for rid in listed if rid not in atlas.records] == []
    assert [rid for rid in listed if not _cites(atlas.records[rid], ledger["source"])] == []


@pytest.mark.parametrize("path", LEDGERS, ids=lambda p: p.stem)
def test_every_record_citing_the_source_is_in_its_ledger(atlas, path):
    ledger = _ledger(path)
    listed = {rid for e in ledger["entries"] for rid in e.get("records", [])}
    citing = sorted(r.id for r in atlas.records.values() if _cites(r, ledger["source"]))
    assert [rid for rid in citing if rid not in listed] == []


def test_the_loader_skips_the_coverage_folder():
    # a ledger's top-level key `coverage:` is no record list: validation would reject it
    assert LEDGERS, "no ledger to check"
    loaded = load_data(ROOT / "data", ROOT)
    assert [f for f in loaded.files if f.startswith("data/coverage/")] == []
    assert any(f.startswith("data/records/") for f in loaded.files)
