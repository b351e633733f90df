"""Layered fixtures: a scratch copy of the fixture atlas (with the real templates and assets),
and one session-wide generated fixture atlas reused by many tests."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generator.build import Generated, generate

pytest_plugins = ["tests.browser_kit"]  # the browser tests' fixtures

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "atlas"
BAD = ROOT / "tests" / "fixtures" / "bad"


@dataclass(frozen=True)
class RecordRow:
    """One row of a generated record table (templates/partials/record_table.md.j2)."""

    sort: str  # the ISO date the table sorts by
    date: str  # the date shown
    url: str  # the link to the record page, relative to the page's URL
    title: str
    detail: str
    source: str

    @property
    def record_id(self) -> str:
        return self.url.rstrip("/").rsplit("/", 1)[-1]


_RECORD_ROW = re.compile(
    r'<tr[^>]*>\n<td><span data-sort="([^"]*)">([^<]*)</span></td>\n<td><a href="([^"]+)">(.*?)</a>'
    r'.*?<small class="atlas-detail">(.*?)</small></td>\n<td>(.*?)</td>\n</tr>',
    re.S,
)


def record_rows(page: str) -> list[RecordRow]:
    return [RecordRow(*m.groups()) for m in _RECORD_ROW.finditer(page)]


def make_project(dest: Path) -> Path:
    """A runnable fixture project at `dest`: fixture data/docs + the real templates and assets."""
    shutil.copytree(FIXTURE, dest)
    shutil.copytree(ROOT / "templates", dest / "templates")
    shutil.copytree(ROOT / "docs" / "assets", dest / "docs" / "assets")
    return dest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """A browser test never passes by skipping: a skip is reported as a failure."""
    report = yield
    if report.skipped and item.get_closest_marker("browser") is not None and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"browser tests must run, not skip: {reason}"
    return report


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "atlas")


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Generated]:
    root = make_project(tmp_path_factory.mktemp("session") / "atlas")
    return root, generate(root)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    """A static server on 127.0.0.1 for `directory` (which may not exist yet)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def point_site_url(root: Path, url: str) -> None:
    """Material's instant navigation only follows links whose host *and port* match site_url."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^site_url: .*$", f"site_url: {url}/", text), encoding="utf-8")


@dataclass
class Built:
    root: Path
    url: str  # where the site is served on 127.0.0.1
    generated: Generated


ENGINE = os.environ.get("ATLAS_ENGINE", "mkdocs")  # `make test-zensical`: the same tests on Zensical's build


@contextmanager
def built_site(root: Path, engine: str = ENGINE) -> Iterator[Built]:
    """Generate and strict-build the project at `root` with `engine`, served on a local port."""
    from generator.build import build_site

    server, url = serve(root / "site")
    try:
        point_site_url(root, url)
        g = generate(root)
        build_site(root, engine=engine)
        yield Built(root, url, g)
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """The real atlas, built once per session (links, browser tests)."""
    root = tmp_path_factory.mktemp("real") / "atlas"
    root.mkdir()
    for name in ("data", "templates", "docs", "editions"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for generated in ("docs/atlas", "docs/downloads"):
        shutil.rmtree(root / generated, ignore_errors=True)
    with built_site(root) as b:
        yield b


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """The fixture atlas with attack text in every text field (tests/hostile.py), built once."""
    from tests.hostile import hostile_project

    root = hostile_project(tmp_path_factory.mktemp("hostile") / "atlas")
    with built_site(root) as b:
        yield b


def run_generator(root: Path, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """`python -m generator --root ROOT ARGS` as an editor runs it; kwargs go to subprocess.run."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        **kwargs,
    )


def tree_digest(folder: Path, skip: re.Pattern[str] | None = None) -> str:
    """One hash of every path and file content under `folder` (less the paths `skip` matches)."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if skip is not None and skip.search(path.relative_to(folder).as_posix()):
            continue
        h.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


# The longest tests first, so that parallel workers (pytest-xdist, --dist load) do not end with one
# of them still running alone. Only tests whose fixtures are session-scoped (or whole modules) move,
# so no module fixture is set up twice.
_FIRST = (
    "tests/test_faults.py::",
    "test_axe_finds_no_accessibility_violation",
    "test_hostile_text_runs_nothing_on_any_page",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not any(k in item.nodeid for k in _FIRST))  # stable: the rest keep their order
