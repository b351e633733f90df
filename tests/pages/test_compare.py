from __future__ import annotations

import re
from collections import Counter

from generator.core.paths import Paths
from generator.pages import compare
from generator.pages.compare import ComparePage
from generator.schema import KIND_LABELS
from tests.pages.conftest import Recorded


def _page(recorded: Recorded) -> tuple[ComparePage, str, list]:
    made = recorded.build(compare, None)
    _, path, ctx, page = recorded.calls[0]
    assert path == recorded.site.paths.under("compare.md")
    assert isinstance(ctx["page"], ComparePage)
    return ctx["page"], page.text, made


def test_each_cell_counts_the_records_the_state_took_part_in_and_links_them(recorded: Recorded):
    site = recorded.site
    atlas = site.atlas
    page, text, _ = _page(recorded)
    states = atlas.focus_countries
    assert [c["name"] for c in page.countries] == [c.name for c in states]
    assert len(states) == 5
    expected = {c.id: Counter(r.kind for r in atlas.records.values() if c.id in r.participating) for c in states}
    shown = {row["kind"] for row in page.kinds}
    # every kind some state took part in has a row, and no row is all zeros
    assert shown == {k for n in expected.values() for k in n}
    src = site.paths.under("compare.md")
    for row in page.kinds:
        assert row["label"] == KIND_LABELS[row["kind"]][1]
        for c, cell in zip(states, row["cells"], strict=True):
            assert cell["count"] == expected[c.id][row["kind"]]
            if cell["count"]:
                target = Paths.kind(site.paths.country(c.id), row["kind"])
                assert cell["href"] == f"countries/{c.slug}/{row['kind'].replace('_', '-')}.md"
                assert target.removeprefix(src.rpartition("/")[0] + "/") == cell["href"]
                assert f"[{cell['count']}]({cell['href']})" in text
            else:
                assert cell["href"] is None
    assert page.totals == [len(atlas.records_of_country(c.id)) for c in states]
    # multi-state records count for each state; region-wide records for none
    focus = {c.id for c in states}
    assert sum(page.totals) == sum(len(focus.intersection(r.participating)) for r in atlas.records.values())


def test_the_linked_per_kind_pages_exist_with_the_same_counts(recorded: Recorded):
    from generator.pages import kind

    site = recorded.site
    page, _, _ = _page(recorded)
    made: dict[str, int] = {}
    for c in site.atlas.focus_countries:
        recorded.build(kind, ("country", c.id))
        made.update({path: ctx["page"].count for _, path, ctx, _ in recorded.calls})
    for row in page.kinds:
        for cell in row["cells"]:
            if cell["href"]:
                assert made[site.paths.under(cell["href"])] == cell["count"]


def test_key_figures_and_chart_come_from_the_data(recorded: Recorded):
    atlas = recorded.site.atlas
    page, text, made = _page(recorded)
    figures = {f["label"]: f["cells"] for f in page.figures}
    events = [atlas.once(atlas.records_of_country(c.id)) for c in atlas.focus_countries]
    assert figures["Records (each event once)"] == [f"{len(e):,}" for e in events]
    for label, k in (("Meetings", "meeting"), ("Joint exercises", "exercise"), ("Transfers", "transfer")):
        assert figures[label] == [f"{sum(r.kind == k for r in e):,}" for e in events]
    for label in ("Trainees", "Stated value of transfers", "Surveillance systems", "Incidents and cases"):
        assert label in figures
    # the chart's CSV comes back with the page
    assert page.chart is not None
    assert [p.path for p in made[1:]] == [page.chart["csv_path"]]
    assert re.search(r"\[Download CSV\]\(data/chart-compare\.csv\)", text)
    assert "## How records are counted" in text
