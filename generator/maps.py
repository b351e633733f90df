"""Maps: folium maps with data-driven GeoJSON layers, and static SVG locators for record pages.

Folium builds the Leaflet code. We keep its map script and drop its <head> (CDN links, Bootstrap,
jQuery): the site serves Leaflet itself, and atlas-maps.js adds legend, clustering and filters. Element ids are made deterministic so that unchanged data
gives byte-identical pages. The script is queued on `window.atlasQ`; docs/assets/atlas/atlas-maps.js
runs the queue after Leaflet has loaded, and again after each instant navigation.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape as html_attr
from typing import TYPE_CHECKING, Any

import branca.element
import folium
from branca.element import MacroElement
from jinja2 import Template
from markupsafe import Markup

from generator.core.page import Page
from generator.core.paths import rel, url_rel
from generator.maplegend import filter_form
from generator.model import Atlas
from generator.palette import KIND_STYLES
from generator.schema import FOCUS, KIND_LABELS, RECORD_KINDS, Country, Place, Record
from generator.svgmaps import preview_svg
from generator.text import json_for_html

if TYPE_CHECKING:
    from generator.core.site import Site

TITLE_MAX = 100  # characters of a title carried in map data (the popup links to the full record)


@dataclass(frozen=True)
class BuiltMap:
    html: Markup | None
    count: int
    files: tuple[Page, ...] = ()  # the map's data, fetched with the interactive map


class _Basemap(MacroElement):
    """Country outlines fetched once from the site (cached by the browser), drawn under the markers."""

    _template = Template(
        """{% macro script(this, kwargs) %}
atlasMaps.basemap({{ this._parent.get_name() }}, {{ this.url|tojson }});
{% endmacro %}"""
    )

    def __init__(self, url: str) -> None:
        super().__init__()
        self._name = "Basemap"
        self.url = url


class _Register(MacroElement):
    """Hands the map and its layers to atlas-maps.js (legend, filters, tests)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
atlasMaps.register({{ this._parent.get_name() }}, {{ this.options|tojson }});
{% endmacro %}"""
    )

    def __init__(self, options: dict[str, Any]) -> None:
        super().__init__()
        self._name = "Register"
        self.options = options


# A marker's look by its kind's pattern (palette.KIND_STYLES): the legend draws the same three.
_MARKER_STYLES: dict[str, Any] = {
    "solid": lambda k: {"color": "#1a1a1a", "weight": 1.5, "fill_color": KIND_STYLES[k][0], "fill_opacity": 0.9},
    "ring": lambda k: {"color": KIND_STYLES[k][0], "weight": 3.5, "fill_color": "#ffffff", "fill_opacity": 0.9},
    "dashed": lambda k: {
        "color": "#1a1a1a",
        "weight": 2,
        "dash_array": "2 2",
        "fill_color": KIND_STYLES[k][0],
        "fill_opacity": 0.9,
    },
}


def _feature(r: Record, place: Place, with_countries: bool) -> dict[str, Any]:
    title = _short(r.title)
    d = r.when
    props: dict[str, Any] = {"i": r.id, "t": title}
    if d:
        props["y"] = d.year
    if with_countries:  # only the filterable overview map needs them
        props["c"] = ",".join(r.participating)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(place.lon, 2), round(place.lat, 2)]},
        "properties": props,
    }


_ADD_DATA = re.compile(r"^(geo_json_\w+)(_add\()(\{.*\})(\);)$")
_EMPTY = {"type": "FeatureCollection", "features": []}
_UNDRAWN = re.compile(
    r"^geo_json_\w+\.(setStyle\(function\(feature\) \{return feature\.properties\.style;\}\)|addTo\(map_\w+\));$"
)


def _rows(features: list[dict[str, Any]]) -> list[list[Any]]:
    """Compact rows [lon, lat, id, title, year, countries] that atlasMaps.expand() turns back
    into the FeatureCollection folium's layer adds."""
    rows = []
    for f in features:
        lon, lat = f["geometry"]["coordinates"]
        p = f["properties"]
        rows.append([lon, lat, p["i"], p["t"], p.get("y"), p.get("c", "")])
    return rows


def _inject(line: str, data: dict[str, list[list[Any]]]) -> str:
    """Put the layer's rows into folium's (empty) add-data call, after folium has rendered.

    Record text never passes through folium or branca: branca re-parses rendered script as a
    Jinja template, so data handed to folium could run template code. The rows are JSON escaped
    for <script>, so record text can never close the element either."""
    m = _ADD_DATA.match(line)
    if not m or m.group(1) not in data:
        return line
    return f"{m.group(1)}{m.group(2)}atlasMaps.expand({json_for_html(data[m.group(1)])}){m.group(4)}"


