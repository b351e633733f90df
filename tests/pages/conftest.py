"""A Site over the fixture atlas whose render calls are recorded: page tests check the typed
context each page type hands its template, next to the golden tree that checks the output."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from generator.build import load_atlas, site_for
from generator.config import load_config
from generator.core.page import Page
from generator.core.site import Site
from tests.conftest import make_project


@dataclass
class Recorded:
    site: Site
    calls: list[tuple[str, str, dict[str, Any], Page]] = field(default_factory=list)  # template, path, ctx, page

    def build(self, module: Any, key: Any) -> list[Page]:
        self.calls.clear()
        return module.build(self.site, key)


@pytest.fixture(scope="session")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    return recorded_site(make_project(tmp_path_factory.mktemp("pages") / "atlas"))


def recorded_site(root: Path) -> Recorded:
    """The site of the project at `root`, each page's render call recorded with its context."""
    cfg = load_config(root)
    site = site_for(load_atlas(cfg), cfg)
    rec = Recorded(site)
    render = site.render

    def recording(template: str, path: str, **ctx: Any) -> Page:
        page = render(template, path, **ctx)
        rec.calls.append((template, path, ctx, page))
        return page

    site.render = recording  # type: ignore[method-assign]
    return rec


def front_matter_title(text: str) -> str:
    """The title as mkdocs reads it from the front matter (HTML-escaped there for Material's
    <title>), unescaped."""
    import html

    import yaml

    return html.unescape(str(yaml.safe_load(text.split("---\n", 2)[1])["title"]))


ROOT = Path(__file__).resolve().parent.parent.parent
