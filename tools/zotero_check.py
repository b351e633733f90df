"""Check every built page with Zotero's own translator (translation-server), not a guess of it.

Setup (once, outside the repository): a checkout of zotero/translation-server with its four
submodules (translate, utilities, translators, zotero-schema), `npm install`, and in
config/default.json5 "host": "127.0.0.1". Then:

    make site
    (cd site && python3 -m http.server 8765 --bind 127.0.0.1) &
    (cd translation-server && node src/server.js) &
    .venv/bin/python tools/zotero_check.py site

It asks translation-server to save each page and reports the item types and every page whose
creators, encyclopedia title, date, edition, URL or abstract are not as the atlas means them.
"""

from __future__ import annotations

import collections
import json
import sys
import urllib.request
from pathlib import Path

SERVER = "http://127.0.0.1:1969/web"
SITE = "http://127.0.0.1:8765/"
ATLAS = "Central Asia Security Atlas"


def check(url: str) -> tuple[str, list[tuple[str, object]]]:
    req = urllib.request.Request(SERVER, data=url.encode(), headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        item = json.load(resp)[0]
    problems: list[tuple[str, object]] = []
    if item.get("creators") != [{"name": ATLAS, "creatorType": "author"}]:
        problems.append(("creators", item.get("creators")))
    if item.get("encyclopediaTitle") != ATLAS:
        problems.append(("encyclopediaTitle", item.get("encyclopediaTitle")))
    for key in ("title", "abstractNote"):
        if any(e in (item.get(key) or "") for e in ("&#39;", "&amp;", "&quot;", "&lt;")):
            problems.append((key, item.get(key)))
    if not (item.get("date") and item.get("edition") and str(item.get("url", "")).startswith("https://")):
        problems.append(("date/edition/url", (item.get("date"), item.get("edition"), item.get("url"))))
    if item.get("extra"):
        problems.append(("extra", item["extra"]))
    return item["itemType"], problems


def main(site_dir: str) -> int:
    root = Path(site_dir)
    pages = sorted(p.parent.relative_to(root).as_posix() for p in root.rglob("index.html"))
    pages = [p for p in pages if not p.startswith(("search", "assets"))]
    types: collections.Counter[str] = collections.Counter()
    bad = []
    for rel in pages:
        item_type, problems = check(SITE + ("" if rel == "." else rel + "/"))
        types[item_type] += 1
        if problems:
            bad.append((rel, problems))
    print(f"{len(pages)} pages: {dict(types)}; {len(bad)} with problems")
    for rel, problems in bad[:20]:
        print(rel, problems)
    return 1 if bad or set(types) != {"encyclopediaArticle"} else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "site"))
