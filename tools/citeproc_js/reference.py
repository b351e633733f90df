"""Rewrite tests/fixtures/citeproc_js/reference.json: `python -m tools.citeproc_js.reference`.

The items are those of the atlas's pages, in every shape they take (record, country, topic,
index, entity, edition, archived record, unreleased, the data and the atlas as datasets,
named editors, sources cited as themselves), with titles
that exercise what differs between processors: stop words, quotes in quotes, apostrophes, end
punctuation, hyphens, all-capital words, other scripts. Each is rendered by citeproc-js; the
test renders the same items with the atlas's code and compares."""

from __future__ import annotations

import json
from pathlib import Path

from generator import cite, source_cite
from generator.schema import Source
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
    }
    atlas = {**base, "container": "", "author": "Central Asia Security Atlas editors", "kind": "dataset"}
    out = [cite.csl_item(cite.PageRef(key=f"atlas-t{n}", title=t, **base)) for n, t in enumerate(TITLES)]
    shapes = [
        {**base, "edition": "2026.11+unreleased", "date": "2027-01-05"},
        {**base, "abstract": "A summary."},
        atlas,
        {**atlas, "editors": ("Doe, Jane", "Roe, Richard")},  # named editors, when the project has them
        {**base, "editors": ("Doe, Jane", "Roe, Richard")},
        {**base, "date": "2026-01-01", "edition": "2026.01"},
    ]
    titles = ["Kyrgyzstan: joint exercises", "The atlas's data", "What is 'safe city'?"]
    out += [
        cite.csl_item(cite.PageRef(key=f"atlas-s{n}-{m}", title=t, **shape))
        for n, shape in enumerate(shapes)
        for m, t in enumerate(titles)
    ]
    return out + [source_cite.csl_item(s) for s in SOURCES]


# Sources cited as themselves (source pages' "Cite this source"), in the data's shapes.
SOURCES = [
    Source(
        id="src-article",
        type="article",
        authors=["Yau, Niva"],
        title="Chinese governance export in Central Asia",
        container="Security and Human Rights",
        publisher="Brill",
        date="2022",
        volume="32",
        issue="1",
        pages="1-16",
    ),
    Source(
        id="src-news",
        type="news",
        title="Cameras installed in Bishkek",
        container="Daily News",
        date="2019-10-05",
        url="https://news.example.org/a",
    ),
    Source(
        id="src-web-corporate",
        type="web",
        authors=["World Uyghur Congress"],
        title="Report on transnational repression",
        container="WUC",
        date="2021-06",
        url="https://uyghurcongress.org/x",
    ),
    Source(
        id="src-report",
        type="report",
        authors=["Hoagland, Richard", "Wolkov, Nicole", "Karibayeva, Akbota"],
        title="China's growing influence in Central Asia through surveillance systems",
        container="Policy brief",
        publisher="Caspian Policy Center",
        place="Washington, D.C.",
        date="2020",
    ),
    Source(
        id="src-ru",
        type="news",
        title="Китай и Таджикистан: новые соглашения",
        container="Азаттык",
        date="2020-03-01",
        url="https://rus.azattyk.org/a",
        language="ru",
    ),
]


def main() -> None:
    found = items()
    texts = render(found)
    entries = [{"item": it, **{style: texts[style][n] for style in texts}} for n, it in enumerate(found)]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(entries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(entries)} items x {len(texts)} styles to {OUT}")


if __name__ == "__main__":
    main()
