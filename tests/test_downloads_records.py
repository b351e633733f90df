from __future__ import annotations

import csv
import io
import json


def test_records_json_has_the_published_fields(generated):
    root, g = generated
    rows = json.loads((root / "docs/downloads/records.json").read_text(encoding="utf-8"))
    assert len(rows) == len(g.atlas.records)
    by_id = {r["id"]: r for r in rows}
    t = by_id["tr-kz-2018-09-01"]
    assert (t["kind"], t["countries"], t["date"], t["title"]) == (
        "transfer",
        ["KZ"],
        "2018-09-13",
        "Surveillance cameras from China to Kazakhstan",
    )
    assert t["citations"] == [
        {"source": "brief-b", "locator": 'section "Kazakhstan"'},
        {"source": "news-c", "locator": "article"},
    ]
    assert t["details"]["value"] == 30000000 and t["details"]["currency"] == "CNY"
    assert by_id["mech-sco"]["date"] == "2001-06-15"  # established stands in for an undated mechanism
    assert by_id["ex-bi-tj-2016-01"]["conflicts"][0]["values"][1] == {
        "value": "about 400",
        "source": "brief-b",
        "locator": "p. 7",
    }


def test_records_csv_has_the_same_rows(generated):
    root, g = generated
    rows = list(csv.DictReader(io.StringIO((root / "docs/downloads/records.csv").read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == list(g.atlas.records)
    assert rows[0].keys() >= {"id", "kind", "countries", "date", "title", "citations"}
    mtg = next(r for r in rows if r["id"] == "mtg-kg-2020-11-01")
    assert mtg["title"].startswith("Ministers meet <script>")  # data stays data; CSV is not HTML
    assert mtg["citations"] == "report-a: Appendix 1"


def test_geojson_holds_located_records_only(generated):
    root, g = generated
    data = json.loads((root / "docs/downloads/records.geojson").read_text(encoding="utf-8"))
    assert {f["properties"]["id"] for f in data["features"]} == {r.id for r in g.atlas.records.values() if r.places}
    assert data["features"][0]["geometry"]["type"] == "Point"


def test_bibtex_lists_every_source(generated):
    root, g = generated
    bib = (root / "docs/downloads/sources.bib").read_text(encoding="utf-8")
    for sid in g.atlas.sources:
        assert f"{{{sid}," in bib
    assert "author = {Roe, Richard and Poe, Edgar}" in bib


def test_sources_bib_escapes_latex_and_braces_corporate_names():
    """The downloads' BibTeX is the source pages' entry (source_cite.bibtex): a raw & in a title broke
    pdflatex; a corporate author was read as "Congress, World Uyghur"."""
    import bibtexparser

    from generator.schema import Source
    from generator.source_cite import bibtex as _bibtex

    source = Source(
        id="qa-1",
        type="web",
        title="Q&A: 50% of {all} #1 under_scores",
        authors=["World Uyghur Congress", "Doe, Jane"],
        container="ReliefWeb",
        date="2022",
        url="https://example.org/a_b?x=1&y=2",
        language="ru",
    )
    text = _bibtex(source)
    assert "title = {{Q\\&A: 50\\% of \\{all\\} \\#1 under\\_scores}}" in text
    assert "author = {{World Uyghur Congress} and Doe, Jane}" in text
    assert "url = {https://example.org/a_b?x=1&y=2}" in text  # url is verbatim in biblatex
    assert "langid = {russian}" in text
    entry = bibtexparser.parse_string(text).entries[0]
    assert entry.key == "qa-1" and entry.entry_type == "online"  # a web page: Zotero imports @online as a webpage


def test_every_country_and_topic_page_has_its_own_download(generated):
    root, g = generated
    for c in g.atlas.focus_countries:
        rows = json.loads((root / f"docs/downloads/countries/{c.slug}.json").read_text(encoding="utf-8"))
        assert [r["id"] for r in rows] == [r.id for r in g.atlas.records_of_country(c.id)]
    for t in g.atlas.topics:
        text = (root / f"docs/downloads/topics/{t}.csv").read_text(encoding="utf-8")
        assert len(list(csv.DictReader(io.StringIO(text)))) == len(g.atlas.records_of_topic(t))


def test_downloads_flag_region_level_and_report_dated_records(generated):
    import json

    root, _ = generated
    rows = json.loads((root / "docs/downloads/records.json").read_text(encoding="utf-8"))
    row = next(r for r in rows if r["id"] == "tr-ca-2019-region")
    assert (row["countries"], row["region"], row["date_basis"]) == ([], "central-asia", "report")
    header = (root / "docs/downloads/records.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"region", "date_basis"} <= set(header)
