"""Inline citations and data figures: parsing, validation with file:line, rendering, drift."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import prose
from generator.build import generate, load_atlas
from generator.config import load_config
from generator.errors import DataError

ESSAY = "data/prose/countries/kyrgyzstan.md"


def problems(project: Path) -> list[str]:
    with pytest.raises(DataError) as exc:
        load_atlas(load_config(project))
    return [str(p) for p in exc.value.problems]


def write(project: Path, rel: str, text: str) -> None:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_citation_syntax():
    cites, errors = prose.parse_cites("report-a, Appendix 3; @brief-b, p. 12")
    assert cites == [prose.Cite("report-a", "Appendix 3"), prose.Cite("brief-b", "p. 12")]
    assert errors == []
    assert prose.parse_cites("report-a")[1][0][0] == "citation of 'report-a' has no locator"
    assert prose.parse_cites("report-a, somewhere")[1][0][0] == "'somewhere' does not say where in the source"
    assert prose.parse_cites("Report A, p. 3")[1][0][0] == "malformed source id 'Report A'"
    assert prose.parse_cites("report-a, p. 3; brief-b, p. 4")[1][0][0] == "malformed citation 'brief-b, p. 4'"


def test_bad_citations_and_figures_in_an_essay_are_reported_with_file_and_line(project):
    write(
        project,
        ESSAY,
        "A first line [@report-a, Appendix 1].\n"
        "\n"
        "No locator here [@report-a].\n"
        "An unknown source [@report-z, p. 4] and a vague place [@brief-b, somewhere].\n"
        "Figures: [[count kind=meetings]] [[total kind=meeting]] [[first kind=meeting country=KG year=1990]].\n",
    )
    got = problems(project)
    assert got == [
        f"{ESSAY}:3: essay: citation of 'report-a' has no locator (hint: {prose.LOCATOR_HINT})",
        f"{ESSAY}:4: essay: 'somewhere' does not say where in the source (hint: {prose.LOCATOR_HINT})",
        f"{ESSAY}:4: essay: unknown source 'report-z' (hint: did you mean 'report-a'?)",
        f"{ESSAY}:5: essay: no record matches [[first kind=meeting country=KG year=1990]]"
        " (hint: check the filters; a first/last/sum needs records)",
        f"{ESSAY}:5: essay: unknown figure '[[total kind=meeting]]' (hint: start with one of: count, first, last, sum, max, min)",
        f"{ESSAY}:5: essay: unknown kind 'meetings' in [[count kind=meetings]] (hint: did you mean 'meeting'?)",
    ]


def test_bad_citation_in_a_yaml_text_field_points_at_its_line(project):
    records = project / "data" / "records.yaml"
    text = records.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("- id: mtg-kg-2020-11-01"))
    lines.insert(at + 1, "    notes: Seen in the press [@nobody-2020, p. 1].")
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert problems(project) == [
        f"data/records.yaml:{at + 2}: meetings[0].notes: unknown source 'nobody-2020'"
        " (hint: add it to data/sources.yaml first)"
    ]


def test_essay_for_an_unknown_country_or_topic_is_an_error(project):
    write(project, "data/prose/countries/narnia.md", "Text [@report-a, p. 1].\n")
    write(project, "data/prose/topics/fishing.md", "Text [@report-a, p. 1].\n")
    got = problems(project)
    assert got[0].startswith("data/prose/countries/narnia.md:1: essay: no focus country with slug 'narnia'")
    assert got[1].startswith("data/prose/topics/fishing.md:1: essay: no topic 'fishing'")


def test_citations_render_as_note_markers_with_notes_and_a_sources_section(generated):
    root, _ = generated
    page = (root / "docs/atlas/countries/kyrgyzstan.md").read_text(encoding="utf-8")
    essay = page.split("## Key figures", 1)[0]
    assert "November 2020.<sup" in essay and "**bold** included.<sup" in essay  # after the full stop
    assert "(#ref-" not in essay and "Doe 2022" not in essay  # no inline parenthetical citation text
    notes = page.split("## Notes", 1)[1].split("## Sources", 1)[0]
    assert (
        '<li id="note-1"><cite data-source="report-a" data-locator="Appendix 1">'
        '<a href="../../sources/report-a/">Doe 2022</a>, Appendix 1</cite>.'
    ) in notes
    assert '<li id="note-2"><cite data-source="brief-b" data-locator="p. 7">' in notes
    sources = page.split("## Sources", 1)[1]
    assert '<li id="ref-report-a"><a href="../../sources/report-a/">Doe 2022</a>. Doe, Jane. 2022.' in sources
    assert '<li id="ref-brief-b">' in sources
    # every marker resolves to a note, and every note to a source with a locator
    markers = re.findall(r'<sup class="atlas-note-ref" id="note-ref-(\d+)"><a href="#note-(\d+)"', essay)
    assert [int(a) for a, b in markers if a == b] == [1, 2]
    for n, _ in markers:
        assert f'<li id="note-{n}"><cite data-source="' in notes


def test_a_citation_group_is_one_marker_after_the_punctuation_it_follows():
    refs = prose.References(lambda sid: f"../s/{sid}/")
    text = "A claim [@a, p. 1]. Two groups [@a, p. 2] [@b, Table 3], then [@b, p. 9]"
    out = prose.render(text, None, refs)
    assert re.sub(r"<sup[^>]*><a[^>]*>(\d+)</a></sup>", r"^\1", out) == "A claim.^1 Two groups^2, then^3"
    assert refs.notes == [
        [prose.Cite("a", "p. 1")],
        [prose.Cite("a", "p. 2"), prose.Cite("b", "Table 3")],
        [prose.Cite("b", "p. 9")],
    ]
    assert refs.order == ["a", "b"]


def test_figures_follow_the_data(project):
    """A sentence's number comes from the records: add a record and the sentence changes."""
    page = project / "docs/atlas/countries/kyrgyzstan.md"
    generate(project)
    assert "the fixture counts 1\nmeeting, the latest in November 2020" in page.read_text(encoding="utf-8")
    records = project / "data" / "records.yaml"
    text = records.read_text(encoding="utf-8")
    extra = (
        "  - id: mtg-kg-2021-03-01\n"
        "    title: A later meeting\n"
        '    date: "2021-03"\n'
        "    countries: [KG]\n"
        "    ca_official: A minister\n"
        "    cn_official: An ambassador\n"
        "    citations: [{source: report-a, locator: Appendix 1}]\n"
    )
    records.write_text(text.replace("meetings:\n", "meetings:\n" + extra, 1), encoding="utf-8")
    generate(project)
    assert "the fixture counts 2\nmeeting, the latest in March 2021" in page.read_text(encoding="utf-8")


