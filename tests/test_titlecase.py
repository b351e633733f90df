"""The citation styles equal citeproc-js, the CSL processor Zotero uses: the same items rendered
by citeproc-js with the same styles and en-US locale (tests/fixtures/citeproc_js/reference.json,
written by `python -m tools.citeproc_js.reference`; Node is not needed to run this test)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import cite, titlecase

REFERENCE = json.loads(
    (Path(__file__).resolve().parent / "fixtures" / "citeproc_js" / "reference.json").read_text(encoding="utf-8")
)


CASES = [pytest.param(e, s, id=f"{e['item']['id']}-{s}") for e in REFERENCE for s in cite.STYLES]


@pytest.mark.parametrize(("entry", "style"), CASES)
def test_every_style_equals_citeproc_js(entry, style):
    assert cite.plain(cite.style_text(entry["item"], style)) == entry[style]


def test_the_reference_covers_every_kind_of_item_the_atlas_cites():
    types = {e["item"]["type"] for e in REFERENCE}
    assert types == {
        "entry-encyclopedia",
        "dataset",
        "article-journal",
        "article-newspaper",
        "webpage",
        "report",
        "chapter",
        "document",
    }
    titles = [e["item"]["title"] for e in REFERENCE]
    assert any("'" in t for t in titles) and any('"' in t for t in titles) and any(t.endswith("?") for t in titles)
    assert any(e["item"].get("edition", "").endswith("+unreleased edition") for e in REFERENCE)


@pytest.mark.parametrize(
    ("title", "cased"),
    [
        ("More than words: China against the three evils", "More than Words: China against the Three Evils"),
        ("what to do about", "What to Do About"),  # the last word is capitalised, stop word or not
        ("e-government in the SCO", "E-Government in the SCO"),
        ("iPhone and iPad", "iPhone and iPad"),  # a word with a capital already is left alone
        ("A \"quote 'within' a quote\" test", "A \"quote 'within' a Quote\" Test"),  # unmatched quotes
    ],
)
def test_title_case_is_citeproc_js_title_case(title, cased):
    assert titlecase.title_case(title) == cased


def test_quotes_take_the_marks_of_their_level_and_apostrophes_curl():
    assert titlecase.quotes('The "safe city" of China\'s', 0) == "The \u201csafe city\u201d of China\u2019s"
    assert titlecase.quotes('The "safe city" of China\'s', 1) == "The \u2018safe city\u2019 of China\u2019s"
    assert titlecase.quotes("Soldiers' pay", 0) == "Soldiers\u2019 pay"


def test_punctuation_goes_inside_quotes_and_a_question_mark_stands_for_the_period():
    assert titlecase.punctuation("\u201cKyrgyzstan\u201d. In") == "\u201cKyrgyzstan.\u201d In"
    assert titlecase.punctuation("\u201cWhat Is the SCO?\u201d. In") == "\u201cWhat Is the SCO?\u201d In"
    assert titlecase.punctuation("What is the SCO?. In") == "What is the SCO? In"
    # the data's own punctuation after a quote stays where it is written; the style's moves in
    own = titlecase.protect("\u2018Three Evils\u2019. A Response, \u2018kettling\u2019, \u2018titushki\u2019")
    assert titlecase.punctuation(f"\u201c{own}\u201d.") == (
        "\u201c\u2018Three Evils\u2019. A Response, \u2018kettling\u2019, \u2018titushki.\u2019\u201d"
    )
