"""Stage 4: turn the atlas into Markdown pages (path under docs/ -> text), in memory."""

from __future__ import annotations

import hashlib
import posixpath
import re
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator import charts, citations, cite, editions, entities, guide, maps, prose
from generator.config import SiteConfig
from generator.dates import PartialDate
from generator.errors import TemplateError
from generator.model import Atlas, group_by_kind, organisations_of
from generator.schema import KIND_LABELS, RECORD_KINDS, Country, Record
from generator.text import finalize, fmt_number, lang_names, md, yaml_scalar

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
    "stated": " (date as the source states it)",
    "report": " (the source gives no date: dated by the report itself)",
}
AREA_BASIS = {
    "editors": "the atlas editors (the source gives only totals per area)",
    "source": "the source",
}


@dataclass(frozen=True)
class Page:
    path: str  # relative to docs/, e.g. "atlas/records/x.md"
    text: str


# The preview sets MEMO: record pages are kept between builds, keyed by everything they are made
# from (Renderer._record_inputs); tests/test_render.py checks that edits of every kind give the same
# pages as a build without it. A one-off build leaves it off.
MEMO = False
_MEMO: dict[tuple[str, str], tuple[tuple[Any, ...], Page]] = {}


class Renderer:
    def __init__(self, atlas: Atlas, cfg: SiteConfig, templates: Path, *, with_maps: bool = True) -> None:
        self.atlas = atlas
        self.with_maps = with_maps  # the benchmark turns maps off to measure what they cost
        self.cfg = cfg
        self.out = cfg.out_rel  # "atlas"
        self.env = _current_environment(templates.resolve())
        cite.CACHE_DIR = cfg.root / ".cache" / "cite"  # citation skeletons, kept between builds
        self._dumps: dict[str, str] = {}  # record id -> its JSON, for the preview's MEMO keys
        self._context_digest: str | None = None
        self.vocab = {t.id: t.label for v in atlas.vocabularies.values() for t in v.terms}
        self.short = citations.short_labels(list(atlas.sources.values()))
        # source ids written in locators ("cited in yau-2022-fpri, note 48") are shown as labels
        self._ids = re.compile(r"\b(" + "|".join(sorted(map(re.escape, self.short), key=len, reverse=True)) + r")\b")
        self.basemap = maps.Basemap.load(cfg.root)
        self.extra: list[Page] = []  # non-Markdown files made while rendering (chart CSVs, SVGs)
        self._details: dict[str, str] = {}  # record id -> its distinguishing line (see detail)
        self.eds = editions.State.load(cfg.root, atlas, (cfg.edition, cfg.edition_date))

    # --- paths --------------------------------------------------------------------------------

    def record_path(self, rid: str) -> str:
        return f"{self.out}/records/{rid}.md"

    def country_path(self, code: str) -> str:
        return f"{self.out}/countries/{self.atlas.countries[code].slug}.md"

    def topic_path(self, tid: str) -> str:
        return f"{self.out}/topics/{tid}.md"

    def place_path(self, pid: str) -> str:
        return f"{self.out}/places/{pid}.md"

    def organisation_path(self, oid: str) -> str:
        return f"{self.out}/organisations/{oid}.md"

    def source_path(self, sid: str) -> str:
        return f"{self.out}/sources/{sid}.md"

    def kind_path(self, parent: str, kind: str) -> str:
        """Sub-page listing every record of one kind of a country or topic page (out of the nav)."""
        return f"{parent.removesuffix('.md')}/{kind.replace('_', '-')}.md"

    @staticmethod
    def rel(src: str, dst: str) -> Markup:
        """Markdown link from page `src` to `dst` (both relative to docs/), with optional #anchor."""
        dst_path, _, anchor = dst.partition("#")
        link = _relpath(dst_path, src.rpartition("/")[0])
        return Markup(link + (f"#{anchor}" if anchor else ""))

    @staticmethod
    def url_rel(src: str, dst: str) -> str:
        """Browser URL from page `src` to docs file `dst`, given directory URLs (x.md -> x/)."""
        src_dir = src.removesuffix(".md").removesuffix("index")
        dst_url = dst.removesuffix(".md").removesuffix("index")
        if dst.endswith(".md") and dst_url and not dst_url.endswith("/"):
            dst_url += "/"
        return _relpath(dst_url or ".", src_dir.rstrip("/") or ".") + ("/" if dst.endswith(".md") else "")

    # --- prose --------------------------------------------------------------------------------

    def prose(self, src: str, text: prose.Text | str | None, refs: prose.References) -> Markup:
        """Editors' prose or YAML text with its citations linked and its figures computed."""
        if not text:
            return Markup("")
        return prose.render(text, self.atlas, self.short, refs)

    def references(self, src: str) -> prose.References:
        return prose.References(lambda sid: self.url_rel(src, self.source_path(sid)))

    def reference_views(self, refs: prose.References) -> list[dict[str, Any]]:
        """The page's Sources section: every source cited inline, with its full reference."""
        return [
            {
                "id": sid,
                "short": self.short[sid],
                "full": citations.source_text(self.atlas.sources[sid]),
                "href": refs.href(sid),
            }
            for sid in refs.order
        ]

    @staticmethod
    def link(href: str, text: str) -> Markup:
        return Markup(f"[{md(text)}]({href})")

    @staticmethod
    def autolink(url: str) -> Markup:
        """An external address from the data, escaped, as a Markdown autolink (validation admits
        only http(s) addresses; anything else is shown as text, never as a link or a tag)."""
        if not re.match(r"^https?://[^\s<>\"'`\\]+$", url):
            return Markup(md(url))
        return Markup(f"<{md(url)}>")

    @staticmethod
    def join_links(links: list[tuple[str, str]]) -> Markup:
        return Markup("; ".join(f"[{md(text)}]({href})" for href, text in links))

    @staticmethod
    def names_html(names: dict[str, str]) -> Markup:
        """Names in other scripts, each tagged with its language for screen readers and fonts."""
        return Markup(" · ".join(f'<span lang="{md(lang)}">{md(name)}</span>' for lang, name in names.items() if name))

    # --- shared views -------------------------------------------------------------------------

    def _date_label(self, r: Record) -> str:
        d = r.when
        if d is None:
            return "undated"
        return d.label + (f" to {r.date_end.label}" if r.date_end else "")

    def row(self, src: str, r: Record) -> dict[str, Any]:
        place = self.atlas.place_of(r)
        c = r.citations[0]
        source = self.atlas.sources[c.source]
        d = r.when
        return {
            "date": d.iso if d else "",
            "title": r.title,
            "href": self.rel(src, self.record_path(r.id)),
            "url": self.url_rel(src, self.record_path(r.id)),
            "kind_label": KIND_LABELS[r.kind][0],
            "countries": REGION_LABELS[r.region]
            if r.region
            else ", ".join(self.atlas.countries[cc].name for cc in r.countries),
            "place": place.name if place else "",
            "source": f"{self.short[source.id]}, {self.readable(c.locator)}",
            "conflict": bool(r.conflicts),
            "detail": self.detail(r),
        }

    def detail(self, r: Record) -> str:
        """A short line that tells apart records sharing a title: officials, name, place, items."""
        if (known := self._details.get(r.id)) is None:
            known = self._details[r.id] = self._detail(r)
        return known

    def _detail(self, r: Record) -> str:
        a = self.atlas
        parts: list[str] = []
        if r.kind == "meeting":
            officials = [getattr(r, "ca_official", ""), getattr(r, "cn_official", "")]
            if not all(o in r.title for o in officials):
                parts.append(" with ".join(officials))
            topics = [self.vocab.get(t, t) for t in getattr(r, "security_topics", [])]
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

    def groups(self, src: str, records: list[Record], latest: int | None = None) -> list[dict[str, Any]]:
        """Records by kind; with `latest`, only the newest few and a link to the kind's sub-page."""
        return [
            {
                "kind": kind,
                "label": label,
                "anchor": kind.replace("_", "-"),
                "count": len(rows),
                "first": min((r.when.year for r in rows if r.when), default=""),
                "last": max((r.when.year for r in rows if r.when), default=""),
                "rows": [self.row(src, r) for r in (rows[:latest] if latest else rows)],
                "more_href": self.rel(src, self.kind_path(src, kind)) if latest else None,
            }
            for kind, label, rows in group_by_kind(records)
        ]

    def kind_pages(self, parent: str, title: str, back: str, records: list[Record]) -> list[Page]:
        """One page per kind with every record of the parent page of that kind."""
        pages = []
        for kind, label, rows in group_by_kind(records):
            src = self.kind_path(parent, kind)
            page = {
                "title": f"{title}: {label}",
                "description": f"All {len(rows)} {label.lower()} records of the page {title}.",
                "back": self.rel(src, parent),
                "back_title": title,
                "rows": [self.row(src, r) for r in rows],
                "count": len(rows),
            }
            page["cite"] = self.cite(src, page["title"], page["description"], [r.id for r in rows])
            pages.append(self._render("kind.md.j2", src, page=page))
        return pages

    def figures(self, records: list[Record]) -> list[dict[str, Any]]:
        counts = Counter(r.kind for r in records)
        dates = [r.date.year for r in records if r.date]
        out = [{"value": fmt_number(len(records)), "label": "records"}]
        out += [
            {"value": fmt_number(counts[m.kind]), "label": _lower_first(KIND_LABELS[m.kind][1])}
            for m in RECORD_KINDS.values()
            if counts[m.kind]
        ]
        if dates:
            out.append({"value": f"{min(dates)}–{max(dates)}", "label": "years covered"})
        conflicts = sum(1 for r in records if r.conflicts)
        if conflicts:
            out.append({"value": str(conflicts), "label": "records where sources disagree"})
        return out

    def map_view(
        self,
        src: str,
        records: list[Record],
        map_id: str,
        table_href: str | None,
        filters: bool = False,
        country: Country | None = None,
    ) -> dict[str, Any]:
        if not self.with_maps:
            return {"html": None, "count": 0, "table_href": table_href}
        built = maps.records_map(self, src, records, map_id, filters=filters, country=country)
        return {"html": built.html, "count": built.count, "table_href": table_href}

    def chart_view(
        self, src: str, records: list[Record], chart_id: str, caption: str, by: str = "kind"
    ) -> dict[str, Any] | None:
        chart = charts.per_year_chart(self, src, records, chart_id, caption, by=by)
        if chart:
            self.extra.append(Page(chart["csv_path"], chart["csv"]))
        return chart

    def value_chart_views(self, src: str, records: list[Record], topic: str) -> list[dict[str, Any]]:
        views = charts.value_charts(self, src, records, topic)
        self.extra.extend(Page(c["csv_path"], c["csv"]) for c in views)
        return views

    def jobs(self) -> list[Callable[[], Page | list[Page]]]:
        """Every page of the atlas as independent units of work, in a fixed order: a job reads
        the atlas and the site settings only, so jobs can run in any process (`parallel.py`)."""
        a = self.atlas
        jobs: list[Callable[[], Page | list[Page]]] = [
            self.overview,
            self.records_index,
            self.sources_page,
            self.places_page,
            self.organisations_page,
            self.conflicts_page,
        ]
        jobs += [partial(self.country, c.id) for c in a.focus_countries]
        jobs += [partial(self.topic, t) for t in a.topics]
        jobs += [partial(self.record, r) for r in a.records.values()]
        jobs += [partial(entities.place_page, self, pid) for pid in a.places]
        jobs += [partial(entities.organisation_page, self, oid) for oid in a.organisations]
        jobs += [partial(entities.source_page, self, sid) for sid in a.sources]
        jobs += [partial(guide.guide_pages, self), self.edition_pages]
        jobs += [partial(self.tombstone, rd) for rd in self.eds.redirects.values()]
        jobs += [self.editor_page_cites, lambda: Page(f"{self.out}/assets/region.svg", maps.region_svg(self.basemap))]
        return jobs

    def run_job(self, job: Callable[[], Page | list[Page]]) -> list[Page]:
        """One job's pages, then the files it made on the way (chart CSVs, per-kind pages)."""
        done = job()
        pages = [done] if isinstance(done, Page) else list(done)
        pages += self.extra
        self.extra = []
        return pages

    def render_all(self) -> list[Page]:
        return [page for job in self.jobs() for page in self.run_job(job)]

    def _render(self, template: str, path: str, **ctx: Any) -> Page:
        try:
            return Page(path, self.env.get_template(template).render(**ctx))
        except jinja2.TemplateError as exc:
            raise self._template_error(exc, template, path) from None

    def _template_error(self, exc: jinja2.TemplateError, template: str, path: str) -> TemplateError:
        """Name the template file and line of a template mistake, instead of a traceback."""
        file, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
        if line is None:  # a runtime error: Jinja puts the template's frames into the traceback
            for frame, lineno in traceback.walk_tb(exc.__traceback__):
                if frame.f_code.co_filename.endswith(".j2"):
                    file, line = frame.f_code.co_filename, lineno
        name = file or template
        if Path(name).is_absolute() and Path(name).is_relative_to(self.cfg.root):
            name = Path(name).relative_to(self.cfg.root).as_posix()
        elif not Path(name).is_absolute():
            name = f"templates/{name}"
        message = getattr(exc, "message", None) or str(exc)
        hint = "a value the template uses is not set for this page" if isinstance(exc, jinja2.UndefinedError) else None
        return TemplateError(f"{name}:{line or 1}: {message} (while rendering {path})", hint)

    def record(self, r: Record) -> Page:
        """A record's page; in the preview (MEMO), the page of the last build when nothing it
        shows has changed since (`_record_inputs`)."""
        inputs = self._record_inputs(r) if MEMO else None
        if inputs is None:
            return self._record_page(r)
        slot = (str(self.cfg.root), r.id)
        kept = _MEMO.get(slot)
        if kept is not None and kept[0] == inputs:
            return kept[1]
        page = self._record_page(r)
        _MEMO[slot] = (inputs, page)
        return page

    def _record_inputs(self, r: Record) -> tuple[Any, ...] | None:
        """Everything a record page is made from: the record (and its file:line), the records it
        links to, its editions history, and the rest of the atlas and the site as one digest.
        None when the page has figures computed from all records (`[[count ...]]` in its text)."""
        if "[[" in self._dump(r.id):
            return None
        a = self.atlas
        return (
            self._context(),
            self._dump(r.id),
            a.origin(r.id),
            repr(self.eds.histories.get(r.id)),
            self.eds.stamp([r.id]),
            tuple((x, self._dump(x)) for x in a.related.get(r.id, [])),
        )

    def _dump(self, rid: str) -> str:
        if rid not in self._dumps:
            self._dumps[rid] = self.atlas.records[rid].model_dump_json()
        return self._dumps[rid]

    def _context(self) -> str:
        """One digest of all that is not a record: places, organisations, sources, countries,
        topics, vocabularies, glossary, released editions, site settings, templates, maps on/off."""
        if self._context_digest is None:
            a, h = self.atlas, hashlib.sha256()
            parts: list[object] = [a.countries, a.places, a.organisations, a.sources, a.vocabularies, a.topics]
            parts += [a.glossary, self.eds.editions, self.eds.redirects, self.eds.fallback, self.cfg, self.with_maps]
            for part in parts:
                h.update(repr(part).encode("utf-8"))
            for path, data in getattr(self.env, "atlas_stamp", ()):
                h.update(path.encode("utf-8") + data)
            self._context_digest = h.hexdigest()
        return self._context_digest

    def _record_page(self, r: Record) -> Page:
        src = self.record_path(r.id)
        url = self.cfg.url(src)
        a = self.atlas
        place = a.place_of(r)
        facts = [
            {"label": "Date", "value": self._date_label(r) + _as_given(r) + DATE_BASIS.get(r.date_basis or "", "")}
        ]
        if r.places:
            facts.append(
                {
                    "label": "Places",
                    "value": Markup(
                        ", ".join(
                            f"[{md(a.places[p].name)}]({self.rel(src, self.place_path(p))})"
                            + (f" ({lang_names(a.places[p].names)})" if a.places[p].names else "")
                            for p in r.places
                        )
                    ),
                }
            )
        if r.organisations:
            facts.append({"label": "Organisations", "value": self.org_links(src, r.organisations)})
        for key, value in r.details().items():
            facts.append(
                {
                    "label": FIELD_LABELS.get(key, key.replace("_", " ").capitalize()),
                    "value": self._readable_value(self._value(src, key, value, r)),
                }
            )
        cites = []
        for c in r.citations:
            s = a.sources[c.source]
            cites.append(
                {
                    "short": self.short[s.id],
                    "href": self.rel(src, self.source_path(s.id)),
                    "locator": self.linked(src, citations.locator_text(c)),
                    "full": citations.source_text(s),
                }
            )
        related = [
            {
                "title": a.records[x].title,
                "href": self.rel(src, self.record_path(x)),
                "kind_label": KIND_LABELS[a.records[x].kind][0],
                "date": self._date_label(a.records[x]),
            }
            for x in a.related.get(r.id, [])
        ]
        svg = (
            maps.locator_svg(self.url_rel(src, f"{self.out}/assets/region.svg"), place, a.countries[place.country])
            if place and self.with_maps
            else None
        )
        page = {
            "title": r.title,
            "description": prose.plain(r.summary or f"{KIND_LABELS[r.kind][0]}, {self._date_label(r)}.", a)[:300],
            "publisher": self.cfg.publisher,
            "edition": self.cfg.edition,
            "edition_date": self.cfg.edition_date,
            "site_name": self.cfg.site_name,
            "url": url,
            "kind_label": KIND_LABELS[r.kind][0],
            "date_label": self._date_label(r),
            "countries": [
                {"name": a.countries[cc].name, "href": self.rel(src, self.country_path(cc))}
                for cc in r.countries
                if a.countries[cc].focus
            ],
            "region": REGION_LABELS[r.region] if r.region else None,
            "facts": facts,
            "topics": [
                {"title": a.topics[t].title, "href": self.rel(src, self.topic_path(t))}
                for t in r.topic_ids
                if t in a.topics
            ],
            "conflicts": self._conflicts(src, r),
            "citations": cites,
            "related": related,
            "locator_svg": svg,
            "place_label": f"{place.name}, {a.countries[place.country].name} ({place.lat:.2f}, {place.lon:.2f}; {place.precision})"
            if place
            else "",
            "history": self._history(src, r.id),
            "notes": self.readable(r.notes) if r.notes else None,
            "origin": a.origin(r.id),
        }
        refs = self.references(src)
        page["summary"] = self.prose(src, r.summary, refs)
        page["notes"] = self.prose(src, r.notes, refs)
        page["references"] = self.reference_views(refs)
        page["cite"] = self.cite(src, r.title, page["description"], [r.id], key=r.id, heading="Cite this record")
        return self._render("record.md.j2", src, r=r, page=page)

    def org_links(self, src: str, ids: list[str]) -> Markup:
        orgs = self.atlas.organisations
        return Markup(
            ", ".join(
                f"[{md(orgs[o].name)}]({self.rel(src, self.organisation_path(o))})"
                + (f" ({lang_names(orgs[o].names)})" if orgs[o].names else "")
                for o in ids
            )
        )

    # --- citations and editions ---------------------------------------------------------------

    def readable(self, text: str) -> str:
        """Text with every source id replaced by its short author-date label (no internal ids)."""
        return self._ids.sub(lambda m: self.short[m.group(1)], text) if self.short else text

    def _readable_value(self, value: Any) -> Any:
        return self.readable(value) if isinstance(value, str) and not isinstance(value, Markup) else value

    def linked(self, src: str, text: str) -> Markup:
        """Escaped text in which every source id becomes a link labelled author-date."""
        if not self.short:
            return Markup(md(text))

        def esc(piece: str) -> str:  # md() trims; keep the spaces around a link
            return (" " if piece[:1].isspace() else "") + md(piece) + (" " if piece[-1:].isspace() else "")

        out, last = [], 0
        for m in self._ids.finditer(text):
            out.append(esc(text[last : m.start()]))
            href = self.rel(src, self.source_path(m.group(1)))
            out.append(f"[{md(self.short[m.group(1)])}]({href})")
            last = m.end()
        out.append(esc(text[last:]))
        return Markup("".join(out))

    def cite(
        self,
        src: str,
        title: str,
        abstract: str,
        record_ids: list[str],
        *,
        key: str | None = None,
        heading: str = "Cite this page",
    ) -> dict[str, Any]:
        """The "cite this page" block and the page's metadata, from one CSL-JSON item."""
        edition, date, unreleased = self.eds.stamp(record_ids)
        permalink = self.cfg.url(src)
        frozen = permalink if unreleased or not self.eds.editions else self.frozen_url(edition, src)
        ref = cite.PageRef(
            key="atlas-" + (key or src.removeprefix(f"{self.out}/").removesuffix(".md").replace("/", "-")),
            title=title,
            url=frozen,
            permalink=permalink,
            date=date,
            edition=edition if not unreleased else f"{edition}+unreleased",
            abstract=abstract,
            container=self.cfg.site_name,
            author=self.cfg.site_name,
            publisher=self.cfg.publisher,
            editors=self.cfg.editors,
        )
        return {"block": cite.block(ref, heading), "meta": page_meta(self.cfg, ref, unreleased)}

    def editor_page_cites(self) -> list[Page]:
        """Cite blocks for the editors' pages (docs/*.md), included there with a snippet line:
        `--8<-- "atlas/cite/<page>.html"` (the generator never writes the editors' files)."""
        out = []
        for path in self.cfg.editor_pages():
            rel = path.relative_to(self.cfg.docs_dir).as_posix()
            title, description = _front_matter(path.read_text(encoding="utf-8"))
            if rel == "cite.md":  # the "how to cite" page cites the atlas as a whole
                block = self.cite_atlas()
            else:
                key = "page-" + rel.removesuffix(".md").replace("/", "-")  # not "index": the overview has it
                block = self.cite(rel, title or self.cfg.site_name, description, [], key=key)["block"]
            out.append(Page(f"{self.out}/cite/{rel.removesuffix('.md').replace('/', '-')}.html", block + "\n"))
        return out

    def cite_atlas(self) -> Markup:
        """The atlas as a whole, as a reference work in its current edition."""
        ref = cite.PageRef(
            key="atlas",
            title=self.cfg.site_name,
            url=self.frozen_url(self.eds.current, "") if self.eds.editions else self.cfg.site_url,
            permalink=self.cfg.site_url,
            date=self.eds.current_date,
            edition=self.eds.current,
            container="",
            author=self.cfg.site_name,
            publisher=self.cfg.publisher,
            editors=self.cfg.editors,
            kind="book",
        )
        return cite.block(ref, "Cite the atlas")

    def frozen_url(self, edition: str, src: str) -> str:
        return self.cfg.url(f"editions/{edition}/{src}")

    def _history(self, src: str, rid: str) -> dict[str, Any]:
        h = self.eds.histories.get(rid)
        changelog = f"{self.out}/editions/index.md"

        def link(name: str) -> Markup:
            return self.rel(src, f"{self.out}/editions/{name}.md")

        return {
            "first": {"name": h.first, "href": link(h.first)} if h and h.first else None,
            "last": {"name": h.last_changed, "href": link(h.last_changed)} if h and h.last_changed else None,
            "changes": [{"name": e, "what": what, "href": link(e)} for e, what in (h.changes if h else ())],
            "unreleased": bool(h and h.unreleased and self.eds.editions),
            "changelog_href": self.rel(src, changelog),
            "current": self.eds.current,
        }

    def edition_pages(self) -> list[Page]:
        """The editions index (with unreleased changes) and one changelog page per edition."""
        index_src = f"{self.out}/editions/index.md"
        logs = editions.changelog(self.eds.editions)
        pending = editions.unreleased_changes(self.atlas, self.eds.editions)
        out = []
        for ch in logs:
            src = f"{self.out}/editions/{ch.edition}.md"
            page = {
                "description": f"Edition {ch.edition} of the atlas, released {ch.date}: records added, changed and withdrawn.",
                "changes": self._changes(src, ch),
                "edition": ch.edition,
                "date": ch.date,
                "csv_href": self.rel(src, f"downloads/editions/{ch.edition}/records.csv"),
                "json_href": self.rel(src, f"downloads/editions/{ch.edition}/records.json"),
                "site_href": self.frozen_url(ch.edition, ""),
                "index_href": self.rel(src, index_src),
            }
            page["cite"] = self.cite(src, f"Edition {ch.edition}", page["description"], [])
            out.append(self._render("edition.md.j2", src, page=page))
        page = {
            "description": "The editions of the atlas and what changed in each.",
            "current": self.eds.current,
            "editions": [
                {
                    "name": ch.edition,
                    "date": ch.date,
                    "href": self.rel(index_src, f"{self.out}/editions/{ch.edition}.md"),
                    "added": len(ch.added),
                    "changed": len(ch.changed),
                    "withdrawn": len(ch.withdrawn),
                }
                for ch in logs
            ],
            "pending": self._changes(index_src, pending),
            "pending_count": len(pending.added) + len(pending.changed) + len(pending.withdrawn),
        }
        page["cite"] = self.cite(index_src, "Editions", page["description"], [])
        out.append(self._render("editions.md.j2", index_src, page=page))
        return out

    def _changes(self, src: str, ch: editions.Changes) -> dict[str, list[dict[str, Any]]]:
        def row(rid: str) -> dict[str, Any]:
            return {"id": rid, "title": ch.titles.get(rid, rid), "href": self.rel(src, self.record_path(rid))}

        return {
            "added": [row(x) for x in ch.added],
            "changed": [row(x) for x in ch.changed],
            "withdrawn": [row(x) for x in ch.withdrawn],
        }

    def tombstone(self, rd: editions.Redirect) -> Page:
        """A removed or renamed id keeps a citable page: withdrawn, or a pointer to its successor."""
        src = self.record_path(rd.id)
        old_title = next((e.records[rd.id]["title"] for e in reversed(self.eds.editions) if rd.id in e.records), rd.id)
        target = self.atlas.records.get(rd.to) if rd.to else None
        page = {
            "title": old_title,
            "description": f"Record {rd.status} in edition {rd.edition}.",
            "status": rd.status,
            "edition": rd.edition,
            "edition_href": self.rel(src, f"{self.out}/editions/{rd.edition}.md"),
            "reason": rd.reason,
            "target": {
                "title": target.title,
                "href": self.rel(src, self.record_path(target.id)),
                "url": self.url_rel(src, self.record_path(target.id)),
            }
            if target
            else None,
            "last": next((e.name for e in reversed(self.eds.editions) if rd.id in e.records), None),
        }
        page["last_href"] = self.frozen_url(page["last"], src) if page["last"] else None
        page["cite"] = self.cite(src, old_title, page["description"], [], key=rd.id, heading="Cite this record")
        return self._render("tombstone.md.j2", src, page=page)

    def _conflicts(self, src: str, r: Record) -> list[dict[str, Any]]:
        out = []
        for c in r.conflicts:
            values = []
            for v in c.values:
                s = self.atlas.sources[v.citation.source]
                values.append(
                    {
                        "value": v.value,
                        "source": self.short[s.id],
                        "href": self.rel(src, self.source_path(s.id)),
                        "locator": self.linked(src, citations.locator_text(v.citation)),
                    }
                )
            out.append({"field": FIELD_LABELS.get(c.field, c.field), "note": c.note, "entries": values})
        return out

    def _value(self, src: str, key: str, value: Any, r: Record) -> Any:
        a = self.atlas
        if key in ("participants", "members"):
            return ", ".join(a.countries[c].name for c in value)
        if key == "vendors":
            return self.org_links(src, value)
        if key == "company":
            return self.org_links(src, [value])
        if key == "security_topics":
            return "; ".join(self.vocab.get(t, t) for t in value)
        if key == "indicator":
            return self.vocab.get(value, value)
        if key == "area_basis":
            return AREA_BASIS[value]
        if key in ("value", "cost"):
            cur = getattr(r, "currency", None)
            return fmt_number(value) + (f" {cur}" if cur else "")
        if isinstance(value, PartialDate):
            return value.label
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, (int, float)):
            return fmt_number(value)
        if isinstance(value, list):
            return "; ".join(str(v) for v in value)
        return value

    def country(self, code: str) -> Page:
        c = self.atlas.countries[code]
        src = self.country_path(code)
        records = self.atlas.records_of_country(code)
        refs = self.references(src)
        essay = self.atlas.essays.countries.get(c.slug)
        self.extra += self.kind_pages(src, c.name, src, records)
        page = {
            "description": f"China's security engagement with {c.name}: {len(records)} cited records with maps, timelines and sources.",
            "names": self.names_html(c.names),
            "essay": self.prose(src, essay or c.overview, refs),
            "figures": self.figures(records),
            "map": self.map_view(src, records, f"map-{c.slug}", None, country=c),
            "chart": self.chart_view(src, records, f"chart-{c.slug}", f"{c.name}: records per year by kind"),
            "groups": self.groups(src, records, latest=LATEST),
            "value_charts": [],
            "print_map": maps.country_svg(
                self.url_rel(src, f"{self.out}/assets/region.svg"),
                c,
                list({p.id: p for r in records if (p := self.atlas.place_of(r))}.values()),
                self.cfg.url(src),
            )
            if self.with_maps
            else None,
            "url": self.cfg.url(src),
            "print_cite": f"{c.name}. {self.cfg.site_name}, edition {self.cfg.edition} ({self.cfg.edition_date}). {self.cfg.url(src)}",
            "csv_href": self.rel(src, f"downloads/countries/{c.slug}.csv"),
            "json_href": self.rel(src, f"downloads/countries/{c.slug}.json"),
        }
        page["references"] = self.reference_views(refs)
        page["cite"] = self.cite(src, c.name, page["description"], [r.id for r in records])
        return self._render("country.md.j2", src, c=c, page=page, map=page["map"])

    def topic(self, tid: str) -> Page:
        t = self.atlas.topics[tid]
        src = self.topic_path(tid)
        records = self.atlas.records_of_topic(tid)
        refs = self.references(src)
        essay = self.atlas.essays.topics.get(tid)
        self.extra += self.kind_pages(src, t.title, src, records)
        page = {
            "description": prose.plain(t.description or t.title, self.atlas)[:300],
            "lead": self.prose(src, t.description, refs),
            "essay": self.prose(src, essay, refs),
            "figures": self.figures(records),
            "map": self.map_view(src, records, f"map-{tid}", None),
            # a topic of figures and claims only (no events) has no per-year chart
            "chart": self.chart_view(
                src, records, f"chart-{tid}", f"{t.title}: records per year by country", by="country"
            )
            if any(r.charted and r.date for r in records)
            else None,
            "value_charts": self.value_chart_views(src, records, tid),
            "groups": self.groups(src, records, latest=LATEST),
            "csv_href": self.rel(src, f"downloads/topics/{tid}.csv"),
            "json_href": self.rel(src, f"downloads/topics/{tid}.json"),
        }
        page["references"] = self.reference_views(refs)
        page["cite"] = self.cite(src, t.title, page["description"], [r.id for r in records])
        return self._render("topic.md.j2", src, t=t, page=page, map=page["map"])

    def overview(self) -> Page:
        src = f"{self.out}/index.md"
        a = self.atlas
        records = list(a.records.values())
        kinds = [m.kind for m in RECORD_KINDS.values() if a.records_of_kind(m.kind)]
        rows = []
        for c in a.focus_countries:
            counts = Counter(r.kind for r in a.records_of_country(c.id))
            rows.append(
                {
                    "name": c.name,
                    "href": self.rel(src, self.country_path(c.id)),
                    "cells": [counts[k] for k in kinds],
                    "total": sum(counts.values()),
                }
            )
        meetings = a.records_of_kind("meeting")
        exercises_training = [r for r in records if r.kind in ("exercise", "training", "programme")]
        page = {
            "description": f"An atlas of {len(records)} cited records of China's security engagement with the five Central Asian states.",
            "figures": self.figures(records),
            "map": self.map_view(
                src, records, "map-overview", self.rel(src, f"{self.out}/records/index.md"), filters=True
            ),
            "kinds": [{"label": KIND_LABELS[k][1]} for k in kinds],
            "country_rows": rows,
            "topics": [
                {
                    "title": t.title,
                    "href": self.rel(src, self.topic_path(t.id)),
                    "count": len(a.records_of_topic(t.id)),
                    "description": prose.plain(t.description or "", a),
                }
                for t in a.topics.values()
            ],
            "charts": [
                c
                for c in (
                    self.chart_view(
                        src, records, "chart-all", "Records per year by kind (country indicators not counted)"
                    ),
                    self.chart_view(
                        src, meetings, "chart-meetings", "Security meetings per year by country", by="country"
                    ),
                    self.chart_view(
                        src, exercises_training, "chart-exercises-training", "Exercises and training per year by kind"
                    ),
                )
                if c
            ],
        }
        page["cite"] = self.cite(src, "Explore the atlas", page["description"], list(a.records))
        return self._render("overview.md.j2", src, page=page, map=page["map"])

    def records_index(self) -> Page:
        src = f"{self.out}/records/index.md"
        rows = [self.row(src, r) for r in self.atlas.records.values()]
        page = {"description": "Every record of the atlas in one table.", "count": len(rows), "rows": rows}
        page["cite"] = self.cite(src, "All records", page["description"], list(self.atlas.records))
        return self._render("records_index.md.j2", src, page=page)

    def sources_page(self) -> Page:
        src = f"{self.out}/sources.md"
        a = self.atlas
        seeds, others = [], []
        for s in sorted(a.sources.values(), key=lambda s: (self.short[s.id], s.id)):
            cited = a.cited_by.get(s.id, [])
            view = {
                "id": s.id,
                "href": self.rel(src, self.source_path(s.id)),
                "short": self.short[s.id],
                "full": citations.source_text(s),
                "url": s.url,
                "license": s.license,
                "count": len(cited),
                "kinds": ", ".join(
                    f"{n} {KIND_LABELS[k][1].lower()}"
                    for k, n in Counter(a.records[x].kind for x in cited).most_common()
                ),
                "cited_in": {"id": s.cited_in, "short": self.short[s.cited_in]} if s.cited_in else None,
                "records": [{"title": a.records[x].title, "href": self.rel(src, self.record_path(x))} for x in cited],
            }
            (seeds if s.seed else others).append(view)
        page = {"description": "Bibliography of the atlas.", "seeds": seeds, "others": others}
        page["cite"] = self.cite(src, "Sources", page["description"], list(a.records))
        return self._render("sources.md.j2", src, page=page)

    def places_page(self) -> Page:
        src = f"{self.out}/places.md"
        a = self.atlas
        counts = Counter(p for r in a.records.values() for p in r.places)
        places = [
            {
                "id": p.id,
                "name": p.name,
                "country": a.countries[p.country].name,
                "coords": f"{p.lat:.4f}, {p.lon:.4f}",
                "precision": p.precision,
                "names": lang_names(p.names),
                "geonames": p.geonames,
                "count": counts[p.id],
                "href": self.rel(src, self.place_path(p.id)),
                "names_html": self.names_html(p.names),
            }
            for p in sorted(a.places.values(), key=lambda p: (a.countries[p.country].name, p.name))
        ]
        page = {"description": "Gazetteer of the atlas.", "places": places}
        page["cite"] = self.cite(src, "Places", page["description"], list(a.records))
        return self._render("places.md.j2", src, page=page)

    def organisations_page(self) -> Page:
        src = f"{self.out}/organisations.md"
        a = self.atlas
        counts = Counter(o for r in a.records.values() for o in organisations_of(r))
        orgs = [
            {
                "id": o.id,
                "name": o.name,
                "abbreviation": o.abbreviation,
                "names": lang_names(o.names),
                "type": o.type,
                "country": a.countries[o.country].name if o.country else "",
                "count": counts[o.id],
                "href": self.rel(src, self.organisation_path(o.id)),
            }
            for o in sorted(a.organisations.values(), key=lambda o: o.name)
        ]
        page = {"description": "Organisations named in the atlas.", "organisations": orgs}
        page["cite"] = self.cite(src, "Organisations", page["description"], list(a.records))
        return self._render("organisations.md.j2", src, page=page)

    def conflicts_page(self) -> Page:
        src = f"{self.out}/conflicts.md"
        records = [
            {"title": r.title, "href": self.rel(src, self.record_path(r.id)), "conflicts": self._conflicts(src, r)}
            for r in self.atlas.conflicted()
        ]
        conflicted = [r.id for r in self.atlas.conflicted()]
        page = {"description": "Values on which the sources disagree.", "records": records}
        page["cite"] = self.cite(src, "Where sources disagree", page["description"], conflicted)
        return self._render("conflicts.md.j2", src, page=page)


