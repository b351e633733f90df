"""generator/maps.py: the shortcut around branca's re-rendering gives branca's own output."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import branca.element
import jinja2
import pytest

from generator import maps
from generator.build import generate
from tests.conftest import tree_digest


def test_maps_are_exactly_what_branca_renders(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate(project)
    fast = tree_digest(project / "docs")
    assert any((project / "docs/atlas/assets/maps").glob("*.json")), "the fixture draws no map"
    for d in ("atlas", "downloads"):
        shutil.rmtree(project / "docs" / d)
    monkeypatch.setattr(maps, "_verbatim_outputs", contextlib.nullcontext)
    generate(project)
    assert tree_digest(project / "docs") == fast


def test_only_text_without_jinja_is_kept_verbatim() -> None:
    with maps._verbatim_outputs():
        kept = branca.element.Element("var a = {b: 1};\n").render()
        rendered = branca.element.Element("{{ 6 * 7 }}{# a comment #}").render()
    assert kept == "var a = {b: 1};"  # Jinja drops one final newline; so does the shortcut
    assert rendered == "42"
    assert branca.element.Template is jinja2.Template  # restored after the render
