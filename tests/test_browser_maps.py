"""Browser tests of the maps: they never trap the page, their legend never covers them, labels
never collide, every view is fitted, counts agree, and the keyboard reaches every popup."""

from __future__ import annotations

import pytest

from tests.browser_kit import (
    ABOUT,
    BBOX,
    COUNTRIES,
    DRAWN,
    Watch,
    _map_view,
    _pointer_on_map,
    map_state,
    wait_for_map,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("slug", COUNTRIES)
def test_country_map_draws_basemap_and_one_marker_per_located_record(real_site, page, slug):
    url, located = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/countries/{slug}/")
    state = map_state(pg)  # a country with no located record still has its country-level layer
    assert state["located"] == located[slug]
    assert state["markers"] == located[slug]
    assert state["shown"] == located[slug]  # every marker is drawn, alone or inside a cluster
    assert state["basemap"] > 5
    watch.assert_clean()


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


@pytest.mark.parametrize("slug", COUNTRIES)
@pytest.mark.engine_independent  # the map's own behaviour: the same script and HTML in both engines
def test_country_map_represents_every_record_about_the_country(real_site, page, slug):
    url, _ = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/countries/{slug}/")
    map_state(pg)
    got = pg.evaluate(
        """() => {
        const el = document.querySelector('.atlas-map[data-ready=true]');
        const b = window.atlasMaps.instances[el.dataset.atlasMap].map.getBounds();
        return {points: Number(el.dataset.shown), level: Number(el.dataset.levelShown),
                represented: Number(el.dataset.represented),
                dashed: document.querySelectorAll('path.atlas-level').length,
                labels: [...document.querySelectorAll('.atlas-label--country span')].map(s => s.textContent),
                bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]};
    }"""
    )
    assert got["points"] + got["level"] == DRAWN[slug] == got["represented"]
    note = pg.inner_text(".atlas-map-note")  # the page's one count, and what the map leaves out
    assert note.startswith(f"{ABOUT[slug]} records"), note
    if DRAWN[slug] != ABOUT[slug]:
        assert f"{DRAWN[slug]} of them on this map" in note, note
    if got["level"]:
        assert got["dashed"] >= 1  # the country-level symbol is drawn, marked as such in the legend
        assert "Country-level records" in pg.inner_text(".atlas-legend")
    assert {"Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan", "Turkmenistan"} <= set(got["labels"])
    w, s, e, n = BBOX[slug]
    bw, bs, be, bn = got["bounds"]
    assert bw <= w and bs <= s and be >= e and bn >= n  # the whole country is in view
    assert (be - bw) < 3 * (e - w) + 6  # ... and it is fitted, not a region-wide view
    watch.assert_clean()


@pytest.mark.engine_independent  # the map's own behaviour: the same script and HTML in both engines
def test_city_labels_come_from_the_data(real_site, page):
    url, _ = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/countries/kyrgyzstan/")
    map_state(pg)
    labels = pg.eval_on_selector_all(".atlas-label span", "els => els.map(e => e.textContent)")
    assert "Bishkek" in labels and "Kyrgyzstan" in labels
    pg.evaluate("Object.values(window.atlasMaps.instances)[0].map.setZoom(7, {animate: false})")
    pg.wait_for_function("[...document.querySelectorAll('.atlas-label span')].some(e => e.textContent === 'Osh')")
    watch.assert_clean()


@pytest.mark.engine_independent  # the map's own behaviour: the same script and HTML in both engines
def test_markers_are_reachable_and_operable_by_keyboard(real_site, page):
    url, _ = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/countries/kyrgyzstan/")
    map_state(pg)
    pg.wait_for_selector(".leaflet-overlay-pane path[tabindex='0']")
    pg.focus(".leaflet-overlay-pane path[tabindex='0']")
    for _ in range(40):  # tab until a marker (single point or country-level symbol) has focus
        if pg.evaluate("document.activeElement.matches('path[tabindex]')"):
            break
        pg.keyboard.press("Tab")
    name = pg.evaluate("document.activeElement.getAttribute('aria-label')")
    assert name
    pg.keyboard.press("Enter")
    pg.wait_for_selector(".leaflet-popup-content a.atlas-popup-link")
    watch.assert_clean()


def test_the_legend_is_the_kind_filter_below_the_map_and_collapses_on_a_phone(real_site, browser):
    url, _ = real_site
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    watch = Watch(pg)
    pg.goto(f"{url}/atlas/countries/tajikistan/")
    # the legend is in the page before the map opens (its controls wait for the map), closed on
    # a phone, and opening the map shifts nothing below it
    assert pg.locator("form.atlas-filters input[name=kind]").first.is_disabled()
    assert pg.locator("details.atlas-legend").evaluate("d => d.open") is False
    pg.evaluate(
        """() => { window.__shift = 0; new PerformanceObserver(l => l.getEntries().forEach(
             e => { window.__shift += e.value; })).observe({type: 'layout-shift', buffered: false}); }"""
    )
    note = pg.locator(".atlas-map-note").first
    note_y = note.evaluate("n => n.getBoundingClientRect().top + window.scrollY")
    map_state(pg)
    assert note.evaluate("n => n.getBoundingClientRect().top + window.scrollY") == note_y
    assert pg.evaluate("window.__shift") < 0.01
    assert pg.locator("form.atlas-filters input[name=kind]").first.is_enabled()
    legend = pg.locator("details.atlas-legend")
    assert legend.evaluate("d => d.open") is False  # one line on a phone
    frame, box = pg.locator(".atlas-map").bounding_box(), legend.bounding_box()
    assert box["y"] >= frame["y"] + frame["height"]  # below the map: it covers none of it
    legend.locator("summary").click()
    assert legend.evaluate("d => d.open") is True
    assert "Meetings" in legend.inner_text()
    # the legend's boxes filter the map, and its counts are the map's
    counts = pg.eval_on_selector_all(".atlas-kind-count", "els => els.map(e => Number(e.textContent))")
    shown = pg.inner_text(".atlas-filters output")
    assert sum(counts) == int(shown.split()[0]) == int(shown.split(" of ")[1].split()[0])
    pg.uncheck("input[name=kind][value=meeting]")
    pg.wait_for_function(
        f"!document.querySelector('.atlas-filters output').textContent.startsWith('{shown.split()[0]} ')"
    )
    assert "kinds=" in pg.url
    watch.assert_clean()
    context.close()


def test_leaflet_loads_only_on_pages_with_a_map_even_after_instant_navigation(real_site, page):
    url, located = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/sources/")
    pg.wait_for_load_state("networkidle")
    assert pg.evaluate("typeof window.L") == "undefined"
    assert pg.query_selector("script[src*='leaflet']") is None
    pg.evaluate("window.__sameDocument = true")
    pg.click("nav a[href$='kyrgyzstan/']")
    pg.wait_for_selector(".atlas-map[data-atlas-map='map-kyrgyzstan']")
    pg.locator(".atlas-map").scroll_into_view_if_needed()  # maps load when near the viewport
    wait_for_map(pg, "map-kyrgyzstan")
    assert map_state(pg)["markers"] == located["kyrgyzstan"]
    assert pg.evaluate("window.__sameDocument") is True
    watch.assert_clean()


@pytest.mark.engine_independent  # the map's own behaviour: the same script and HTML in both engines
def test_every_map_has_year_filters_kept_in_the_url(real_site, page):
    url, _ = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/topics/dialogue/?from=2015&to=2016")
    map_state(pg)
    assert pg.input_value("input[name=from]") == "2015"
    shown = pg.inner_text(".atlas-filters output")
    total = int(shown.split(" of ")[1].split()[0])
    assert 0 < int(shown.split()[0]) < total
    pg.fill("input[name=to]", "")
    pg.dispatch_event("input[name=to]", "change")
    pg.wait_for_function("!location.search.includes('to=')")
    assert "from=2015" in pg.url
    watch.assert_clean()


MAP_PAGES = [  # one page of each type with a map: its path and map id
    ("", "map-home"),
    ("atlas/", "map-overview"),
    ("atlas/countries/kyrgyzstan/", "map-kyrgyzstan"),
    ("atlas/topics/surveillance/", "map-surveillance"),
]


@pytest.mark.parametrize(("path", "map_id"), MAP_PAGES)
@pytest.mark.engine_independent  # the map's own behaviour: the same script and HTML in both engines
def test_the_wheel_over_a_map_scrolls_the_page_and_zooms_only_with_ctrl(real_site, page, path, map_id):
    url, _ = real_site
    pg, watch = page
    pg.goto(f"{url}/{path}")
    map_state(pg)
    _pointer_on_map(pg)
    before = _map_view(pg)
    pg.mouse.wheel(0, 400)
    pg.wait_for_timeout(400)
    after = _map_view(pg)
    assert after["scroll"] > before["scroll"] + 100, (before, after)  # the page moved
    assert after["zoom"] == before["zoom"]  # the map did not
    assert "scroll to zoom" in pg.evaluate("document.querySelector('.atlas-map-hint').textContent")
    # the page scrolled: a map near its top has left the screen; bring it to the middle
    pg.evaluate("document.querySelector('.atlas-map').scrollIntoView({block: 'center', behavior: 'instant'})")
    zoomed = f"window.atlasMaps.instances['{map_id}'].map.getZoom() !== {after['zoom']}"
    for _ in range(3):  # on a busy machine a wheel event can land before the page has settled
        _pointer_on_map(pg)
        pg.keyboard.down("Control")
        pg.mouse.wheel(0, -300)
        pg.keyboard.up("Control")
        try:
            pg.wait_for_function(zoomed, timeout=5000)
            break
        except Exception:  # Playwright's TimeoutError: try again, then fail below
            continue
    assert pg.evaluate(zoomed), "Ctrl + wheel over the map did not zoom it"
    watch.assert_clean()


@pytest.mark.parametrize(("path", "map_id"), MAP_PAGES)
@pytest.mark.engine_independent  # the map's own behaviour: the same script and HTML in both engines
def test_one_finger_over_a_map_scrolls_the_page_on_a_phone(real_site, browser, path, map_id):
    url, _ = real_site
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    watch = Watch(pg)
    pg.goto(f"{url}/{path}")
    map_state(pg)
    view = _map_view(pg)
    assert view["dragging"] is False and view["touchAction"] == "pan-x pan-y", view
    box = pg.locator(".atlas-map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + min(box["height"] - 20, 300)
    cdp = context.new_cdp_session(pg)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - 25 * step}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    pg.wait_for_timeout(500)
    after = _map_view(pg)
    assert after["scroll"] > view["scroll"] + 100, (view, after)
    assert after["zoom"] == view["zoom"]
    watch.assert_clean()
    context.close()


def test_the_print_only_map_shows_in_print_and_never_on_screen(real_site, page):
    url, _ = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/countries/kazakhstan/")
    display = "() => getComputedStyle(document.querySelector('figure.atlas-print-only')).display"
    assert pg.evaluate(display) == "none"
    pg.emulate_media(media="print")
    assert pg.evaluate(display) == "block"
    watch.assert_clean()


LABELS_AND_VIEW = """() => {
    const el = document.querySelector('.atlas-map[data-ready=true]');
    const inst = window.atlasMaps.instances[el.dataset.atlasMap];
    const boxes = [...el.querySelectorAll('.atlas-label span')]
      .filter(s => s.offsetParent && getComputedStyle(s).visibility !== 'hidden')
      .map(s => { const b = s.getBoundingClientRect(); return [s.textContent, b.left, b.top, b.right, b.bottom]; });
    const view = inst.map.getBounds();
    const drawn = inst.markers.filter(m => m.on).map(m => m.layer.getLatLng())
      .concat((inst.levelMarks || []).map(m => m.capital));
    const outside = drawn.filter(ll => !view.contains(ll)).map(ll => [ll.lat, ll.lng]);
    return {boxes, outside, view: [view.getWest(), view.getSouth(), view.getEast(), view.getNorth()]};
}"""


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", [p for p, _ in MAP_PAGES])
@pytest.mark.engine_independent  # the map's own behaviour: the same script and HTML in both engines
def test_labels_never_collide_and_the_view_holds_every_record_and_no_empty_edge(real_site, browser, path, size):
    url, _ = real_site
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, is_mobile=size[0] < 500)
    pg = context.new_page()
    watch = Watch(pg)
    pg.goto(f"{url}/{path}")
    map_state(pg)
    got = pg.evaluate(LABELS_AND_VIEW)
    boxes = got["boxes"]
    assert len(boxes) >= 5, boxes
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[1] < b[3] and a[3] > b[1] and a[2] < b[4] and a[4] > b[2]), (a, b)
    assert got["outside"] == []  # every drawn record is in the first view
    w, s, e, n = 38, 16, 128, 60  # the basemap's extent (docs/assets/atlas/basemap.geojson)
    vw, vs, ve, vn = got["view"]
    assert vw >= w - 0.5 and vs >= s - 0.5 and ve <= e + 0.5 and vn <= n + 0.5, got["view"]  # no grey edge
    watch.assert_clean()
    context.close()


