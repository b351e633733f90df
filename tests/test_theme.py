"""The Material overrides in templates/theme/ are Material's templates with the patches listed in
tools/theme_overrides.py, and nothing else: an upgrade that moves the patched markup fails here."""

from __future__ import annotations

import pytest

from tools.theme_overrides import OUT, PATCHES, patched


@pytest.mark.parametrize("name", sorted(PATCHES))
def test_override_is_materials_template_with_our_patches(name):
    assert (OUT / name).read_text(encoding="utf-8") == patched(name), "run: python -m tools.theme_overrides"


def test_patches_remove_what_the_checkers_flag():
    assert 'autocomplete="off">' not in patched("base.html").split("<body")[1].split("<label")[0]
    assert 'tabindex="{{ tabindex }}">' not in patched("partials/nav-item.html")
    assert 'aria-label="Search"' in patched("partials/search.html")
