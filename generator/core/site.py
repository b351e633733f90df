"""The `Site` every page builder is given: the atlas, the settings, the editions state, the
templates and the options of this build, with the helpers that need all of them (prose with its
citations, source labels, the cite block)."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from markupsafe import Markup

from generator import bibliography, cite, editions, prose, source_cite
from generator.cite import PageRef
from generator.config import SiteConfig
from generator.core.engine import Templates
from generator.core.markup import named_links
from generator.core.memo import Memo
from generator.core.page import Page
from generator.core.paths import Paths, rel, url_rel
from generator.model import Atlas
from generator.prose import References, Text
from generator.schema import Source
from generator.text import md


class Site:
    """One build's view of the project. `with_maps` off (the benchmark) leaves maps out; `memo`
    (the preview) keeps pages between builds, keyed by what each is made from."""

    def __init__(self, atlas: Atlas, cfg: SiteConfig, *, with_maps: bool = True, memo: Memo | None = None) -> None:
        self.atlas = atlas
        self.cfg = cfg
        self.with_maps = with_maps
        self.memo = memo
        self.out = cfg.out_rel  # "atlas"
        self.paths = Paths(self.out, {code: c.slug for code, c in atlas.countries.items()})
        self.archive_rel = cfg.archive_dir.relative_to(cfg.docs_dir).as_posix()  # "editions"
        self.templates = Templates(cfg.root / "templates", cfg.root)
        self.cite_cache = cfg.root / ".cache" / "cite"  # citation skeletons, kept between builds
        self.eds = editions.State.load(cfg.root, atlas, (cfg.edition, cfg.edition_date))
        self.vocab = {t.id: t.label for v in atlas.vocabularies.values() for t in v.terms}
        self.short = bibliography.short_labels(list(atlas.sources.values()))
        # source ids written in locators ("cited in yau-2022-fpri, note 48") are shown as labels
        self._ids = re.compile(r"\b(" + "|".join(sorted(map(re.escape, self.short), key=len, reverse=True)) + r")\b")
        self.details: dict[str, str] = {}  # record id -> its distinguishing line (views.detail)
        self._digest: str | None = None
        self._archive: dict[str, dict[str, dict[str, Any]]] | None = None
        self.cite_titles: dict[str, str] = {}  # record id -> the title it is cited under (views.cite_titles)
        self._dumps: dict[str, str] = {}  # record id -> its JSON, for the preview's memo (`dump`)

    def archive(self) -> dict[str, dict[str, dict[str, Any]]]:
        """The records of every released edition as the repository holds them (its data snapshot),
        by edition and id: the archive (pages.archive) renders a page for each, and a citation
        names an archived URL only where that page exists. Empty in a whole-site build of an old
        edition (`edition-site`), whose own pages are the archive."""
        if self._archive is None:
            self._archive = {}
            if not self.cfg.archived:
                for e in self.eds.editions:
                    rows = editions.load_snapshot(self.cfg.root, e.name)
                    if rows is not None:
                        self._archive[e.name] = {str(row["id"]): row for row in rows if isinstance(row, dict)}
        return self._archive

    def archived_url(self, edition: str, rid: str) -> str | None:
        """The URL of record `rid` as published in `edition`, if the archive holds it."""
        if self.cfg.archived:  # this build is the archive: its permalinks are the frozen URLs
            return self.cfg.url(self.paths.record(rid))
        if rid in self.archive().get(edition, {}):
            return self.frozen_url(edition, self.paths.record(rid))
        return None

    def render(self, template: str, path: str, **ctx: Any) -> Page:
        return self.templates.render(template, path, **ctx)

    # --- prose and sources ----------------------------------------------------------------------

    def prose(self, text: Text | str | None, refs: References) -> Markup:
        """Editors' prose or YAML text with its citations linked and its figures computed."""
        if not text:
            return Markup("")
        return prose.render(text, self.atlas, refs)

    def references(self, src: str) -> References:
        return References(lambda sid: url_rel(src, self.paths.source(sid)))

    def reference_views(self, refs: References) -> list[dict[str, Any]]:
        """The page's Sources section: every source cited inline, with its full reference."""
        return [
            {
                "id": sid,
                "short": self.short[sid],
                "full": bibliography.source_text(self.atlas.sources[sid]),
                "href": refs.href(sid),
            }
            for sid in refs.order
        ]

    def note_views(self, refs: References) -> list[dict[str, Any]]:
        """The page's Notes: for each note marker in its prose, the citations of its group (short
        label linking the source's page, and the locator)."""
        return [
            {
                "n": n,
                "cites": [
                    {"id": c.source, "short": self.short[c.source], "href": refs.href(c.source), "locator": c.locator}
                    for c in cites
                ],
            }
            for n, cites in enumerate(refs.notes, 1)
        ]

    def readable(self, text: str) -> str:
        """Text with every source id replaced by its short author-date label (no internal ids)."""
        return self._ids.sub(lambda m: self.short[m.group(1)], text) if self.short else text

    def readable_value(self, value: Any) -> Any:
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
            href = rel(src, self.paths.source(m.group(1)))
            out.append(f"[{md(self.short[m.group(1)])}]({href})")
            last = m.end()
        out.append(esc(text[last:]))
        return Markup("".join(out))

    def org_links(self, src: str, ids: list[str]) -> Markup:
        orgs = self.atlas.organisations
        return named_links([(orgs[o].name, rel(src, self.paths.organisation(o)), orgs[o].names) for o in ids])

    # --- citations --------------------------------------------------------------------------------

    def cite(
        self,
        src: str,
        title: str,
        abstract: str,
        record_ids: list[str],
        *,
        key: str | None = None,
        heading: str = "Cite this page",
        record: str | None = None,
        as_of: tuple[str, str] | None = None,
        sources: list[str] | None = None,
        origin: str | None = None,
    ) -> dict[str, Any]:
        """The "cite this page" block and the page's metadata, from one CSL-JSON item.

        A record's page (`record`) is cited at its archived URL, the page as published in the
        edition its content last changed in (pages.archive makes it); every other page at its
        permanent link, with the edition as its version. Either way the URL exists in the build.
        `sources`: the sources the page cites, for reference managers (citation_reference, JSON-LD).
        `origin`: the data file (and line) or essay the page shows, for "edit this page"."""
        ref, unreleased = self.cite_ref(src, title, abstract, record_ids, key=key, record=record, as_of=as_of)
        works = tuple(self.atlas.sources[sid] for sid in dict.fromkeys(sources or []))
        meta = page_meta(self.cfg, ref, unreleased, works)
        if origin and (edit := self.cfg.source_url(origin)):
            meta["edit"] = edit  # templates/theme/partials/actions.html
        return {"block": cite.block(ref, heading, self.cite_cache), "meta": meta}

    def cite_ref(
        self,
        src: str,
        title: str,
        abstract: str,
        record_ids: list[str],
        *,
        key: str | None = None,
        record: str | None = None,
        as_of: tuple[str, str] | None = None,
    ) -> tuple[PageRef, bool]:
        """The page's reference (`cite`), and whether it holds unreleased content."""
        edition, date, unreleased = (*as_of, False) if as_of else self.eds.stamp(record_ids)
        permalink = self.cfg.url(src)
        archived = self.archived_url(edition, record) if record and not unreleased and not as_of else None
        frozen = archived or permalink
        ref = cite.PageRef(
            key="atlas-" + (key or src.removeprefix(f"{self.out}/").removesuffix(".md").replace("/", "-")),
            title=title,
            url=frozen,
            permalink=permalink,
            date=date,
            edition=edition if not unreleased else f"{edition}+unreleased",
            abstract=abstract,
            container=self.cfg.site_name,  # the atlas, named once: no author, no publisher (its own editors)
            editors=self.cfg.editors,
        )
        return ref, unreleased

    def cite_source(self, sid: str) -> Markup:
        """The "cite this source" block of a source's page: the document itself, by its own creators."""
        s = self.atlas.sources[sid]
        texts = source_cite.formats(s, self.cite_cache)
        intro = "The document itself, as a reference of its own (not the atlas's page about it)."
        return cite.block_html(source_cite.key(s), texts, "Cite this source", "cite-source", intro)

    def cite_atlas(self) -> Markup:
        """The atlas as a whole, as a reference work in its current edition."""
        ref = cite.PageRef(
            key="atlas",
            title=self.cfg.site_name,
            url=self.edition_url(self.eds.current) or self.cfg.site_url,
            permalink=self.cfg.site_url,
            date=self.eds.current_date,
            edition=self.eds.current,
            container="",
            author=self.cfg.publisher,  # the one credit (CITATION.cff, datapackage.json, JSON-LD)
            editors=self.cfg.editors,
            kind="dataset",  # as CITATION.cff must call it (software or dataset)
        )
        return cite.block(ref, "Cite the atlas", self.cite_cache)

    def frozen_url(self, edition: str, src: str) -> str:
        return self.cfg.url(f"{self.archive_rel}/{edition}/{src}")

    def edition_url(self, edition: str) -> str | None:
        """The archive's index of `edition` (pages.archive), if the repository holds its data."""
        return self.frozen_url(edition, "") if edition in self.archive() else None

    # --- the preview's memo -------------------------------------------------------------------------

    def dump(self, rid: str) -> str:
        """A record as JSON, once per build: the inputs of every kept page that shows it."""
        if rid not in self._dumps:
            self._dumps[rid] = self.atlas.records[rid].model_dump_json()
        return self._dumps[rid]

    def digest(self) -> str:
        """One digest of all that is not a record: places, organisations, sources, countries,
        topics, vocabularies, glossary, released editions, site settings, templates, maps on/off."""
        if self._digest is None:
            a, h = self.atlas, hashlib.sha256()
            parts: list[object] = [a.countries, a.places, a.organisations, a.sources, a.vocabularies, a.topics]
            parts += [a.glossary, self.eds.editions, self.eds.redirects, self.eds.fallback, self.cfg, self.with_maps]
            for part in parts:
                h.update(repr(part).encode("utf-8"))
            for path, data in self.templates.stamp:
                h.update(path.encode("utf-8") + data)
            self._digest = h.hexdigest()
        return self._digest


def page_meta(cfg: SiteConfig, ref: cite.PageRef, unreleased: bool, works: tuple[Source, ...] = ()) -> dict[str, Any]:
    """What templates/theme/main.html needs for reference managers (raw text: the theme escapes):
    the page's own citation, and the sources it cites (`works`) as Google Scholar's
    citation_reference and schema.org's `citation`."""
    meta: dict[str, Any] = {
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
            "author": {"@type": "Organization", "name": cfg.publisher},
            "publisher": {"@type": "Organization", "name": cfg.publisher},
            "isPartOf": atlas_ld(cfg),
            "license": "https://creativecommons.org/licenses/by-sa/4.0/",
        },
    }
    if works:
        meta["references"] = [source_cite.scholar_reference(s) for s in works]
        meta["ld"]["citation"] = [source_cite.ld_work(s) for s in works]
    return meta


def atlas_ld(cfg: SiteConfig) -> dict[str, Any]:
    """The atlas as a whole in JSON-LD: the same title, creator and type as its citation
    (Site.cite_atlas), CITATION.cff and downloads/datapackage.json."""
    creator = {"@type": "Organization", "name": cfg.publisher}
    return {"@type": "Dataset", "name": cfg.site_name, "creator": creator, "url": cfg.site_url}
