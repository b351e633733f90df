"""Pages that guide the reader: the home page's generated part, methodology, glossary, coverage.

The home page and About are editors' Markdown in docs/; what must be computed from the data
(headline figures, the overview map, counts, the date coverage) is generated into
docs/atlas/_includes/ and pulled in with pymdownx.snippets (a Markdown extension, not a hook, so
it works in MkDocs and Zensical alike). Those includes are excluded from the build as pages.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from generator import citations, prose
from generator.schema import KIND_LABELS
from generator.text import fmt_number

if TYPE_CHECKING:
    from generator.render import Page, Renderer

HOME_LATEST = 6


def guide_pages(r: Renderer) -> list[Page]:
    pages = [home_include(r), coverage_include(r), glossary_page(r)]
    if "methodology" in r.atlas.essays.pages:
        pages.append(methodology_page(r))
    return pages


def coverage(r: Renderer) -> dict[str, Any]:
    a = r.atlas
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


def coverage_include(r: Renderer) -> Page:
    return r._render("includes/coverage.md.j2", f"{r.out}/_includes/coverage.md", cov=coverage(r))


def home_include(r: Renderer) -> Page:
    """The computed part of docs/index.md; its links are relative to docs/index.md."""
    a = r.atlas
    src = "index.md"  # the page that includes it
    records = list(a.records.values())
    counts = Counter(x.kind for x in records)
    cov = coverage(r)
    figures = [
        {"value": cov["records"], "label": "cited records"},
        {"value": f"{cov['first_year']}–{cov['last_year']}", "label": "years covered"},
        *(
            {"value": fmt_number(counts[k]), "label": KIND_LABELS[k][1][:1].lower() + KIND_LABELS[k][1][1:]}
            for k in ("meeting", "exercise", "training", "programme", "transfer", "surveillance")
            if counts[k]
        ),
        {"value": fmt_number(cov["places"]), "label": "places"},
        {"value": fmt_number(cov["sources"]), "label": "sources cited"},
    ]
    countries = []
    for c in a.focus_countries:
        rs = a.records_of_country(c.id)
        years = [x.when.year for x in rs if x.when]
        countries.append(
            {
                "name": c.name,
                "href": r.rel(src, r.country_path(c.id)),
                "count": len(rs),
                "years": f"{min(years)}–{max(years)}" if years else "",
                "names": r.names_html(c.names),
            }
        )
    topics = [
        {"title": t.title, "href": r.rel(src, r.topic_path(t.id)), "count": len(a.records_of_topic(t.id))}
        for t in a.topics.values()
    ]
    seeds = [
        {
            "short": r.short[s.id],
            "href": r.rel(src, r.source_path(s.id)),
            "full": citations.source_text(s),
            "count": len(a.cited_by.get(s.id, [])),
        }
        for s in a.sources.values()
        if s.seed
    ]
    latest = [
        {
            "title": x.title,
            "href": r.rel(src, r.record_path(x.id)),
            "date": r._date_label(x),
            "kind": KIND_LABELS[x.kind][0],
            "detail": r.detail(x),
        }
        for x in records[:HOME_LATEST]
    ]
    page = {
        "figures": figures,
        "map": r.map_view(src, records, "map-home", r.rel(src, f"{r.out}/records/index.md"), filters=False),
        "countries": countries,
        "topics": topics,
        "seeds": seeds,
        "latest": latest,
        "explore": r.rel(src, f"{r.out}/index.md"),
        "methodology": r.rel(src, f"{r.out}/methodology.md"),
        "glossary": r.rel(src, f"{r.out}/glossary.md"),
        "conflicts": r.rel(src, f"{r.out}/conflicts.md"),
        "cite": r.rel(src, "cite.md"),
        "edition": r.cfg.edition,
        "edition_date": r.cfg.edition_date,
    }
    return r._render("includes/home.md.j2", f"{r.out}/_includes/home.md", page=page, map=page["map"])


def methodology_page(r: Renderer) -> Page:
    src = f"{r.out}/methodology.md"
    refs = r.references(src)
    page = {
        "description": "What the atlas includes and why, how records are coded, how conflicts are kept, known gaps.",
        "body": r.prose(src, r.atlas.essays.pages["methodology"], refs),
        "coverage": coverage(r),
    }
    page["references"] = r.reference_views(refs)
    page["cite"] = r.cite(src, "Methodology", page["description"], [])
    return r._render("methodology.md.j2", src, page=page)


def glossary_page(r: Renderer) -> Page:
    src = f"{r.out}/glossary.md"
    refs = r.references(src)
    a = r.atlas
    terms = [
        {
            "id": g.id,
            "term": g.term,
            "expansion": g.expansion,
            "names": r.names_html(g.names),
            "definition": r.prose(src, g.definition, refs),
            "see": [{"term": a.glossary[x].term, "id": x} for x in g.see if x in a.glossary],
        }
        for g in sorted(a.glossary.values(), key=lambda g: g.term.lower())
    ]
    page = {
        "description": "Terms and acronyms of China's security engagement with Central Asia, with their originals.",
        "terms": terms,
    }
    page["references"] = r.reference_views(refs)
    page["cite"] = r.cite(src, "Glossary", page["description"], [])
    return r._render("glossary.md.j2", src, page=page)


def words(text: str) -> int:
    return prose.words(text)
