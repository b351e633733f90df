"""Maps drawn as static SVG at build time: the region's outlines (one shared file), windows on it
for a place's locator and a country's printed map, and the preview a map frame shows before
Leaflet loads. No script, no tiles: they print, and they show with scripts off."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.schema import Country, Place

BASEMAP = "docs/assets/atlas/basemap.geojson"


@dataclass(frozen=True)
class Basemap:
    features: list[dict[str, Any]]

    @classmethod
    def load(cls, root: Path) -> Basemap:
        path = root / BASEMAP
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"features": []}
        return cls(data["features"])


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


def preview_svg(
    region_href: str,
    bounds: list[list[float]],
    places: list[Place],
    levels: list[tuple[float, float, str, int]],
    labels: Sequence[tuple[float, float, str]] = (),
) -> Markup:
    """The static preview a map frame shows until Leaflet loads (see maps._LOADER): a window on
    the shared region SVG fitted to the map's bounds, a dot per place, a dashed circle with its
    count at the capital for each country-level group, the capitals' names, and a button that
    loads the interactive map."""
    (s, w), (n, e) = bounds
    pad = 0.6
    x, y, width, height = w - pad, -n - pad, e - w + 2 * pad, n - s + 2 * pad
    font = max(width / 40, height / 20)  # about 12 px in the frame, whatever the window's size
    seen: set[str] = set()
    dots = []
    for p in places:
        if p.id in seen:
            continue
        seen.add(p.id)
        r = 0.6 if p.precision == "region" else 0.3
        dots.append(
            f'<circle cx="{p.lon:.3f}" cy="{-p.lat:.3f}" r="{r}" fill="#0072B2" stroke="#1a1a1a" stroke-width="1" '
            f'vector-effect="non-scaling-stroke"><title>{_xml(p.name)}</title></circle>'
        )
    text = f'font-family="sans-serif" font-size="{font:.2f}" paint-order="stroke" stroke="#fff" stroke-width="{font / 5:.2f}"'
    for lon, lat, name in labels:
        if w - pad <= lon <= e + pad and s - pad <= lat <= n + pad:
            dots.append(
                f'<circle cx="{lon:.3f}" cy="{-lat:.3f}" r="{font / 6:.2f}" fill="#444"/>'
                f'<text x="{lon - font * 0.5:.3f}" y="{-lat + font * 0.35:.3f}" text-anchor="end" font-weight="700" '
                f'fill="#333" {text}>{_xml(name)}</text>'
            )
    for lon, lat, name, count in levels:
        r = font * (0.9 + 0.25 * count**0.5) / 2
        dots.append(
            f'<circle cx="{lon:.3f}" cy="{-lat:.3f}" r="{r:.3f}" fill="#fff" fill-opacity="0.55" stroke="#1a1a1a" '
            f'stroke-width="1.5" stroke-dasharray="4 3" vector-effect="non-scaling-stroke">'
            f"<title>{_xml(name)}: {count} country-level record{'s' if count != 1 else ''}</title></circle>"
            f'<text x="{lon:.3f}" y="{-lat + font * 0.35:.3f}" text-anchor="middle" font-weight="700" fill="#1a1a1a" '
            f"{text}>{count}</text>"
        )
    return Markup(
        '<div class="atlas-map-preview">'
        f'<svg viewBox="{x:.2f} {y:.2f} {width:.2f} {height:.2f}" aria-hidden="true" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<use xlink:href="{region_href}#region"/>{"".join(dots)}</svg>'
        '<button type="button" class="atlas-map-start md-button">Open the interactive map</button></div>'
    )


def country_svg(region_href: str, country: Country, places: list[Place], url: str) -> Markup:
    """A static map of a country with its located records' places, for print (the SVG locator
    style: a window on the shared region SVG). Screen readers get the place list in the caption."""
    w, s, e, n = country.bbox or (46.0, 35.0, 88.0, 56.0)
    pad = 0.5
    x, y, width, height = w - pad, -n - pad, e - w + 2 * pad, n - s + 2 * pad
    dots = "".join(
        f'<circle cx="{p.lon:.3f}" cy="{-p.lat:.3f}" r="{0.35 if p.precision != "region" else 0.6}" fill="#CC6677" '
        f'stroke="#1a1a1a" stroke-width="1" vector-effect="non-scaling-stroke"><title>{_xml(p.name)}</title></circle>'
        for p in places
    )
    label = f"Map of {country.name} with the {len(places)} places of its located records"
    return Markup(
        f'<svg class="atlas-print-map-svg" viewBox="{x:.2f} {y:.2f} {width:.2f} {height:.2f}" role="img" '
        f'aria-label="{_xml(label)}" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<rect x="{x:.2f}" y="{y:.2f}" width="{width:.2f}" height="{height:.2f}" fill="#f4f4f2"/>'
        f'<use xlink:href="{region_href}#region"/>{dots}</svg>'
    )


def places_svg(region_href: str, places: list[Place], label: str) -> Markup:
    """A small locator for several places (an organisation's records): a window on the shared
    region SVG fitted to them (at least the size of a place's locator), a dot with its name as
    tooltip for each. The window's shape is fixed (16:10), so the frame never changes height."""
    lons, lats = [p.lon for p in places], [p.lat for p in places]
    cx, cy = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    w = max(16.0, (max(lons) - min(lons)) + 3, ((max(lats) - min(lats)) + 2) * 1.6)
    h = w / 1.6
    x, y = cx - w / 2, -cy - h / 2
    scale = w / 16
    dots = "".join(
        f'<circle cx="{p.lon:.3f}" cy="{-p.lat:.3f}" r="{(0.8 if p.precision == "region" else 0.35) * scale:.2f}" '
        f'fill="#CC6677" fill-opacity="{0.45 if p.precision == "region" else 1}" stroke="#1a1a1a" stroke-width="1.5" '
        f'vector-effect="non-scaling-stroke"><title>{_xml(p.name)}</title></circle>'
        for p in places
    )
    return Markup(
        f'<svg class="atlas-locator-svg" viewBox="{x:.2f} {y:.2f} {w:.2f} {h:.2f}" width="320" height="200" role="img" '
        f'aria-label="{_xml(label)}" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<rect x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" height="{h:.2f}" fill="#cfe3ef"/>'
        f'<use xlink:href="{region_href}#region"/>{dots}</svg>'
    )
