"""The glossary: terms and acronyms with their originals and cited definitions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.core.markup import names_html
from generator.core.page import Page
from generator.core.search import entity_names, search_data
from generator.core.site import Site


@dataclass(frozen=True, kw_only=True)
class GlossaryPage:
    title: str
    description: str
    terms: list[dict[str, Any]]
    references: list[dict[str, Any]]
    endnotes: list[dict[str, Any]]  # the Notes: one per note marker in the page's prose
    cite: dict[str, Any]
    search: Markup


def keys(site: Site) -> list[None]:
    return [None]


def build(site: Site, key: None = None) -> list[Page]:
    src = site.paths.under("glossary.md")
    refs = site.references(src)
    a = site.atlas
    terms = [
        {
            "id": g.id,
            "term": g.term,
            "expansion": g.expansion,
            "names": names_html(g.names),
            "definition": site.prose(g.definition, refs),
            "see": [{"term": a.glossary[x].term, "id": x} for x in g.see if x in a.glossary],
        }
        for g in sorted(a.glossary.values(), key=lambda g: g.term.lower())
    ]
    title = "Glossary"
    description = "Terms and acronyms of China's security engagement with Central Asia, with their originals."
    page = GlossaryPage(
        title=title,
        description=description,
        terms=terms,
        references=site.reference_views(refs),
        endnotes=site.note_views(refs),
        cite=site.cite(src, title, description, []),
        search=search_data(
            "Glossary",
            [
                n
                for g in a.glossary.values()
                for n in [*entity_names(g.term, g.aliases, g.expansion), *g.names.values()]
            ],
            field="terms",
        ),
    )
    return [site.render("glossary.md.j2", src, page=page)]
