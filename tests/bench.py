"""`make bench`: what the build costs and what a map page weighs, measured side by side.

1. Build time: the generator (load -> validate -> render -> write, clean output folder) with and
   without maps, and the mkdocs build; medians of several runs, and the share of the clean build
   that all maps of the atlas add (target <= 20%).
2. Inline map data per located record on the overview map (target <= 200 bytes).
3. One country page, (a) folium's default output embedded the usual way (one CircleMarker with
   tooltip and popup per record; folium's CDN CSS/JS) against (b) ours: bytes and requests, and
   the ratio of map asset bytes (target <= 0.3). folium's CDN files are fetched from the npm
   registry (same packages and versions) so their sizes are measured, not assumed.
4. Lighthouse (npm, installed in tools/lighthouse/ by `npm ci --prefix tools/lighthouse`, run
   with Debian's Chromium through CHROME_PATH): mobile performance of the home, overview, every
   country, a topic and a record page, served with gzip by a small local server as a real host
   does (target >= 95). Also the bytes a first view transfers: a page without a map, and the
   search index on a first view of any page (Pagefind: nothing until the reader searches) and
   on the search page after one query.
5. The explorer (atlas/explore/): its data file's size (raw and gzip) and the time from
   navigation to the first table row drawn, at 1x and at 10x the records (the data file and
   the page's <noscript> table each repeated with new ids, served in place of the real ones),
   unthrottled and with the CPU slowed 4x as Lighthouse's mobile run does; medians of 5 runs.
6. Editing (tests/bench_editing.py): save-to-visible in the preview for a data and a template
   edit, and clean builds (generator, mkdocs, Zensical) at 1x, 10x and 100x with peak memory.
"""

from __future__ import annotations

import gzip
import http.server
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlparse

from generator.build import index_search, load_atlas
from generator.config import load_config
from tests import bench_editing
from tests.helpers import folium_default_html, render_site, write_pages

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
    pages = render_site(atlas, cfg, with_maps=with_maps)
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
    index_search(ROOT, site)  # Pagefind, as generator/build.py runs it after mkdocs
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
    # Leaflet and atlas-maps.js are loaded by the map partial's loader, not by the page's <head>
    ours_urls += re.findall(r'"([^"#]+\.(?:js|css))"', "".join(re.findall(r"\}\)\((\[[^\]]*\])\);</script>", html)))
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


# --- 4. Lighthouse and first-view bytes, served with gzip ------------------------------------

