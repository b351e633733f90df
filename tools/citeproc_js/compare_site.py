"""Compare every citation of a generated site with citeproc-js: `python -m tools.citeproc_js.compare_site [docs]`.

Reads the CSL-JSON of every cite block under docs/atlas/ (and docs/editions/), renders each item
with citeproc-js, and prints how many APA, Chicago and MLA strings equal the page's own, with
the first differences."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

from tools.citeproc_js import ours, render

_CSL = re.compile(r'<pre class="atlas-cite-code" data-format="csl">(.*?)</pre>', re.S)
_SPAN = re.compile(r"<span[^>]*>(.*?)</span>", re.S)


def items_of(docs: Path) -> list[dict]:
    found = []
    for path in sorted([*docs.glob("atlas/**/*.md"), *docs.glob("atlas/cite/*.html"), *docs.glob("editions/**/*.md")]):
        for block in _CSL.findall(path.read_text(encoding="utf-8")):
            found.append(json.loads(html.unescape(_SPAN.sub(r"\1", block)))[0])
    return found


def main() -> int:
    docs = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    items = items_of(docs)
    theirs, mine = render(items), ours(items)
    equal = total = 0
    for style in theirs:
        for n, (a, b) in enumerate(zip(mine[style], theirs[style], strict=True)):
            total += 1
            if a == b:
                equal += 1
            elif total - equal <= 5:
                print(f"{style} {items[n]['title']!r}\n  atlas:       {a}\n  citeproc-js: {b}")
    print(f"{equal} of {total} citations ({len(items)} pages x {len(theirs)} styles) equal citeproc-js")
    return 0 if equal == total else 1


if __name__ == "__main__":
    raise SystemExit(main())
