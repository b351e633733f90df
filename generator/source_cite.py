"""Cite this source: a source of the atlas as a reference of its own, in the formats of a page's
citation (generator/cite.py), and what reference managers read of it in a page's head.

One CSL-JSON item per source, from what data/sources*.yaml holds: persons ("Family, Given") and
corporate names, the container, publisher and place, the date to the precision given, volume,
issue, pages, URL, DOI, ISBN and language. The styles run on the same citeproc path as a page's
citation (`cite.style_text`); BibTeX is the one entry of the downloads' sources.bib.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import rispy

from generator import cite
from generator.schema import Source

# The data's source types as CSL types (https://docs.citationstyles.org/en/stable/specification.html#appendix-iii-types).
CSL_TYPES = {
    "article": "article-journal",
    "report": "report",
    "book": "book",
    "chapter": "chapter",
    "news": "article-newspaper",
    "web": "webpage",
    "dataset": "dataset",
    "document": "document",
}
# The container of a report or book is its series; of the others, the periodical, book or site.
_SERIES = ("report", "book")
# BibTeX types as Zotero's BibTeX import reads them (translators/BibTeX.js): a web page is
# biblatex's @online, which Zotero imports as a web page, as it does the RIS (ELEC) and CSL
# (webpage) of the same source; as @misc it became a "document" with the site's name in Extra.
_BIBTEX_TYPES = {
    "article": "article",
    "book": "book",
    "chapter": "incollection",
    "report": "techreport",
    "web": "online",
}
_RIS_TYPES = {
    "article": "JOUR",
    "report": "RPRT",
    "book": "BOOK",
    "chapter": "CHAP",
    "news": "NEWS",
    "web": "ELEC",
    "dataset": "DATA",
    "document": "GEN",
}


def key(s: Source) -> str:
    """The source's citation key and CSL id: its id in the data."""
    return s.id


def csl_item(s: Source) -> dict[str, Any]:
    item: dict[str, Any] = {"id": key(s), "type": CSL_TYPES[s.type], "title": cite.one_line(s.title)}
    if s.authors:
        item["author"] = [cite.csl_name(a) for a in s.authors]
    if s.date:
        item["issued"] = {"date-parts": [[p for p in (s.date.year, s.date.month, s.date.day) if p]]}
    if s.container:
        item["collection-title" if s.type in _SERIES else "container-title"] = s.container
    for field, value in (
        ("publisher", s.publisher),
        ("publisher-place", s.place),
        ("volume", s.volume),
        ("issue", s.issue),
        ("page", s.pages),
        ("URL", s.url),
        ("DOI", s.doi),
        ("ISBN", s.isbn),
        ("language", s.language),
    ):
        if value:
            item[field] = value
    if s.accessed and s.url:
        item["accessed"] = {"date-parts": [[p for p in (s.accessed.year, s.accessed.month, s.accessed.day) if p]]}
    return item


def bibtex(s: Source) -> str:
    """A source for reference managers and LaTeX, the one entry of the page and of sources.bib:
    every value escaped (a raw `&` broke pdflatex), corporate authors braced, the title braced so
    its proper nouns keep their capitals, a `langid` for a title in another language (biblatex then
    hyphenates and cases it right), and a `key` where there is no author, the label natbib sorts
    and cites by (plainnat falls back to three letters of the citation key; biblatex uses the
    title)."""
    kind = _BIBTEX_TYPES.get(s.type, "misc")
    # the container's fields; @online: booktitle is Zotero's website title, and natbib styles,
    # which read @online as @misc, print howpublished
    containers: dict[str, tuple[str, ...]] = {
        "article": ("journal",),
        "incollection": ("booktitle",),
        "misc": ("howpublished",),
        "online": ("booktitle", "howpublished"),
    }
    publisher = {"techreport": "institution", "online": "organization"}.get(kind, "publisher")
    fields = [
        ("author", " and ".join(cite.bibtex_name(a) for a in s.authors)),
        ("key", "" if s.authors else cite.latex_escape(s.container or s.publisher or s.title)),
        ("title", "{" + cite.latex_escape(s.title) + "}"),
        *((field, cite.latex_escape(s.container or "")) for field in containers.get(kind, ("series",))),
        (publisher, cite.latex_escape(s.publisher or "")),
        ("address", cite.latex_escape(s.place or "")),
        ("year", str(s.date.year) if s.date else ""),
        ("date", s.date.iso if s.date and s.date.month else ""),  # biblatex; BibTeX reads the year
        ("volume", cite.latex_escape(s.volume or "")),
        ("number", cite.latex_escape(s.issue or "")),
        ("pages", cite.latex_escape((s.pages or "").replace("-", "--").replace("----", "--"))),
        ("url", _verbatim(s.url)),
        ("doi", _verbatim(s.doi)),
        ("isbn", cite.latex_escape(s.isbn or "")),
        ("urldate", s.accessed.iso if s.accessed and s.url else ""),
        ("langid", cite.LANGIDS.get((s.language or "").split("-")[0].lower(), "")),
    ]
    return cite.bibtex_entry(kind, key(s), [(k, v) for k, v in fields if v])


