"""Rendering: golden output of the fixture atlas, escaping, links and permalinks."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.build import generate
from generator.core.memo import Memo
from tests.conftest import record_rows, tree_digest
from tests.make_golden import GOLDEN, golden_files


def test_fixture_output_matches_golden_tree(generated):
    root, _ = generated
    got = golden_files(root)
    want = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(got) == sorted(want), "file list differs from tests/golden (run `make golden` if intended)"
    for rel, text in want.items():
        assert got[rel] == text, f"{rel} differs from tests/golden (run `make golden` if intended)"


def test_pages_for_every_country_topic_and_record(generated):
    root, g = generated
    atlas = root / "docs" / "atlas"
    assert sorted(p.stem for p in (atlas / "countries").glob("*.md")) == [
        "kazakhstan",
        "kyrgyzstan",
        "tajikistan",
        "turkmenistan",
        "uzbekistan",
    ]
    assert sorted(p.stem for p in (atlas / "topics").glob("*.md")) == [
        "dialogue",
        "exercises",
        "multilateral",
        "transfers",
    ]
    assert sorted(p.stem for p in (atlas / "records").glob("*.md")) == sorted([*g.atlas.records, "index"])


def test_yaml_text_never_becomes_markup(generated):
    root, _ = generated
    page = (root / "docs/atlas/records/mtg-kg-2020-11-01.md").read_text(encoding="utf-8")
    body = page.split("\n---\n", 1)[1]
    # fenced code (BibTeX, RIS) is escaped by the code renderer; the built HTML is checked in test_build
    body = re.sub(r"```.*?```", "", body, flags=re.S)
    assert "<script>" not in body and "</script>" not in body
    assert "<img" not in body
    assert "](javascript:" not in body
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in body
    assert "&#36;&#123;window.pwned&#61;1&#125;" in body
    assert "Minister &#124; of &#42; Foreign &#91;Affairs&#93;(javascript:alert(1))" in body
    # the table row holding the pipe is still one row of two cells
    row = next(line for line in body.splitlines() if line.startswith("| Chinese official |"))
    assert row.count("|") == 3


def test_front_matter_is_valid_yaml_even_with_hostile_titles(generated):
    import yaml

    root, _ = generated
    page = (root / "docs/atlas/records/mtg-kg-2020-11-01.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(page.split("---\n")[1])
    # Material prints `title` into <title> unescaped, so it is stored escaped; the citation keeps the raw text
    assert meta["title"].startswith("Ministers meet &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
    assert meta["atlas_meta"]["title"].startswith("Ministers meet <script>")
    assert meta["atlas_meta"]["permalink"] == "https://atlas.example.org/atlas/records/mtg-kg-2020-11-01/"


def test_record_page_shows_conflict_side_by_side_with_citations(generated):
    root, _ = generated
    page = (root / "docs/atlas/records/ex-bi-tj-2016-01.md").read_text(encoding="utf-8")
    section = page.split("## Where the sources disagree", 1)[1].split("## Sources", 1)[0]
    assert "will differ.\n\n| Value | Source | Locator |" in section.replace(
        "give different sizes.", "will differ."
    )  # a table needs a blank line before it
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert rows == [
        "| 414 | [Doe 2022](../sources/report-a.md) | Appendix 3 |",
        "| about 400 | [Roe and Poe 2020](../sources/brief-b.md) | p. 7 |",
    ]


def test_related_links_are_symmetric(generated):
    root, _ = generated
    page = (root / "docs/atlas/records/mtg-kg-2020-11-01.md").read_text(encoding="utf-8")
    assert "](ex-bi-tj-2016-01.md)" in page


def test_record_values_and_dates(generated):
    root, _ = generated
    page = (root / "docs/atlas/records/tr-kz-2018-09-01.md").read_text(encoding="utf-8")
    assert "30,000,000 CNY" in page
    assert "13 September 2018" in page


def test_map_script_is_queued_and_has_no_cdn(generated):
    root, _ = generated
    page = (root / "docs/atlas/countries/kyrgyzstan.md").read_text(encoding="utf-8")
    assert "(window.atlasQ=window.atlasQ||[]).push(function(){" in page
    assert 'data-located="1"' in page
    assert not re.search(
        r"https?://(?!atlas\.example\.org|www\.w3\.org/2000/svg|www\.w3\.org/1999/xlink)", page.split("---", 2)[2]
    )
    # record text inside the map data is JSON-escaped, so it cannot close the script element
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    # the legend's (closed on a phone before the first paint), the folium-built map, then the
    # loader of Leaflet and atlas-maps.js
    assert len(scripts) == 3
    assert all("<script" not in s for s in scripts)
    assert "matchMedia" in scripts[0] and "atlasQ" in scripts[1] and "leaflet.js" in scripts[2]


def test_country_level_records_and_labels_are_escaped_data_not_markup(generated):
    root, _ = generated
    page = (root / "docs/atlas/countries/kyrgyzstan.md").read_text(encoding="utf-8")
    src = re.search(r'data-extra="([^"]*)"', page)
    assert src is not None and src.group(1) == "../../assets/maps/map-kyrgyzstan.json"  # fetched with the map
    raw = (root / "docs/atlas/assets/maps/map-kyrgyzstan.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    assert "<" not in raw  # JSON-escaped: safe even if a host serves it as HTML
    titles = [row[1] for g in data["countryLevel"] for row in g["r"]]
    assert "Envoys meet {{ 7*7 }} {# x <b>not bold</b>" in titles  # as data, never run as a template
    assert "Envoys meet 49" not in page
    assert 'data-country-level="2"' in page  # the new envoys' meeting and the SCO mechanism


def test_generation_is_deterministic(project):
    from generator.build import generate

    first = {p.path: p.text for p in generate(project).pages}
    second = generate(project)
    assert {p.path: p.text for p in second.pages} == first
    assert second.report.written == 0 and second.report.removed == 0


def test_region_level_records_are_labelled_and_counted_by_no_country(generated):
    root, g = generated
    rid = "tr-ca-2019-region"
    assert g.atlas.records[rid].countries == []
    page = (root / "docs/atlas/records" / f"{rid}.md").read_text(encoding="utf-8")
    assert "Central Asia (states not named)" in page
    assert "dated by the report" in page
    for country in (root / "docs/atlas/countries").glob("*.md"):
        assert rid not in country.read_text(encoding="utf-8"), country.name
    for download in (root / "docs/downloads/countries").glob("*"):
        assert rid not in download.read_text(encoding="utf-8"), download.name
    assert rid in (root / "docs/atlas/topics/transfers.md").read_text(encoding="utf-8")


def test_records_dated_by_their_report_stay_out_of_the_event_charts(generated):
    root, _ = generated
    chart = (root / "docs/atlas/data/chart-all.csv").read_text(encoding="utf-8")
    assert "2022," not in chart  # tr-ca-2019-region carries only its report's date, 2022


def test_source_ids_are_never_shown_to_readers(project):
    from generator.build import generate

    path = project / "data/records.yaml"
    text = path.read_text(encoding="utf-8")
    old = "{source: report-a, locator: Appendix 1}"
    path.write_text(text.replace(old, "{source: report-a, locator: Appendix 1 (as given by brief-b)}", 1), "utf-8")
    generate(project)
    page = (project / "docs/atlas/records/mtg-kg-2020-11-01.md").read_text(encoding="utf-8")
    assert "Appendix 1 (as given by [" in page and "](../sources/brief-b.md))" in page
    assert " brief-b)" not in page


def test_sources_page_links_every_citing_record(generated):
    root, g = generated
    page = (root / "docs/atlas/sources.md").read_text(encoding="utf-8")
    for sid, records in g.atlas.cited_by.items():
        n = len(records)
        assert f"Cited by [{n} record{'s' if n != 1 else ''}](sources/{sid}.md)" in page, sid


def test_one_palette_of_at_most_eight_colours_for_maps_charts_and_legends():
    from generator.palette import CHART_COLOURS, KIND_GROUPS, KIND_STYLES
    from generator.schema import RECORD_KINDS

    assert set(KIND_STYLES) == {m.kind for m in RECORD_KINDS.values()}  # every kind has a marker
    assert len({colour for colour, _ in KIND_STYLES.values()}) <= 8
    assert len(set(KIND_STYLES.values())) == len(KIND_STYLES)  # colour and pattern tell every kind apart
    for gid, _, kinds in KIND_GROUPS:  # a kind's map colour is its chart series' colour
        assert {KIND_STYLES[k][0] for k in kinds} == {CHART_COLOURS[gid]}


def test_charts_have_at_most_eight_series_and_never_count_indicators(generated):
    from generator.charts import MAX_SERIES
    from generator.palette import KIND_GROUPS

    root, _ = generated
    assert len(KIND_GROUPS) <= MAX_SERIES
    assert "indicator" not in {k for _, _, kinds in KIND_GROUPS for k in kinds}
    for csv in (root / "docs/atlas/data").glob("chart-*.csv"):
        header = csv.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert len(header) - 2 <= MAX_SERIES, csv.name


def test_undated_records_go_to_year_not_stated(project):
    from generator.build import load_atlas
    from generator.charts import NOT_STATED, chart_year, per_year_chart
    from generator.config import load_config
    from generator.core.site import Site

    cfg = load_config(project)
    atlas = load_atlas(cfg)
    r = next(iter(atlas.records.values()))
    stated = r.model_copy(update={"date_as_given": "not stated; reported in 2020"})
    assert chart_year(stated) is None
    chart = per_year_chart(Site(atlas, cfg), "atlas/index.md", [stated], "chart-t", "t")
    assert chart is not None
    assert [row["year"] for row in chart["rows"]] == [NOT_STATED]
    assert NOT_STATED in chart["svg"]


def test_region_level_records_go_on_no_country_layer(project):
    from generator.build import load_atlas
    from generator.config import load_config
    from generator.maps import _country_level

    cfg = load_config(project)
    atlas = load_atlas(cfg)
    unlocated = [r for r in atlas.records.values() if not r.places]
    assert sum(len(g["r"]) for g in _country_level(atlas, unlocated, None, False)) >= len(unlocated)
    regional = [r.model_copy(update={"region": "central-asia", "countries": []}) for r in unlocated]
    assert _country_level(atlas, regional, None, False) == []


def test_record_table_rows_carry_their_iso_date_for_sorting(generated):
    root, g = generated
    page = (root / "docs/atlas/records/index.md").read_text(encoding="utf-8")
    rows = record_rows(page)
    assert len(rows) == len(g.atlas.records) == 7
    for row in rows:
        assert row.url == f"{row.record_id}/"  # a final URL: the index is atlas/records/
        when = g.atlas.records[row.record_id].when
        assert row.sort == row.date == (when.iso if when else "")
    assert [r.sort for r in rows] == sorted((r.sort for r in rows), reverse=True)  # newest first


def test_fixture_and_real_site_load_the_same_scripts():
    """The fixture atlas's mkdocs.yml must load what the real one does, or browser tests test less."""
    import yaml

    from tests.conftest import FIXTURE, ROOT

    def scripts(path):
        text = (path / "mkdocs.yml").read_text(encoding="utf-8")
        text = re.sub(r"!!python/name:\S+", "null", text)
        return yaml.safe_load(text)["extra_javascript"]

    real = scripts(ROOT)
    assert real == scripts(FIXTURE)
    assert {"path": "assets/atlas/atlas-tables.js", "defer": True} in real