def _deterministic_ids(element: Any, prefix: str, counter: list[int]) -> None:
    element._id = f"{prefix}_{counter[0]}"
    counter[0] += 1
    for child in element._children.values():
        _deterministic_ids(child, prefix, counter)


def _country_level(atlas: Atlas, records: list[Record], only: str | None, with_countries: bool) -> list[dict[str, Any]]:
    """Records known only at country level (no place), one group per focus country, drawn as a
    proportional symbol at its capital and marked "country-level": never a fake place. Records
    with `region: central-asia` name no state and go on no country layer."""
    groups: dict[str, list[list[Any]]] = {}
    for r in records:
        if r.places or r.region is not None:
            continue
        d = r.when
        for code in r.participating:
            if code in FOCUS and (only is None or code == only):
                row = [r.id, _short(r.title), d.year if d else None, r.kind]
                if with_countries:
                    row.append(",".join(r.participating))
                groups.setdefault(code, []).append(row)
    out = []
    for code, rows in groups.items():
        c = atlas.countries[code]
        capital = atlas.places.get(c.capital) if c.capital else None
        if capital is None:
            continue
        out.append({"c": code, "n": c.name, "at": [round(capital.lon, 2), round(capital.lat, 2)], "r": rows})
    return out


def _labels(atlas: Atlas) -> list[list[Any]]:
    """Country names and cities from data/ (no tile server): [lon, lat, name, kind]."""
    out: list[list[Any]] = []
    capitals = {c.capital for c in atlas.countries.values() if c.capital}
    for c in atlas.focus_countries:
        if c.bbox:
            w, s, e, n = c.bbox
            out.append([round((w + e) / 2, 2), round((s + n) / 2 + (n - s) * 0.12, 2), c.name, "country"])
    for p in atlas.places.values():
        if p.type != "city":
            continue
        kind = "capital" if p.id in capitals else "city"
        out.append([round(p.lon, 2), round(p.lat, 2), p.name, kind])
    return out


def _short(title: str) -> str:
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1].rstrip() + "…"


