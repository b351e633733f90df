"""Shared views of records: table rows, the line that tells records apart, groups by kind, key
figures, conflicts side by side, field values as shown, and a record's editions history.

Each takes the `Site` and returns plain values for the templates (escaped where they are Markup).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from generator import bibliography, prose
from generator.core.markup import lower_first
from generator.core.paths import Paths, rel, url_rel
from generator.dates import PartialDate
from generator.fieldtypes import qualified
from generator.model import Atlas, group_by_kind
from generator.schema import KIND_LABELS, RECORD_KINDS, Record
from generator.text import fmt_number

if TYPE_CHECKING:
    from generator.core.site import Site

FIELD_LABELS = {
    "ca_official": "Central Asian official",
    "cn_official": "Chinese official",
    "affairs_as_given": "Security affairs (source wording)",
    "security_topics": "Security topics",
    "scope": "Scope",
    "name": "Name",
    "framework": "Framework",
    "participants": "Participating states",
    "ca_forces": "Central Asian forces",
    "cn_forces": "Chinese forces",
    "size_total": "Personnel (total)",
    "size_chinese": "Personnel (Chinese)",
    "size_as_given": "Size (source wording)",
    "scenario": "Scenario",
    "training_type": "Type",
    "description_as_given": "Entry (source wording)",
    "trainer": "Trainer",
    "trainees": "Trainees",
    "duration_days": "Duration (days)",
    "duration_as_given": "Duration (source wording)",
    "area": "Area",
    "course_topic": "Course topic",
    "field_visits": "Field visits",
    "specifics": "Specifics",
    "transfer_type": "Type of transfer",
    "donor": "Chinese party",
    "recipient": "Recipient",
    "items": "Items",
    "quantity": "Quantity",
    "value": "Value",
    "currency": "Currency",
    "value_as_given": "Entry (source wording)",
    "system_type": "System",
    "vendors": "Vendors",
    "cameras": "Cameras",
    "cost": "Cost",
    "cost_as_given": "Cost (source wording)",
    "financing": "Financing",
    "capabilities": "Capabilities",
    "mechanism_type": "Type",
    "abbreviation": "Abbreviation",
    "members": "Members",
    "established": "Established",
    "facility_type": "Facility",
    "operator": "Operator",
    "company": "Company",
    "activities": "Activities",
    "incident_type": "Type of incident",
    "casualties": "Casualties",
    "deaths": "Deaths",
    "arrests": "Arrests",
    "deported": "Deported or returned",
    "personnel_count": "Personnel",
    "clients_count": "Clients",
    "participants_count": "Participants",
    "indicator": "Indicator",
    "unit": "Unit",
    "claim_type": "Type of claim",
    "area_basis": "Area classified by",
    "claim": "Claim",
}
# Shown instead of country names for records the source attributes to no named state.
REGION_LABELS = {"central-asia": "Central Asia (states not named)"}
DATE_BASIS = {
    "stated": " (date of the event, as the source states it)",
    "article": " (not the event's date: the publication date of the article the source cites)",
    "report": " (the source gives no date: dated by the report itself)",
}
AREA_BASIS = {
    "editors": "the atlas editors (the source gives only totals per area)",
    "source": "the source",
}
LATEST = 1  # newest record per kind shown on a country or topic page; all of them are on the kind's sub-page


def date_label(r: Record) -> str:
    d = r.when
    if d is None:
        return "undated"
    return d.label + (f" to {r.date_end.label}" if r.date_end else "")


def as_given(r: Record) -> str:
    """The source's own wording of the date, when it says more than the date itself."""
    if not r.date_as_given or (r.date and r.date_as_given in (r.date.iso, r.date.label)):
        return ""
    return f" (source: “{r.date_as_given}”)"


def row(site: Site, src: str, r: Record) -> dict[str, Any]:
    """One line of a record table."""
    a = site.atlas
    place = a.place_of(r)
    c = r.citations[0]
    source = a.sources[c.source]
    d = r.when
    return {
        "date": d.iso if d else "",
        "title": r.title,
        "href": rel(src, site.paths.record(r.id)),
        "url": url_rel(src, site.paths.record(r.id)),
        "kind": r.kind,
        "kind_label": KIND_LABELS[r.kind][0],
        "codes": ",".join(r.participating),
        "countries": REGION_LABELS[r.region] if r.region else countries_label(site, r),
        "place": place.name if place else "",
        "source": f"{site.short[source.id]}, {site.readable(c.locator)}",
        "conflict": bool(r.conflicts),
        "detail": detail(site, r),
    }


