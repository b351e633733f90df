"""The computed part of the home page, docs/index.md (`--8<-- "atlas/_includes/home.md"`):
headline figures, the map, countries, topics, core documents and the newest records. The home
page itself is the editors' Markdown; links here are relative to docs/index.md."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from generator import bibliography, editions, maps
from generator.core import views
from generator.core.markup import names_html
from generator.core.page import Page
from generator.core.paths import rel
from generator.core.site import Site
from generator.model import Atlas
from generator.schema import FOCUS, KIND_LABELS, Record
from generator.text import fmt_number

HOME_LATEST = 6


@dataclass(frozen=True, kw_only=True)
class HomeInclude:
    figures: list[dict[str, Any]]
    map: dict[str, Any]
    countries: list[dict[str, Any]]
    topics: list[dict[str, Any]]
    seeds: list[dict[str, Any]]
    latest: list[dict[str, Any]]
    questions: list[dict[str, str]]  # the front door: three questions a reader can click
    changes: dict[str, Any] | None  # the latest released edition: what it added, changed, withdrew
    explore: str
    methodology: str
    glossary: str
    conflicts: str
    cite: str
    edition: str
    edition_date: str


def keys(site: Site) -> list[None]:
    return [None]


def _figures(site: Site, records_count: Counter[str]) -> list[dict[str, Any]]:
    cov = views.coverage(site.atlas)
    return [
        {"value": cov["records"], "label": "cited records"},
        {"value": f"{cov['first_year']}–{cov['last_year']}", "label": "years covered"},
        *(
            {"value": fmt_number(records_count[k]), "label": KIND_LABELS[k][1][:1].lower() + KIND_LABELS[k][1][1:]}
            for k in ("meeting", "exercise", "training", "programme", "transfer", "surveillance")
            if records_count[k]
        ),
        {"value": fmt_number(cov["places"]), "label": "places"},
        {"value": fmt_number(cov["sources"]), "label": "sources cited"},
    ]


def _questions(site: Site, src: str, countries: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Three first questions, each answered by a page, with what that page will show computed
    from the data: compare the five, follow the company in most records, where sources disagree."""
    a = site.atlas
    ranked = sorted(countries, key=lambda c: -c["count"])
    companies = [o for o in a.organisations.values() if o.type == "company"]
    org = max(companies, key=lambda o: (len(a.records_of_organisation(o.id)), o.id)) if companies else None
    out = [
        {
            "question": "How do the five states compare?",
            "href": rel(src, site.paths.under("compare.md")),
            "answer": f"Records by kind, by year and key figures side by side: {ranked[0]['name']} has the most "
            f"({ranked[0]['count']}), {ranked[-1]['name']} the fewest ({ranked[-1]['count']}).",
        }
    ]
    if org is not None:
        rs = a.records_of_organisation(org.id)
        states = sorted({c for r in rs for c in r.participating if c in FOCUS})
        out.append(
            {
                "question": f"What did {org.name} do, and where?",
                "href": rel(src, site.paths.organisation(org.id)),
                "answer": f"{len(rs)} records in {len(states)} of the five states, each with its source; "
                "every organisation has such a page.",
            }
        )
    conflicted = a.conflicted()
    out.append(
        {
            "question": "Where do the sources disagree?",
            "href": rel(src, site.paths.under("conflicts.md")),
            "answer": f"{len(conflicted)} records whose sources give different dates, numbers or names, "
            "each value beside its source.",
        }
    )
    return out


def _changes(site: Site, src: str) -> dict[str, Any] | None:
    logs = editions.changelog(site.eds.editions)
    if not logs:
        return None
    ch = max(logs, key=lambda c: c.date)
    return {
        "edition": ch.edition,
        "date": ch.date,
        "href": rel(src, site.paths.edition(ch.edition)),
        "added": len(ch.added),
        "changed": len(ch.changed),
        "withdrawn": len(ch.withdrawn),
    }


def _events(a: Atlas, records: list[Record]) -> list[Record]:
    """Dated events, newest first: not figures or claims, not records dated by an article or the
    report that mentions them (`date_basis`), each event once."""
    return a.once([x for x in records if x.charted and x.when is not None and x.date_basis in (None, "stated")])


def build(site: Site, key: None = None) -> list[Page]:
    a = site.atlas
    src = "index.md"  # the page that includes it
    records = list(a.records.values())
    countries = []
    for c in a.focus_countries:
        rs = a.records_of_country(c.id)
        years = [x.when.year for x in rs if x.when]
        countries.append(
            {
                "name": c.name,
                "href": rel(src, site.paths.country(c.id)),
                "count": len(a.once(rs)),
                "years": f"{min(years)}–{max(years)}" if years else "",
                "names": names_html(c.names),
            }
        )
    the_map, files = maps.map_view(
        site, src, records, "map-home", rel(src, site.paths.under("records/index.md")), filters=False
    )
    page = HomeInclude(
        figures=_figures(site, Counter(x.kind for x in a.once(records))),
        map=the_map,
        countries=countries,
        topics=[
            {"title": t.title, "href": rel(src, site.paths.topic(t.id)), "count": len(a.records_of_topic(t.id))}
            for t in a.topics.values()
        ],
        seeds=[
            {
                "short": site.short[s.id],
                "href": rel(src, site.paths.source(s.id)),
                "full": bibliography.source_text(s),
                "count": len(a.cited_by.get(s.id, [])),
            }
            for s in a.sources.values()
            if s.seed
        ],
        latest=[
            {
                "title": x.title,
                "href": rel(src, site.paths.record(x.id)),
                "date": views.date_label(x),
                "kind": KIND_LABELS[x.kind][0],
                "detail": views.detail(site, x),
            }
            for x in _events(a, records)[:HOME_LATEST]
        ],
        questions=_questions(site, src, countries),
        changes=_changes(site, src),
        explore=rel(src, site.paths.under("index.md")),
        methodology=rel(src, site.paths.under("methodology.md")),
        glossary=rel(src, site.paths.under("glossary.md")),
        conflicts=rel(src, site.paths.under("conflicts.md")),
        cite=rel(src, "cite.md"),
        edition=site.cfg.edition,
        edition_date=site.cfg.edition_date,
    )
    return [site.render("includes/home.md.j2", site.paths.under("_includes/home.md"), page=page, map=page.map), *files]
