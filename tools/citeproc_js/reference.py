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
    # From data/sources*.yaml, where citeproc-py differed from citeproc-js (before
    # generator/citeproc_fix.py's name, case, quote and page-range corrections): full given names
    # in Chicago and MLA, particles, one initial, apostrophes and a period in a container, a
    # publisher or a corporate author, the data's own punctuation after quotes, MLA page ranges.
    Source(
        id="aris-2009-sco-tackling-three-evils",
        type="article",
        authors=["Aris, S."],
        title="The Shanghai Cooperation Organisation: 'Tackling the Three Evils'. A Regional Response to "
        "Non-Traditional Security Challenges or an Anti-Western Bloc?",
        container="Europe Asia Studies",
        volume="61",
        issue="3",
        pages="457-482",
        date="2009",
        language="en",
    ),
    Source(
        id="azattyq-2021-28-february-preventive-detention",
        type="news",
        title="28 fevralya v Kazakhstane: «kettling», «titushki» i preventivnyye zaderzhaniya "
        "[February 28 in Kazakhstan: 'kettling', 'titushki' and preventive detention]",
        container="Azattyq",
        date="2021",
        url="https://rus.azattyq.org/a/31126079.html",
        language="ru",
        accessed="2021-04-27",
    ),
    Source(
        id="peyrouse-2022",
        type="article",
        authors=["Peyrouse, Sebastien"],
        title="China's Impact on Democracy and Human Rights in Central Asia",
        container="Security and Human Rights",
        publisher="Brill",
        date="2022",
        pages="1-16",
        language="en",
    ),
    Source(
        id="24kg-2017-banned-organizations-kyrgyzstan",
        type="news",
        title="List of Terrorist and extremist organizations banned in Kyrgyzstan",
        container="24.kg",
        date="2017-04-05",
        url="https://24.kg/english/48835_List_of_Terrorist_and_extremist_organizations_banned_in_Kyrgyzstan",
        language="en",
    ),
    Source(
        id="de-haas-2016-war-games-sco-csto",
        type="article",
        authors=["de Haas, Marcel"],
        title="War Games of the Shanghai Cooperation Organization and the Collective Security Treaty "
        "Organization: Drills on the Move!",
        container="The Journal of Slavic Military Studies",
        volume="29",
        issue="3",
        pages="378-406",
        date="2016",
        doi="10.1080/13518046.2016.1200383",
        language="en",
    ),
    Source(
        id="van-der-kley-2019-china-security-tajikistan-wakhan",
        type="chapter",
        authors=["van der Kley, Dirk"],
        title="China's Security Activities in Tajikistan and Afghanistan's Wakhan Corridor",
        container="Securing the Belt and Road Initiative: China's Evolving Military Engagement Along the Silk "
        "Road (NBR Special Report 80), ed. Nadege Rolland",
        publisher="National Bureau of Asian Research",
        date="2019",
        url="https://www.nbr.org/wp-content/uploads/pdfs/publications/sr80_securing_the_belt_and_road_sep2019.pdf",
        language="en",
    ),
    Source(
        id="serikkaliyeva-2018-chinese-institutional-diplomacy-kazakhstan",
        type="article",
        authors=["Serikkaliyeva, Azhar", "Amirbek, Aidarbek", "Batmaz, Eftal Sukru"],
        title="Chinese Institutional Diplomacy toward Kazakhstan: The SCO and the New Silk Road Initiative",
        container="Insight Turkey",
        date="2018",
        url="https://www.insightturkey.com/file/1080/chinese-institutional-diplomacy-toward-kazakhstan-the-sco-"
        "and-the-new-silk-road-initiative",
        language="en",
    ),
    Source(
        id="mills-wang-2019-hrw-kyrgyzstan-facial-recognition",
        type="web",
        authors=["Mills, Laura", "Wang, Maya"],
        title="Facial Recognition Deal in Kyrgyzstan Poses Risks to Rights",
        container="Human Rights Watch",
        date="2019-11-15",
        url="https://www.hrw.org/news/2019/11/15/facial-recognition-deal-kyrgyzstan-poses-risks-rights",
        language="en",
    ),
    Source(
        id="embassy-ru-2002-03-20-sco-heads-of-state-communique",
        type="document",
        title="Press Communiqué of the Meeting of Heads of State of the Republic of Kazakhstan, the People's "
        "Republic of China, the Kyrgyz Republic, the Russian Federation, the Republic of Tajikistan and the "
        "Republic of Uzbekistan",
        publisher="Embassy of the People's Republic of China to the Russian Federation",
        date="2002-03-20",
        url="http://ru.China-embassy.org/chn/eyxx/zyjhwhj/t4502.html",
        language="zh",
    ),
    Source(
        id="govcn-2009-05-19-meng-jianzhu-sco-interior-ministers",
        type="web",
        title="Meng Jianzhu Attends the First Meeting of Public Security and Interior Ministers of the SCO "
        "Member States",
        publisher="Central People's Government of the People's Republic of China",
        date="2009-05-19",
        url="http://www.gov.cn/jdhd/2009-05/19/content_1318391.htm",
        language="zh",
    ),
    # Page ranges the data does not have yet: a last page with more digits (citeproc-py: MLA
    # "9–2"), and one past a thousand (Chicago's chicago-16 keeps "1504").
    Source(
        id="src-pages-short",
        type="chapter",
        authors=["Doe, Jane", "Roe, R. J."],
        title="A chapter on nine pages",
        container="A book",
        publisher="A Press",
        date="2020",
        pages="9-12",
    ),
    Source(
        id="src-pages-long",
        type="article",
        authors=["Roe, Richard"],
        title="An article past page a thousand",
        container="A Journal",
        volume="7",
        date="2021",
        pages="1496-1504",
    ),
    # Names the data may hold: apostrophes (curled by citeproc-js), particles joined to the name
    # ("al-Rashid", "d'Artagnan") and apart ("de la Fontaine"), a given name's dropping particle,
    # a corporate author; and page numbers with a letter (Chicago and MLA drop the repeated "e").
    Source(
        id="src-names",
        type="article",
        authors=["O'Brien, Jean-Luc", "al-Rashid, Ludwig van", "d'Artagnan, Charles", "de la Fontaine, Jean"],
        title="Names in four shapes",
        container="A Journal",
        date="2020",
        pages="e12-e20",
    ),
    Source(
        id="src-corporate-apostrophe",
        type="news",
        authors=["People's Daily"],
        title="A corporate author with an apostrophe",
        container="People's Daily Online",
        date="2020-05-01",
        url="https://news.example.org/b",
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
