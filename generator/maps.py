"""Maps: folium maps with data-driven GeoJSON layers, and static SVG locators for record pages.

Folium builds the Leaflet code. We keep its map script and drop its <head> (CDN links, Bootstrap,
jQuery): the site serves Leaflet itself, and atlas-maps.js adds legend, clustering and filters. Element ids are made deterministic so that unchanged data
gives byte-identical pages. The script is queued on `window.atlasQ`; docs/assets/atlas/atlas-maps.js
runs the queue after Leaflet has loaded, and again after each instant navigation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium
from branca.element import MacroElement
from jinja2 import Template
from markupsafe import Markup

from generator.palette import KIND_COLOURS
from generator.schema import KIND_LABELS, RECORD_KINDS, Country, Place, Record
from generator.text import json_for_html

if TYPE_CHECKING:
    from generator.render import Renderer

BASEMAP = "docs/assets/atlas/basemap.geojson"
TITLE_MAX = 100  # characters of a title carried in map data (the popup links to the full record)


@dataclass(frozen=True)
class Basemap:
    features: list[dict[str, Any]]

    @classmethod
    def load(cls, root: Path) -> Basemap:
        path = root / BASEMAP
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"features": []}
        return cls(data["features"])


@dataclass(frozen=True)
class BuiltMap:
    html: Markup | None
    count: int


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


def _feature(r: Record, place: Place, with_countries: bool) -> dict[str, Any]:
    title = r.title if len(r.title) <= TITLE_MAX else r.title[: TITLE_MAX - 1].rstrip() + "…"
    d = r.when
    props: dict[str, Any] = {"i": r.id, "t": title}
    if d:
        props["y"] = d.year
    if with_countries:  # only the filterable overview map needs them
        props["c"] = ",".join(r.countries)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(place.lon, 2), round(place.lat, 2)]},
        "properties": props,
    }


_ADD_DATA = re.compile(r"^(geo_json_\w+)(_add\()(\{.*\})(\);)$")
_EMPTY = {"type": "FeatureCollection", "features": []}


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


def records_map(renderer: Renderer, src: str, records: list[Record], map_id: str, *, filters: bool = False) -> BuiltMap:
    atlas = renderer.atlas
    located = [(r, atlas.place_of(r)) for r in records if r.places]
    if not located:
        return BuiltMap(None, 0)
    lats = [p.lat for _, p in located if p]
    lons = [p.lon for _, p in located if p]
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
    _Basemap(renderer.url_rel(src, "assets/atlas/basemap.geojson")).add_to(m)
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
        colour = KIND_COLOURS[model.kind]
        marker = folium.CircleMarker(
            radius=6, weight=1.5, color="#1a1a1a", fill=True, fill_color=colour, fill_opacity=0.9
        )
        layer = folium.GeoJson(
            _EMPTY,
            name=label,
            marker=marker,
            on_each_feature=folium.JsCode(f"atlasMaps.bind({json.dumps(model.kind)})"),
        )
        layer.add_to(m)
        layers[model.kind] = layer
    labels = {k: {"label": KIND_LABELS[k][1], "single": KIND_LABELS[k][0], "colour": KIND_COLOURS[k]} for k in layers}
    _Register(
        {
            "id": map_id,
            "records": renderer.url_rel(src, f"{renderer.out}/records/index.md"),
            "filters": filters,
            "count": len(located),
            "labels": labels,
        }
    ).add_to(m)
    safe_id = re.sub(r"[^a-z0-9]", "_", map_id)
    _deterministic_ids(m, safe_id, [0])
    m._id = safe_id
    root = m.get_root()
    root.render()
    script = root.script.render()
    data = {layer.get_name(): _rows(by_kind[kind]) for kind, layer in layers.items()}
    script = "\n".join(_inject(line.strip(), data) for line in script.splitlines() if line.strip())
    layer_names = ", ".join(f'"{k}": {v.get_name()}' for k, v in layers.items())
    script = script.replace(
        f"atlasMaps.register({m.get_name()}, ", f"atlasMaps.register({m.get_name()}, {{{layer_names}}}, "
    )
    bounds = [[min(lats), min(lons)], [max(lats), max(lons)]]
    html = (
        f'<div class="atlas-map" id="{m.get_name()}" data-atlas-map="{map_id}" data-located="{len(located)}" '
        f'data-bounds="{json.dumps(bounds)}" role="region" aria-label="Map of {len(located)} located records"></div>\n'
        f"<script>(window.atlasQ=window.atlasQ||[]).push(function(){{\n{script}\n}});</script>"
    )
    return BuiltMap(Markup(html), len(located))


def folium_default_html(records: list[Record], places: dict[str, Place]) -> str:
    """The usual way: one folium CircleMarker with tooltip and popup per record, full page.

    Only used by the benchmark, to compare against our output.
    """
    located = [(r, places[r.places[0]]) for r in records if r.places]
    m = folium.Map(location=[42, 70], zoom_start=4)
    for r, p in located:
        folium.CircleMarker(
            [p.lat, p.lon], radius=6, tooltip=r.title, popup=folium.Popup(f'<a href="../records/{r.id}/">{r.title}</a>')
        ).add_to(m)
    return m.get_root().render()


# --- static SVG locators ----------------------------------------------------------------------


def region_svg(basemap: Basemap) -> str:
    """One shared SVG of the region (x = lon, y = -lat) that every locator map reuses via <use>."""
    paths = []
    for f in basemap.features:
        d = _path(f["geometry"])
        if not d:
            continue
        cls = "focus" if f["properties"].get("focus") else "other"
        fill = "#e8e1cf" if cls == "focus" else "#f4f4f2"
        paths.append(
            f'<path class="{cls}" fill="{fill}" stroke="#7a7a7a" stroke-width="0.6" vector-effect="non-scaling-stroke" d="{d}"><title>{_xml(f["properties"].get("name", ""))}</title></path>'
        )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="38 -60 90 44">'
        '<g id="region">' + "".join(paths) + "</g></svg>\n"
    )


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _path(geometry: dict[str, Any]) -> str:
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    out = []
    for poly in polys:
        for ring in poly:
            if len(ring) < 3:
                continue
            pts = " ".join(f"{x:g},{-y:g}" for x, y in ring)
            out.append(f"M{pts}Z")
    return "".join(out)


def locator_svg(region_href: str, place: Place, country: Country) -> Markup:
    """A small locator: a window on the shared region SVG with a marker. Prints well, no JS."""
    w, h = 16.0, 10.0
    x, y = place.lon - w / 2, -place.lat - h / 2
    r = 0.9 if place.precision == "region" else 0.35
    label = f"Locator map: {place.name}, {country.name}"
    return Markup(
        f'<svg class="atlas-locator-svg" viewBox="{x:.2f} {y:.2f} {w:g} {h:g}" role="img" aria-label="{_xml(label)}" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<rect x="{x:.2f}" y="{y:.2f}" width="{w:g}" height="{h:g}" fill="#cfe3ef"/>'
        f'<use xlink:href="{region_href}#region"/>'
        f'<circle cx="{place.lon:.3f}" cy="{-place.lat:.3f}" r="{r}" fill="#CC6677" fill-opacity="{0.45 if place.precision == "region" else 1}" stroke="#1a1a1a" stroke-width="1.5" vector-effect="non-scaling-stroke"/>'
        "</svg>"
    )
