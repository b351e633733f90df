"""Code the tests and the benchmark share that the generator itself does not need."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import folium

from generator import pages as page_types
from generator import parallel
from generator.build import site_for, site_jobs
from generator.config import SiteConfig
from generator.core.page import Page
from generator.core.site import Site
from generator.model import Atlas
from generator.schema import Place, Record
from generator.write import Staging, WriteReport


def render_site(atlas: Atlas, cfg: SiteConfig, *, with_maps: bool = True) -> list[Page]:
    """Every page and download of the atlas, in memory, in one process."""
    if not with_maps:  # the benchmark measures what the maps cost
        return list(parallel.run(page_types.jobs(Site(atlas, cfg, with_maps=False))))
    pages, files = site_jobs(site_for(atlas, cfg))
    return list(parallel.run(pages + files))


def write_pages(pages: Iterable[Page], docs_dir: Path, owned: list[str]) -> WriteReport:
    """Write `pages` (paths relative to docs_dir) into the `owned` top folders of docs_dir."""
    staging = Staging(docs_dir, owned)
    try:
        for page in pages:
            staging.add(page)
    except BaseException:
        staging.abort()
        raise
    return staging.commit()


def folium_default_html(records: list[Record], places: dict[str, Place]) -> str:
    """The usual way: one folium CircleMarker with tooltip and popup per record, full page (the
    benchmark compares the atlas's maps with it)."""
    located = [(r, places[r.places[0]]) for r in records if r.places]
    m = folium.Map(location=[42, 70], zoom_start=4)
    for r, p in located:
        folium.CircleMarker(
            [p.lat, p.lon], radius=6, tooltip=r.title, popup=folium.Popup(f'<a href="../records/{r.id}/">{r.title}</a>')
        ).add_to(m)
    return m.get_root().render()
