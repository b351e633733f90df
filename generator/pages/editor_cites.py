"""Cite blocks for the editors' pages (docs/*.md), included there with a snippet line
(`--8<-- "atlas/cite/<page>.html"`): the generator never writes the editors' files."""

from __future__ import annotations

from typing import Any

import yaml

from generator.core.page import Page
from generator.core.site import Site


def keys(site: Site) -> list[None]:
    return [None]


def build(site: Site, key: None = None) -> list[Page]:
    out = []
    cfg = site.cfg
    for path in cfg.editor_pages():
        rel = path.relative_to(cfg.docs_dir).as_posix()
        title, description = front_matter(path.read_text(encoding="utf-8"))
        if rel == "cite.md":  # the "how to cite" page cites the atlas as a whole
            block = site.cite_atlas()
        else:
            cite_key = "page-" + rel.removesuffix(".md").replace("/", "-")  # not "index": the overview has it
            block = site.cite(rel, title or cfg.site_name, description, [], key=cite_key)["block"]
        out.append(Page(site.paths.under(f"cite/{rel.removesuffix('.md').replace('/', '-')}.html"), block + "\n"))
    return out


def front_matter(text: str) -> tuple[str, str]:
    """(title, description) of an editors' page: its front matter, else its first heading (the
    page has passed the guard, generator/guard.py, before any page is built)."""
    meta: dict[str, Any] = {}
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end > 0:
            loaded = yaml.safe_load(text[4:end])
            meta = loaded if isinstance(loaded, dict) else {}
    title = str(meta.get("title") or next((ln[2:].strip() for ln in text.splitlines() if ln.startswith("# ")), ""))
    return title, str(meta.get("description") or "")