@pytest.mark.engine_independent  # the map's own behaviour: the same script and HTML in both engines
def test_a_popup_takes_the_focus_and_escape_gives_it_back(real_site, page):
    url, _ = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/countries/kyrgyzstan/")
    map_state(pg)
    marker = pg.locator(".leaflet-overlay-pane path[tabindex='0']").first
    marker.focus()
    name = pg.evaluate("document.activeElement.getAttribute('aria-label')")
    pg.keyboard.press("Enter")
    pg.wait_for_function("document.activeElement.matches('.leaflet-popup-content a.atlas-popup-link')")
    pg.keyboard.press("Escape")
    pg.wait_for_function("document.querySelector('.leaflet-popup') === null")
    assert pg.evaluate("document.activeElement.getAttribute('aria-label')") == name
    # the table is one keystroke away: the skip link comes first
    assert pg.locator(".atlas-map-wrap a.atlas-skip-map").get_attribute("href").endswith("#map-kyrgyzstan-note")
    watch.assert_clean()


@pytest.mark.engine_independent  # the map's own behaviour: the same script and HTML in both engines
def test_counts_on_a_page_agree(real_build, real_site, page):
    url, _ = real_site
    pg, watch = page
    atlas = real_build.generated.atlas
    total = len(atlas.records_of_topic("surveillance"))
    pg.goto(f"{url}/atlas/topics/surveillance/")
    map_state(pg)
    note = pg.inner_text(".atlas-map-note")
    drawn = int(note.split(", ")[1].split()[0]) if " of them on this map" in note else total
    assert note.startswith(f"{total} records"), note
    shown = pg.inner_text(".atlas-filters output")
    assert shown == f"{drawn} of {drawn} records on the map shown"
    per_kind = pg.eval_on_selector_all(
        ".atlas-kinds tbody tr td:nth-child(2)", "tds => tds.map(t => Number(t.textContent))"
    )
    assert sum(per_kind) == total
    watch.assert_clean()


