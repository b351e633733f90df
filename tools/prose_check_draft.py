"""One-off helper for the second reading of the essays: prints each sentence with its citations
and the seed paragraphs that share most words with it, for an editor to read side by side.
Not part of the build. Usage: python tools/prose_check_draft.py data/prose/countries/kazakhstan.md
(the seeds are read from $ATLAS_SEEDS, default /work/shared/seeds)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from generator.prosecheck import sentences

SEEDS = {
    "yau-2022-governance": "000",
    "peyrouse-2022": "001",
    "hoagland-2020": "002",
    "yau-2022-fpri": "003",
    "aminjonov-2022": "004",
}
STOP = set(
    [
        "that",
        "with",
        "from",
        "this",
        "have",
        "their",
        "were",
        "which",
        "been",
        "about",
        "into",
        "they",
        "also",
        "other",
        "than",
        "when",
        "more",
        "most",
    ]
)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9][a-z0-9-]{3,}", text.lower()) if w not in STOP}


def main(path: str) -> None:
    seeds = {
        k: sorted(Path(os.environ.get("ATLAS_SEEDS", "/work/shared/seeds")).glob(f"{v}_*.txt"))[0]
        .read_text()
        .splitlines()
        for k, v in SEEDS.items()
    }
    for n, s in enumerate(sentences(path, Path(path).read_text())):
        print(f"\n### {n} L{s.line} {s.key}\n{s.text}")
        words = _words(re.sub(r"\[@[^\]]*\]|\[\[[^\]]*\]\]", " ", s.text))
        ranked = []
        for c in s.cites:
            lines = seeds.get(c.source)
            if lines:
                for i, line in enumerate(lines):
                    ranked.append((len(words & _words(line)), c.source, i + 1, line))
        for score, src, i, line in sorted(ranked, reverse=True)[:2]:
            print(f"  >> {SEEDS[src]} L{i} ({score}): {line[:900]}")


if __name__ == "__main__":
    main(sys.argv[1])