def test_relpath_agrees_with_posixpath():
    import posixpath
    import random

    from generator.core.paths import relpath

    parts = ["atlas", "records", "places", "x.md", "index.md", "kazakhstan", "a", "b", "."]
    rng = random.Random(7)
    pairs = [("atlas/records/x.md", "atlas/records"), ("atlas/records/x/", "atlas/places/bishkek"), (".", ".")]
    pairs += [("atlas", ""), ("atlas/a/", "atlas/a"), ("./atlas//x.md", "atlas/./b/")]
    for _ in range(2000):
        path = "/".join(rng.choice(parts) for _ in range(rng.randint(1, 4))) + rng.choice(["", "/"])
        start = "/".join(rng.choice(parts) for _ in range(rng.randint(0, 4)))
        pairs.append((path, start or "."))
    for path, start in pairs:
        assert relpath(path, start) == posixpath.relpath(path, start or "."), (path, start)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _generated(project: Path):
    """copytree's ignore: the generated folders and the caches, nothing else of the same name."""
    skip = {project / "docs": {"atlas", "downloads"}, project: {".cache"}}
    return lambda folder, names: [n for n in names if n in skip.get(Path(folder), ())]


def test_the_previews_kept_record_pages_equal_a_full_build_after_every_kind_of_edit(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Memo keeps record, source and archived pages between the preview's builds; after each
    edit the pages must be exactly those of a build that keeps nothing."""
    memo = Memo()
    records, entities = project / "data/records.yaml", project / "data/entities.yaml"
    edits = [
        # a related record's title shows on the page of the record that links to it
        lambda: _edit(records, "title: Kazakh and Chinese ministers meet", "title: Kazakh ministers meet"),
        lambda: _edit(records, "Ministers meet <script>", "Ministers met <script>"),
        # two records of one title: each is cited under a longer title (on its own page, on the
        # pages of its sources and in the archive of the edition that published it)
        lambda: _edit(
            records, "title: Tajik and Chinese forces drill in the mountains", "title: Kazakh ministers meet"
        ),
        # a place, a source, a country: shown on record pages, not part of any record
        lambda: _edit(entities, "name: Bishkek,", "name: Bishkek City,"),
        lambda: _edit(entities, "title: A Report on Security,", "title: A Report on Security Ties,"),
        lambda: _edit(entities, "name: Tajikistan,", "name: Tajikistan (TJ),"),
        # lines inserted above records: each record page names its file and line
        lambda: _edit(records, "meetings:\n", "meetings:\n\n\n"),
        # a template, and the site's settings
        lambda: _edit(project / "templates/record.md.j2", "{% block body %}\n", "{% block body %}\n<!-- edited -->\n"),
        lambda: _edit(project / "mkdocs.yml", "site_name: ", "site_name: The "),
    ]
    generate(project, memo=memo)
    for n, edit in enumerate(edits):
        edit()
        generate(project, memo=memo)
        fresh = tmp_path / f"fresh-{n}"
        shutil.copytree(project, fresh, ignore=_generated(project))
        generate(fresh)
        assert tree_digest(project / "docs/atlas") == tree_digest(fresh / "docs/atlas"), f"edit {n}"
    kept = {slot[0] for slot in memo._kept}
    assert {"record", "source", "archive"} <= kept, kept
