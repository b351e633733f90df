"""Aggregate figures and undated claims: dated honestly, kept out of the per-year event charts."""

from __future__ import annotations

import pytest

from generator.build import load_atlas
from generator.charts import per_year_chart
from generator.config import load_config
from generator.core.site import Site
from generator.model import Atlas
from generator.schema import KIND_LABELS
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas(load_config(ROOT))


def test_records_dated_by_the_report_carry_the_report_year(atlas):
    dated_by_report = [r for r in atlas.records.values() if getattr(r, "date_basis", None) == "report"]
    assert len(dated_by_report) >= 20
    wrong = []
    for r in dated_by_report:
        years = {atlas.sources[c.source].date.year for c in r.citations if atlas.sources[c.source].date}
        if r.date is None or r.date.year not in years:
            wrong.append(r.id)
    assert wrong == []


def test_claims_and_figures_stay_out_of_the_per_year_chart(atlas):
    cfg = load_config(ROOT)
    site = Site(atlas, cfg)
    records = list(atlas.records.values())
    chart = per_year_chart(site, "atlas/index.md", records, "chart-test", "test")
    assert KIND_LABELS["claim"][1] not in chart["series"]
    assert KIND_LABELS["indicator"][1] not in chart["series"]
    # every event is counted once: in its year, or under "year not stated"; records of one event
    # (`same_as`) count as one
    events = atlas.once([r for r in records if r.kind not in ("claim", "indicator")])
    assert sum(int(row["total"].replace(",", "")) for row in chart["rows"]) == len(events)
    assert atlas.records_of_kind("claim"), "the atlas has claims to leave out"


def test_region_level_claims_appear_on_no_country_page(atlas):
    regional = {r.id for r in atlas.records.values() if r.region == "central-asia"}
    assert {"clm-cn-digital-silk-road-2015", "ind-ca-border-with-china-length"} <= regional
    for code in ("KZ", "KG", "TJ", "UZ", "TM"):
        assert regional.isdisjoint(r.id for r in atlas.records_of_country(code))
