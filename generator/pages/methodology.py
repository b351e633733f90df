"""The methodology page: the essay data/prose/methodology.md with the coverage figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.core import views
from generator.core.page import Page
from generator.core.site import Site


@dataclass(frozen=True, kw_only=True)
class MethodologyPage:
    title: str
    description: str
    body: Markup
    coverage: dict[str, Any]
    references: list[dict[str, Any]]
    endnotes: list[dict[str, Any]]  # the Notes: one per note marker in the page's prose
    cite: dict[str, Any]


def keys(site: Site) -> list[None]:
    return [None] if "methodology" in site.atlas.essays.pages else []


def build(site: Site, key: None = None) -> list[Page]:
    src = site.paths.under("methodology.md")
    refs = site.references(src)
    title = "Methodology"
    description = "What the atlas includes and why, how records are coded, how conflicts are kept, known gaps."
    body = site.prose(site.atlas.essays.pages["methodology"], refs)
    page = MethodologyPage(
        title=title,
        description=description,
        body=body,
        coverage=views.coverage(site.atlas),
        references=site.reference_views(refs),
        endnotes=site.note_views(refs),
        cite=site.cite(src, title, description, [], origin=site.atlas.essays.pages["methodology"].file),
    )
    return [site.render("methodology.md.j2", src, page=page)]