def countries_label(site: Site, r: Record) -> str:
    """The tagged countries, each not taking part marked with its role ("Kazakhstan (crossed)")."""
    a = site.atlas
    return ", ".join(
        a.countries[cc].name + ("" if cc in r.participating else f" ({r.roles[cc].replace('-', ' ')})")
        for cc in r.countries
    )


def detail(site: Site, r: Record) -> str:
    """A short line that tells apart records sharing a title: officials, name, place, items
    (made once per record and build)."""
    if (known := site.details.get(r.id)) is None:
        known = site.details[r.id] = _detail(site, r)
    return known


def _detail(site: Site, r: Record) -> str:
    a = site.atlas
    parts: list[str] = []
    if r.kind == "meeting":
        officials = [getattr(r, "ca_official", ""), getattr(r, "cn_official", "")]
        if not all(o in r.title for o in officials):
            parts.append(" with ".join(officials))
        topics = [site.vocab.get(t, t) for t in getattr(r, "security_topics", [])]
        affairs = getattr(r, "affairs_as_given", None) or "; ".join(topics)
        if affairs:
            parts.append(affairs if len(affairs) <= 80 else affairs[:77].rstrip() + "…")
    for attr in ("name", "items", "trainees", "course_topic", "system_type", "incident_type"):
        value = getattr(r, attr, None)
        if isinstance(value, str) and value and value != r.title:
            parts.append(value if len(value) <= 80 else value[:77].rstrip() + "…")
            break
    if r.places:
        parts.append(", ".join(a.places[p].name for p in r.places[:3]))
    return " · ".join(parts)


def groups(site: Site, src: str, records: list[Record], latest: int | None = None) -> list[dict[str, Any]]:
    """Records by kind; with `latest`, only the newest few and a link to the kind's sub-page."""
    return [
        {
            "kind": kind,
            "label": label,
            "anchor": kind.replace("_", "-"),
            "count": len(rows),
            "first": min((r.when.year for r in rows if r.when), default=""),
            "last": max((r.when.year for r in rows if r.when), default=""),
            "rows": [row(site, src, r) for r in (rows[:latest] if latest else rows)],
            "more_href": rel(src, Paths.kind(src, kind)) if latest else None,
        }
        for kind, label, rows in group_by_kind(records)
    ]


def figures(atlas: Atlas, records: list[Record]) -> list[dict[str, Any]]:
    """The key figures of a set of records: total, per kind, years, disagreements. Records of one
    event (`same_as`) count once."""
    events = atlas.once(records)
    counts = Counter(r.kind for r in events)
    dates = [r.date.year for r in records if r.date]
    label = "records" if len(events) == len(records) else "records (one event recorded twice counts once)"
    out = [{"value": fmt_number(len(events)), "label": label}]
    out += [
        {"value": fmt_number(counts[m.kind]), "label": lower_first(KIND_LABELS[m.kind][1])}
        for m in RECORD_KINDS.values()
        if counts[m.kind]
    ]
    if dates:
        out.append({"value": f"{min(dates)}–{max(dates)}", "label": "years covered"})
    conflicts = sum(1 for r in records if r.conflicts)
    if conflicts:
        out.append({"value": str(conflicts), "label": "records where sources disagree"})
    return out


def conflicts(site: Site, src: str, r: Record) -> list[dict[str, Any]]:
    """Each disputed field with every source's value side by side."""
    out = []
    for c in r.conflicts:
        values = []
        for v in c.values:
            s = site.atlas.sources[v.citation.source]
            values.append(
                {
                    "value": v.value,
                    "source": site.short[s.id],
                    "href": rel(src, site.paths.source(s.id)),
                    "locator": site.linked(src, bibliography.locator_text(v.citation)),
                }
            )
        out.append({"field": FIELD_LABELS.get(c.field, c.field), "note": c.note, "entries": values})
    return out


