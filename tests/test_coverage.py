"""The coverage ledgers (data/coverage/<source id>.yaml): every fact of a seed is listed with the
records that carry it or the reason it is left out, and every record citing a seed is listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator import ledger
from generator.build import load_atlas
from generator.config import load_config
from generator.model import Atlas
from tests.conftest import ROOT
from tests.test_data import SEEDS

COVERAGE = ROOT / "data" / "coverage"
CORE_SOURCES = ("yau-2022-governance", "peyrouse-2022", "hoagland-2020", "yau-2022-fpri", "aminjonov-2022")
# Why an entry carries no record: one of these, optionally followed by ": " and an explanation
# (the model the build reads the ledgers with, and their schema, hold the same list).
REASONS = ledger.REASONS


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas(load_config(ROOT))


def load_ledger(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["coverage"]


def missing_ledgers(folder: Path) -> set[str]:
    return {s for s in CORE_SOURCES if not (folder / f"{s}.yaml").is_file()}


def ledger_problems(ledger: dict, record_ids: set[str]) -> list[str]:
    """Every entry: a locator, a fact, and exactly one of `records` (existing ids) or `excluded`."""
    problems = []
    locators = {e.get("locator") for e in ledger["entries"]}
    for i, e in enumerate(ledger["entries"]):
        where = f"entries[{i}] ({e.get('locator')})"
        if not e.get("locator") or not e.get("fact"):
            problems.append(f"{where}: needs a locator and a fact")
        if ("records" in e) == ("excluded" in e):
            problems.append(f"{where}: give exactly one of records or excluded")
        for rid in e.get("records") or []:
            if rid not in record_ids:
                problems.append(f"{where}: unknown record {rid}")
        if "records" in e and not e["records"]:
            problems.append(f"{where}: records is empty")
        reason = e.get("excluded")
        if reason is not None and not reason.startswith(REASONS):
            dup = reason.removeprefix("duplicate of ").strip()
            if not reason.startswith("duplicate of ") or dup not in locators:
                problems.append(f"{where}: reason must be one of {REASONS} or 'duplicate of <locator>'")
    return problems


def ledgers() -> list[Path]:
    return sorted(COVERAGE.glob("*.yaml"))


def test_every_core_source_has_a_ledger():
    assert missing_ledgers(COVERAGE) == set()


def test_a_missing_ledger_is_detected(tmp_path):
    (tmp_path / "yau-2022-fpri.yaml").write_text("coverage: {source: yau-2022-fpri, entries: []}\n")
    assert missing_ledgers(tmp_path) == set(CORE_SOURCES) - {"yau-2022-fpri"}


@pytest.mark.parametrize("path", ledgers(), ids=lambda p: p.stem)
def test_ledger_entries_are_well_formed(atlas, path):
    ledger = load_ledger(path)
    assert ledger["source"] == path.stem and ledger["source"] in CORE_SOURCES
    assert ledger["entries"], "a ledger lists the seed's facts"
    assert ledger_problems(ledger, set(atlas.records)) == []


@pytest.mark.parametrize("path", ledgers(), ids=lambda p: p.stem)
def test_every_record_citing_the_seed_is_in_its_ledger(atlas, path):
    ledger = load_ledger(path)
    listed = {rid for e in ledger["entries"] for rid in e.get("records") or []}
    citing = set(atlas.cited_by.get(ledger["source"], []))
    assert sorted(citing - listed) == []


@pytest.mark.parametrize("path", ledgers(), ids=lambda p: p.stem)
def test_every_record_in_a_ledger_cites_the_seed(atlas, path):
    ledger = load_ledger(path)
    listed = {rid for e in ledger["entries"] for rid in e.get("records") or []}
    assert sorted(listed - set(atlas.cited_by.get(ledger["source"], []))) == []


def test_ledger_problems_are_reported():
    bad = {
        "entries": [
            {"locator": "p. 1", "fact": "x", "records": ["no-such-record"]},
            {"locator": "p. 2", "fact": "y", "records": ["r"], "excluded": "not about China"},
            {"locator": "p. 3", "fact": "z", "excluded": "boring"},
            {"locator": "p. 4", "fact": "w", "excluded": "duplicate of p. 1"},
        ]
    }
    problems = ledger_problems(bad, {"r"})
    assert len(problems) == 3
    assert "unknown record no-such-record" in problems[0]


# --- the ledger against the seed's own headings -----------------------------------------------

SEEDS_DIR = SEEDS  # $ATLAS_SEEDS or beside the checkout, as for the own-words tests
SEED_FILES = {
    "yau-2022-governance": "000_",
    "peyrouse-2022": "001_",
    "hoagland-2020": "002_",
    "yau-2022-fpri": "003_",
    "aminjonov-2022": "004_",
}
# Locator parts that name no heading of the text: the document's own parts and apparatus.
GENERIC_PARTS = re.compile(
    r"^(abstract|introduction|executive summary|conclusion|appendix|appendices|figure|table|note|notes|"
    r"references|endnotes|keywords|pull quote|caption|box|summary|the way forward|p|pp|page)\b"
)


def _norm(text: str) -> str:
    text = re.sub(r"<[^>]+>|[*_`]", "", text).lower().replace("&", "and")
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text).split())


def seed_headings(text: str, *, with_body: bool = True) -> list[tuple[int, str]]:
    """(line, heading) of a seed text: Markdown headings, and the short stand-alone title lines that
    the PDF extraction left without '#'. With `with_body`, only headings with a paragraph under them."""
    lines = text.splitlines()
    found: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        s = line.strip()
        m = re.match(r"^#{1,4}\s+(.*)$", s)
        plain = (
            s
            and len(s.split()) <= 10
            and re.match(r"^[A-Z0-9]", s)
            and not re.search(r"[.,;:)\"”]$", s)
            and "\t" not in s
            and (i == 0 or not lines[i - 1].strip())
            and (i + 1 < len(lines) and not lines[i + 1].strip())
        )
        head = m.group(1) if m else (s if plain else None)
        if head and re.search("[A-Za-z]", head) and len(head.split()) <= 14:
            found.append((i, re.sub(r"<[^>]+>|[*_`]", "", head).strip()))
    if not with_body:
        return [(i + 1, head) for i, head in found]
    out = []
    for n, (i, head) in enumerate(found):
        end = found[n + 1][0] if n + 1 < len(found) else len(lines)
        body = [x for x in lines[i + 1 : end] if x.strip()]
        if sum(len(x.split()) for x in body) >= 25:  # a heading with a paragraph under it
            out.append((i + 1, head))
    return out


def _covers(locators: list[str], heading: str) -> bool:
    key = _norm(re.split(r" [–-] |: ", heading)[0])
    return any(key in loc for loc in locators)


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="the seed texts are not published with the atlas")
@pytest.mark.parametrize("source", CORE_SOURCES)
def test_ledger_sections_follow_the_seed_headings(source):
    """Every section of the seed between its first and last covered heading has a ledger entry
    (or the ledger says why not), and every section a ledger names is a heading of the seed."""
    text = next(SEEDS_DIR.glob(f"{SEED_FILES[source]}*.txt")).read_text(encoding="utf-8")
    ledger = load_ledger(COVERAGE / f"{source}.yaml")
    locators = [_norm(e["locator"]) for e in ledger["entries"]]
    locators += [_norm(h) for h in ledger.get("not_sections", {})]
    heads = seed_headings(text)
    covered = [n for n, (_, h) in enumerate(heads) if _covers(locators, h)]
    assert covered, f"{source}: no heading of the seed is named in the ledger"
    missing = [
        f"line {line}: {h}"
        for line, h in heads[covered[0] : covered[-1] + 1]
        if not _covers(locators, h) and not GENERIC_PARTS.match(_norm(h))
    ]
    assert not missing, f"{source}: sections with no ledger entry:\n" + "\n".join(missing)
    names = {re.sub(r"^\d+(\s\d+)*\s", "", _norm(h)) for _, h in seed_headings(text, with_body=False)}
    unknown = []
    for e in ledger["entries"]:
        part = _norm(re.sub(r"^section\s+", "", str(e["locator"]).split(",")[0], flags=re.I))
        part = re.sub(r"^\d+(\s\d+)*\s", "", part)  # "2 1 selling ..." -> "selling ..."
        if part and not GENERIC_PARTS.match(part) and not any(part in n or n in part for n in names):
            unknown.append(str(e["locator"]))
    assert not unknown, f"{source}: ledger sections that are no heading of the seed:\n" + "\n".join(unknown)