LIGHTHOUSE = ROOT / "tools/lighthouse/node_modules/.bin/lighthouse"
CHROMIUM = "/usr/bin/chromium"
LIGHTHOUSE_RUNS = int(os.environ.get("LIGHTHOUSE_RUNS", "3"))
GZIP_TYPES = (".html", ".css", ".js", ".json", ".geojson", ".svg", ".xml", ".csv", ".txt", ".pf_meta")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the client accepts it (as any real host does)."""

    swap: ClassVar[dict[str, Path]] = {}  # URL path -> the file served in its place (the explorer at 10x)

    def log_message(self, *args: object) -> None:
        pass

    def translate_path(self, path: str) -> str:
        swapped = self.swap.get(urlparse(path).path)
        return str(swapped) if swapped else super().translate_path(path)

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the base class redirects to the trailing slash
            path = path / "index.html"
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "") and path.name.endswith(GZIP_TYPES)
        if not gzipped or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return io.BytesIO(body)


def _serve_gzip(site: Path, swap: dict[str, Path] | None = None) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = type("_Handler", (_GzipHandler,), {"swap": swap or {}})
    handler = partial(handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _lighthouse_pages() -> dict[str, str]:
    cfg = load_config(ROOT)
    atlas = load_atlas(cfg)
    pages = {"home": "/", "overview": "/atlas/"}
    pages.update({c.slug: f"/atlas/countries/{c.slug}/" for c in atlas.focus_countries})
    pages["topic (exercises)"] = "/atlas/topics/exercises/"
    pages["explorer"] = "/atlas/explore/"
    record = next(r for r in atlas.records.values() if r.places)
    pages[f"record ({record.id})"] = f"/atlas/records/{record.id}/"
    pages["all records"] = "/atlas/records/"
    pages["sources"] = "/atlas/sources/"
    pages["organisation (huawei)"] = "/atlas/organisations/huawei/"  # issue #19's page
    return pages


def lighthouse_scores(site: Path) -> dict[str, object]:
    if not LIGHTHOUSE.exists():
        return {"skipped": "Lighthouse is not installed: npm ci --prefix tools/lighthouse"}
    server, url = _serve_gzip(site)
    out: dict[str, object] = {}
    try:
        for name, path in _lighthouse_pages().items():
            runs = []
            for i in range(LIGHTHOUSE_RUNS):  # the median of several runs: one run is noisy
                report = BENCH / f"lighthouse-{re.sub(r'[^a-z0-9]+', '-', name)}-{i}.json"
                subprocess.run(
                    [
                        str(LIGHTHOUSE),
                        url + path,
                        "--only-categories=performance",
                        "--output=json",
                        f"--output-path={report}",
                        "--chrome-flags=--headless=new --no-sandbox",
                        "--quiet",
                    ],
                    check=True,
                    env={**os.environ, "CHROME_PATH": CHROMIUM},
                    timeout=300,
                )
                data = json.loads(report.read_text(encoding="utf-8"))
                audits = data["audits"]
                runs.append(
                    {
                        "score": round(data["categories"]["performance"]["score"] * 100),
                        "lcp_s": round(audits["largest-contentful-paint"]["numericValue"] / 1000, 2),
                        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
                        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
                        "bytes": round(audits["total-byte-weight"]["numericValue"]),
                    }
                )
            runs.sort(key=lambda r: r["score"])
            out[name] = {**runs[len(runs) // 2], "scores": [r["score"] for r in runs], "path": path}
    finally:
        server.shutdown()
    return out


def first_view_bytes(site: Path) -> dict[str, object]:
    """Bytes on the wire (gzip) of first views, measured in Chromium through Playwright."""
    from playwright.sync_api import sync_playwright

    server, url = _serve_gzip(site)
    result: dict[str, object] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])

            def view(path: str, query: str | None = None, engage: bool = False) -> dict[str, int]:
                page = browser.new_page()
                sizes: list[tuple[str, int]] = []
                page.on("requestfinished", lambda r: sizes.append((r.url, r.sizes()["responseBodySize"])))
                page.goto(url + path)
                page.wait_for_load_state("networkidle")
                if engage:  # the reader opens the map: Leaflet, the map script, basemap and data
                    page.click(".atlas-map-start")
                    page.wait_for_selector(".atlas-map[data-ready=true]", timeout=20000)
                    page.wait_for_load_state("networkidle")
                if query:
                    page.fill(".pagefind-ui__search-input", query)
                    page.wait_for_selector(".pagefind-ui__result-link", timeout=20000)
                    page.wait_for_load_state("networkidle")
                page.close()
                return {
                    "total_bytes": sum(n for _, n in sizes),
                    "search_index_bytes": sum(n for u, n in sizes if "/pagefind/" in u or "search_index" in u),
                    "map_bytes": sum(n for u, n in sizes if "leaflet" in u or "atlas-maps" in u or "basemap" in u),
                    "requests": len(sizes),
                }

            result["page_without_map (/atlas/sources/)"] = view("/atlas/sources/")
            result["home (/)"] = view("/")
            result[f"country with map (/atlas/countries/{COUNTRY}/)"] = view(f"/atlas/countries/{COUNTRY}/")
            for name, path in (("home", "/"), ("overview", "/atlas/"), ("country", f"/atlas/countries/{COUNTRY}/")):
                result[f"{name} after opening its map ({path})"] = view(path, engage=True)
            result["topic after opening its map (/atlas/topics/exercises/)"] = view(
                "/atlas/topics/exercises/", engage=True
            )
            result["search page after one query (Душанбе)"] = view("/search/", "Душанбе")
            browser.close()
    finally:
        server.shutdown()
    return result


# --- 5. The explorer at 1x and 10x the records ------------------------------------------------

EXPLORE = "/atlas/explore/"


def _explore_10x(site: Path, tmp: Path) -> dict[str, Path]:
    """The explorer's data file and page with every record ten times (new ids), in `tmp`."""
    data = json.loads((site / "atlas/explore/data.json").read_text(encoding="utf-8"))
    rows = data["records"]
    data["records"] = rows + [[f"{r[0]}-x{k}", *r[1:]] for k in range(1, 10) for r in rows]
    (tmp / "data.json").write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    page = (site / "atlas/explore/index.html").read_text(encoding="utf-8")
    start, end = page.index("<tbody>", page.index("<noscript>")) + len("<tbody>"), page.index("</tbody>")
    body = page[start:end]
    page = (
        page[:start]
        + body
        + "".join(re.sub(r'(href="[^"]*?)/"', rf'\1-x{k}/"', body) for k in range(1, 10))
        + page[end:]
    )
    (tmp / "index.html").write_text(page, encoding="utf-8")
    return {
        EXPLORE + "data.json": tmp / "data.json",
        EXPLORE: tmp / "index.html",
        EXPLORE + "index.html": tmp / "index.html",
    }


