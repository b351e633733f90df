"""Rewrite tests/fixtures/citeproc_js/reference.json: `python -m tools.citeproc_js.reference`.

The items are those of the atlas's pages, in every shape they take (record, country, topic,
index, entity, edition, archived record, unreleased, dataset, the atlas as a book), with titles
that exercise what differs between processors: stop words, quotes in quotes, apostrophes, end
punctuation, hyphens, all-capital words, other scripts. Each is rendered by citeproc-js; the
test renders the same items with the atlas's code and compares."""

from __future__ import annotations

import json
from pathlib import Path

from generator import cite
from tools.citeproc_js import render

OUT = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "citeproc_js" / "reference.json"

TITLES = [
    "Kyrgyzstan",
    "More than words: China against the three evils",
    'The "safe city" programme in Bishkek',
    "Chinese Ministry's training of Kazakh police",
    "What is the SCO?",
    "Huawei (华为) in Uzbekistan",
    "Tajik President and Chinese President meet (June 2016, Defense and law enforcement cooperation)",
    "Edition 2026.11",
    "Kazakhstan: Meetings",
    "Шанхайская организация сотрудничества",
    "The CSTO and the SCO: a comparison of the two",
    "Joint exercises 'Peace Mission' in Chebarkul",
    "Soldiers' pay in the by-laws of the SCO",
    "A \"quote 'within' a quote\" test",
    "Up to date: what to do about it",
    "U.S. aid to Tajikistan",
    "Xi Jinping and Mirziyoyev meet in Samarkand!",
    "e-government in Uzbekistan",
    "The SCO's 'three evils'",
    "iPhone exports to Kazakhstan",
    "Ministers meet <script>alert('x')</script> & talk",
    "50% of $ spent on {braces} and under_scores #1",
    "Ends with a question?",
    "Najibullah n.d.",
    "Trailing colon:",
    "Two marks?!",
    "Mr. Smith goes. To Astana.",
    "the lower-case start of a title in the age of AI",
    "Training with “curly quotes” and ‘single ones’",
    "Border guards of the Tajik-Afghan border: a case",
    "Thru the mountains: roads to China",
    "Anti-Chinese sentiment appears in China's bilateral meeting readouts from 2018",
    "Kazakh President and Chinese President meet (June 2019, Nur-Sultan)",
    "Chinese Ministry of Public Security trains the Kazakh Interior Ministry's anti-extremism department "
    "(November 2017, in-China training programme)",
    "Sources",
    "Where sources disagree",
    "Central Asia: a region between two powers",
]


def items() -> list[dict]:
    base = {
        "url": "https://atlas.example.org/atlas/records/x/",
        "permalink": "https://atlas.example.org/atlas/records/x/",
        "date": "2026-11-23",
        "edition": "2026.11",
        "container": "Central Asia Security Atlas",
        "author": "Central Asia Security Atlas",
        "publisher": "Central Asia Security Atlas editors",
    }
    out = [cite.csl_item(cite.PageRef(key=f"atlas-t{n}", title=t, **base)) for n, t in enumerate(TITLES)]
    shapes = [
        {**base, "edition": "2026.11+unreleased", "date": "2027-01-05"},
        {**base, "abstract": "A summary."},
        {**base, "kind": "dataset", "container": ""},
        {**base, "kind": "book", "container": ""},
        {**base, "date": "2026-01-01", "edition": "2026.01"},
    ]
    titles = ["Kyrgyzstan: joint exercises", "The atlas's data", "What is 'safe city'?"]
    out += [
        cite.csl_item(cite.PageRef(key=f"atlas-s{n}-{m}", title=t, **shape))
        for n, shape in enumerate(shapes)
        for m, t in enumerate(titles)
    ]
    return out


def main() -> None:
    found = items()
    texts = render(found)
    entries = [{"item": it, **{style: texts[style][n] for style in texts}} for n, it in enumerate(found)]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(entries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(entries)} items x {len(texts)} styles to {OUT}")


if __name__ == "__main__":
    main()
