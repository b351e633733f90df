"""The region SVG (country outlines from the basemap) that locator and print maps show a window of."""

from __future__ import annotations

from generator import svgmaps
from generator.core.page import Page
from generator.core.site import Site


def keys(site: Site) -> list[None]:
    return [None]


def build(site: Site, key: None = None) -> list[Page]:
    return [Page(site.paths.under("assets/region.svg"), svgmaps.region_svg(svgmaps.Basemap.load(site.cfg.root)))]
