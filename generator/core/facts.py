"""A country page's infobox (pages.country), and the smaller one of organisation and place pages (entity_infobox): the key facts computed from its records (counts, years,
trainees, transfer values, surveillance systems, main partner organisations), each count linking its
records by kind."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from generator.core.paths import Paths, url_rel
from generator.core.site import Site
from generator.model import group_by_kind
from generator.schema import Record
from generator.text import fmt_number

# The kinds the infobox names, in order, with the label of their count.
KINDS = (
    ("meeting", "Meetings"),
    ("exercise", "Joint exercises"),
    ("training", "Training and exchanges"),
    ("programme", "Training programmes in China"),
    ("transfer", "Transfers"),
    ("surveillance", "Surveillance systems"),
    ("incident", "Incidents and cases"),
)
KIND_VALUE = {"transfer": "value", "surveillance": "cost"}  # the field whose sum the infobox gives


def money(value: float, currency: str) -> str:
    """`USD 14.5 million`, `CNY 300,000`."""
    if value >= 1_000_000:
        return f"{currency} {fmt_number(round(value / 1_000_000, 1))} million"
    return f"{currency} {fmt_number(value)}"


def stated_values(records: list[Record], field: str) -> str | None:
    """The stated values of the records summed per currency, and how many records state one."""
    sums: dict[str, float] = defaultdict(float)
    stated = 0
    for r in records:
        v, cur = getattr(r, field, None), getattr(r, "currency", None)
        if isinstance(v, (int, float)) and cur:
            sums[cur] += v
            stated += 1
    if not stated:
        return None
    total = ", ".join(money(v, cur) for cur, v in sorted(sums.items()))
    return f"{total} ({stated} of {len(records)} with a stated value)"


def infobox(site: Site, src: str, records: list[Record]) -> list[dict[str, Any]]:
    """Rows of label, value and (for counts) the link to the records of that kind."""
    a = site.atlas
    events = a.once(records)
    by_kind: dict[str, list[Record]] = defaultdict(list)
    for r in events:
        by_kind[r.kind].append(r)
    years = sorted(r.when.year for r in events if r.when is not None)
    rows: list[dict[str, Any]] = [{"label": "Records", "value": fmt_number(len(events)), "href": "#records-by-kind"}]
    if years:
        rows.append({"label": "Years", "value": f"{years[0]}–{years[-1]}", "href": None})
    for kind, label in KINDS:
        if by_kind[kind]:
            href = url_rel(src, Paths.kind(src, kind))
            rows.append({"label": label, "value": fmt_number(len(by_kind[kind])), "href": href})
        if kind == "training":
            trainees = [n for r in by_kind[kind] if (n := getattr(r, "trainees_count", None))]
            if trainees:
                value = f"{fmt_number(sum(trainees))} (counted in {len(trainees)} of {len(by_kind[kind])} records)"
                rows.append({"label": "Trainees", "value": value, "href": None, "wide": True})
        if kind in ("transfer", "surveillance") and (v := stated_values(by_kind[kind], KIND_VALUE[kind])):
            label = "Stated value" if kind == "transfer" else "Stated cost"
            rows.append({"label": label, "value": v, "href": None, "wide": True})
    partners = Counter(o for r in events for o in dict.fromkeys([*r.organisations, *getattr(r, "vendors", [])]))
    top = [o for o, _ in partners.most_common(3)]
    if top:
        names = [(a.organisations[o].name, url_rel(src, site.paths.organisation(o))) for o in top]
        rows.append({"label": "Main partner organisations", "links": names, "href": None, "wide": True})
    return [{"links": [], "wide": False, **row} for row in rows]


def entity_infobox(site: Site, src: str, records: list[Record], top: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """An organisation's or place's smaller infobox, computed from its records: how many (each
    event once), first and last year, the kinds (each linking its group on the page), the states
    taking part and `top`, its main partners (name, href)."""
    a = site.atlas
    events = a.once(records)
    rows: list[dict[str, Any]] = [{"label": "Records", "value": fmt_number(len(events)), "href": "#records"}]
    years = sorted(r.when.year for r in events if r.when is not None)
    if years:
        rows.append({"label": "Years", "value": f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])})
    kinds = group_by_kind(events)
    if kinds:
        anchors = [(f"{label} ({len(rows_)})", f"#{kind.replace('_', '-')}") for kind, label, rows_ in kinds]
        rows.append({"label": "Kinds", "links": anchors, "wide": True})
    states = Counter(code for r in events for code in r.participating)
    if states:
        links: list[tuple[str, str | None]] = []
        for code, n in sorted(states.items(), key=lambda x: (-x[1], a.countries[x[0]].name)):
            c = a.countries[code]
            links.append((f"{c.name} ({n})", url_rel(src, site.paths.country(code)) if c.focus else None))
        rows.append({"label": "States taking part", "links": links, "wide": True})
    if top:
        rows.append({"label": "Main partners", "links": top, "wide": True})
    return [{"links": [], "wide": False, "href": None, **row} for row in rows]
