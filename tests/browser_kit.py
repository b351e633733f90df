"""The browser tests' kit: Playwright with Debian's Chromium against the built sites on
localhost (fixtures, registered by tests/conftest.py as a plugin, and helpers).

The real atlas is built once per session; the fixture atlas (with a hostile record) too. Every
request that would leave localhost is blocked and recorded, and fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import ENGINE, Built, built_site, make_project

CHROMIUM = "/usr/bin/chromium"


COUNTRIES = ["kazakhstan", "kyrgyzstan", "tajikistan", "uzbekistan", "turkmenistan"]


ABOUT: dict[str, int] = {}  # slug -> records about that country (filled by real_site)


DRAWN: dict[str, int] = {}  # slug -> records its country map draws (at a place or the capital)
BBOX: dict[str, tuple[float, float, float, float] | None] = {}


SETTLED = """() => document.getAnimations().every(
    a => a.playState !== "running" || a.effect?.getComputedTiming().iterations === Infinity
)"""


def axe_violations(pg) -> list[tuple[str, int, object]]:
    """Run axe once the page is still: a header fading in after a scroll is mid-transition, and
    axe measures the half-transparent text it sees at that instant (a false contrast failure)."""
    from axe_playwright_python.sync_playwright import Axe

    pg.wait_for_timeout(50)  # a scroll handler starts its transition on the next frame
    pg.wait_for_function(SETTLED)
    # axe's default rules and the WCAG 2.2 target size (24 x 24 px), which Lighthouse checks too
    violations = Axe().run(pg, options={"rules": {"target-size": {"enabled": True}}}).response["violations"]
    return [(v["id"], len(v["nodes"]), v["nodes"][0]["target"]) for v in violations]


@pytest.fixture(scope="session")
def real_site(real_build: Built) -> tuple[str, dict[str, int]]:
    from generator.maps import map_counts

    g = real_build.generated
    counts = {c.slug: map_counts(g.atlas, g.atlas.records_of_country(c.id), c) for c in g.atlas.focus_countries}
    located = {slug: n["located"] for slug, n in counts.items()}  # drawn at a place on the country's map
    DRAWN.update({slug: n["drawn"] for slug, n in counts.items()})
    ABOUT.update({c.slug: len(g.atlas.records_of_country(c.id)) for c in g.atlas.focus_countries})
    BBOX.update({c.slug: c.bbox for c in g.atlas.focus_countries})
    return real_build.url, located


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_project(tmp_path_factory.mktemp("fixture") / "atlas")
    with built_site(root, engine=ENGINE) as b:
        yield b.url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Debian's Chromium is not installed at {CHROMIUM}: run `make browser-deps` (it runs apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


class Watch:
    """Console errors, page errors, dialogs and outside requests seen by one page."""

    def __init__(self, page: object) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        # which address failed, beside the console's "Failed to load resource"
        page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)

        def route(r: object) -> None:
            host = urlparse(r.request.url).hostname
            if host in ("127.0.0.1", "localhost") or r.request.url.startswith(("data:", "blob:")):
                r.continue_()
            else:
                self.outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.outside == []
        assert self.dialogs == []


@pytest.fixture
def page(browser: object) -> Iterator[tuple[object, Watch]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    watch = Watch(pg)
    yield pg, watch
    context.close()


def map_state(pg: object, selector: str = ".atlas-map[data-ready=true]") -> dict[str, int]:
    # Leaflet loads once the map is near the viewport and the reader has engaged with the page,
    # or at the reader's click on the static preview's button: click it (if Leaflet is already
    # there, as after instant navigation, the map starts by itself).
    pg.locator(".atlas-map").scroll_into_view_if_needed()
    pg.evaluate("document.querySelector('.atlas-map .atlas-map-start')?.click()")
    pg.wait_for_selector(selector, timeout=15000)
    pg.wait_for_function(
        "document.querySelectorAll('.leaflet-overlay-pane path:not(.leaflet-interactive)').length > 5", timeout=15000
    )
    return pg.evaluate(
        """() => {
        const el = document.querySelector('.atlas-map[data-ready=true]');
        const inst = window.atlasMaps.instances[el.dataset.atlasMap];
        return {
          id: el.dataset.atlasMap,
          located: Number(el.dataset.located),
          markers: inst.markers.length,
          shown: inst.shown,
          basemap: document.querySelectorAll('.leaflet-overlay-pane path:not(.leaflet-interactive)').length,
        };
    }"""
    )


def wait_for_map(pg: object, map_id: str) -> None:
    """Wait until the page shows the map `map_id` and it has initialised."""
    pg.wait_for_function(
        f"document.querySelector('.atlas-map[data-ready=true]')?.dataset.atlasMap === '{map_id}'", timeout=15000
    )


def _map_view(pg: object) -> dict[str, float]:
    return pg.evaluate(
        """() => {
        const el = document.querySelector('.atlas-map[data-ready=true]');
        const inst = window.atlasMaps.instances[el.dataset.atlasMap];
        return {zoom: inst.map.getZoom(), scroll: window.scrollY, dragging: inst.map.dragging.enabled(),
                touchAction: getComputedStyle(el).touchAction};
    }"""
    )


def _pointer_on_map(pg: object) -> None:
    """The pointer over the middle of the map, once the page has stopped moving (a smooth scroll
    or the map's first layout can move it under the pointer)."""
    pg.wait_for_timeout(300)
    pg.wait_for_function(SETTLED)
    box = pg.locator(".atlas-map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    pg.mouse.move(x, y)
    pg.wait_for_timeout(300)
    assert pg.evaluate(f"document.elementFromPoint({x}, {y}).closest('.atlas-map') !== null")
    # Chromium latches a wheel gesture to the element it began over: the test's earlier
    # programmatic scrolling left one on the article. A tiny wheel and a pause start afresh.
    pg.mouse.wheel(0, 1)
    pg.wait_for_timeout(700)
    pg.mouse.move(x, y)
