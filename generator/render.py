"""Stage 4: turn the atlas into Markdown pages (path under docs/ -> text), in memory."""

from __future__ import annotations

import posixpath
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator import charts, citations, maps
from generator.config import SiteConfig
from generator.dates import PartialDate
from generator.model import Atlas, group_by_kind
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
}


@dataclass(frozen=True)
class Page:
    path: str  # relative to docs/, e.g. "atlas/records/x.md"
    text: str


class Renderer:
    def __init__(self, atlas: Atlas, cfg: SiteConfig, templates: Path, *, with_maps: bool = True) -> None:
        self.atlas = atlas
        self.with_maps = with_maps  # the benchmark turns maps off to measure what they cost
        self.cfg = cfg
        self.out = cfg.out_rel  # "atlas"
        self.env = Environment(
            loader=FileSystemLoader(templates),
            undefined=StrictUndefined,
            finalize=finalize,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["yaml"] = yaml_scalar
        # title/description in front matter reach Material's <title> and <meta> unescaped: escape here
        self.env.filters["fm"] = lambda value: yaml_scalar(md(value))
        self.vocab = {t.id: t.label for v in atlas.vocabularies.values() for t in v.terms}
        self.short = citations.short_labels(list(atlas.sources.values()))
        self.basemap = maps.Basemap.load(cfg.root)
        self.extra: list[Page] = []  # non-Markdown files made while rendering (chart CSVs, SVGs)

    # --- paths --------------------------------------------------------------------------------

    def record_path(self, rid: str) -> str:
        return f"{self.out}/records/{rid}.md"

    def country_path(self, code: str) -> str:
        return f"{self.out}/countries/{self.atlas.countries[code].slug}.md"

    def topic_path(self, tid: str) -> str:
        return f"{self.out}/topics/{tid}.md"

    @staticmethod
    def rel(src: str, dst: str) -> Markup:
        """Markdown link from page `src` to `dst` (both relative to docs/), with optional #anchor."""
        dst_path, _, anchor = dst.partition("#")
        link = posixpath.relpath(dst_path, posixpath.dirname(src))
        return Markup(link + (f"#{anchor}" if anchor else ""))

    @staticmethod
    def url_rel(src: str, dst: str) -> str:
        """Browser URL from page `src` to docs file `dst`, given directory URLs (x.md -> x/)."""
        src_dir = src.removesuffix(".md").removesuffix("index")
        dst_url = dst.removesuffix(".md").removesuffix("index")
        if dst.endswith(".md") and dst_url and not dst_url.endswith("/"):
            dst_url += "/"
        return posixpath.relpath(dst_url or ".", src_dir.rstrip("/") or ".") + ("/" if dst.endswith(".md") else "")

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
            "kind_label": KIND_LABELS[r.kind][0],
            "countries": ", ".join(self.atlas.countries[cc].name for cc in r.countries),
            "place": place.name if place else "",
            "source": f"{self.short[source.id]}, {c.locator}",
            "conflict": bool(r.conflicts),
        }

    def groups(self, src: str, records: list[Record]) -> list[dict[str, Any]]:
        return [
            {
                "kind": kind,
                "label": label,
                "anchor": kind.replace("_", "-"),
                "count": len(rows),
                "rows": [self.row(src, r) for r in rows],
            }
            for kind, label, rows in group_by_kind(records)
        ]

    def figures(self, records: list[Record]) -> list[dict[str, Any]]:
        counts = Counter(r.kind for r in records)
        dates = [r.date.year for r in records if r.date]
        out = [{"value": fmt_number(len(records)), "label": "records"}]
        out += [
            {"value": fmt_number(counts[m.kind]), "label": KIND_LABELS[m.kind][1].lower()}
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

    def render_all(self) -> list[Page]:
        pages = [self.overview(), self.records_index(), self.sources_page(), self.places_page()]
        pages += [self.organisations_page(), self.conflicts_page()]
        pages += [self.country(c.id) for c in self.atlas.focus_countries]
        pages += [self.topic(t) for t in self.atlas.topics]
        pages += [self.record(r) for r in self.atlas.records.values()]
        pages.append(Page(f"{self.out}/assets/region.svg", maps.region_svg(self.basemap)))
        return pages + self.extra

    def _render(self, template: str, path: str, **ctx: Any) -> Page:
        return Page(path, self.env.get_template(template).render(**ctx))

    def record(self, r: Record) -> Page:
        src = self.record_path(r.id)
        url = self.cfg.url(src)
        a = self.atlas
        place = a.place_of(r)
        facts = [{"label": "Date", "value": self._date_label(r) + _as_given(r)}]
        if r.places:
            facts.append(
                {
                    "label": "Places",
                    "value": Markup(
                        ", ".join(
                            f"[{md(a.places[p].name)}]({self.rel(src, f'{self.out}/places.md#{p}')})"
                            + (f" ({lang_names(a.places[p].names)})" if a.places[p].names else "")
                            for p in r.places
                        )
                    ),
                }
            )
        if r.organisations:
            facts.append(
                {
                    "label": "Organisations",
                    "value": Markup(
                        ", ".join(
                            f"[{md(a.organisations[o].name)}]({self.rel(src, f'{self.out}/organisations.md#{o}')})"
                            + (f" ({lang_names(a.organisations[o].names)})" if a.organisations[o].names else "")
                            for o in r.organisations
                        )
                    ),
                }
            )
        for key, value in r.details().items():
            facts.append(
                {
                    "label": FIELD_LABELS.get(key, key.replace("_", " ").capitalize()),
                    "value": self._value(key, value, r),
                }
            )
        cites = []
        for c in r.citations:
            s = a.sources[c.source]
            cites.append(
                {
                    "short": self.short[s.id],
                    "href": self.rel(src, f"{self.out}/sources.md#{s.id}"),
                    "locator": citations.locator_text(c),
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
            "description": (r.summary or f"{KIND_LABELS[r.kind][0]}, {self._date_label(r)}.")[:300],
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
            "cite_text": citations.record_citation(self.cfg, r, url),
            "cite_bibtex": _code(citations.record_bibtex(self.cfg, r, url)),
            "cite_ris": _code(citations.record_ris(self.cfg, r, url)),
            "origin": a.origin(r.id),
        }
        return self._render("record.md.j2", src, r=r, page=page)

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
                        "href": self.rel(src, f"{self.out}/sources.md#{s.id}"),
                        "locator": citations.locator_text(v.citation),
                    }
                )
            out.append({"field": FIELD_LABELS.get(c.field, c.field), "note": c.note, "entries": values})
        return out

    def _value(self, key: str, value: Any, r: Record) -> Any:
        a = self.atlas
        if key in ("participants", "members"):
            return ", ".join(a.countries[c].name for c in value)
        if key == "vendors":
            return ", ".join(a.organisations[o].name for o in value)
        if key == "company":
            return a.organisations[value].name
        if key == "security_topics":
            return "; ".join(self.vocab.get(t, t) for t in value)
        if key == "indicator":
            return self.vocab.get(value, value)
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
        names = lang_names(c.names, " · ")
        page = {
            "description": f"China's security engagement with {c.name}: {len(records)} cited records with maps, timelines and sources.",
            "names": names,
            "figures": self.figures(records),
            "map": self.map_view(src, records, f"map-{c.slug}", None, country=c),
            "chart": self.chart_view(src, records, f"chart-{c.slug}", f"{c.name}: records per year by kind"),
            "value_charts": [],
            "groups": self.groups(src, records),
            "print_map": maps.country_svg(
                self.url_rel(src, f"{self.out}/assets/region.svg"),
                c,
                list({p.id: p for r in records if (p := self.atlas.place_of(r))}.values()),
                self.cfg.url(src),
            )
            if self.with_maps
            else None,
            "url": self.cfg.url(src),
            "cite": f"{c.name}. {self.cfg.site_name}, edition {self.cfg.edition} ({self.cfg.edition_date}). {self.cfg.url(src)}",
            "csv_href": self.rel(src, f"downloads/countries/{c.slug}.csv"),
            "json_href": self.rel(src, f"downloads/countries/{c.slug}.json"),
        }
        return self._render("country.md.j2", src, c=c, page=page, map=page["map"])

    def topic(self, tid: str) -> Page:
        t = self.atlas.topics[tid]
        src = self.topic_path(tid)
        records = self.atlas.records_of_topic(tid)
        page = {
            "description": (t.description or t.title)[:300],
            "figures": self.figures(records),
            "map": self.map_view(src, records, f"map-{tid}", None),
            "chart": self.chart_view(
                src, records, f"chart-{tid}", f"{t.title}: records per year by country", by="country"
            ),
            "value_charts": self.value_chart_views(src, records, tid),
            "groups": self.groups(src, records),
            "csv_href": self.rel(src, f"downloads/topics/{tid}.csv"),
            "json_href": self.rel(src, f"downloads/topics/{tid}.json"),
        }
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
                    "description": t.description,
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
        return self._render("overview.md.j2", src, page=page, map=page["map"])

    def records_index(self) -> Page:
        src = f"{self.out}/records/index.md"
        rows = [self.row(src, r) for r in self.atlas.records.values()]
        page = {"description": "Every record of the atlas in one table.", "count": len(rows), "rows": rows}
        return self._render("records_index.md.j2", src, page=page)

    def sources_page(self) -> Page:
        src = f"{self.out}/sources.md"
        a = self.atlas
        seeds, others = [], []
        for s in sorted(a.sources.values(), key=lambda s: (self.short[s.id], s.id)):
            cited = a.cited_by.get(s.id, [])
            view = {
                "id": s.id,
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
                "records": [
                    {"title": a.records[x].title, "href": self.rel(src, self.record_path(x))} for x in cited[:50]
                ],
            }
            (seeds if s.seed else others).append(view)
        return self._render(
            "sources.md.j2", src, page={"description": "Bibliography of the atlas.", "seeds": seeds, "others": others}
        )

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
            }
            for p in sorted(a.places.values(), key=lambda p: (a.countries[p.country].name, p.name))
        ]
        return self._render("places.md.j2", src, page={"description": "Gazetteer of the atlas.", "places": places})

    def organisations_page(self) -> Page:
        src = f"{self.out}/organisations.md"
        a = self.atlas
        counts = Counter(
            o
            for r in a.records.values()
            for o in [
                *r.organisations,
                *getattr(r, "vendors", []),
                *([r.company] if getattr(r, "company", None) else []),
            ]
        )
        orgs = [
            {
                "id": o.id,
                "name": o.name,
                "abbreviation": o.abbreviation,
                "names": lang_names(o.names),
                "type": o.type,
                "country": a.countries[o.country].name if o.country else "",
                "count": counts[o.id],
            }
            for o in sorted(a.organisations.values(), key=lambda o: o.name)
        ]
        return self._render(
            "organisations.md.j2", src, page={"description": "Organisations named in the atlas.", "organisations": orgs}
        )

    def conflicts_page(self) -> Page:
        src = f"{self.out}/conflicts.md"
        records = [
            {"title": r.title, "href": self.rel(src, self.record_path(r.id)), "conflicts": self._conflicts(src, r)}
            for r in self.atlas.conflicted()
        ]
        return self._render(
            "conflicts.md.j2", src, page={"description": "Values on which the sources disagree.", "records": records}
        )


def _as_given(r: Record) -> str:
    """The source's own wording of the date, when it says more than the date itself."""
    if not r.date_as_given or (r.date and r.date_as_given in (r.date.iso, r.date.label)):
        return ""
    return f" (source: “{r.date_as_given}”)"


def _code(text: str) -> Markup:
    """Text for an indented fenced code block: never escaped, but cannot close the fence."""
    return Markup("\n".join("    " + line.replace("`", "'") for line in text.splitlines()))
