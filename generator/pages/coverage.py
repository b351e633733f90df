"""The coverage paragraph that docs/about.md includes (`--8<-- "atlas/_includes/coverage.md"`)."""

from __future__ import annotations

from generator.core import views
from generator.core.page import Page
from generator.core.site import Site


def keys(site: Site) -> list[None]:
    return [None]


def build(site: Site, key: None = None) -> list[Page]:
    cov = views.coverage(site.atlas)
    return [site.render("includes/coverage.md.j2", site.paths.under("_includes/coverage.md"), cov=cov)]
