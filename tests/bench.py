"""`make bench`: what the build costs and what a map page weighs, measured side by side.

1. Build time: the generator (load -> validate -> render -> write, clean output folder) with and
   without maps, and the mkdocs build; medians of several runs, and the share of the clean build
   that all maps of the atlas add (target <= 20%).
2. Inline map data per located record on the overview map (target <= 200 bytes).
3. One country page, (a) folium's default output embedded the usual way (one CircleMarker with
   tooltip and popup per record; folium's CDN CSS/JS) against (b) ours: bytes and requests, and
   the ratio of map asset bytes (target <= 0.3). folium's CDN files are fetched from the npm
   registry (same packages and versions) so their sizes are measured, not assumed.
4. Editing (tests/bench_editing.py): save-to-visible in the preview for a data and a template
   edit, and clean builds (generator, mkdocs, Zensical) at 1x, 10x and 100x with peak memory.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

from generator.build import load_atlas, render_site
from generator.config import load_config
from generator.maps import folium_default_html
from generator.render import Renderer
from generator.write import write_pages
from tests import bench_editing

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / ".bench"
RUNS = 5
COUNTRY = "kyrgyzstan"

# folium 0.20's default CDN assets -> the npm package file that holds the same bytes.
NPM_FOR_URL = {
    "code.jquery.com/jquery-3.7.1.min.js": "jquery@3.7.1/dist/jquery.min.js",
    "cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": "drmonty-leaflet-awesome-markers@2.0.2/js/leaflet.awesome-markers.js",
    "cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": "drmonty-leaflet-awesome-markers@2.0.2/css/leaflet.awesome-markers.css",
    "netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": "bootstrap@3.0.0/dist/css/bootstrap.min.css",
}


def _median_time(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _generate(root: Path, with_maps: bool) -> None:
    cfg = load_config(root)
    out = Path(tempfile.mkdtemp(prefix="gen-", dir=BENCH))
    atlas = load_atlas(cfg)
    if with_maps:
        pages = render_site(atlas, cfg)
    else:
        pages = Renderer(atlas, cfg, root / "templates", with_maps=False).render_all()
    write_pages(pages, out, [cfg.out_rel, "downloads"])
    shutil.rmtree(out)


def build_times() -> dict[str, float]:
    with_maps = _median_time(lambda: _generate(ROOT, True))
    without = _median_time(lambda: _generate(ROOT, False))
    subprocess.run([sys.executable, "-m", "generator", "generate"], cwd=ROOT, check=True, capture_output=True)
    site = BENCH / "site"

    def mkdocs() -> None:
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
        )

    mk = _median_time(mkdocs, runs=3)
    clean_build = with_maps + mk
    return {
        "generate_with_maps_s": round(with_maps, 3),
        "generate_without_maps_s": round(without, 3),
        "mkdocs_build_s": round(mk, 3),
        "clean_build_s": round(clean_build, 3),
        "maps_share_of_clean_build": round((with_maps - without) / clean_build, 3),
    }


def inline_map_bytes() -> dict[str, float]:
    page = (ROOT / "docs/atlas/index.md").read_text(encoding="utf-8")
    located = int(re.search(r'data-located="(\d+)"', page).group(1))
    script = page.split("<script>", 1)[1].split("</script>", 1)[0]
    data = sum(len(m.encode()) for m in re.findall(r"(?m)^geo_json_\w+_add\(atlasMaps\.expand\((\[.*\])\)\);$", script))
    return {
        "located_records": located,
        "inline_script_bytes": len(script.encode()),
        "map_data_bytes_per_record": round(data / located, 1),
        "script_bytes_per_record": round(len(script.encode()) / located, 1),
    }


def _npm_file(spec: str) -> Path | None:
    """Fetch one npm package (cached in .bench/npm) and return the file `spec` names."""
    m = re.match(r"^((?:@[^/]+/)?[^@/]+)@([^/]+)/(.+)$", spec)
    if not m or not shutil.which("npm"):
        return None
    name, version, path = m.groups()
    dest = BENCH / "npm" / f"{name.replace('/', '+')}@{version}"
    if not dest.exists():
        tmp = Path(tempfile.mkdtemp(dir=BENCH))
        r = subprocess.run(
            ["npm", "pack", f"{name}@{version}", "--silent"], cwd=tmp, capture_output=True, text=True, check=False
        )
        tarballs = list(tmp.glob("*.tgz"))
        if r.returncode or not tarballs:
            shutil.rmtree(tmp)
            return None
        subprocess.run(["tar", "xzf", str(tarballs[0])], cwd=tmp, check=True)
        dest.parent.mkdir(parents=True, exist_ok=True)
        (tmp / "package").rename(dest)
        shutil.rmtree(tmp)
    target = dest / path
    return target if target.exists() else None


def _cdn_to_npm(url: str) -> str | None:
    bare = url.split("://", 1)[1]
    if bare in NPM_FOR_URL:
        return NPM_FOR_URL[bare]
    if bare.startswith("cdn.jsdelivr.net/npm/"):
        return bare.removeprefix("cdn.jsdelivr.net/npm/")
    if bare.startswith("cdn.jsdelivr.net/gh/"):
        return None
    return None


def page_weight() -> dict[str, object]:
    cfg = load_config(ROOT)
    atlas = load_atlas(cfg)
    code = next(c.id for c in atlas.focus_countries if c.slug == COUNTRY)
    records = atlas.records_of_country(code)
    folium_html = folium_default_html(records, atlas.places)
    urls = re.findall(r'(?:src|href)="(https?://[^"]+)"', folium_html)
    assets = []
    for url in urls:
        spec = _cdn_to_npm(url)
        f = _npm_file(spec) if spec else None
        assets.append({"url": url, "bytes": f.stat().st_size if f else None})
    measured = [a["bytes"] for a in assets if a["bytes"] is not None]
    folium_assets = sum(measured)
    site = BENCH / "site"
    ours_page = site / "atlas/countries" / COUNTRY / "index.html"
    html = ours_page.read_text(encoding="utf-8")
    ours_urls = re.findall(r'(?:src|href)="([^"#]+\.(?:js|css)(?:\?[^"]*)?)"', html)
    map_assets = [u for u in ours_urls if "vendor/leaflet" in u or "assets/atlas/" in u]
    ours_asset_bytes = sum((ours_page.parent / u.split("?")[0]).resolve().stat().st_size for u in map_assets)
    # The basemap stands in for the tile images folium's default loads from a tile server
    # (not part of its CSS/JS bytes), so it is reported apart as well as in the total.
    basemap = (ROOT / "docs/assets/atlas/basemap.geojson").stat().st_size
    return {
        "country": COUNTRY,
        "folium_default": {
            "page_html_bytes": len(folium_html.encode()),
            "requests": 1 + len(urls),
            "third_party_hosts": sorted({urlparse(u).hostname for u in urls}),
            "map_asset_bytes": folium_assets,
            "assets_measured": f"{len(measured)} of {len(urls)}",
            "assets": assets,
        },
        "ours": {
            "page_html_bytes": len(html.encode()),
            "requests_total": 1 + len(ours_urls) + 1,  # page + its CSS/JS + the basemap
            "third_party_hosts": [],
            "map_css_js_bytes": ours_asset_bytes,
            "basemap_bytes": basemap,
            "map_asset_bytes": ours_asset_bytes + basemap,
            "map_assets": [*map_assets, "assets/atlas/basemap.geojson"],
        },
        "css_js_ratio_ours_to_folium": round(ours_asset_bytes / folium_assets, 3) if folium_assets else None,
        "map_assets_ratio_ours_to_folium": round((ours_asset_bytes + basemap) / folium_assets, 3)
        if folium_assets
        else None,
    }


def main() -> None:
    BENCH.mkdir(exist_ok=True)
    report = {"build": build_times(), "inline_map_data": inline_map_bytes(), "page_weight": page_weight()}
    report["editing"] = bench_editing.report()
    (BENCH / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    b, i, p = report["build"], report["inline_map_data"], report["page_weight"]
    print(f"generate with maps     median {b['generate_with_maps_s']:.3f} s ({RUNS} runs)")
    print(f"generate without maps  median {b['generate_without_maps_s']:.3f} s")
    print(f"mkdocs build           median {b['mkdocs_build_s']:.3f} s (3 runs)")
    print(
        f"maps add               {b['maps_share_of_clean_build']:.1%} of the clean build ({b['clean_build_s']:.2f} s)   target <= 20%"
    )
    print(
        f"overview map           {i['map_data_bytes_per_record']} bytes of GeoJSON per located record ({i['located_records']} records), {i['script_bytes_per_record']} bytes of script in all   target <= 200"
    )
    fo, ou = p["folium_default"], p["ours"]
    print(f"country page ({p['country']}):")
    print(
        f"  folium default       {fo['page_html_bytes']:>9,} B html, {fo['requests']} requests, hosts {', '.join(fo['third_party_hosts'])}; map assets {fo['map_asset_bytes']:,} B ({fo['assets_measured']} measured)"
    )
    print(
        f"  ours                 {ou['page_html_bytes']:>9,} B html, {ou['requests_total']} requests, all on the site; map CSS/JS {ou['map_css_js_bytes']:,} B + basemap {ou['basemap_bytes']:,} B"
    )
    print(
        f"  CSS/JS ratio         {p['css_js_ratio_ours_to_folium']}   target <= 0.3 (CSS/JS of the map on both sides)"
    )
    print(
        f"  with basemap         {p['map_assets_ratio_ours_to_folium']}   (folium's tile images, which our basemap replaces, are not counted on its side)"
    )
    bench_editing.print_summary(report["editing"])
    print(f"report: {(BENCH / 'report.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