def test_figure_values(generated):
    _, g = generated
    a = g.atlas

    def value(spec: str) -> str | None:
        fig, errors = prose.parse_figure(spec)
        assert errors == []
        return prose.evaluate(fig, a)

    assert value("count kind=meeting") == "2"
    assert value("count kind=meeting country=KZ") == "1"
    assert value("first kind=meeting") == "May 2019"
    assert value("sum field=size_total kind=exercise") == value("max field=size_total kind=exercise")
    assert value("count source=brief-b") == str(len(a.cited_by["brief-b"]))
    assert value("count kind=exercise from=2017") == "0"


def test_text_is_never_a_template_and_yaml_text_stays_escaped(project):
    """Jinja syntax in prose is printed as written; YAML text cannot become markup."""
    write(project, ESSAY, "Braces {{ 7 * 7 }} and {% if true %}x{% endif %} stay [@report-a, p. 1].\n")
    records = project / "data" / "records.yaml"
    text = records.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("- id: mtg-kg-2020-11-01"))
    lines.insert(at + 1, '    notes: "<img src=x onerror=alert(1)> {{ 7 * 7 }} [@report-a, p. 2] *x*"')
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    generate(project)
    country = (project / "docs/atlas/countries/kyrgyzstan.md").read_text(encoding="utf-8")
    assert "Braces {{ 7 * 7 }} and {% if true %}x{% endif %} stay" in country
    assert "49" not in country.split("Braces", 1)[1].split("\n", 1)[0]
    record = (project / "docs/atlas/records/mtg-kg-2020-11-01.md").read_text(encoding="utf-8")
    assert "&lt;img src&#61;x onerror&#61;alert(1)&gt; &#123;&#123; 7 &#42; 7 &#125;&#125;<sup" in record
    assert '<a href="#note-1" aria-label="Note 1" aria-describedby="note-1">1</a></sup> &#42;x&#42;' in record
    assert '<li id="ref-report-a">' in record
    glossary = (project / "docs/atlas/glossary.md").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in glossary


def test_citations_typed_into_docs_pages_are_reported_not_printed(project):
    about = project / "docs" / "about.md"
    about.write_text(
        "# About\n\nA claim [@report-a, p. 3].\n\n```markdown\nAn example [@report-a, p. 3].\n```\n\n"
        "Inline code `[[count kind=meeting]]` is an example too.\n",
        encoding="utf-8",
    )
    assert problems(project) == [
        "docs/about.md:3: page: '[@report-a, p. 3]' is not processed in docs/ pages"
        " (hint: write cited prose in data/prose/ (see docs/editors/writing.md))"
    ]
