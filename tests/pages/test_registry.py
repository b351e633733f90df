"""Every page type: its typed context is a frozen dataclass whose title is the page's title."""

from __future__ import annotations

import dataclasses

import pytest

from generator import pages
from tests.pages.conftest import Recorded, front_matter_title


@pytest.mark.parametrize("module", pages.REGISTRY, ids=lambda m: m.__name__.rsplit(".", 1)[-1])  # type: ignore[attr-defined]
def test_each_page_type_fills_its_template_from_a_frozen_typed_context(recorded: Recorded, module):
    keys = module.keys(recorded.site)
    for key in keys:
        made = recorded.build(module, key)
        assert made, f"{module.__name__}: no page for {key!r}"
        for template, path, ctx, page in recorded.calls:
            assert page in made and page.path == path
            context = ctx.get("page")
            if context is None:  # the coverage include: a plain figure set, no front matter
                continue
            assert dataclasses.is_dataclass(context) and type(context).__dataclass_params__.frozen, template
            with pytest.raises(dataclasses.FrozenInstanceError):
                context.title = "changed"  # type: ignore[misc]
            if page.text.startswith("---\n"):
                assert front_matter_title(page.text) == context.title, (template, path)


def test_the_registry_makes_every_page_of_the_golden_tree(recorded: Recorded):
    from tests.test_render import GOLDEN

    made = {p.path for job in pages.jobs(recorded.site) for p in job()}
    golden = {p.relative_to(GOLDEN).as_posix() for p in (GOLDEN / "atlas").rglob("*") if p.is_file()}
    assert golden <= made
