"""A source cited as itself (generator/source_cite.py): its CSL item from what the data holds,
BibTeX and RIS that parse back, and what reference managers read of it."""

from __future__ import annotations

import bibtexparser
import pytest
import rispy

from generator import cite, source_cite
from generator.schema import Source

JOURNAL = Source(
    id="yau-2022",
    type="article",
    authors=["Yau, Niva", "World Uyghur Congress"],
    title="Chinese Governance Export in Central Asia & 100% more",
    container="Security and Human Rights",
    publisher="Brill",
    date="2022-04",
    volume="32",
    issue="1",
    pages="1-16",
    doi="10.1163/18750230-bja10001",
    language="en",
)
NEWS = Source(
    id="fergana-2019",
    type="news",
    title="Китай и Таджикистан",
    container="Fergana News",
    date="2019-10-05",
    url="https://fergana.news/a?x=1&y=2#z",
    language="ru",
)


def test_csl_item_names_persons_and_corporate_authors_and_the_container():
    item = source_cite.csl_item(JOURNAL)
    assert item["type"] == "article-journal"
    assert item["author"] == [{"family": "Yau", "given": "Niva"}, {"literal": "World Uyghur Congress"}]
    assert item["issued"] == {"date-parts": [[2022, 4]]}
    assert (item["container-title"], item["publisher"], item["page"]) == ("Security and Human Rights", "Brill", "1-16")
    report = source_cite.csl_item(Source(id="r", type="report", title="T", container="Policy brief", publisher="P"))
    assert report["type"] == "report" and report["collection-title"] == "Policy brief" and "author" not in report
    assert {source_cite.CSL_TYPES[t] for t in ("news", "web")} == {"article-newspaper", "webpage"}


@pytest.mark.parametrize("style", sorted(cite.STYLES))
def test_styles_run_on_the_citeproc_path(style):
    text = cite.plain(source_cite.formats(JOURNAL)[style])
    assert "Yau, N" in text and "World Uyghur Congress" in text and "Security and Human Rights" in text


def test_a_title_in_another_language_is_not_title_cased():
    chicago = cite.plain(source_cite.formats(NEWS)["chicago"])
    assert "“Китай и Таджикистан.”" in chicago


def test_bibtex_parses_back_with_braced_corporate_author_and_langid():
    (entry,) = bibtexparser.parse_string(source_cite.bibtex(JOURNAL)).entries
    assert entry.entry_type == "article" and entry.key == "yau-2022"
    assert entry["author"] == "Yau, Niva and {World Uyghur Congress}"
    assert entry["title"] == r"{Chinese Governance Export in Central Asia \& 100\% more}"
    assert (entry["journal"], entry["pages"], entry["langid"]) == ("Security and Human Rights", "1--16", "english")
    (news,) = bibtexparser.parse_string(source_cite.bibtex(NEWS)).entries
    assert news["key"] == "Fergana News"  # natbib's label where there is no author
    assert news["langid"] == "russian" and news["url"] == "https://fergana.news/a?x=1&y=2#z"


def test_ris_parses_back():
    (entry,) = rispy.loads(source_cite.ris(JOURNAL))
    assert entry["type_of_reference"] == "JOUR"
    assert entry["authors"] == ["Yau, Niva", "World Uyghur Congress"]
    assert (entry["start_page"], entry["end_page"], entry["date"]) == ("1", "16", "2022/04/")
    assert entry["secondary_title"] == "Security and Human Rights"


def test_scholar_reference_and_json_ld():
    ref = source_cite.scholar_reference(JOURNAL)
    assert ref.startswith(
        "citation_title=Chinese Governance Export in Central Asia & 100% more; citation_author=Yau, Niva;"
    )
    assert "citation_journal_title=Security and Human Rights" in ref and "citation_publication_date=2022/04" in ref
    semi = Source(id="s", type="web", title="One; two", authors=["A; B"])
    assert source_cite.scholar_reference(semi) == "citation_title=One, two; citation_author=A, B"
    work = source_cite.ld_work(JOURNAL)
    assert work["@type"] == "ScholarlyArticle" and work["sameAs"] == "https://doi.org/10.1163/18750230-bja10001"
    assert work["author"][1] == {"@type": "Organization", "name": "World Uyghur Congress"}