LATEST = 1  # newest record per kind shown on a country or topic page; all of them are on the kind's sub-page


def _current_environment(templates: Path) -> Environment:
    """The templates folder's environment, its compiled templates dropped if any file's bytes
    changed since the last build (a modification time can repeat within a clock tick; reading the
    twenty-odd templates once per build costs a millisecond, checking them per page cost 0.1 s)."""
    env = _environment(templates)
    stamp = sorted((p.as_posix(), p.read_bytes()) for p in templates.rglob("*") if p.is_file())
    if getattr(env, "atlas_stamp", None) != stamp:
        env.cache.clear()  # type: ignore[union-attr]
        env.atlas_stamp = stamp  # type: ignore[attr-defined]
    return env


@lru_cache(maxsize=8)
def _environment(templates: Path) -> Environment:
    """One Jinja environment per templates folder, so the preview compiles templates once."""
    env = Environment(
        loader=FileSystemLoader(templates),
        undefined=StrictUndefined,
        finalize=finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # checked once per build instead, by _current_environment
        bytecode_cache=_bytecode_cache(templates.parent / ".cache" / "jinja"),
    )
    env.filters["yaml"] = yaml_scalar
    # title/description in front matter reach Material's <title> and <meta> unescaped: escape here
    env.filters["fm"] = lambda value: yaml_scalar(md(value))
    return env


