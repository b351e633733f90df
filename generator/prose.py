"""Editors' prose: inline citations `[@source, locator]` and data figures `[[count kind=...]]`.

Two kinds of text carry them:

- essays and page texts, Markdown files under `data/prose/` (country profiles, topic essays,
  the home page and the methodology), which the editors own like any docs/*.md page;
- YAML text fields (record summary and notes, country overview, entity notes, topic
  descriptions, glossary definitions), which are escaped like every YAML string.

Neither is ever handed to Jinja as template source: this module scans the text with its own two
regular expressions, checks every citation and figure against the atlas (reporting
`file:line: where: message (hint)` problems like the data validator), and produces Markdown
with the citations as links and the figures computed from the records at build time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from generator.errors import Problem
from generator.fieldtypes import LOCATOR_HINT, combined, locator_problem, qualified
from generator.messages import suggest
from generator.schema import RECORD_KINDS, Record
from generator.text import fmt_number, md

CITE = re.compile(r"\[@([^\[\]]*)\]")
FIGURE = re.compile(r"\[\[([^\[\]]*)\]\]")
TOKEN = re.compile(f"{CITE.pattern}|{FIGURE.pattern}")
OPS = ("count", "first", "last", "sum", "max", "min")
KINDS = {m.kind: m for m in RECORD_KINDS.values()}
RECORD_FIELDS = sorted({f for m in RECORD_KINDS.values() for f in m.model_fields})
NUMERIC = sorted(
    {
        f
        for m in RECORD_KINDS.values()
        for f, info in m.model_fields.items()
        if any(t in str(info.annotation) for t in ("int", "float")) and f not in ("id",)
    }
)
FILTERS = ("kind", "country", "topic", "place", "organisation", "source", "year", "from", "to")


@dataclass(frozen=True)
class Text:
    """A piece of prose and where it starts: file, line and the field it is (for messages)."""

    text: str
    file: str
    line: int
    where: str
    markdown: bool  # True: editors' Markdown (kept as written); False: YAML text (escaped)


@dataclass(frozen=True)
class Cite:
    source: str
    locator: str


@dataclass(frozen=True)
class Figure:
    op: str
    field: str | None
    filters: tuple[tuple[str, str], ...]
    raw: str


@dataclass
class Essays:
    """Markdown texts under data/prose/: countries/<slug>.md, topics/<id>.md, <page>.md."""

    countries: dict[str, Text] = field(default_factory=dict)
    topics: dict[str, Text] = field(default_factory=dict)
    pages: dict[str, Text] = field(default_factory=dict)

    def all(self) -> Iterator[Text]:
        yield from self.countries.values()
        yield from self.topics.values()
        yield from self.pages.values()


# --- parsing ------------------------------------------------------------------------------------


def _line(t: Text, pos: int) -> int:
    return t.line + (t.text.count("\n", 0, pos) if t.markdown else 0)


def parse_cites(body: str) -> tuple[list[Cite], list[tuple[str, str]]]:
    """`source, locator; @other, locator` -> citations, and (message, hint) problems."""
    cites, errors = [], []
    for i, part in enumerate(body.split(";")):
        part = part.strip()
        if i > 0:
            if not part.startswith("@"):
                errors.append((f"malformed citation '{part}'", "separate citations with `; @source, locator`"))
                continue
            part = part[1:]
        source, sep, locator = part.partition(",")
        source, locator = source.strip(), locator.strip()
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", source):
            errors.append((f"malformed source id '{source}'", "write `[@source-id, locator]` with the id from sources"))
        elif not sep or not locator:
            errors.append((f"citation of '{source}' has no locator", LOCATOR_HINT))
        elif (trouble := locator_problem(locator)) is not None:
            errors.append((trouble, LOCATOR_HINT))
        else:
            cites.append(Cite(source, locator))
    return cites, errors


def parse_figure(body: str) -> tuple[Figure | None, list[tuple[str, str]]]:
    words = body.split()
    if not words or words[0] not in OPS:
        hint = suggest(words[0], OPS) if words else None
        return None, [(f"unknown figure '[[{body}]]'", hint or f"start with one of: {', '.join(OPS)}")]
    op, errors, fld, filters = words[0], [], None, []
    for w in words[1:]:
        key, sep, value = w.partition("=")
        if not sep or not value:
            errors.append((f"'{w}' in [[{body}]] is not key=value", "write e.g. `kind=exercise country=KG`"))
        elif key == "field":
            fld = value
        else:
            filters.append((key, value))
    if op in ("sum", "max", "min") and fld is None:
        errors.append((f"[[{body}]] needs field=...", f"name a numeric field: {', '.join(NUMERIC)}"))
    return Figure(op, fld, tuple(filters), body), errors


MAX_MARKS = 2_000  # citations and figures in one text (the longest real essay has about 120)


def problems_in(t: Text, atlas: Any, memo: dict[str, list[tuple[str, str]]] | None = None) -> list[Problem]:
    """Every problem with the citations and figures of one text; a text with more than MAX_MARKS
    of them is one problem, found before any is computed (each figure scans every record)."""
    out: list[Problem] = []
    pos, lines = 0, 0  # newlines before `pos`, counted as the scan goes (not from the start each time)
    for n, m in enumerate(TOKEN.finditer(t.text), 1):
        lines += t.text.count("\n", pos, m.start()) if t.markdown else 0
        pos = m.start()
        if n > MAX_MARKS:
            return [
                Problem(
                    t.file,
                    _line(t, m.start()),
                    t.where,
                    f"more than {MAX_MARKS:,} citations and figures in one text",
                    "split the text, or cite once per paragraph",
                )
            ]
        line = t.line + lines
        if m.group(1) is not None:
            cites, errors = parse_cites(m.group(1))
            for c in cites:
                if c.source not in atlas.sources:
                    hint = suggest(c.source, atlas.sources) or "add it to data/sources.yaml first"
                    errors.append((f"unknown source '{c.source}'", hint))
        else:
            memo = {} if memo is None else memo
            if m.group(2) not in memo:  # each distinct figure is computed once
                fig, found = parse_figure(m.group(2))
                memo[m.group(2)] = found if not fig or found else _check_figure(fig, atlas)
            errors = list(memo[m.group(2)])
        out += [Problem(t.file, line, t.where, msg, hint) for msg, hint in errors]
    return out


def _check_figure(fig: Figure, atlas: Any) -> list[tuple[str, str]]:
    errors = []
    known = {
        "kind": KINDS,
        "country": atlas.countries,
        "topic": atlas.topics,
        "place": atlas.places,
        "organisation": atlas.organisations,
        "source": atlas.sources,
    }
    for key, value in fig.filters:
        if key in known:
            if value not in known[key]:
                hint = suggest(value, known[key]) or f"use an id from the {key} list"
                errors.append((f"unknown {key} '{value}' in [[{fig.raw}]]", hint))
        elif key in ("year", "from", "to"):
            if not value.isdigit():
                errors.append((f"{key}={value} in [[{fig.raw}]] is not a year", "write e.g. from=2010"))
        elif key not in RECORD_FIELDS:
            errors.append(
                (
                    f"unknown filter '{key}' in [[{fig.raw}]]",
                    suggest(key, [*FILTERS, *RECORD_FIELDS]) or f"filter on {', '.join(FILTERS)} or a record field",
                )
            )
    if fig.field is not None and fig.field not in NUMERIC:
        hint = suggest(fig.field, NUMERIC) or f"use one of: {', '.join(NUMERIC)}"
        errors.append((f"field '{fig.field}' in [[{fig.raw}]] is not numeric", hint))
    if not errors and fig.op != "count" and evaluate(fig, atlas) is None:
        errors.append((f"no record matches [[{fig.raw}]]", "check the filters; a first/last/sum needs records"))
    return errors


# --- computing figures --------------------------------------------------------------------------


def _match(r: Record, key: str, value: str) -> bool:
    if key == "kind":
        return r.kind == value
    if key == "country":  # took part or hosted: a country crossed or only named is not counted
        return value in r.participating
    if key == "topic":
        return value in r.topic_ids
    if key == "place":
        return value in r.places
    if key == "organisation":
        company = getattr(r, "company", None)
        return value in r.organisations or value in getattr(r, "vendors", []) or value == company
    if key == "source":  # cited for the record or for one of its conflicting values
        cited = [c.source for c in r.citations] + [v.citation.source for x in r.conflicts for v in x.values]
        return value in cited
    when = r.when
    if key == "year":
        return when is not None and when.year == int(value)
    if key == "from":
        return when is not None and when.year >= int(value)
    if key == "to":
        return when is not None and when.year <= int(value)
    v = getattr(r, key, None)
    if isinstance(v, list):
        return value in [str(x) for x in v]
    return v is not None and str(v).lower() == value.lower()


def select(fig: Figure, atlas: Any) -> list[Record]:
    """The matching records, each event once (records linked by `same_as` count as one)."""
    return atlas.once([r for r in atlas.records.values() if all(_match(r, k, v) for k, v in fig.filters)])


def evaluate(fig: Figure, atlas: Any) -> str | None:
    """The figure as text, or None when no record gives it a value."""
    records = select(fig, atlas)
    if fig.op == "count":
        return fmt_number(len(records))
    if fig.op in ("first", "last"):
        dated = [r.when for r in records if r.when is not None]
        if not dated:
            return None
        pick = min(dated) if fig.op == "first" else max(dated)
        return pick.label
    name = fig.field or ""
    typed: list[tuple[float, str | None]] = [
        (getattr(r, name), r.precision.get(name)) for r in records if _is_number(getattr(r, name, None))
    ]
    if not typed:
        return None
    if fig.op == "sum":
        return qualified(fmt_number(sum(v for v, _ in typed)), combined([p for _, p in typed]))
    value, precision = (max if fig.op == "max" else min)(typed, key=lambda vp: vp[0])
    return qualified(fmt_number(value), precision)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


# --- rendering ----------------------------------------------------------------------------------


@dataclass
class References:
    """The sources cited inline on one page, in order of first citation, for its Sources section."""

    href: Callable[[str], str]  # source id -> link to the source's page, relative to this page
    order: list[str] = field(default_factory=list)
    notes: list[list[Cite]] = field(default_factory=list)  # note n is notes[n - 1]: one citation group

    def add(self, source: str) -> None:
        if source not in self.order:
            self.order.append(source)

    def note(self, cites: list[Cite], join: bool = False) -> int:
        """A new note for one citation group (`join`: added to the last note); its number."""
        for c in cites:
            self.add(c.source)
        self.notes[-1:] = [self.notes[-1] + cites] if join else [*self.notes[-1:], list(cites)]
        return len(self.notes)


def render(t: Text | str, atlas: Any, refs: References) -> Markup:
    """Markdown for a text: each citation group a numbered note marker (after the word or stop it
    follows, linking its note in `refs.notes`; groups separated by spaces share one), figures
    computed. YAML text is escaped piece by piece: only markers and figures are markup we made."""
    if isinstance(t, str):
        t = Text(t, "", 0, "", markdown=False)
    out: list[str] = []
    pos, joined = 0, -1  # joined: where the text after the last marker starts
    for m in TOKEN.finditer(t.text):
        between = t.text[pos : m.start()]
        if m.group(1) is not None and pos == joined and not between.strip() and refs.notes:
            refs.note(parse_cites(m.group(1))[0], join=True)  # "[@a, p. 1] [@b, p. 2]": one marker
            pos = joined = m.end()
            continue
        out.append(_plain(between, t.markdown))
        pos = m.end()
        if m.group(1) is not None:
            if "\n\n" not in between[-3:]:  # the marker sits on the word before it
                out[-1] = out[-1].rstrip(" \t\n")
            n = refs.note(parse_cites(m.group(1))[0])
            stop = t.text[pos : pos + 1]
            if stop and stop in ".,;:":
                out.append(stop)
                pos += 1
            out.append(marker(n))
            joined = pos
        else:
            fig, _ = parse_figure(m.group(2))
            value = evaluate(fig, atlas) if fig else None
            out.append(md(value if value is not None else "?"))
    out.append(_plain(t.text[pos:], t.markdown))
    return Markup("".join(out))


def marker(n: int) -> str:
    """The note marker: a superscript link to note n (scripts add a popover with the note)."""
    a = f'<a href="#note-{n}" aria-label="Note {n}" aria-describedby="note-{n}">{n}</a>'
    return f'<sup class="atlas-note-ref" id="note-ref-{n}">{a}</sup>'


def _plain(text: str, markdown: bool) -> str:
    if markdown:
        return text
    # YAML text: escape, but keep single spaces at the joins with citations
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    body = md(text)
    return (lead + body + trail) if body else (" " if text and text.isspace() else "")


def words(text: str) -> int:
    """Words of prose, not counting citations and figures."""
    return len(TOKEN.sub(" ", text).split())


# --- the atlas' YAML text fields ----------------------------------------------------------------

YAML_FIELDS = ("summary", "notes", "overview", "description", "definition")


def yaml_texts(atlas: Any) -> Iterator[Text]:
    """Every YAML text field that may carry citations and figures, with its file and line."""
    for loc in atlas.located.values():
        for name in YAML_FIELDS:
            value = getattr(loc.obj, name, None)
            if isinstance(value, str) and value:
                item = loc.item
                yield Text(value, item.file, item.line_of((name,)), item.where((name,)), markdown=False)


_FENCE = re.compile(r"^(```|~~~)")
_CODE_SPAN = re.compile(r"`[^`]*`")


def docs_problems(pages: dict[str, str]) -> list[Problem]:
    """Editors' pages in docs/ are plain Markdown for mkdocs: a citation or figure there would be
    printed as typed, so it is reported (code blocks and `code` spans, which show the syntax, are not)."""
    out: list[Problem] = []
    for name, content in pages.items():
        fenced = False
        for n, line in enumerate(content.splitlines(), 1):
            if _FENCE.match(line.strip()):
                fenced = not fenced
                continue
            if fenced or line.startswith("    "):
                continue
            m = TOKEN.search(_CODE_SPAN.sub("", line))
            if m:
                out.append(
                    Problem(
                        name,
                        n,
                        "page",
                        f"'{m.group(0)}' is not processed in docs/ pages",
                        "write cited prose in data/prose/ (see docs/editors/writing.md)",
                    )
                )
    return out


def check(atlas: Any, essays: Essays) -> list[Problem]:
    problems: list[Problem] = []
    memo: dict[str, list[tuple[str, str]]] = {}
    for t in [*essays.all(), *yaml_texts(atlas)]:
        problems += problems_in(t, atlas, memo)
    slugs = {c.slug for c in atlas.countries.values() if c.focus}
    for slug, t in essays.countries.items():
        if slug not in slugs:
            problems.append(
                Problem(
                    t.file,
                    1,
                    "essay",
                    f"no focus country with slug '{slug}'",
                    suggest(slug, slugs) or f"name the file after one of: {', '.join(sorted(slugs))}",
                )
            )
    for tid, t in essays.topics.items():
        if tid not in atlas.topics:
            problems.append(
                Problem(
                    t.file,
                    1,
                    "essay",
                    f"no topic '{tid}'",
                    suggest(tid, atlas.topics) or f"name the file after a topic id: {', '.join(atlas.topics)}",
                )
            )
    return problems


def plain(text: str, atlas: Any = None) -> str:
    """One line of plain text (for descriptions and metadata): citations dropped, figures computed."""

    def figure(m: re.Match[str]) -> str:
        fig, errors = parse_figure(m.group(1))
        value = evaluate(fig, atlas) if fig and atlas is not None and not errors else None
        return value or ""

    text = FIGURE.sub(figure, CITE.sub("", text))
    return re.sub(r"\s+([.,;:])", r"\1", re.sub(r"\s+", " ", text)).strip()
