"""The second reading of the essays (issue #20, item 6): every sentence of a checked essay is in
the ledger `editions/prose-check.yaml` with the hash of its current text, so a sentence changed
since its reading fails here until it is read again; every essay is either checked or pending."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import prosecheck
from generator.prose import CITE

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {"000", "001", "002", "003", "004"}


@pytest.fixture(scope="module")
def checks() -> list[prosecheck.Check]:
    return prosecheck.load_checks(ROOT)


def _essays() -> dict[str, str]:
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in (ROOT / "data/prose").rglob("*.md")}


def test_every_essay_is_checked_or_pending(checks):
    checked = {c.essay for c in checks}
    pending = set(prosecheck.pending(ROOT))
    assert not checked & pending, "an essay is both checked and pending"
    assert checked | pending == set(_essays()), "list each essay under checked or pending"
    assert checked, "no essay has had its second reading"


def test_every_sentence_of_a_checked_essay_is_in_the_ledger_unchanged(checks):
    keys = {(c.essay, c.key) for c in checks}
    texts = _essays()
    missing = [
        f"{s.essay}:{s.line}: {s.text[:100]!r}"
        for essay in sorted({c.essay for c in checks})
        for s in prosecheck.sentences(essay, texts[essay])
        if (essay, s.key) not in keys
    ]
    assert not missing, "sentences not read since they were written or changed:\n" + "\n".join(missing)


def test_the_ledger_holds_no_stale_sentence(checks):
    """Each entry matches a sentence as it now stands (a rewritten sentence replaces its entry)."""
    texts = _essays()
    current = {(e, s.key) for e in {c.essay for c in checks} for s in prosecheck.sentences(e, texts[e])}
    stale = [f"{c.essay}:{c.line} {c.text!r}" for c in checks if (c.essay, c.key) not in current]
    assert not stale, "\n".join(stale)


def test_each_entry_names_the_passage_read_and_a_verdict(checks):
    for c in checks:
        assert c.verdict in prosecheck.VERDICTS, c
        if c.verdict == "no-fact":
            continue
        if c.verdict == "supported":
            assert c.cites, f"{c.essay}:{c.line}: a factual sentence without a citation"
        seeds = set(re.findall(r"\b(00\d) L\d+", c.passage))
        cited = {SOURCE_FILE.get(x.split(",")[0]) for x in c.cites} - {None}
        assert seeds or not cited, f"{c.essay}:{c.line}: name the seed line read ({c.passage!r})"
        assert seeds <= SEEDS
        if c.verdict == "fixed":
            assert c.note, f"{c.essay}:{c.line}: say what the reading found wrong"


SOURCE_FILE = {
    "yau-2022-governance": "000",
    "peyrouse-2022": "001",
    "hoagland-2020": "002",
    "yau-2022-fpri": "003",
    "aminjonov-2022": "004",
}


def test_sentences_are_keyed_by_their_text():
    text = (
        "Alpha is one [@src, p. 2]. Beta follows, e.g. here.\n\nGamma [[count kind=meeting]] ends [@src, Appendix 1].\n"
    )
    got = prosecheck.sentences("x.md", text)
    assert [s.text for s in got] == [
        "Alpha is one [@src, p. 2].",
        "Beta follows, e.g. here.",
        "Gamma [[count kind=meeting]] ends [@src, Appendix 1].",
    ]
    assert [s.line for s in got] == [1, 1, 3]
    assert got[0].cites[0].locator == "p. 2" and got[1].cites == ()  # after the last citation
    changed = prosecheck.sentences("x.md", text.replace("Alpha is one", "Alpha is two"))
    assert changed[0].key != got[0].key and changed[2].key == got[2].key
    assert CITE.search(got[2].text)