@contextlib.contextmanager
def _verbatim_outputs() -> Iterator[None]:
    """branca wraps each element's rendered JavaScript in a new Element, which compiles that text
    as a Jinja template and renders it again: 40% of the time of a map. Text without Jinja
    delimiters renders to itself (less one final newline, as Jinja drops it), so during our render
    such text is kept as it is; other text still goes through Jinja. tests/test_maps.py compares
    the maps with branca's own rendering."""
    original = branca.element.Template

    def template(source: str, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs or any(d in source for d in ("{{", "{%", "{#", "\r")):
            return original(source, *args, **kwargs)
        return _Verbatim(source[:-1] if source.endswith("\n") else source)

    branca.element.Template = template  # type: ignore[misc,assignment]  # patched for one render only
    try:
        yield
    finally:
        branca.element.Template = original  # type: ignore[misc]


@dataclass(frozen=True)
class _Verbatim:
    text: str

    def render(self, *args: Any, **kwargs: Any) -> str:
        return self.text


def map_view(
    site: Site,
    src: str,
    records: list[Record],
    map_id: str,
    table_href: str | None,
    filters: bool = False,
    country: Country | None = None,
) -> tuple[dict[str, Any], list[Page]]:
    """What a page's map partial needs, and the files the map makes (its data)."""
    counts = map_counts(site.atlas, records, country)
    counts["overview_href"] = rel(src, site.paths.under("index.md"))
    if not site.with_maps:
        return {"html": None, "count": 0, "id": map_id, "table_href": table_href, **counts}, []
    built = records_map(site, src, records, map_id, filters=filters, country=country)
    assert built.count == counts["drawn"], (map_id, built.count, counts)
    view = {"html": built.html, "count": built.count, "id": map_id, "table_href": table_href, **counts}
    return view, list(built.files)


def map_counts(atlas: Atlas, records: list[Record], country: Country | None = None) -> dict[str, Any]:
    """The one set a map page counts, split as its note explains it: every record of the page;
    those drawn at the place the sources name; those known only at country level (drawn at a
    capital); those that belong to the region as a whole (listed, not drawn); those a country's
    map leaves to the overview because they happened far outside the country; any other."""
    located = [r for r in records if r.places]
    drawn_here = [r for r in located if _in_window(atlas.place_of(r), country)]
    drawable = {  # the focus countries a country-level record can be drawn in: at their capital
        c.id for c in atlas.focus_countries if c.capital in atlas.places and (country is None or c.id == country.id)
    }
    level = sum(1 for r in records if not r.places and r.region is None and drawable.intersection(r.participating))
    region = sum(1 for r in records if not r.places and r.region is not None)
    abroad = sorted({p.name for r in located if not _in_window(p := atlas.place_of(r), country) and p})
    return {
        "total": len(records),
        "located": len(drawn_here),
        "level": level,
        "drawn": len(drawn_here) + level,
        "region": region,
        "abroad": len(located) - len(drawn_here),
        "abroad_places": ", ".join(abroad),
        "unmapped": len(records) - len(located) - level - region,
    }


WINDOW_MARGIN = 2.0  # degrees around a country that its map draws; farther places are the overview's


def _in_window(place: Place | None, country: Country | None) -> bool:
    if place is None or country is None or not country.bbox:
        return place is not None
    w, s, e, n = country.bbox
    m = WINDOW_MARGIN
    return w - m <= place.lon <= e + m and s - m <= place.lat <= n + m


def records_map(
    site: Site,
    src: str,
    records: list[Record],
    map_id: str,
    *,
    filters: bool = False,
    country: Country | None = None,
) -> BuiltMap:
    atlas = site.atlas
    located = [(r, p) for r in records if r.places and _in_window(p := atlas.place_of(r), country)]
    country_level = _country_level(atlas, records, country.id if country else None, filters)
    level_ids = {row[0] for g in country_level for row in g["r"]}
    if not located and not country_level:
        return BuiltMap(None, 0)
    anchors = [(p.lat, p.lon) for _, p in located if p] + [(g["at"][1], g["at"][0]) for g in country_level]
    lats = [a for a, _ in anchors]
    lons = [b for _, b in anchors]
    m = folium.Map(
        location=[sum(lats) / len(lats), sum(lons) / len(lons)],
        zoom_start=4,
        tiles=None,
        control_scale=True,
        max_bounds=False,
        min_zoom=3,
        max_zoom=11,
        world_copy_jump=False,
    )
    _Basemap(url_rel(src, "assets/atlas/basemap.geojson")).add_to(m)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for r, place in located:
        assert place is not None
        by_kind.setdefault(r.kind, []).append(_feature(r, place, filters))
    layers = {}
    for model in RECORD_KINDS.values():
        feats = by_kind.get(model.kind)
        if not feats:
            continue
        label = f"{KIND_LABELS[model.kind][1]} ({len(feats)})"
        marker = folium.CircleMarker(radius=6, fill=True, **_MARKER_STYLES[KIND_STYLES[model.kind][1]](model.kind))
        layer = folium.GeoJson(
            _EMPTY,
            name=label,
            marker=marker,
            on_each_feature=folium.JsCode(f"atlasMaps.bind({json.dumps(model.kind)})"),
        )
        layer.add_to(m)
        layers[model.kind] = layer
    kinds_used = set(layers) | {row[3] for g in country_level for row in g["r"]}
    labels = {
        k: {
            "label": KIND_LABELS[k][1],
            "single": KIND_LABELS[k][0],
            "colour": KIND_STYLES[k][0],
            "pattern": KIND_STYLES[k][1],
        }
        for k in (m_.kind for m_ in RECORD_KINDS.values())
        if k in kinds_used
    }
    _Register(
        {
            "id": map_id,
            "records": url_rel(src, f"{site.out}/records/index.md"),
            "filters": filters,
            "count": len(located),
            "labels": labels,
            "order": [k for k in KIND_STYLES if k in labels],  # the legend's order: by category
        }
    ).add_to(m)
    safe_id = re.sub(r"[^a-z0-9]", "_", map_id)
    _deterministic_ids(m, safe_id, [0])
    m._id = safe_id
    root = m.get_root()
    with _verbatim_outputs():
        root.render()
        script = root.script.render()  # type: ignore[attr-defined]  # the root is a Figure; typed as Element
    data = {layer.get_name(): _rows(by_kind[kind]) for kind, layer in layers.items()}
    # folium styles every marker again and draws each kind's layer, which atlas-maps.js takes off
    # the map at once to draw its clusters: both lines only cost the reader time, so they go
    script = "\n".join(
        _inject(line.strip(), data) for line in script.splitlines() if line.strip() and not _UNDRAWN.match(line.strip())
    )
    layer_names = ", ".join(f'"{k}": {v.get_name()}' for k, v in layers.items())
    script = script.replace(
        f"atlasMaps.register({m.get_name()}, ", f"atlasMaps.register({m.get_name()}, {{{layer_names}}}, "
    )
    if country and country.bbox:  # a country page is fitted to its country and what it draws
        w, s_, e, n = country.bbox
        lats, lons = [*lats, s_, n], [*lons, w, e]
    bounds = [[min(lats), min(lons)], [max(lats), max(lons)]]
    # Record text reaches the page only here, as a JSON file beside the pages that folium never
    # sees and atlas-maps.js fetches with the interactive map (textContent only, never HTML). Not
    # inline: on the overview it was 135 KB of attribute the parser paid for on every first view.
    extra = {"countryLevel": country_level, "placeLabels": _labels(atlas)}
    data_path = f"{site.out}/assets/maps/{re.sub(r'[^a-z0-9-]', '-', map_id)}.json"
    data_file = Page(data_path, json_for_html(extra) + "\n")
    represented = len(located) + len(level_ids - {r.id for r, _ in located})
    preview = preview_svg(
        url_rel(src, f"{site.out}/assets/region.svg"),
        bounds,
        [p for _, p in located if p],
        [(g["at"][0], g["at"][1], g["n"], len(g["r"])) for g in country_level],
        [(lon, lat, name) for lon, lat, name, kind in _labels(atlas) if kind == "capital"],
    )
    form = filter_form(labels, filters, located, country_level)
    assets = [
        url_rel(src, f"assets/{a}")
        for a in ("vendor/leaflet/leaflet.css", "vendor/leaflet/leaflet.js", "atlas/atlas-maps.js")
    ]
    html = (
        f'<div class="atlas-map" id="{m.get_name()}" data-atlas-map="{map_id}" data-located="{len(located)}" '
        f'data-country-level="{len(level_ids)}" data-represented="{represented}" '
        f'data-bounds="{json.dumps(bounds)}" data-extra="{html_attr(url_rel(src, data_path))}" role="region" '
        f'aria-label="Map of {len(located)} located and {len(level_ids)} country-level records">{preview}</div>\n'
        f"{form}"
        # queued until Leaflet loads; by then instant navigation may have taken the map's page away
        # (no container: "Map container not found"), or brought back its page with the map still
        # in it (Zensical's back navigation re-runs the scripts: "Map container is already initialized")
        f"<script>(window.atlasQ=window.atlasQ||[]).push(function(){{"
        f"var e=document.getElementById({json.dumps(m.get_name())});if(!e||e._leaflet_id)return;\n{script}\n}});</script>\n"
        f"<script>{_LOADER}({json.dumps(assets)});</script>"
    )
    return BuiltMap(Markup(html), represented, (data_file,))


# Leaflet and the map script are loaded only by pages that draw a map (also after Material's
# instant navigation, which re-runs the scripts of the new page's content), and only once the map
# is near the viewport and the reader has engaged with the page (scroll, touch, click, key, or
# the preview's button). Until then the map frame shows a static SVG preview of the same places
# (preview_svg), so a first view pays neither for Leaflet's 40 KB nor for its main-thread work:
# the "facade" pattern. Hand-written because it is a few lines and no library does exactly this.
_LOADER = (
    "(function(u){var d=document,w=window;u=u.map(function(x){return new URL(x,d.baseURI).href;});"
    # the assets made absolute, and the page's own address kept on its maps, now: with instant
    # navigation Leaflet may finish loading after the reader has moved on, when document.baseURI
    # is another page's
    "d.querySelectorAll('.atlas-map:not([data-base])').forEach(function(e){e.setAttribute('data-base',d.baseURI);});"
    "if(w.atlasMaps||d.querySelector('script[data-atlas-leaflet]'))return;"
    "var go=function(){if(d.querySelector('script[data-atlas-leaflet]'))return;"
    "var l=d.createElement('link');l.rel='stylesheet';l.href=u[0];d.head.appendChild(l);"
    "u.slice(1).forEach(function(u,i){var s=d.createElement('script');s.src=u;s.async=false;"
    "if(!i)s.setAttribute('data-atlas-leaflet','');d.head.appendChild(s);});};"
    "var m=d.querySelector('.atlas-map');if(!m||!w.IntersectionObserver)return go();"
    "var near=false,ev=['scroll','wheel','pointerdown','keydown','touchstart'],"
    "check=function(){if(near&&w.atlasEngaged&&m.isConnected){o.disconnect();go();}},"
    "on=function(){w.atlasEngaged=true;ev.forEach(function(e){w.removeEventListener(e,on,true);});check();};"
    "if(!w.atlasEngaged)ev.forEach(function(e){w.addEventListener(e,on,{capture:true,passive:true});});"
    "var b=m.querySelector('.atlas-map-start');if(b)b.addEventListener('click',function(){w.atlasEngaged=near=true;check();});"
    "var o=new IntersectionObserver(function(es){if(es.some(function(e){return e.isIntersecting;}))"
    "{near=true;check();}},{rootMargin:'200px'});o.observe(m);})"
)
