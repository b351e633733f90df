"""A corpus of the mistakes editors make, each checked in-process (no site build): the problem is
reported at the right line with its field, the message repeats the bad value, the hint says what
to write, and where the hint is mechanical, following it gives a valid file. Every problem of an
item is reported in one run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build import load_atlas
from generator.config import load_config
from generator.errors import DataError, Problem
from tests.conftest import make_project

FILE = "data/zz-mistake.yaml"
EXERCISE = """\
exercises:
  - id: ex-kg-2021-01
    title: A drill
    date: "2021-03"
    countries: [KG]
    places: [bishkek]
    scope: bilateral
    participants: [KG, CN]
    size_total: 200
    topics: [exercises]
    roles: {KG: hosted}
    citations:
      - {source: report-a, locator: page 12}
"""
SURVEILLANCE = """\
surveillance:
  - id: sv-kg-2021-01
    title: Cameras for a city
    date: "2021-03"
    countries: [KG]
    system_type: safe-city
    vendors: [huawei]
    cameras: 100
    citations:
      - source: report-a
        locator: Table 2
"""


@dataclass(frozen=True)
class Mistake:
    name: str
    base: str
    old: str  # the line as it should be...
    new: str  # ...and as the editor wrote it
    line: int
    says: str  # `where: message` (start)
    hint: str  # part of the hint
    fix: tuple[str, str] | None = None  # following the hint: replace new with this text

    @property
    def text(self) -> str:
        assert self.old in self.base, self.old
        return self.base.replace(self.old, self.new, 1)


E, S = EXERCISE, SURVEILLANCE
MISTAKES = [
    Mistake(
        "unquoted-month",
        E,
        'date: "2021-03"',
        "date: 2021-3",
        4,
        "exercises[0].date: '2021-3' is not a date",
        "YYYY-MM",
        ("date: 2021-3", 'date: "2021-03"'),
    ),
    Mistake(
        "spelled-date",
        E,
        'date: "2021-03"',
        "date: March 2021",
        4,
        "exercises[0].date: 'March 2021' is not a date",
        "YYYY-MM",
    ),
    Mistake(
        "month-13",
        E,
        'date: "2021-03"',
        'date: "2021-13"',
        4,
        "exercises[0].date: '2021-13': month 13 is not between 01 and 12",
        "",
    ),
    Mistake(
        "unclosed-quote",
        E,
        'date: "2021-03"',
        'date: "2021-03',
        4,
        "yaml: a quote is never closed",
        "close the quote",
        ('date: "2021-03', 'date: "2021-03"'),
    ),
    Mistake(
        "unclosed-single-quote",
        E,
        "title: A drill",
        "title: 'A drill",
        3,
        "yaml: a quote is never closed",
        "close the quote",
        ("title: 'A drill", "title: 'A drill'"),
    ),
    Mistake(
        "empty-locator",
        E,
        "locator: page 12",
        'locator: ""',
        13,
        "exercises[0].citations[0].locator: the locator is empty",
        "write where in the source: page 12",
        ('locator: ""', "locator: page 12"),
    ),
    Mistake(
        "vague-locator",
        E,
        "locator: page 12",
        "locator: somewhere",
        13,
        "exercises[0].citations[0].locator: 'somewhere' does not say where in the source",
        "page 12, section 3",
    ),
    Mistake("page-word-locator", E, "locator: page 12", "locator: page 2", 0, "", ""),
    Mistake(
        "unknown-country",
        E,
        "countries: [KG]",
        "countries: [KG, KY]",
        5,
        "exercises[0].countries[1]: unknown country 'KY'",
        "use one of: KZ, KG, TJ, UZ, TM, CN",
        ("countries: [KG, KY]", "countries: [KG]"),
    ),
    Mistake(
        "lowercase-country",
        E,
        "countries: [KG]",
        "countries: [kg]",
        5,
        "exercises[0].countries[0]: 'kg' is not a country code",
        "capitals",
    ),
    Mistake(
        "unknown-place",
        E,
        "places: [bishkek]",
        "places: [bishkek-city]",
        6,
        "exercises[0].places[0]: unknown place 'bishkek-city'",
        "did you mean 'bishkek'?",
        ("places: [bishkek-city]", "places: [bishkek]"),
    ),
    Mistake(
        "scope-typo",
        E,
        "scope: bilateral",
        "scope: bilaterial",
        7,
        "exercises[0].scope: 'bilaterial' is not an allowed value",
        "did you mean 'bilateral'?",
        ("scope: bilaterial", "scope: bilateral"),
    ),
    Mistake(
        "role-typo",
        E,
        "roles: {KG: hosted}",
        "roles: {KG: host}",
        11,
        "exercises[0].roles.KG: 'host' is not an allowed value",
        "did you mean 'hosted'?",
        ("roles: {KG: host}", "roles: {KG: hosted}"),
    ),
    Mistake(
        "topic-typo",
        E,
        "topics: [exercises]",
        "topics: [exercise]",
        10,
        "exercises[0].topics[0]: unknown topic 'exercise'",
        "did you mean 'exercises'?",
        ("topics: [exercise]", "topics: [exercises]"),
    ),
    Mistake(
        "size-with-unit",
        E,
        "size_total: 200",
        "size_total: 200 troops",
        9,
        "exercises[0].size_total: expected a whole number, got text '200 troops'",
        "digits only",
    ),
    Mistake(
        "negative-size", E, "size_total: 200", "size_total: -5", 9, "exercises[0].size_total: -5 must be at least 0", ""
    ),
    Mistake(
        "field-typo",
        E,
        "size_total: 200",
        "size_totl: 200",
        9,
        "exercises[0].size_totl: unknown field",
        "did you mean 'size_total'?",
        ("size_totl: 200", "size_total: 200"),
    ),
    Mistake(
        "source-typo",
        E,
        "source: report-a,",
        "source: reprot-a,",
        13,
        "exercises[0].citations[0].source: unknown source 'reprot-a'",
        "did you mean 'report-a'?",
        ("source: reprot-a,", "source: report-a,"),
    ),
    Mistake(
        "wrong-id-prefix",
        E,
        "id: ex-kg-2021-01",
        "id: kg-2021-01",
        2,
        "exercises[0].id: exercise ids start with 'ex-'",
        "rename to 'ex-kg-2021-01'",
        ("id: kg-2021-01", "id: ex-kg-2021-01"),
    ),
    Mistake(
        "empty-title",
        E,
        "title: A drill",
        'title: ""',
        3,
        "exercises[0].title: must not be empty",
        "write the text; this field is required",
    ),
    Mistake(
        "missing-title",
        E,
        "    title: A drill\n",
        "",
        2,
        "exercises[0].title: required field is missing",
        "add `title:`",
    ),
    Mistake(
        "vendor-typo",
        S,
        "vendors: [huawei]",
        "vendors: [huwei]",
        7,
        "surveillance[0].vendors[0]: unknown organisation 'huwei'",
        "did you mean 'huawei'?",
        ("vendors: [huwei]", "vendors: [huawei]"),
    ),
    Mistake(
        "system-type-typo",
        S,
        "system_type: safe-city",
        "system_type: safe city",
        6,
        "surveillance[0].system_type: 'safe city' is not an allowed value",
        "did you mean 'safe-city'?",
        ("system_type: safe city", "system_type: safe-city"),
    ),
    Mistake(
        "cameras-as-text",
        S,
        "cameras: 100",
        "cameras: about 100",
        8,
        "surveillance[0].cameras: expected a whole number, got text 'about 100'",
        "digits only",
    ),
    Mistake(
        "citations-not-list",
        S,
        "      - source: report-a\n        locator: Table 2\n",
        "        source: report-a\n        locator: Table 2\n",
        10,
        "surveillance[0].citations: expected a list",
        "one `- item` per line",
    ),
    Mistake(
        "colon-in-title",
        S,
        "title: Cameras for a city",
        "title: Cameras: a city",
        3,
        "yaml: a colon in an unquoted value",
        "put the value in quotes",
        ("title: Cameras: a city", 'title: "Cameras: a city"'),
    ),
    Mistake("tab-indent", S, "    cameras: 100", "\tcameras: 100", 8, "yaml: a tab character", "spaces"),
]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("mistakes") / "atlas")


def problems(root: Path, text: str) -> list[Problem]:
    (root / FILE).write_text(text, encoding="utf-8")
    try:
        load_atlas(load_config(root))
    except DataError as exc:
        return exc.problems
    finally:
        (root / FILE).unlink()
    return []


def test_the_corpus_is_large_and_its_bases_are_valid(root: Path) -> None:
    assert len(MISTAKES) >= 20
    assert problems(root, EXERCISE) == []
    assert problems(root, SURVEILLANCE) == []


@pytest.mark.parametrize("m", MISTAKES, ids=[m.name for m in MISTAKES])
def test_mistake_is_said_plainly_at_its_line(root: Path, m: Mistake) -> None:
    got = problems(root, m.text)
    if not m.says:  # not a mistake: accepted
        assert got == []
        return
    mine = [p for p in got if p.file == FILE]
    assert any(
        p.line == m.line and f"{p.where}: {p.message}".startswith(m.says) and m.hint in (p.hint or "") for p in mine
    ), f"{m.line}: {m.says} (hint: ...{m.hint}...) not in {[str(p) for p in mine]}"
    if m.fix is not None:
        old, new = m.fix
        assert old in m.text
        assert problems(root, m.text.replace(old, new, 1)) == []


def test_every_problem_of_an_item_at_once(root: Path) -> None:
    """A bad date does not hide an unknown vendor, a misspelt field or a bad locator."""
    text = (
        SURVEILLANCE.replace('date: "2021-03"', "date: 2021-3")
        .replace("[huawei]", "[huwei]")
        .replace("cameras: 100", "camras: 100")
        .replace("locator: Table 2", 'locator: ""')
    )
    got = {(p.line, p.where) for p in problems(root, text) if p.file == FILE}
    assert {
        (4, "surveillance[0].date"),
        (7, "surveillance[0].vendors[0]"),
        (8, "surveillance[0].camras"),
        (11, "surveillance[0].citations[0].locator"),
    } <= got


ESSAY_MISTAKES = [  # (essay line, problem or "" when accepted, hint)
    ("There were [[count kind=surveilance]] systems.", "unknown kind 'surveilance'", "did you mean 'surveillance'?"),
    ("Counted [[count kind=exercise topic=exercise]].", "unknown topic 'exercise'", "did you mean 'exercises'?"),
    ("Counted [[cuont kind=exercise]].", "unknown figure", "did you mean 'count'?"),
    ("As the report says [@report-a, page 2].", "", ""),  # the same locator rule as records
    ("As the report says [@report-a, somewhere].", "'somewhere' does not say where in the source", "page 12"),
    ("As the report says [@reprot-a, p. 3].", "unknown source 'reprot-a'", "did you mean 'report-a'?"),
]


@pytest.mark.parametrize(("line", "says", "hint"), ESSAY_MISTAKES, ids=[m[1] or "ok" for m in ESSAY_MISTAKES])
def test_essay_mistake_is_said_plainly(root: Path, line: str, says: str, hint: str) -> None:
    essay = root / "data" / "prose" / "zz-essay.md"
    essay.write_text(f"# An essay\n\n{line}\n", encoding="utf-8")
    try:
        load_atlas(load_config(root))
        got: list[Problem] = []
    except DataError as exc:
        got = exc.problems
    finally:
        essay.unlink()
    if not says:
        assert got == []
        return
    assert any(
        p.file == "data/prose/zz-essay.md" and p.line == 3 and says in p.message and hint in (p.hint or "") for p in got
    ), [str(p) for p in got]
