"""The editors' schema and the generator agree on the bad-input corpus.

Every YAML file of the corpus (tests/fixtures/bad/, the cases made in tests/bad_cases.py, the
editor mistakes of tests/test_editor_mistakes.py, and the ledger and prose-check cases below) is
judged twice, in process: by the generator (its loader and validation with the fixture atlas
around the file, or the ledger's, redirects' and prose check's own models) and by the schema its
path maps to (schema/*.json with the `jsonschema` library). The schema must reject a file exactly
when the generator reports a problem in it that is of a kind a JSON Schema can state; the kinds it
cannot are listed in BEYOND_SCHEMA with the reason, and each must still occur in the corpus (a
class no case exercises is dropped from the list). So a rule added to one side only fails here.

Files the loader refuses before any schema applies (YAML syntax, aliases, tags, duplicate and
merge keys, control characters, nesting, numbers beyond range, size, encoding) are counted apart:
yaml-language-server reports most of them as YAML errors itself.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jsonschema

from generator import editions, ledger, load, prosecheck
from generator.editorschema import schema_of
from generator.errors import DataError, Problem
from generator.validate import validate
from generator.yamlevents import _Loader, check_events
from tests.bad_cases import CASES
from tests.conftest import BAD, FIXTURE, ROOT
from tests.test_editor_mistakes import FILE as MISTAKE_FILE
from tests.test_editor_mistakes import MISTAKES

# What the generator checks and a JSON Schema cannot state: message pattern -> why.
BEYOND_SCHEMA: dict[str, str] = {
    r"^unknown (country|place|organisation|source|topic|record|participant|security topic|.* term)|, which is not a record": (
        "a reference to another item: the ids are in other files"
    ),
    r"^duplicate id|names the same page as|is listed twice": "uniqueness across items and files",
    r"lies outside": "a place inside its country's box, which is in data/countries.yaml",
    r"ends before it starts": "the order of two dates: no schema keyword compares two values",
    r"is not in `countries`": "a role's key (any country code) must be in `countries`: no Draft 7 keyword ties "
    "a mapping's keys to a list's values",
    r"looks like the same event as": "look-alikes: a comparison with the other records",
}
# Ledger and prose-check files are not in the build's corpus: their cases are here.
LEDGER_OK = "coverage:\n  source: report-a\n  entries:\n    - {locator: p. 1, fact: A fact., records: [mtg-a]}\n"
LEDGER_CASES = {
    "ledger_ok": LEDGER_OK,
    "ledger_both": LEDGER_OK.replace("records: [mtg-a]", "records: [mtg-a], excluded: not about China"),
    "ledger_neither": LEDGER_OK.replace(", records: [mtg-a]", ""),
    "ledger_empty_records": LEDGER_OK.replace("[mtg-a]", "[]"),
    "ledger_bad_reason": LEDGER_OK.replace("records: [mtg-a]", "excluded: boring"),
    "ledger_duplicate_of": LEDGER_OK.replace("records: [mtg-a]", "excluded: duplicate of p. 2"),
    "ledger_no_source": LEDGER_OK.replace("  source: report-a\n", ""),
    "ledger_unknown_field": LEDGER_OK.replace("fact: A fact.", "fact: A fact., page: 3"),
}
CHECK_OK = (
    "checked:\n  - {essay: data/prose/x.md, line: 1, key: 0123456789abcdef, text: A, cites: [], passage: 003 L1,"
    " verdict: supported}\npending: []\n"
)
PROSE_CHECK_CASES = {
    "prose_check_ok": CHECK_OK,
    "prose_check_bad_verdict": CHECK_OK.replace("supported", "true"),
    "prose_check_bad_key": CHECK_OK.replace("0123456789abcdef", "XYZ"),
    "prose_check_line_zero": CHECK_OK.replace("line: 1", "line: 0"),
    "prose_check_not_an_essay": CHECK_OK.replace("data/prose/x.md", "notes.txt"),
}


@dataclass
class Verdict:
    case: str
    rel: str
    loader: list[Problem] = field(default_factory=list)  # refused before any schema applies
    problems: list[Problem] = field(default_factory=list)  # the generator's, in this file
    schema: list[str] = field(default_factory=list)  # the schema's errors

    def expressible(self) -> list[Problem]:
        return [p for p in self.problems if beyond(p) is None]


def beyond(p: Problem) -> str | None:
    """The class of BEYOND_SCHEMA a problem is in, or None."""
    return next((pat for pat in BEYOND_SCHEMA if re.search(pat, p.message)), None)


# --- the corpus ---------------------------------------------------------------------------------


def _texts(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in ("data", "editions")
        for p in sorted((root / folder).rglob("*.yaml"))
        if p.is_file() and not p.is_symlink() and schema_of(p.relative_to(root).as_posix())
    }


@cache
def corpus() -> tuple[tuple[str, str, bytes], ...]:
    """(case, path, content) of every YAML file the corpus adds or changes."""
    out: list[tuple[str, str, bytes]] = []
    for path in sorted(BAD.iterdir()):
        if path.suffix == ".yaml" and path.is_file():
            out.append((path.stem, f"data/{path.name}", path.read_bytes()))
        elif path.is_dir():
            for rel, data in _texts(path).items():
                out.append((path.name, rel, data))
    out += [(f"mistake:{m.name}", MISTAKE_FILE, m.text.encode()) for m in MISTAKES]
    base = _texts(FIXTURE)
    with tempfile.TemporaryDirectory() as tmp:
        for name, case in sorted(CASES.items()):
            root = Path(tmp) / name
            shutil.copytree(FIXTURE, root)
            try:
                case.setup(root)
            except OSError:  # a case about templates or assets: with them
                shutil.rmtree(root)
                shutil.copytree(FIXTURE, root)
                for extra in ("templates", "docs/assets"):
                    shutil.copytree(ROOT / extra, root / extra)
                case.setup(root)
            out += [(name, rel, data) for rel, data in _texts(root).items() if base.get(rel) != data]
    out += [(name, "data/coverage/x.yaml", text.encode()) for name, text in LEDGER_CASES.items()]
    out += [(name, prosecheck.LEDGER, text.encode()) for name, text in PROSE_CHECK_CASES.items()]
    return tuple(out)


# --- the two judges -----------------------------------------------------------------------------


@cache
def _validator(name: str) -> jsonschema.Draft7Validator:
    schema = json.loads((ROOT / "schema" / f"{name}.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def _fixture() -> load.Loaded:
    return load.load_data(FIXTURE / "data", FIXTURE)


def judge(case: str, rel: str, data: bytes, tmp: Path) -> Verdict:
    v = Verdict(case, rel)
    if len(data) > load.MAX_BYTES:
        v.loader.append(Problem(rel, 1, "file", "too large"))
        return v
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        v.loader.append(Problem(rel, 1, "file", "not UTF-8"))
        return v
    if load._checked_text(text, rel, v.loader) is None or not check_events(text, rel, v.loader):
        return v
    kind = schema_of(rel)
    if kind == "data":
        items = list(load._parse(text, rel, v.loader))
        if v.loader:
            return v
        base = _fixture()
        others = [i for i in base.items if i.file != rel]
        try:
            validate(load.Loaded(others + items, [], [*base.files, rel]))
        except DataError as exc:
            v.problems = [p for p in exc.problems if p.file == rel]
    else:
        target = tmp / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        try:
            if kind == "redirects":
                editions.load_redirects(tmp)
            elif kind == "ledger":
                ledger.load_ledgers(tmp)
            else:
                prosecheck.load_checks(tmp)
        except DataError as exc:
            v.problems = exc.problems
    loader = _Loader(text)
    try:
        doc = loader.get_single_data()
    finally:
        loader.dispose()
    v.schema = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:120]}" for e in _validator(kind).iter_errors(doc)]
    return v


@cache
def verdicts() -> tuple[Verdict, ...]:
    out = []
    for i, (case, rel, data) in enumerate(corpus()):
        with tempfile.TemporaryDirectory() as tmp:
            out.append(judge(case, rel, data, Path(tmp) / str(i)))
    return tuple(out)


# --- the tests ----------------------------------------------------------------------------------


def disagreements(vs: tuple[Verdict, ...]) -> list[str]:
    """Each corpus file the loader reads on which the schema and the generator disagree."""
    out = []
    for v in vs:
        if v.loader:
            continue  # the loader's business (see the module's docstring); counted below
        wanted = v.expressible()
        if wanted and not v.schema:
            out.append(
                f"{v.case}: the generator rejects {v.rel} ({wanted[0].where}: {wanted[0].message}), the schema does not"
            )
        elif v.schema and not wanted:
            why = f"reports only {[p.message for p in v.problems]}, beyond a schema" if v.problems else "accepts it"
            out.append(f"{v.case}: the schema rejects {v.rel} ({v.schema[:3]}), the generator {why}")
    return out


def test_the_schema_rejects_what_the_generator_rejects_and_nothing_else():
    """One test over the whole corpus (made once, not at collection in every worker)."""
    assert disagreements(verdicts()) == []


def test_the_corpus_is_large_and_mostly_within_the_schema():
    vs = verdicts()
    compared = [v for v in vs if not v.loader]
    both = [v for v in compared if v.expressible() and v.schema]
    assert len(vs) >= 120, len(vs)
    assert len(compared) >= 90 and len(both) >= 60, (len(compared), len(both))


def test_every_class_beyond_the_schema_is_exercised():
    used = {beyond(p) for v in verdicts() for p in v.problems}
    assert set(BEYOND_SCHEMA) <= used, set(BEYOND_SCHEMA) - used


def test_the_ledger_and_prose_check_models_load_real_files():
    """The ledgers and the prose check read through the models the schemas are made from."""
    assert len(ledger.load_ledgers(ROOT)) >= 5
    assert len(prosecheck.load_checks(ROOT)) >= 100
