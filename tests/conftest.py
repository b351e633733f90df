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


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "atlas")


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Generated]:
    root = make_project(tmp_path_factory.mktemp("session") / "atlas")
    return root, generate(root)
