"""The downloads page: every file, the data dictionary, past editions' data, how to cite the data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator import cite, editions
from generator.core.page import Page
from generator.core.paths import rel
from generator.core.site import Site, page_meta
from generator.downloads import package
from generator.schema import KIND_LABELS


@dataclass(frozen=True, kw_only=True)
class DownloadsPage:
    title: str
    description: str
    edition: str
    count: int
    files: dict[str, str]
    kinds: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    editions: list[dict[str, Any]]
    license: dict[str, str]
    cite: dict[str, Any]


def keys(site: Site) -> list[None]:
    return [None]


def _cite(site: Site, src: str, title: str, description: str) -> dict[str, Any]:
    """The data cited as a dataset, with its distributions in the JSON-LD."""
    cfg, state = site.cfg, site.eds
    ref = cite.PageRef(
        key="atlas-data",
        title=f"{cfg.site_name}: data",
        url=cfg.url(src),
        permalink=cfg.url(src),
        date=state.current_date,
        edition=state.current,
        abstract=description,
        author=cfg.publisher,
        editors=cfg.editors,
        kind="dataset",
    )
    meta = page_meta(cfg, ref, False)
    meta["ld"] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": ref.title,
        "description": ref.abstract,
        "url": ref.permalink,
        "version": state.current,
        "datePublished": ref.date,
        "license": package.LICENSE["path"],
        "creator": {"@type": "Organization", "name": cfg.publisher},
        "publisher": {"@type": "Organization", "name": cfg.publisher},
        "isAccessibleForFree": True,
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": fmt, "contentUrl": cfg.site_url + "downloads/" + path}
            for fmt, path in (
                ("application/json", "records.json"),
                ("text/csv", "records-all-fields.csv"),
                ("application/geo+json", "records.geojson"),
                ("application/json", "datapackage.json"),
            )
        ],
    }
    return {"block": cite.block(ref, "Cite the data", site.cite_cache), "meta": meta}


def build(site: Site, key: None = None) -> list[Page]:
    src = site.paths.under("downloads.md")
    state = site.eds

    def href(path: str) -> str:
        return rel(src, f"downloads/{path}")

    kinds = [
        {"label": KIND_LABELS[k][1], "href": href(f"kinds/{k.replace('_', '-')}.csv"), "count": n}
        for k in package.MODELS
        if (n := len(site.atlas.records_of_kind(k)))
    ]
    fields = package.dictionary()
    groups = [
        {"kind": "All files", "fields": [f for f in fields if f["kind"] == "all"]},
        *(
            {"kind": KIND_LABELS[k][1], "fields": [f for f in fields if f["kind"] == k]}
            for k in package.MODELS
            if any(f["kind"] == k for f in fields)
        ),
    ]
    title = "Downloads and data dictionary"
    description = (
        "The atlas's data for reuse: CSV, JSON and GeoJSON, a data dictionary and a Frictionless data package."
    )
    page = DownloadsPage(
        title=title,
        description=description,
        edition=state.current,
        count=len(site.atlas.records),
        files={
            "json": href("records.json"),
            "csv": href("records.csv"),
            "all_csv": href("records-all-fields.csv"),
            "geojson": href("records.geojson"),
            "places": href("places.geojson"),
            "bib": href("sources.bib"),
            "package": href("datapackage.json"),
        },
        kinds=kinds,
        groups=groups,
        editions=[
            {
                "name": e.name,
                "date": e.date,
                "csv": href(f"editions/{e.name}/records.csv"),
                "json": href(f"editions/{e.name}/records.json"),
            }
            for e in reversed(state.editions)
            if editions.snapshot_path(site.cfg.root, e.name).exists()
        ],
        license=package.LICENSE,
        cite=_cite(site, src, title, description),
    )
    return [site.render("downloads.md.j2", src, page=page)]
