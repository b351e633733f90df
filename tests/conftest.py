"""Layered fixtures: a scratch copy of the fixture atlas (with the real templates and assets),
and one session-wide generated fixture atlas reused by many tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import Generated, generate

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "atlas"
BAD = ROOT / "tests" / "fixtures" / "bad"


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
