"""One module per page type, and the one ordered registry of them.

Each page type is a module with:

- `keys(site)`: the pages of this type (record ids, country codes, ... or a single `None`);
- `build(site, key)`: the page (and the files it makes: per-kind pages, chart CSVs, map data)
  from a typed context (a frozen dataclass in the module) and its template.

The build's job list is `jobs(site)`: one job per key, in registry order. To add a page type,
add a module here and one line to `REGISTRY`. A page type imports the core (`generator.core`),
the widgets (`maps`, `charts`) and the data modules, never another page type
(tests/test_layers.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Protocol

from generator.core.page import Page
from generator.core.site import Site
from generator.pages import (
    archive,
    compare,
    conflicts,
    country,
    coverage,
    downloads,
    edition,
    editor_cites,
    explore,
    glossary,
    home,
    kind,
    ledger,
    methodology,
    organisation,
    organisations,
    overview,
    place,
    places,
    record,
    records_index,
    region,
    source,
    sources,
    tombstone,
    topic,
)


class PageType(Protocol):
    """What the registry asks of a page type's module (mypy checks each module against it)."""

    def keys(self, site: Site) -> Sequence[Any]: ...

    def build(self, site: Site, key: Any) -> list[Page]: ...


# The order of the jobs: the slowest pages first, so the parallel build starts on them early.
REGISTRY: tuple[PageType, ...] = (
    overview,
    records_index,
    explore,
    sources,
    places,
    organisations,
    conflicts,
    compare,
    country,
    topic,
    kind,
    record,
    place,
    organisation,
    source,
    home,
    coverage,
    ledger,
    glossary,
    methodology,
    edition,
    tombstone,
    editor_cites,
    region,
    downloads,
    archive,
)

Job = Callable[[], list[Page]]


def jobs(site: Site) -> list[Job]:
    """Every page of the atlas as independent units of work, in a fixed order: a job reads the
    site only, so jobs can run in any process (`parallel.py`)."""
    return [partial(module.build, site, key) for module in REGISTRY for key in module.keys(site)]
