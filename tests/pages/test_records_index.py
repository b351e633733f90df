"""The records index: its newest rows, the other rows in rows.json for the script, and a page per
year so that every record is reachable by plain links."""

from __future__ import annotations

import json
import re

import pytest

from generator.pages import records_index
from generator.pages.records_index import RecordsIndexPage
from tests.pages.conftest import Recorded


def test_the_index_holds_the_newest_rows_and_the_rest_go_to_rows_json(
    recorded: Recorded, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(records_index, "FIRST", 3)
    atlas = recorded.site.atlas
    made = recorded.build(records_index, None)
    page = next(ctx["page"] for template, _, ctx, _ in recorded.calls if template == "records_index.md.j2")
    assert isinstance(page, RecordsIndexPage)
    ids = list(atlas.records)  # newest first
    assert [r["url"] for r in page.rows] == [f"{rid}/" for rid in ids[:3]]
    assert page.rest == "rows.json" and page.count == 7
    rest = next(p for p in made if p.path.endswith("records/rows.json"))
    data = json.loads(rest.text)
    assert data["count"] == 4
    assert re.findall(r'<a href="([^"]+)/">', data["html"]) == ids[3:]  # the same row markup, in order
    html = made[0].text
    assert 'data-rest="rows.json" data-total="7"' in html
    # the year pages, linked from the index, list every record once
    listed: list[str] = []
    for year in [k for k in records_index.keys(recorded.site) if k is not None]:
        assert f'href="years/{year}/"' in html
        recorded.build(records_index, year)
        listed += [r["url"] for r in recorded.calls[0][2]["page"].rows]
    assert sorted(u.split("/")[-2] for u in listed) == sorted(ids)


def test_a_small_index_has_every_row_and_nothing_to_fetch(recorded: Recorded):
    made = recorded.build(records_index, None)
    page = recorded.calls[0][2]["page"]
    assert len(page.rows) == 7 and page.rest is None
    assert len(made) == 1 and "data-rest" not in made[0].text
