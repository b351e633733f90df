"""Browser tests: Playwright drives Debian's Chromium against the built sites on localhost.

The real atlas is built once per session; the fixture atlas (with a hostile record) too.
Every request that would leave localhost is blocked and recorded, and fails the test.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest

from generator.build import build_site, generate
from tests.conftest import ROOT, make_project

pytestmark = pytest.mark.browser
ENGINE = os.environ.get("ATLAS_ENGINE", "mkdocs")  # `make test-zensical` runs this suite on Zensical's build
CHROMIUM = "/usr/bin/chromium"
COUNTRIES = ["kazakhstan", "kyrgyzstan", "tajikistan", "uzbekistan", "turkmenistan"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _point_site_url(root: Path, url: str) -> None:
    """Material's instant navigation only follows links whose host *and port* match site_url."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^site_url: .*$", f"site_url: {url}/", text), encoding="utf-8")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, int]]]:
    root = tmp_path_factory.mktemp("real") / "atlas"
    root.mkdir()
    for name in ("data", "templates", "docs"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for generated in ("docs/atlas", "docs/downloads"):
        shutil.rmtree(root / generated, ignore_errors=True)
    server, url = _serve(root / "site")
    _point_site_url(root, url)
    g = generate(root)
    build_site(root, engine=ENGINE)
    located = {c.slug: sum(1 for r in g.atlas.records_of_country(c.id) if r.places) for c in g.atlas.focus_countries}
    yield url, located
    server.shutdown()


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_project(tmp_path_factory.mktemp("fixture") / "atlas")
    server, url = _serve(root / "site")
    _point_site_url(root, url)
    generate(root)
    build_site(root, engine=ENGINE)
    yield url
    server.shutdown()


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


@pytest.mark.parametrize("slug", COUNTRIES)
def test_country_map_draws_basemap_and_one_marker_per_located_record(real_site, page, slug):
    url, located = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/countries/{slug}/")
    if not located[slug]:
        assert pg.query_selector(".atlas-map") is None
        watch.assert_clean()
        return
    state = map_state(pg)
    assert state["located"] == located[slug]
    assert state["markers"] == located[slug]
    assert state["shown"] == located[slug]  # every marker is drawn, alone or inside a cluster
    assert state["basemap"] > 5
    watch.assert_clean()


def wait_for_map(pg: object, map_id: str) -> None:
    """Wait until the page shows the map `map_id` and it has initialised."""
    pg.wait_for_function(
        f"document.querySelector('.atlas-map[data-ready=true]')?.dataset.atlasMap === '{map_id}'", timeout=15000
    )


def test_maps_survive_instant_navigation_forward_and_back(real_site, page):
    url, located = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/countries/kazakhstan/")
    first = map_state(pg)
    assert first["id"] == "map-kazakhstan"
    pg.wait_for_load_state("networkidle")  # instant navigation is armed once sitemap.xml is in
    pg.evaluate("window.__sameDocument = true")
    pg.click("nav a[href$='kyrgyzstan/']")
    wait_for_map(pg, "map-kyrgyzstan")
    second = map_state(pg)
    assert second["markers"] == located["kyrgyzstan"]
    assert pg.evaluate("window.__sameDocument") is True  # no full reload happened
    pg.go_back()
    wait_for_map(pg, "map-kazakhstan")
    assert map_state(pg)["markers"] == located["kazakhstan"]
    watch.assert_clean()


def test_overview_filters_are_kept_in_the_url(real_site, page):
    url, _ = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/?country=TJ&from=2015")
    state = map_state(pg)
    shown = int(pg.get_attribute(".atlas-map", "data-shown"))
    assert 0 < shown < state["markers"]
    pg.select_option("select[name=country]", "")
    pg.wait_for_function(f"document.querySelector('.atlas-map').dataset.shown !== '{shown}'")
    assert "country=" not in pg.url and "from=2015" in pg.url
    watch.assert_clean()


def test_record_page_locator_map_and_citation(real_site, page):
    url, _ = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/records/ex-sco-2010-otar/")
    assert pg.query_selector("svg.atlas-locator-svg use") is not None
    assert "Cite this record" in pg.inner_text("article")
    assert pg.get_attribute('meta[name="citation_title"]', "content")
    watch.assert_clean()


def test_hostile_record_text_stays_text_everywhere(fixture_site, page):
    pg, watch = page
    pg.goto(f"{fixture_site}/atlas/countries/kyrgyzstan/")
    map_state(pg)
    pg.evaluate(
        """() => {
        const inst = Object.values(window.atlasMaps.instances)[0];
        const m = inst.markers.find(m => m.p.i === 'mtg-kg-2020-11-01');
        inst.map.setView(m.layer.getLatLng(), inst.map.getMaxZoom(), {animate: false});
        m.layer.openPopup(); m.layer.openTooltip();
    }"""
    )
    pg.wait_for_selector(".leaflet-popup-content a")
    tip = pg.evaluate(
        """() => ({popup: document.querySelector('.leaflet-popup-content').innerText,
                   html: document.querySelector('.leaflet-popup-content').innerHTML,
                   tooltip: document.querySelector('.leaflet-tooltip').innerText})"""
    )
    assert tip["tooltip"].startswith("Ministers meet <script>alert('x')</script>")
    assert "<script>alert('x')</script>" in tip["popup"]
    assert "<script>" not in tip["html"]
    table = pg.inner_text("article")
    assert "<script>alert('x')</script>" in table
    pg.goto(f"{fixture_site}/atlas/records/mtg-kg-2020-11-01/")
    assert "<script>alert('x')</script> ${window.pwned=1} `tick` </script>" in pg.inner_text("h1")
    assert pg.evaluate("window.pwned") is None
    watch.assert_clean()
