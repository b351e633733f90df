from __future__ import annotations

import shutil

import pytest

from generator.build import load_atlas, site_for
from generator.config import load_config
from generator.errors import DataError
from generator.ledger import load_ledgers
from generator.pages import ledger
from generator.pages.ledger import LedgerPage
from generator.text import md
from tests.conftest import ROOT, make_project


def test_the_coverage_page_lists_every_passage_of_every_ledger_with_its_records_or_reason(tmp_path):
    root = make_project(tmp_path / "atlas")
    shutil.copytree(ROOT / "data" / "coverage", root / "data" / "coverage")
    cfg = load_config(root)
    site = site_for(load_atlas(cfg), cfg)
    assert ledger.keys(site) == [None]
    text = ledger.build(site, None)[0].text
    ledgers = load_ledgers(ROOT)
    assert len(ledgers) == 5
    for led in ledgers:
        for e in led.entries:
            assert e.records or e.excluded, (led.file, e.locator)  # nothing neither entered nor listed
            assert md(e.locator) in text


def test_the_real_coverage_page_links_each_held_passage_to_its_records():
    cfg = load_config(ROOT)
    site = site_for(load_atlas(cfg), cfg)
    captured = {}
    render = site.render

    def recording(template, path, **ctx):
        captured.update(ctx)
        return render(template, path, **ctx)

    site.render = recording  # type: ignore[method-assign]
    ledger.build(site, None)
    page = captured["page"]
    assert isinstance(page, LedgerPage)
    for seed, led in zip(page.seeds, load_ledgers(ROOT), strict=True):
        assert len(seed["rows"]) == len(led.entries)
        for row, entry in zip(seed["rows"], led.entries, strict=True):
            assert len(row["records"]) == len(entry.records)  # every record a ledger names exists
            assert row["records"] or row["excluded"]


def test_a_broken_ledger_names_its_file(tmp_path):
    (tmp_path / "data" / "coverage").mkdir(parents=True)
    (tmp_path / "data" / "coverage" / "x.yaml").write_text("coverage:\n  source: x\n  entries: [\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_ledgers(tmp_path)
    assert str(err.value.problems[0]).startswith("data/coverage/x.yaml:")
