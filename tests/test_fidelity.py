"""Faithful down to the sentence (issue #20): each class of error the audit against the seeds
found has a check here that fails when the class comes back in the real atlas."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import fidelity, prose
from generator.build import load_atlas
from generator.config import load_config
from generator.model import Atlas
from generator.prose import Figure, evaluate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas(load_config(ROOT))


# --- 1. participation ---------------------------------------------------------------------------


def test_country_tags_outside_the_records_places_say_their_role(atlas):
    for r in atlas.records.values():
        where = {atlas.places[p].country for p in r.places}
        if where:
            for code in r.countries:
                assert code in where or code in r.roles, f"{atlas.origin(r.id)}: {r.id} tags {code}"


def test_country_tags_on_records_without_places_are_supported(atlas):
    """Without places, a tag needs the record's own words naming the state (or all the region's
    states), the record's participants or members, membership of an organisation it names, or a
    role the editors gave."""
    placeless = [r for r in atlas.records.values() if not r.places]
    assert len(placeless) > 600
    unsupported = [
        f"{atlas.origin(r.id)}: {r.id} tags {code}"
        for r in placeless
        for code in r.countries
        if fidelity.tag_support(atlas, r, code) is None
    ]
    assert not unsupported, "\n".join(unsupported)
    # the check tells a supported tag from an unsupported one
    japarov = atlas.records["tr-kg-hua-er-japarov-2020"]
    assert fidelity.tag_support(atlas, japarov, "KG") == "named"
    assert fidelity.tag_support(atlas, japarov, "TJ") is None
    rats = atlas.records["ind-sco-rats-database-2017"]
    assert fidelity.tag_support(atlas, rats, "UZ") == "member" and fidelity.tag_support(atlas, rats, "TM") is None
    sco = atlas.records["mech-sco"]
    assert sco.roles.get("TM") == "named" and "TM" not in sco.participating
    # the area totals of Figure 1 name no state: region-level, on no country page
    legal = atlas.records["ind-ca-in-china-training-programmes-legal"]
    assert legal.region == "central-asia" and not legal.countries


def test_countries_crossed_or_named_are_not_counted(atlas):
    chebarkul = atlas.records["ex-sco-2018-chebarkul"]
    assert chebarkul.roles == {"KZ": "crossed"} and "KZ" not in chebarkul.participating
    assert chebarkul not in atlas.records_of_country("KZ")
    assert chebarkul in atlas.records_naming_country("KZ")
    airports = atlas.records["inf-cn-xinjiang-border-airports-2022"]
    assert airports.participating == []
    kz = [r for r in atlas.records.values() if r.kind == "exercise" and "KZ" in r.participating]
    assert evaluate(Figure("count", None, (("kind", "exercise"), ("country", "KZ")), ""), atlas) == str(len(kz))


# --- 2. numbers are numbers ---------------------------------------------------------------------

# Text fields that hold a number in the source's words -> the typed fields that carry it.
NUMBER_TEXTS = {
    "size_as_given": ("size_total", "size_chinese", "size_central_asian"),
    "value_as_given": ("value", "quantity"),
    "cost_as_given": ("cost", "cameras"),
    "duration_as_given": ("duration_days",),
    "trainees": ("trainees_count",),
    "casualties": ("deaths", "arrests", "deported"),
    "description_as_given": ("trainees_count", "personnel_count", "arrests"),
    "activities": ("clients_count",),
    "items": ("quantity",),
    "financing": ("cost",),
}
# Kind-specific text fields whose numbers are not figures (a scenario's aircraft, a claim's
# figures typed in its related indicators: see test_claims_figures_are_typed_in_indicators).
NOT_FIGURES = {"scenario", "claim", "date_as_given"}
# a designation such as "HQ-9", "QW-2 Vanguard 2", "Y8F200W", "COVID-19", "Appendix 3" is a name
DESIGNATION = re.compile(r"\b[A-Z][\w-]*(?:[ -]\d[\w-]*)+|\b[A-Z][\w-]*\d[\w-]*")
NUMBER = re.compile(r"(?<![\w.-])\d[\d,.]*(?![\w-])")
QUALIFIER = re.compile(
    r"\b(about|around|approximately|roughly|some|nearly|almost|over|more than|at least|up to|fewer than|less than)\b"
    r"|\d\s*[-–]\s*\d",
    re.IGNORECASE,
)


def _numbers(text: str) -> list[str]:
    return NUMBER.findall(DESIGNATION.sub(" ", text))


def _qualified_in(text: str, value: float) -> bool:
    """Whether the source's wording qualifies this number: where the number is written out, a
    qualifier just before it or a range after it; where it is not (e.g. "over half" for 50),
    any qualifier in the wording."""
    n = int(value) if float(value).is_integer() else value
    spots = [m for form in {str(n), f"{n:,}"} for m in re.finditer(rf"(?<![\d,.]){re.escape(form)}(?![\d,])", text)]
    if not spots:
        return bool(QUALIFIER.search(text))
    return all(
        QUALIFIER.search(text[max(0, m.start() - 16) : m.start()]) or re.match(r"\s*[-–]\s*\d", text[m.end() :])
        for m in spots
    )


def test_numbers_in_the_sources_words_are_typed(atlas):
    """A record that keeps a size, count or value only as text is invisible to every figure."""
    untyped = []
    for r in atlas.records.values():
        for text_field, typed in NUMBER_TEXTS.items():
            text = getattr(r, text_field, None)
            if not isinstance(text, str) or not _numbers(text):
                continue
            if all(getattr(r, f, None) is None for f in typed if f in type(r).model_fields):
                untyped.append(f"{atlas.origin(r.id)}: {r.id}.{text_field} = {text!r}")
    assert not untyped, "numbers kept only as text:\n" + "\n".join(untyped)


def _typed_values(atlas: Atlas, r) -> set[float]:
    """Every typed number of the record, of the records it links or that link it, and of its
    conflicts: where a figure of its wording may be carried."""
    linked = {x for x in [*r.related, *r.same_as] if x in atlas.records}
    linked |= {o.id for o in atlas.records.values() if r.id in o.related or r.id in o.same_as}
    out: set[float] = set()
    for rec in [r, *(atlas.records[x] for x in linked)]:
        for value in rec.model_dump().values():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out.add(float(value))
    out |= {float(str(v.value).replace(",", "")) for c in r.conflicts for v in c.values if _is_num(str(v.value))}
    return out


def _is_num(text: str) -> bool:
    return bool(re.fullmatch(r"\d[\d,]*(\.\d+)?", text))


def _figures(text: str) -> list[float]:
    """The numbers of a text that are not years or designations."""
    out = []
    for n in _numbers(text):
        n = n.rstrip(".,")
        if _is_num(n) and not re.fullmatch(r"(19|20)\d\d", n):
            out.append(float(n.replace(",", "")))
    return out


def test_no_kind_field_keeps_a_figure_only_as_text(atlas):
    """Every text field of a kind that holds a figure is one whose typed fields are known (so the
    test above checks it); a new text-only figure field fails here until it is typed."""
    unknown = sorted(
        {
            f"{r.kind}.{name}"
            for r in atlas.records.values()
            for name, value in r.details().items()
            if isinstance(value, str) and name not in NUMBER_TEXTS and name not in NOT_FIGURES and _figures(value)
        }
    )
    assert not unknown, "text fields holding figures with no typed field: " + ", ".join(unknown)


# Fields whose every figure must be typed exactly (older wording fields mix units: "4.5M RMB").
EVERY_FIGURE = ("casualties", "description_as_given", "activities", "trainees", "size_as_given")


def test_every_figure_of_casualties_and_entries_is_typed(atlas):
    """227 deaths and about 12,000 arrests (January 2022), 5000 officers and 38 arrests (an
    Appendix 4 operation), over 20 clients: each figure of these fields is a typed number."""
    missing = []
    for r in atlas.records.values():
        typed = _typed_values(atlas, r)
        for name in EVERY_FIGURE:
            text = getattr(r, name, None)
            if isinstance(text, str):
                missing += [f"{atlas.origin(r.id)}: {r.id}.{name}: {n:g}" for n in _figures(text) if n not in typed]
    assert not missing, "figures kept only as text:\n" + "\n".join(missing)
    unrest = atlas.records["inc-kz-january-2022-unrest"]
    assert (unrest.deaths, unrest.arrests, unrest.precision.get("arrests")) == (227, 12000, "about")


def test_claims_figures_are_typed_in_indicators(atlas):
    """A claim that states a figure (a border's length, land ceded, militants reported) has the
    figure typed in a related indicator: claims carry no numbers of their own."""
    missing = []
    for r in atlas.records.values():
        if r.kind == "claim":
            typed = _typed_values(atlas, r)
            missing += [f"{atlas.origin(r.id)}: {r.id}: {n:g}" for n in _figures(r.claim or "") if n not in typed]
    assert not missing, "claims whose figures no related indicator types:\n" + "\n".join(missing)


# A number next to a word that counts people, in a title or summary.
PEOPLE_FIGURE = re.compile(
    r"(?<![\w.,-])(\d[\d,]*)\s+(?:\w+\s)?(?:people|deaths|dead|killed|arrested|arrests|detained|deported|officers|"
    r"officials|personnel|troops|soldiers|trainees|militants|clients|Uyghurs|drug smugglers|participants|students|"
    r"cadets|members)\b",
    re.IGNORECASE,
)
# Figures of people a title or summary may give without a typed field, and why.
PEOPLE_UNTYPED = {
    ("ex-sco-2018-chebarkul", 300.0): "India's contingent: sizes are typed for all, China and Central Asia only",
    ("ex-sco-2018-chebarkul", 100.0): "Pakistan's contingent (as above)",
    ("ind-ca-security-officers-trained-2000-2020", 25.0): "the usual class size (15 to 25), not the count",
}


def test_counts_of_people_in_summaries_are_typed(atlas):
    """'about 4,000 Uyghurs sent back', '5000 officers': a count of people a title or summary
    gives is typed on the record or a linked one."""
    missing = []
    for r in atlas.records.values():
        typed = _typed_values(atlas, r)
        for text in (r.title, r.summary or ""):
            for m in PEOPLE_FIGURE.finditer(" ".join(text.split())):
                n = float(m.group(1).replace(",", ""))
                if n not in typed and not 1900 <= n <= 2030 and (r.id, n) not in PEOPLE_UNTYPED:
                    missing.append(f"{atlas.origin(r.id)}: {r.id}: {m.group(0)!r}")
    assert not missing, "counts of people kept only as text:\n" + "\n".join(missing)


def test_inexact_numbers_say_how_inexact(atlas):
    """'about 10,000', 'over 750', '24-40': the typed number carries the source's precision."""
    missing = []
    for r in atlas.records.values():
        for text_field, typed in NUMBER_TEXTS.items():
            text = getattr(r, text_field, None)
            if not isinstance(text, str) or not QUALIFIER.search(text) or not _numbers(text):
                continue
            for f in typed:
                value = getattr(r, f, None)
                if isinstance(value, (int, float)) and f not in r.precision and _qualified_in(text, value):
                    missing.append(f"{atlas.origin(r.id)}: {r.id}.{f} from {text_field} = {text!r}")
    assert not missing, "qualified numbers without precision:\n" + "\n".join(missing)


def test_figures_carry_precision(atlas):
    largest = evaluate(Figure("max", "size_total", (("kind", "exercise"),), ""), atlas)
    assert largest == "at least 10,000"
    assert prose.evaluate(Figure("sum", "value", (("kind", "transfer"), ("currency", "CNY")), ""), atlas)


# --- 3. one identity per event ------------------------------------------------------------------


def test_no_lookalike_is_left_unlinked(atlas):
    pairs = [f"{a.id} ~ {b.id}" for a, b in fidelity.likely_duplicates(atlas)]
    assert not pairs, "link with same_as or explain with distinct_from:\n" + "\n".join(pairs)


def test_year_dated_lookalikes_are_checked(atlas):
    """A record dated to the year only is compared with the year's records of its kind and
    country that share an organisation or a place; found pairs are settled by an editor's note."""
    donation = atlas.records["sv-uz-huawei-face-recognition-donation-2019"]
    safe_city = atlas.records["sv-uz-tashkent-safe-city-2019"]
    assert safe_city.date is not None and safe_city.date.month is None
    assert fidelity._alike(donation, safe_city) and fidelity._same_time(donation, safe_city)
    assert fidelity._linked(atlas, donation, safe_city)  # by distinct_from, with a note
    unlinked = donation.model_copy(update={"distinct_from": []})
    assert not fidelity._linked(atlas, unlinked, safe_city)
    # a year alone, with nothing named in common, is not enough
    assert not fidelity._same_time(donation, safe_city.model_copy(update={"organisations": [], "places": []}))


def test_records_of_one_event_count_once(atlas):
    assert atlas.identity["trn-uz-pap-falcon-commandos-2018"] == atlas.identity["trn-uz-2018-12-01"]
    trainings = [r for r in atlas.records.values() if r.kind == "training" and "UZ" in r.participating]
    got = evaluate(Figure("count", None, (("kind", "training"), ("country", "UZ")), ""), atlas)
    assert got == str(len(trainings) - 1)


# --- 4. where dates come from -------------------------------------------------------------------

ARTICLE_DATED = {
    "clm-kz-special-forces-training-with-china",
    "clm-tj-gbao-militants",
    "clm-kz-refuses-chinese-private-security",
    "clm-kg-permits-chinese-private-security",
    "clm-ca-western-theatre-command",
    "ind-ca-chinese-private-security-companies",
    "clm-kz-president-unconcerned-by-china-2020",
    "clm-kz-twenty-one-friendly-nations-2020",
    "clm-tj-backs-hong-kong-security-law-2020",
    "ind-uz-mia-groups-trained-in-china",
    "clm-kz-kg-uz-anti-china-sentiment-poll-2020",
}


def test_dates_taken_from_cited_articles_say_so(atlas):
    for rid in ARTICLE_DATED:
        r = atlas.records[rid]
        assert r.date_basis == "article", rid
        assert r.notes and "publication" in r.notes, rid


# Notes that say the date is borrowed from a publication: such a record must say so in date_basis.
BORROWED_DATE = re.compile(
    r"date (shown )?is (that of |the )(the )?(seed|report|brief|article|astana times|davis center|cited)"
    r"|`date` is (that|the year) of the cited|date shown is the (year the seed|seed's publication)"
    r"|(date|span)[^.]{0,40} is (that|the year) of the (earliest )?(cited )?reports?\b|come from the titles of"
    r"|date shown is the publication|date shown is that of",
    re.IGNORECASE,
)


def test_dates_borrowed_from_a_publication_are_marked(atlas):
    unmarked = [
        f"{atlas.origin(r.id)}: {r.id}"
        for r in atlas.records.values()
        if r.notes and BORROWED_DATE.search(" ".join(r.notes.split())) and r.date_basis not in ("article", "report")
    ]
    assert not unmarked, "set date_basis (article or report):\n" + "\n".join(unmarked)


# --- 5. hedges and attributions -----------------------------------------------------------------

SEED_AUTHORS = {"Yau", "Niva", "Peyrouse", "Sébastien", "Hoagland", "Wolkov", "Karibayeva", "Aminjonov", "Farkhod"}
GENERIC = {
    "Central",
    "Asian",
    "Asia",
    "China",
    "Chinese",
    "Kyrgyz",
    "Tajik",
    "Kazakh",
    "Uzbek",
    "Turkmen",
    "Safe",
    "City",
}
STOP = {"about", "which", "their", "there", "these", "those", "after", "under", "while", "where", "reports"}


# kinds of speaker, and the words that show a sentence reports them rather than states the fact
SPEAKERS = {
    "official": r"official",
    "belief": r"belie|unconfirmed|unofficial",
    "statements": r"\bsays?\b|\bsaid\b|claim|statement|according to",
    "evidence": r"evidence|submission|submitted",
}


def _attribution_keys(who: str) -> list[str]:
    """Patterns that name who a statement is attributed to: their names, or else the kind of
    speaker ("official", "belief", "evidence"); never the seed's own author, whose name every
    sentence citing the seed may carry."""
    party = re.split(r",| as | that | interviewed| reported", who)[0]
    words = re.findall(r"[\w'-]+", party)
    names = [w.lower() for w in words if w[:1].isupper() and w not in GENERIC | SEED_AUTHORS and len(w) > 2]
    return names or [pattern for word, pattern in SPEAKERS.items() if word in party.lower()]


def _section(locator: str) -> str:
    return re.sub(r"[\"'“”]", "", locator).split(",")[0].strip().lower()


def _spans(text: str) -> list[tuple[str, list[prose.Cite]]]:
    """Each stretch of prose with the citations that close it (the text since the last citation
    or paragraph break)."""
    out = []
    for para in re.split(r"\n\s*\n", text):
        pos = 0
        for m in prose.CITE.finditer(para):
            cites, _ = prose.parse_cites(m.group(1))
            out.append((para[pos : m.start()], cites))
            pos = m.end()
    return out


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{5,}", text.lower()) if w not in STOP}


def _distinctive_words(atlas: Atlas, r) -> set[str]:
    """Words of the record's title and claim that no other record citing the same sections has in
    its title or claim:
    what tells a sentence about this statement from one about its neighbours."""
    sections = {(c.source, _section(c.locator)) for c in r.citations}
    others: set[str] = set()
    for o in atlas.records.values():
        if o.id != r.id and sections & {(c.source, _section(c.locator)) for c in o.citations}:
            others |= _words(o.title) | _words(getattr(o, "claim", None) or "")
    return (_words(r.title) | _words(getattr(r, "claim", None) or "")) - others


def test_prose_names_who_a_reported_statement_comes_from(atlas):
    """A sentence that states what a record attributes to someone names that someone."""
    attributed = [r for r in atlas.records.values() if r.attributed_to]
    assert len(attributed) >= 5
    assert all(_attribution_keys(r.attributed_to or "") for r in attributed), "say who, or what kind of speaker"
    hooks = {r.id: _distinctive_words(atlas, r) for r in attributed}
    unnamed = []
    for essay in atlas.essays.all():
        for span, cites in _spans(essay.text):
            lowered = span.lower()
            for r in attributed:
                cited = {(c.source, _section(c.locator)) for c in r.citations}
                if not any((c.source, _section(c.locator)) in cited for c in cites):
                    continue
                if len([w for w in hooks[r.id] if w in lowered]) < 2:
                    continue  # the span cites the same section for something else
                keys = _attribution_keys(r.attributed_to or "")
                if not any(re.search(k, lowered) for k in keys):
                    unnamed.append(f"{essay.file}: {span.strip()[:120]!r} states {r.id} without {keys}")
    assert not unnamed, "\n".join(unnamed)


# --- 6. prose slips -----------------------------------------------------------------------------

# Wordings the audit against the seeds rejected, each with what the seed says instead.
REJECTED = {
    "longest border with china": "no seed compares the borders' length (uncited)",
    "largest economy": "no seed compares the economies (uncited)",
    "most physical": "no seed ranks China's presence by state (uncited)",
    "land leases": "Aminjonov: fear that Chinese would take over Kazakh land",
    "for campaigning": "Peyrouse: Bilash was charged with inciting ethnic hatred",
    "some of it to pay salaries": "Yau does not tie the US$10 million to salaries",
    "her earlier report": "the FPRI report with the 21 groups is Yau's later one",
}


def test_rejected_wordings_stay_out(atlas):
    texts = [(t.file, t.text) for t in [*atlas.essays.all(), *prose.yaml_texts(atlas)]]
    texts += [(atlas.origin(r.id), r.title) for r in atlas.records.values()]
    found = [
        f"{where}: '{phrase}' ({why})"
        for where, text in texts
        for phrase, why in REJECTED.items()
        if phrase in " ".join(text.lower().split())
    ]
    assert not found, "\n".join(found)
