"""The Material overrides in templates/theme/ are Material's templates with the patches listed in
tools/theme_overrides.py, and nothing else: an upgrade that moves the patched markup fails here."""

from __future__ import annotations

import pytest

from tools.theme_overrides import OUT, PATCHES, ZENSICAL_OUT, expected_files, patched


@pytest.mark.parametrize("name", sorted(PATCHES))
def test_override_is_materials_template_with_our_patches(name):
    assert (OUT / name).read_text(encoding="utf-8") == patched(name), "run: python -m tools.theme_overrides"


def test_zensicals_overrides_are_made_the_same_way_from_its_own_templates():
    files = expected_files()
    assert ZENSICAL_OUT / "base.html" in files and ZENSICAL_OUT / "main.html" in files
    for path, text in files.items():
        assert path.read_text(encoding="utf-8") == text, f"{path}: run python -m tools.theme_overrides"
    written = {p for p in ZENSICAL_OUT.rglob("*") if p.is_file()}
    assert written == {p for p in files if p.is_relative_to(ZENSICAL_OUT)}, "no stale override"


def test_patches_remove_what_the_checkers_flag():
    assert 'autocomplete="off">' not in patched("base.html").split("<body")[1].split("<label")[0]
    assert 'tabindex="{{ tabindex }}">' not in patched("partials/nav-item.html")
    assert 'aria-label="Search"' in patched("partials/search.html")
