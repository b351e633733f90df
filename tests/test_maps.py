"""generator/maps.py: the shortcut around branca's re-rendering gives branca's own output."""

from __future__ import annotations

import contextlib
import json
import re
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


def test_each_map_has_its_legend_in_the_page_with_the_maps_counts(project: Path) -> None:
    """The legend and filters are in the page before the map opens (so opening it shifts
    nothing); their counts are the map's: each kind's records, and all of them once."""
    generate(project)
    pages = [p for p in (project / "docs/atlas").rglob("*.md") if 'class="atlas-map"' in p.read_text("utf-8")]
    assert pages, "the fixture draws no map"
    for page in pages:
        text = page.read_text("utf-8")
        for block in text.split('<div class="atlas-map" ')[1:]:
            represented = int(re.search(r'data-represented="(\d+)"', block).group(1))
            form = block[block.index('<form class="atlas-filters"') : block.index("</form>")]
            assert f'<output role="status">{represented} of {represented} records' in form, page
            kinds = re.findall(r'value="(\w+)" checked disabled', form)
            counts = [int(n) for n in re.findall(r'class="atlas-kind-count" data-kind="\w+"> (\d+)<', form)]
            assert kinds and len(kinds) == len(counts) and all(counts), page
            assert sum(counts) == represented, (page, counts, represented)  # one kind per record
            registered = re.search(r'"order": (\[[^\]]*\])', block)
            assert registered and kinds == json.loads(registered.group(1)), page
