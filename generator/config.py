"""Settings the generator reads from mkdocs.yml (`site_url`, `site_name`, `extra.atlas`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator import guard, rawhtml
from generator.errors import AtlasError, DataError, Problem, visible


class _Tolerant(yaml.SafeLoader):
    """mkdocs.yml may hold `!!python/name:` and `!ENV` tags; we only need plain values."""


_Tolerant.add_multi_constructor("", lambda loader, suffix, node: None)
_Tolerant.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


# The tags mkdocs.yml may hold: mkdocs runs them (its loader is not the safe one), so no other.
SETTINGS_TAGS = ("tag:yaml.org,2002:python/name:", "!ENV", "!relative")


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    site_name: str
    site_url: str  # always ends with "/"
    edition: str
    edition_date: str
    publisher: str
    data_dir: Path
    out_dir: Path  # generated Markdown, inside docs/
    downloads_dir: Path  # generated downloads, inside docs/
    archive_dir: Path  # generated archive of the released editions' record pages (docs/editions/)
    docs_dir: Path
    editors: tuple[str, ...] = ()  # named editors ("Family, Given"), cited as the atlas's editors
    problems: tuple[Problem, ...] = ()  # settings the theme would print unescaped (guard.settings_problems)
    markdown_extensions: tuple[tuple[str, str], ...] = ()  # as mkdocs runs them (rawhtml.markdown_extensions)
    archived: str = ""  # set in a whole-site build of an old edition (`edition-site`): its name
    repo_url: str = ""  # the repository (mkdocs.yml `repo_url`, no trailing slash): edit links, tracker
    edit_uri: str = ""  # relative to repo_url, e.g. "edit/main/docs/" (mkdocs.yml `edit_uri`)

    @property
    def out_rel(self) -> str:
        return self.out_dir.relative_to(self.docs_dir).as_posix()

    def editor_pages(self) -> list[Path]:
        """The editors' Markdown pages: every .md under docs/ but the generated folders and, as
        mkdocs does, hidden files and folders (a clean build stages its output in one). Those
        folders hold thousands of files and are not walked at all."""
        skip = {self.out_dir.resolve(), self.downloads_dir.resolve(), self.archive_dir.resolve()}
        pages = []
        for folder, dirs, files in os.walk(self.docs_dir):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (here / d).resolve() not in skip)
            pages += [here / f for f in files if f.endswith(".md") and not f.startswith(".")]
        return sorted(pages)

    def source_url(self, origin: str) -> str | None:
        """Where a reader corrects what a generated page shows: its data file, at the line holding
        the item ("data/records/x.yaml:42": the file's view at that line, whose pencil edits it),
        or its essay ("data/prose/countries/kyrgyzstan.md": the file's editor). Made from
        `repo_url` and `edit_uri` (whose last folder is docs/, which the data is beside); None
        when mkdocs.yml sets no repository."""
        if not self.repo_url or not self.edit_uri.strip("/"):
            return None
        docs = self.docs_dir.relative_to(self.root).as_posix() + "/"
        base = self.edit_uri if self.edit_uri.endswith("/") else self.edit_uri + "/"
        edit_root = self.repo_url.rstrip("/") + "/" + base.lstrip("/").removesuffix(docs)
        file, _, line = origin.partition(":")
        if line.isdigit():
            return edit_root.replace("/edit/", "/blob/", 1) + f"{file}#L{line}"
        return edit_root + file

    def url(self, docs_path: str) -> str:
        """Absolute permalink of a page given its path under docs/ (e.g. atlas/records/x.md)."""
        path = docs_path.removesuffix(".md")
        path = path.removesuffix("index")
        return self.site_url + (path + "/" if path and not path.endswith("/") else path)


def load_config(root: Path) -> SiteConfig:
    path = root / "mkdocs.yml"
    data, problems = guard.read_bytes(path, "mkdocs.yml", guard.MAX_SETTINGS_BYTES)
    text, trouble = guard.decode(data, "mkdocs.yml") if data is not None else (None, [])
    problems += trouble
    if text is not None:
        problems += guard.yaml_problems(text, "mkdocs.yml", allow_tags=SETTINGS_TAGS)
    if problems or text is None:
        raise DataError(problems or [Problem("mkdocs.yml", 1, "file", "cannot be read", "")])
    try:
        raw: dict[str, Any] = yaml.load(text, Loader=_Tolerant) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise AtlasError(f"mkdocs.yml: cannot read the site settings: {visible(str(exc), 400)}") from exc
    if not isinstance(raw, dict):
        raise AtlasError("mkdocs.yml: the site settings must be `key: value` lines")
    atlas = (raw.get("extra") or {}).get("atlas") or {}
    site_url = str(raw.get("site_url") or "http://localhost:8000/")
    docs = root / str(raw.get("docs_dir", "docs"))
    return SiteConfig(
        root=root,
        site_name=str(raw.get("site_name", "Atlas")),
        site_url=site_url if site_url.endswith("/") else site_url + "/",
        edition=str(atlas.get("edition", "unreleased")),
        edition_date=str(atlas.get("edition_date", "")),
        publisher=str(atlas.get("publisher", raw.get("site_name", ""))),
        data_dir=root / str(atlas.get("data_dir", "data")),
        out_dir=docs / str(atlas.get("generated_dir", "atlas")),
        downloads_dir=docs / "downloads",
        archive_dir=docs / "editions",
        docs_dir=docs,
        editors=tuple(str(e) for e in atlas.get("editors") or ()),
        problems=tuple(guard.settings_problems(raw, text)),
        markdown_extensions=rawhtml.markdown_extensions(raw.get("markdown_extensions")),
        archived=str(atlas.get("archived") or ""),
        repo_url=str(raw.get("repo_url") or "").rstrip("/"),
        edit_uri=str(raw.get("edit_uri") or ""),
    )