def _verbatim(value: str | None) -> str:
    """A URL or DOI as BibTeX takes it verbatim: no brace, backslash or space can break the entry
    (`%` and `#` are read by \\url as they are)."""
    return re.sub(r"[{}\\\s]", "", value or "")


def ris(s: Source) -> str:
    entry: dict[str, Any] = {
        "type_of_reference": _RIS_TYPES[s.type],
        "title": cite.one_line(s.title),
        "id": key(s),
    }
    if s.authors:
        entry["authors"] = list(s.authors)
    if s.date:
        entry["year"] = f"{s.date.year:04d}"
        entry["date"] = "/".join([f"{s.date.year:04d}", f"{s.date.month or 0:02d}", f"{s.date.day or 0:02d}"])
        entry["date"] = entry["date"].replace("/00", "/")
    for field, value in (
        ("secondary_title", s.container),
        ("publisher", s.publisher),
        ("place_published", s.place),
        ("volume", s.volume),
        ("number", s.issue),
        ("doi", s.doi),
        ("issn", s.isbn),
        ("language", s.language),
    ):
        if value:
            entry[field] = value
    if s.pages:
        first, _, last = s.pages.partition("-")
        entry["start_page"] = first.strip()
        if last:
            entry["end_page"] = last.strip()
    if s.url:
        entry["urls"] = [s.url]
    return rispy.dumps([entry], implementation=cite.RisWriter)


def formats(s: Source, cache_dir: Path | None = None) -> dict[str, str]:
    item = csl_item(s)
    out = {style: cite.style_text(item, style, cache_dir) for style in cite.STYLES}
    out["bibtex"] = bibtex(s)
    out["ris"] = ris(s)
    out["csl"] = cite.csl_json(item)
    return out


_SCHOLAR_CONTAINERS = {
    "chapter": "citation_inbook_title",
    "report": "citation_series_title",
    "book": "citation_series_title",
}


def scholar_reference(s: Source) -> str:
    """A `citation_reference` meta value as Google Scholar reads it: `citation_title=...;
    citation_author=...; ...` (a `;` inside a value would end it, so it becomes a comma)."""
    pairs = [("citation_title", s.title), *(("citation_author", a) for a in s.authors)]
    if s.date:
        pairs.append(("citation_publication_date", s.date.iso.replace("-", "/")))
    if s.container:
        pairs.append((_SCHOLAR_CONTAINERS.get(s.type, "citation_journal_title"), s.container))
    for name, value in (
        ("citation_publisher", s.publisher),
        ("citation_volume", s.volume),
        ("citation_issue", s.issue),
        ("citation_doi", s.doi),
        ("citation_isbn", s.isbn),
    ):
        if value:
            pairs.append((name, value))
    return "; ".join(f"{k}={cite.one_line(v).replace(';', ',')}" for k, v in pairs)


def ld_work(s: Source) -> dict[str, Any]:
    """The source as a schema.org CreativeWork (a page's JSON-LD `citation`)."""
    work: dict[str, Any] = {"@type": _LD_TYPES.get(s.type, "CreativeWork"), "name": cite.one_line(s.title)}
    if s.authors:
        work["author"] = [_ld_agent(a) for a in s.authors]
    if s.date:
        work["datePublished"] = s.date.iso
    if s.container:
        work["isPartOf"] = {"@type": "CreativeWork", "name": s.container}
    if s.publisher:
        work["publisher"] = {"@type": "Organization", "name": s.publisher}
    if s.url:
        work["url"] = s.url
    if s.doi:
        work["sameAs"] = f"https://doi.org/{s.doi}"
    if s.language:
        work["inLanguage"] = s.language
    return work


_LD_TYPES = {"article": "ScholarlyArticle", "report": "Report", "book": "Book", "chapter": "Chapter"}
_LD_TYPES |= {"news": "NewsArticle", "web": "WebPage", "dataset": "Dataset"}


def _ld_agent(name: str) -> dict[str, str]:
    family, _, given = name.partition(",")
    if given.strip():
        return {"@type": "Person", "name": f"{given.strip()} {family.strip()}", "familyName": family.strip()}
    return {"@type": "Organization", "name": name.strip()}
