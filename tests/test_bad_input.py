"""The bad-input corpus, run the way an editor meets it: `python -m generator build` on a project
whose site was built before. Every scenario in tests/fixtures/bad/ (a `.yaml` file dropped into
data/, or a folder laid over the project) must end with its own `file:line` message, a non-zero
exit, no traceback, in bounded time and memory, and leave the previous site/ exactly as it was.

A scenario file names what it expects in `# expect:` lines (relative to its own path in data/);
a scenario folder in `expect.txt` (full paths), and what must not appear in `expect-not.txt`.
Scenarios that need a symbolic link, a huge file or a broken template are made here, in RECIPES.
"""

from __future__ import annotations

import os
import resource
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import build_site, generate
from tests.bad_cases import CASES, hold_lock
from tests.conftest import BAD, make_project, run_generator, tree_digest
from tests.test_validate import expectations

SCENARIOS = sorted(p.name for p in BAD.iterdir() if p.suffix == ".yaml" or p.is_dir())
ALL = SCENARIOS + sorted(CASES)  # the files and folders of tests/fixtures/bad/, then those made in code
TIMEOUT = 60  # seconds; a billion-laughs file used to run past 120 s
MEMORY = 2 * 1024**3  # bytes of address space for the build


def _insert_line(path: Path, line: int, text: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(line - 1, text + "\n")
    path.write_text("".join(lines), encoding="utf-8")


RECIPES: dict[str, Callable[[Path], None]] = {
    "symlink_outside": lambda root: os.symlink("/etc/passwd", root / "data" / "leak.yaml"),
    "symlink_dangling": lambda root: os.symlink("missing.yaml", root / "data" / "gone.yaml"),
    "symlink_folder": lambda root: os.symlink("/usr/share", root / "data" / "more"),
    "oversized_file": lambda root: (root / "data" / "huge.yaml").write_text("# filler\n" * 555_556, encoding="utf-8"),
    "junk_file": lambda root: (root / "data" / "junk.yaml").write_text(
        "meetings:\n" + "  - {id: mtg-kg-2020-01-09}\n" * 5_000, encoding="utf-8"
    ),
    "template_undefined": lambda root: _insert_line(root / "templates" / "record.md.j2", 3, "{{ no_such_value }}"),
    "template_syntax": lambda root: _insert_line(root / "templates" / "partials" / "map.md.j2", 2, "{% if %}"),
    "template_unclosed_comment": lambda root: _insert_line(root / "templates" / "overview.md.j2", 2, "{# never closed"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = make_project(tmp_path_factory.mktemp("built") / "atlas")
    generate(root)
    build_site(root)
    return root, tree_digest(root / "site")


def _apply(scenario: str, root: Path) -> list[str]:
    """Lay the scenario over the project; return the messages it expects."""
    if scenario in CASES:
        return CASES[scenario].setup(root)
    source = BAD / scenario
    if source.is_file():
        shutil.copy(source, root / "data" / scenario)
        return [f"data/{scenario}:{e}" for e in expectations(source)]
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if path.is_file() and rel.parts[0] in ("data", "templates"):
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, root / rel)
    if scenario in RECIPES:
        RECIPES[scenario](root)
    return (source / "expect.txt").read_text(encoding="utf-8").splitlines()


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def test_corpus_covers_every_class():
    assert len(ALL) >= 120
    assert len(SCENARIOS) >= 40
    for scenario in SCENARIOS:
        source = BAD / scenario
        assert expectations(source) if source.is_file() else (source / "expect.txt").read_text().strip(), scenario


@pytest.mark.parametrize("scenario", ALL)
def test_bad_input_fails_cleanly_and_keeps_the_last_site(built, tmp_path, scenario):
    good, digest = built
    root = tmp_path / "atlas"
    shutil.copytree(good, root, symlinks=True)
    expected = _apply(scenario, root)
    case = CASES.get(scenario)
    lock = hold_lock(root) if case is not None and case.hold_lock else None

    def limits() -> None:
        _limit_memory()
        if case is not None and case.preexec is not None:
            case.preexec()

    start = time.perf_counter()
    try:
        proc = run_generator(root, "build", timeout=TIMEOUT, preexec_fn=limits)
    finally:
        if lock is not None:
            lock.close()  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - start
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output[-2000:]
    assert "Traceback" not in output, output[-4000:]
    lines = output.splitlines()
    for want in expected:
        assert any(want in line for line in lines), f"{want!r} not in:\n{output[-3000:]}"
    not_expected = BAD / scenario / "expect-not.txt"
    unwanted_lines = not_expected.read_text().splitlines() if not_expected.exists() else []
    for unwanted in [*unwanted_lines, *(case.expect_not if case is not None else ())]:
        assert unwanted not in output, output[-3000:]
    assert len(lines) < 300, "the report is capped"
    assert elapsed < TIMEOUT
    assert tree_digest(root / "site") == digest, "the previous site/ must stay as it was"