def _bytecode_cache(folder: Path) -> jinja2.BytecodeCache | None:
    """Jinja's own cache of compiled templates (like Python's __pycache__): a build after the
    first skips parsing and compiling the templates, a tenth of a clean build's rendering. Jinja
    checks each template's source checksum; the file names also carry a fingerprint of the
    environment's settings (this file) and Jinja's version, which change compiled code too."""
    stamp = hashlib.sha256(Path(__file__).read_bytes() + jinja2.__version__.encode()).hexdigest()[:12]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only checkout builds without the cache
    return jinja2.FileSystemBytecodeCache(str(folder), f"%s.{stamp}.cache")


@lru_cache(maxsize=1 << 16)  # pages of one folder link to the same targets: most calls repeat
def _relpath(path: str, start: str) -> str:
    """posixpath.relpath for the generator's own paths (relative, '/'-separated, no '..'), without
    its two abspath calls and getcwd: tens of thousands of links per build, at 10x the data
    hundreds of thousands. tests/test_render.py compares it with posixpath.relpath."""
    if ".." in path or ".." in start or path.startswith("/") or start.startswith("/"):
        return posixpath.relpath(path, start)
    to = [p for p in path.split("/") if p and p != "."]
    here = [p for p in start.split("/") if p and p != "."]
    common = 0
    for a, b in zip(to, here, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def _lower_first(label: str) -> str:
    """'Joint exercises' -> 'joint exercises', but 'In-China training' -> 'in-China training'."""
    return label[:1].lower() + label[1:]


def _as_given(r: Record) -> str:
    """The source's own wording of the date, when it says more than the date itself."""
    if not r.date_as_given or (r.date and r.date_as_given in (r.date.iso, r.date.label)):
        return ""
    return f" (source: “{r.date_as_given}”)"


def page_meta(cfg: SiteConfig, ref: cite.PageRef, unreleased: bool) -> dict[str, Any]:
    """What templates/theme/main.html needs for reference managers (raw text: the theme escapes)."""
    return {
        "title": ref.title,
        "abstract": " ".join(ref.abstract.split()),
        "date": ref.date,
        "edition": ref.edition,
        "permalink": ref.permalink,
        "url": ref.url,
        "unreleased": unreleased,
        "ld": {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": ref.title,
            "name": ref.title,
            "description": " ".join(ref.abstract.split()),
            "url": ref.permalink,
            "sameAs": ref.url,
            "datePublished": ref.date,
            "version": ref.edition,
            "inLanguage": "en",
            "author": {"@type": "Organization", "name": ref.author},
            "publisher": {"@type": "Organization", "name": ref.publisher or ref.author},
            "isPartOf": {"@type": "CreativeWork", "name": ref.container or cfg.site_name, "url": cfg.site_url},
            "license": "https://creativecommons.org/licenses/by-sa/4.0/",
        },
    }


def _front_matter(text: str) -> tuple[str, str]:
    """(title, description) of an editors' page: its front matter, else its first heading."""
    meta: dict[str, Any] = {}
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end > 0:
            loaded = yaml.safe_load(text[4:end])
            meta = loaded if isinstance(loaded, dict) else {}
    title = str(meta.get("title") or next((ln[2:].strip() for ln in text.splitlines() if ln.startswith("# ")), ""))
    return title, str(meta.get("description") or "")
