"""Screenshots of the maps for the editors' guide: the overview and a country map, on a desktop
(1366x768) and a phone (390x844), taken in Debian's Chromium from the built site.

    make site && .venv/bin/python tools/screenshots.py      # writes docs/editors/img/map-*.png

It serves site/ on 127.0.0.1 itself, opens each page, starts its map the way a reader does (the
preview's button) and shoots the map with its legend once the map has drawn.
"""

from __future__ import annotations

import argparse
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SHOTS = {
    "overview": "atlas/",
    "kyrgyzstan": "atlas/countries/kyrgyzstan/",
}
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--out", type=Path, default=ROOT / "docs/editors/img")
    args = parser.parse_args()
    handler = functools.partial(_Quiet, directory=str(args.site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for size, (w, h) in SIZES.items():
            context = browser.new_context(viewport={"width": w, "height": h}, is_mobile=w < 500, device_scale_factor=1)
            page = context.new_page()
            for name, path in SHOTS.items():
                page.goto(f"{url}/{path}")
                page.locator(".atlas-map").scroll_into_view_if_needed()
                page.evaluate("document.querySelector('.atlas-map .atlas-map-start')?.click()")
                page.wait_for_selector(".atlas-map[data-ready=true]", timeout=20000)
                page.wait_for_timeout(600)  # the basemap and labels settle
                target = args.out / f"map-{name}-{size}.png"
                page.locator(".atlas-map-wrap").screenshot(path=str(target))
                print(target.relative_to(ROOT))
            context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