def value(site: Site, src: str, key: str, raw: Any, r: Record) -> Any:
    """A field's value as a record page shows it."""
    a = site.atlas
    if key in ("participants", "members"):
        return ", ".join(a.countries[c].name for c in raw)
    if key == "vendors":
        return site.org_links(src, raw)
    if key == "company":
        return site.org_links(src, [raw])
    if key == "security_topics":
        return "; ".join(site.vocab.get(t, t) for t in raw)
    if key == "indicator":
        return site.vocab.get(raw, raw)
    if key == "area_basis":
        return AREA_BASIS[raw]
    if key in ("value", "cost"):
        cur = getattr(r, "currency", None)
        return qualified(fmt_number(raw), r.precision.get(key)) + (f" {cur}" if cur else "")
    if isinstance(raw, PartialDate):
        return raw.label
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, (int, float)):
        return qualified(fmt_number(raw), r.precision.get(key))
    if isinstance(raw, list):
        return "; ".join(str(v) for v in raw)
    return raw


def history(site: Site, src: str, rid: str) -> dict[str, Any]:
    """When a record first appeared and last changed, by edition."""
    h = site.eds.histories.get(rid)

    def link(name: str) -> Markup:
        return rel(src, site.paths.edition(name))

    return {
        "first": {"name": h.first, "href": link(h.first)} if h and h.first else None,
        "last": {"name": h.last_changed, "href": link(h.last_changed)} if h and h.last_changed else None,
        "changes": [{"name": e, "what": what, "href": link(e)} for e, what in (h.changes if h else ())],
        "unreleased": bool(h and h.unreleased and site.eds.editions),
        "changelog_href": rel(src, site.paths.under("editions/index.md")),
        "current": site.eds.current,
    }


def coverage(atlas: Atlas) -> dict[str, Any]:
    """What the atlas covers: records, years, sources, places, organisations, disagreements."""
    a = atlas
    dated = [x.when for x in a.records.values() if x.when is not None]
    first, last = min(dated), max(dated)
    return {
        "records": fmt_number(len(a.records)),
        "first_year": first.year,
        "last_year": last.year,
        "sources": len([s for s in a.sources.values() if a.cited_by.get(s.id)]),
        "seeds": len([s for s in a.sources.values() if s.seed]),
        "conflicts": len(a.conflicted()),
        "places": len(a.places),
        "organisations": len(a.organisations),
    }


def cite_titles(site: Site) -> dict[str, str]:
    """The title each record is cited under, so that no two entries of a bibliography read alike:
    a record's own title where it is unique; where titles repeat, the date and place are added,
    then the kind, then what the record is about, then its position among the rest."""
    a = site.atlas
    by_title: dict[str, list[Record]] = {}
    for r in a.records.values():
        by_title.setdefault(r.title, []).append(r)
    out = {r.id: r.title for r in a.records.values()}
    for title, records in by_title.items():
        if len(records) == 1:
            continue

        def when_where(r: Record) -> list[str]:
            place = a.place_of(r)
            return [date_label(r), *([place.name] if place else [])]

        steps = [
            when_where,
            lambda r: [*when_where(r), lower_first(KIND_LABELS[r.kind][0])],
            lambda r: [*when_where(r), _words(detail(site, r).split(" · ")[-1 if r.places else 0], 60)],
        ]
        named = {r.id: title for r in records}
        for step in steps:
            named = {r.id: f"{title} ({', '.join(p for p in step(r) if p)})" for r in records}
            if len(set(named.values())) == len(records):
                break
        else:
            totals = {t: sum(1 for v in named.values() if v == t) for t in named.values()}
            seen: dict[str, int] = {}
            for r in sorted(records, key=lambda r: r.id):
                t = named[r.id]
                if totals[t] > 1:
                    seen[t] = seen.get(t, 0) + 1
                    named[r.id] = f"{t.removesuffix(')')}, {seen[t]} of {totals[t]})"
        out.update(named)
    return out


def _words(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def record_description(site: Site, r: Record) -> str:
    """A record page's description (its summary as plain text, or its kind and date): also the
    abstract its citation carries."""
    return prose.plain(r.summary or f"{KIND_LABELS[r.kind][0]}, {date_label(r)}.", site.atlas)[:300]


def cite_title(site: Site, rid: str) -> str:
    """cite_titles, computed once per build."""
    if not site.cite_titles:
        site.cite_titles.update(cite_titles(site))
    return site.cite_titles[rid]
