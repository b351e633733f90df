from __future__ import annotations

from generator.pages import record
from generator.pages.record import RecordPage
from tests.pages.conftest import Recorded


def test_a_record_page_context_carries_its_sources_countries_and_history(recorded: Recorded):
    atlas = recorded.site.atlas
    for rid, r in atlas.records.items():
        recorded.build(record, rid)
        (_, path, ctx, _), *_ = recorded.calls
        page = ctx["page"]
        assert isinstance(page, RecordPage)
        assert path == f"atlas/records/{rid}.md"
        assert page.title == r.title
        assert len(page.citations) == len(r.citations)
        assert {c["short"] for c in page.citations} == {recorded.site.short[c.source] for c in r.citations}
        # only the five states link to a country page; the region label stands for the rest
        assert {c["name"] for c in page.countries} <= {c.name for c in atlas.focus_countries}
        assert (page.region is not None) == (r.region is not None)
        assert page.cite["meta"]["title"] == r.title


def test_the_preview_memo_keeps_a_record_page_until_its_inputs_change(recorded: Recorded):
    from generator.core.memo import Memo

    site = recorded.site
    rid = next(iter(site.atlas.records))
    site.memo = Memo()
    try:
        first = record.build(site, rid)[0]
        assert record.build(site, rid)[0] is first  # kept
        assert record.inputs(site, site.atlas.records[rid]) is not None
    finally:
        site.memo = None