@pytest.mark.engine_independent  # the map's own behaviour: the same script and HTML in both engines
def test_the_year_slider_plays_and_filters_the_map_and_the_kinds_table_follows(real_site, page):
    url, _ = real_site
    pg, watch = page
    pg.goto(f"{url}/atlas/countries/kazakhstan/")
    map_state(pg)
    before = pg.inner_text(".atlas-filters output")
    pg.evaluate(
        "() => { const s = document.querySelector('input[name=year]'); s.value = '2012';"
        " s.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    pg.wait_for_function("location.search.includes('to=2012')")
    after = pg.inner_text(".atlas-filters output")
    assert int(after.split()[0]) < int(before.split()[0])
    # the page's table of kinds follows the legend's kinds
    pg.uncheck("input[name=kind][value=meeting]")
    pg.wait_for_function("document.querySelector('.atlas-kinds a#meeting').closest('tr').hidden")
    assert not pg.evaluate("document.querySelector('.atlas-kinds a#exercise').closest('tr').hidden")
    pg.click(".atlas-play")
    pg.wait_for_function("document.querySelector('.atlas-play').getAttribute('aria-pressed') === 'true'")
    first = pg.input_value("input[name=to]")
    pg.wait_for_function(f"document.querySelector('input[name=to]').value !== '{first}'", timeout=5000)
    pg.click(".atlas-play")
    assert pg.get_attribute(".atlas-play", "aria-pressed") == "false"
    watch.assert_clean()
