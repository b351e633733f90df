"""Browser tests of the explorer (atlas/explore/, generator/pages/explore.py, atlas-explore.js):
facet counts, table, chart and map agree with a count computed here from the built site's
records.json; the URL keeps the state through a reload and back; a selection's downloads are
the published files' own rows; without scripts the page is a plain table of every record."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.browser_kit import axe_violations

pytestmark = pytest.mark.browser

READY = "#atlas-explore[data-state]"  # the table, facets, chart and citation all drawn


def _records(root: Path) -> list[dict[str, Any]]:
    return json.loads((root / "site" / "downloads" / "records.json").read_text(encoding="utf-8"))


def _year(r: dict[str, Any]) -> int | None:
    return int(r["date"][:4]) if r["date"] else None


def _countries(r: dict[str, Any]) -> list[str]:
    """Participation as the country pages count it; a record of the region as a whole is "CA"."""
    focus = [c for c in r["participating"] if c in ("KZ", "KG", "TJ", "UZ", "TM")]
    return focus or (["CA"] if r["region"] else [])


def _pick(records: list[dict[str, Any]], country: set[str] | None, kind: str | None, years: tuple[int, int]):
    lo, hi = years
    return [
        r
        for r in records
        if (country is None or set(_countries(r)) & country)
        and (kind is None or r["kind"] == kind)
        and (y := _year(r)) is not None
        and lo <= y <= hi
    ]


def _state(pg) -> dict[str, Any]:
    """What the page shows: the count line, the table's ids (this page), the chart's bars, the
    facet counts, and (when drawn) the records on the map."""
    return pg.evaluate(
        """() => {
        const n = (s) => Number((s || '').replace(/[()]/g, '')) || 0;
        const facet = {};
        document.querySelectorAll('.atlas-explore-facet label[data-value]').forEach(l => {
          const k = l.closest('[data-facet]').dataset.facet;
          (facet[k] = facet[k] || {})[l.dataset.value] = {n: n(l.querySelector('.atlas-explore-n').textContent),
            on: l.querySelector('input').checked, hidden: l.hidden};
        });
        const bars = [...document.querySelectorAll('.atlas-explore-chart rect title')]
          .reduce((a, t) => a + Number(t.textContent.split(': ')[1].split(' ')[0]), 0);
        const app = window.atlasExplore;
        let map = null;
        if (app && app.layer) map = app.layer.getLayers().reduce((a, m) => a + m.options.count, 0);
        return {count: document.querySelector('.atlas-explore-count').textContent,
                ids: [...document.querySelectorAll('.atlas-explore-records tbody tr')].map(tr => tr.dataset.id),
                facet, bars, map};
    }"""
    )


def test_facets_table_chart_and_map_agree_with_records_json(real_build, page):
    pg, watch = page
    records = _records(real_build.root)
    pg.goto(f"{real_build.url}/atlas/explore/?country=TJ&kind=exercise&from=2014&to=2019")
    pg.wait_for_selector(READY, state="attached")
    want = _pick(records, {"TJ"}, "exercise", (2014, 2019))
    assert 0 < len(want) <= 50  # one page of the table
    s = _state(pg)
    assert s["count"] == f"{len(want)} of {len(records)} records"
    assert sorted(s["ids"]) == sorted(r["id"] for r in want)
    assert s["bars"] == len(want)
    # each choice counts what it would leave: the other filters, with its own facet left out
    for code in ("KZ", "KG", "TJ", "UZ"):
        assert s["facet"]["country"][code]["n"] == len(_pick(records, {code}, "exercise", (2014, 2019)))
    assert s["facet"]["kind"]["meeting"]["n"] == len(_pick(records, {"TJ"}, "meeting", (2014, 2019)))
    assert s["facet"]["country"]["TJ"]["on"] and not s["facet"]["country"]["KZ"]["on"]
    assert axe_violations(pg) == []  # the facets, table and chart as drawn

    pg.click("text=Show the map of this selection")
    pg.wait_for_function("window.atlasExplore.layer && window.atlasExplore.layer.getLayers().length > 0")
    basemap = "document.querySelectorAll('.atlas-map .leaflet-overlay-pane path:not(.leaflet-interactive)').length"
    pg.wait_for_function(f"{basemap} > 5")  # the site's basemap under the circles
    assert _state(pg)["map"] == sum(1 for r in want if r["places"])

    # one more country: everything follows, the map too
    pg.check(".atlas-explore-facet[data-facet=country] input[value=KG]")
    want = _pick(records, {"TJ", "KG"}, "exercise", (2014, 2019))
    pg.wait_for_function(f"document.querySelector('.atlas-explore-count').textContent.startsWith('{len(want)} of')")
    s = _state(pg)
    assert set(s["ids"]) <= {r["id"] for r in want} and len(s["ids"]) == min(50, len(want))
    assert s["bars"] == len(want)
    assert s["map"] == sum(1 for r in want if r["places"])
    assert "country=TJ,KG" in pg.url
    watch.assert_clean()


def test_the_url_restores_the_selection_after_back_and_reload(real_build, page):
    pg, watch = page
    records = _records(real_build.root)
    count = "document.querySelector('.atlas-explore-count')?.textContent.startsWith('{} of')"
    pg.goto(f"{real_build.url}/atlas/explore/")
    pg.wait_for_selector(READY, state="attached")
    assert _state(pg)["count"] == f"{len(records)} of {len(records)} records"
    assert len(_state(pg)["ids"]) == 50  # paged, never every row in the DOM
    pg.check(".atlas-explore-facet[data-facet=kind] input[value=exercise]")  # a new history entry
    pg.fill("input[name=from]", "2010")  # typing updates that entry
    want = [r for r in records if r["kind"] == "exercise" and (_year(r) or 0) >= 2010]
    pg.wait_for_function(count.format(len(want)))
    assert pg.url.endswith("/atlas/explore/?kind=exercise&from=2010")
    pg.check(".atlas-explore-facet[data-facet=country] input[value=KZ]")
    kz = [r for r in want if "KZ" in _countries(r)]
    pg.wait_for_function(count.format(len(kz)))
    assert pg.url.endswith("?country=KZ&kind=exercise&from=2010")

    pg.go_back()
    # restored from the URL (in place; Material's instant navigation may also fetch the page
    # again and the explorer redraws it from the same URL: wait until all is quiet)
    pg.wait_for_load_state("networkidle")
    pg.wait_for_selector('#atlas-explore[data-state="?kind=exercise&from=2010"]', state="attached")
    s = _state(pg)
    assert s["count"] == f"{len(want)} of {len(records)} records"
    assert not s["facet"]["country"]["KZ"]["on"] and s["facet"]["kind"]["exercise"]["on"]
    assert pg.url.endswith("/atlas/explore/?kind=exercise&from=2010")

    pg.reload()
    pg.wait_for_selector(READY, state="attached")
    s = _state(pg)
    assert s["count"] == f"{len(want)} of {len(records)} records"
    assert s["facet"]["kind"]["exercise"]["on"] and not s["facet"]["country"]["KZ"]["on"]
    assert pg.input_value("input[name=from]") == "2010"
    assert set(s["ids"]) <= {r["id"] for r in want} and len(s["ids"]) == min(50, len(want))
    watch.assert_clean()


def _download(pg, fmt: str) -> str:
    with pg.expect_download() as dl:
        pg.click(f".atlas-explore-download[data-format={fmt}]")
    return Path(dl.value.path()).read_text(encoding="utf-8")


def test_downloads_of_a_selection_are_the_published_rows(real_build, page):
    pg, watch = page
    site = real_build.root / "site"
    records = _records(real_build.root)
    pg.goto(f"{real_build.url}/atlas/explore/?country=KG&from=2015&to=2020")
    pg.wait_for_selector(READY, state="attached")
    want = {r["id"] for r in _pick(records, {"KG"}, None, (2015, 2020))}
    assert len(want) > 50  # more than the table's page: the download holds them all

    published = list(csv.reader(io.StringIO((site / "downloads" / "records.csv").read_text(encoding="utf-8"))))
    got = list(csv.reader(io.StringIO(_download(pg, "csv"))))
    assert got[0] == published[0]
    assert {row[0] for row in got[1:]} == want and len(got) == len(want) + 1
    assert got[1:] == [row for row in published[1:] if row[0] in want]  # the same cells, in the same order

    data = json.loads(_download(pg, "json"))
    assert data["records"] == [r for r in records if r["id"] in want]
    assert data["selection"]["count"] == len(want)
    assert data["selection"]["url"].endswith("/atlas/explore/?country=KG&from=2015&to=2020")
    assert data["selection"]["edition"] == records[0]["edition"]

    geo = json.loads(_download(pg, "geojson"))
    assert {f["properties"]["id"] for f in geo["features"]} == {
        r["id"] for r in records if r["id"] in want and r["lat"] is not None
    }

    cites = json.loads((site / "atlas" / "explore" / "cite.json").read_text(encoding="utf-8"))
    bib = _download(pg, "bib")
    assert bib.count("\n@") + bib.startswith("@") == len(want) + 1  # the selection itself, then each record
    assert "url = {" + data["selection"]["url"] + "}" in bib
    assert all(cites[rid][0] in bib for rid in want)
    ris = _download(pg, "ris")
    assert ris.count("TY  - ") == len(want) + 1
    assert all(cites[rid][1] in ris for rid in want)
    watch.assert_clean()


def test_without_scripts_the_explorer_is_a_plain_table_of_every_record(real_build, browser):
    records = _records(real_build.root)
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(f"{real_build.url}/atlas/explore/")
    assert not pg.is_visible(".atlas-explore-loading")  # the scripts' frame shows nothing
    links = pg.eval_on_selector_all(".atlas-records tbody td:nth-child(2) > a", "as => as.map(a => a.href)")
    assert len(links) == len(records)
    assert {link.rstrip("/").rsplit("/", 1)[-1] for link in links} == {r["id"] for r in records}
    first = links[0].rstrip("/").rsplit("/", 1)[-1]
    pg.goto(links[0])
    assert pg.inner_text("h1").rstrip("¶") == next(r["title"] for r in records if r["id"] == first)
    context.close()