def explorer(site: Path, runs: int = 5) -> dict[str, object]:
    """The explorer's data size and its time to the first result, at 1x and 10x the records."""
    from playwright.sync_api import sync_playwright

    def sizes(data: Path, page: Path) -> dict[str, int]:
        return {
            "data_bytes": data.stat().st_size,
            "data_gzip_bytes": len(gzip.compress(data.read_bytes(), 6)),
            "page_gzip_bytes": len(gzip.compress(page.read_bytes(), 6)),
        }

    def first_result(url: str, slowdown: int) -> float:
        times = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for _ in range(runs):
                context = browser.new_context()  # a first visit: nothing cached
                page = context.new_page()
                if slowdown > 1:
                    cdp = context.new_cdp_session(page)
                    cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
                page.goto(url + EXPLORE)
                page.wait_for_selector(".atlas-explore-records tbody tr", timeout=60000)
                mark = "performance.getEntriesByName('atlas-explore-first-result')[0].startTime"
                times.append(page.evaluate(mark))
                context.close()
            browser.close()
        return round(statistics.median(times))

    out: dict[str, object] = {"cite_file_bytes": (site / "atlas/explore/cite.json").stat().st_size}
    with tempfile.TemporaryDirectory() as tmp:
        swaps = {1: {}, 10: _explore_10x(site, Path(tmp))}
        for scale, swap in swaps.items():
            data = swap.get(EXPLORE + "data.json", site / "atlas/explore/data.json")
            page = swap.get(EXPLORE, site / "atlas/explore/index.html")
            records = len(json.loads(data.read_text(encoding="utf-8"))["records"])
            server, url = _serve_gzip(site, swap)
            try:
                out[f"{scale}x"] = {
                    "records": records,
                    **sizes(data, page),
                    "first_result_ms": first_result(url, 1),
                    "first_result_ms_cpu_4x_slower": first_result(url, 4),
                }
            finally:
                server.shutdown()
    return out


def main() -> None:
    BENCH.mkdir(exist_ok=True)
    report = {"build": build_times(), "inline_map_data": inline_map_bytes(), "page_weight": page_weight()}
    report["first_view"] = first_view_bytes(BENCH / "site")
    report["explorer"] = explorer(BENCH / "site")
    report["lighthouse_mobile"] = lighthouse_scores(BENCH / "site")
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
    print("first views (gzip on the wire):")
    for name, v in report["first_view"].items():
        print(
            f"  {name:45} {v['total_bytes']:>9,} B in {v['requests']} requests; search index {v['search_index_bytes']:,} B; map {v['map_bytes']:,} B"
        )
    print_explorer(report["explorer"])
    print("Lighthouse mobile performance (served with gzip)   target >= 95:")
    for name, v in report["lighthouse_mobile"].items():
        if isinstance(v, dict):
            print(
                f"  {name:45} {v['score']:>3} (runs {v['scores']})   LCP {v['lcp_s']} s, TBT {v['tbt_ms']} ms, CLS {v['cls']}, {v['bytes']:,} B"
            )
        else:
            print(f"  {name}: {v}")
    bench_editing.print_summary(report["editing"])
    print(f"report: {(BENCH / 'report.json').relative_to(ROOT)}")


def print_explorer(e: dict[str, object]) -> None:
    print(f"explorer ({EXPLORE}): time from navigation to the first table row, median of 5 (gzip host):")
    for scale in ("1x", "10x"):
        v = e[scale]
        assert isinstance(v, dict)
        print(
            f"  {scale:4} {v['records']:>6,} records: data {v['data_bytes']:>10,} B ({v['data_gzip_bytes']:,} B gzip), "
            f"page {v['page_gzip_bytes']:,} B gzip; first result {v['first_result_ms']} ms "
            f"({v['first_result_ms_cpu_4x_slower']} ms with the CPU 4x slower)"
        )
    print(f"  citations for BibTeX/RIS downloads (fetched only then): {e['cite_file_bytes']:,} B")


if __name__ == "__main__":
    main()
