"""The preview's fast path: after a save, render only the pages it changed, those open in a
browser first.

mkdocs' dirty build lists every file of the site and of the theme, builds the navigation, looks
at each of ~1,900 pages to see whether it changed and renders 404.html and the sitemap again: about
0.8 s of CPU before it renders one changed page, on every save. A save of data or templates that
only rewrites pages mkdocs already knows needs none of that. This module keeps the objects of the
preview's last mkdocs build (settings, files, navigation, the theme's templates) and renders just
the changed pages with mkdocs' own page functions, so each page is what a dirty build would make.

- Pages that include a changed file (`--8<--` snippet lines, e.g. the home page's generated part
  in `docs/atlas/_includes/`) are rendered again too; mkdocs' dirty build missed them.
- The pages a browser has open are rendered first, then the browsers reload, then the others
  follow: what the editor looks at is current after the save's own page, not after all 20-30.
- A save that adds or removes a page, or changes a file mkdocs does not know, is not handled here
  (`pages_for` answers None) and the preview runs mkdocs' dirty build, which captures new objects.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _build_page, _populate_page  # mkdocs' own steps for one page
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.guard import snippet_targets

log = logging.getLogger("generator.preview")

# A page counts as open while its live-reload script waits for a reload; without one (a browser
# with scripts off, a page fetched by a tool), the page served last counts, for a while.
LAST_SERVED_FOR_S = 120.0


@dataclass
class Viewed:
    """The site paths (`/atlas/records/x/`) browsers have open; filled by the server's threads."""

    waiting: dict[str, int] = field(default_factory=dict)  # page -> live-reload requests waiting
    last: tuple[str, float] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def polling(self, path: str, delta: int) -> None:
        """A page's live-reload request began (+1) or ended (-1)."""
        with self.lock:
            n = self.waiting.get(path, 0) + delta
            if n > 0:
                self.waiting[path] = n
            else:
                self.waiting.pop(path, None)

    def served(self, path: str) -> None:
        if path.endswith("/index.html"):
            path = path[: -len("index.html")]
        self.last = (path, time.monotonic())

    def open(self) -> set[str]:
        with self.lock:
            out = set(self.waiting)
        if self.last is not None and time.monotonic() - self.last[1] <= LAST_SERVED_FOR_S:
            out.add(self.last[0])
        return out


@dataclass
class _Kept:
    config: Any
    files: Files
    nav: Any
    env: Any
    doc_files: Sequence[File]
    includers: dict[str, set[str]] | None = None  # snippet target -> src_uri of pages including it


class PageRenderer:
    """mkdocs' objects of the last build, and the pages rendered again with them."""

    def __init__(self) -> None:
        self.kept: _Kept | None = None

    def capture(self, config: Any) -> None:
        """Keep this build's navigation, files and theme: hooks on the config's plugin events
        (mkdocs runs them with every build; the atlas has no plugins of its own)."""
        self.kept = None
        got: dict[str, Any] = {}

        def on_nav(nav: Any, *, config: Any, files: Files) -> Any:
            got["nav"] = nav
            return nav

        def on_env(env: Any, *, config: Any, files: Files) -> Any:
            self.kept = _Kept(
                config, files, got.get("nav"), env, files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
            )
            return env

        config.plugins.events["nav"].append(on_nav)
        config.plugins.events["env"].append(on_env)

    def forget(self) -> None:
        self.kept = None

    def pages_for(self, docs_dir: Path, paths: Iterable[Path]) -> tuple[list[Any], list[File]] | None:
        """The pages and other files mkdocs made from `paths` (files under docs/ a save rewrote),
        plus the pages including any of them; None when one of them is new to mkdocs."""
        kept = self.kept
        if kept is None or kept.nav is None:
            return None
        pages: dict[str, Any] = {}
        statics: list[File] = []
        for path in paths:
            if not path.is_relative_to(docs_dir):
                continue
            uri = path.relative_to(docs_dir).as_posix()
            file = kept.files.get_file_from_path(uri)
            if file is None or file.inclusion.value == InclusionLevel.EXCLUDED.value:
                if not _excluded(kept, uri):
                    return None  # a new file: mkdocs' dirty build adds it
                # left out of the site (docs/atlas/_includes/, atlas/cite/): only its includers change
            elif file.is_documentation_page():
                if file.page is None:
                    return None
                pages[uri] = file.page
            elif file.inclusion.is_in_serve():
                statics.append(file)
            for includer in self._includers().get(uri, ()):
                inc = kept.files.get_file_from_path(includer)
                if inc is None or inc.page is None:
                    return None
                pages[includer] = inc.page
        return list(pages.values()), statics

    def sources_of(self, urls: set[str]) -> set[str]:
        """The files (docs-relative) the pages at `urls` are made from: their Markdown and the
        files they include."""
        kept = self.kept
        if kept is None or not urls:
            return set()
        out = {f.src_uri for f in kept.doc_files if "/" + f.url in urls}
        for target, pages in self._includers().items():
            if pages & out:
                out.add(target)
        return out

    def includers_of(self, docs_dir: Path, paths: Iterable[Path]) -> list[Any]:
        """The pages including any of `paths` (mkdocs' dirty build renders a page only when its
        own file changed, not when a file it includes did)."""
        if self.kept is None:
            return []
        found: dict[str, Any] = {}
        for path in paths:
            if path.is_relative_to(docs_dir):
                for includer in self._includers().get(path.relative_to(docs_dir).as_posix(), ()):
                    file = self.kept.files.get_file_from_path(includer)
                    if file is not None and file.page is not None:
                        found[includer] = file.page
        return list(found.values())

    def render(self, pages: list[Any], statics: Iterable[File] = ()) -> list[str]:
        """Render `pages` as mkdocs' build does and copy `statics`; mkdocs' warnings returned."""
        kept = self.kept
        assert kept is not None
        warnings = Warnings()
        logging.getLogger("mkdocs").addHandler(warnings)
        try:
            for file in statics:
                file.copy_file(dirty=False)
            for page in pages:
                _populate_page(page, kept.config, kept.files, dirty=False)
                _build_page(page, kept.config, kept.doc_files, kept.nav, kept.env, dirty=False)
                if kept.includers is not None:
                    self._note_includes(page.file.src_uri, page.markdown or "")
        finally:
            logging.getLogger("mkdocs").removeHandler(warnings)
        return warnings.messages

    def order(self, pages: list[Any], viewed: set[str]) -> tuple[list[Any], list[Any]]:
        """The pages a browser has open, then the others."""
        first = [p for p in pages if "/" + p.url in viewed or (p.url == "" and "/" in viewed)]
        return first, [p for p in pages if p not in first]

    # --- snippets ---------------------------------------------------------------------------

    def _includers(self) -> dict[str, set[str]]:
        kept = self.kept
        assert kept is not None
        if kept.includers is None:
            kept.includers = {}
            for file in kept.doc_files:
                try:
                    text = Path(file.abs_src_path or "").read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                if "--8<--" in text:
                    self._note_includes(file.src_uri, text)
        return kept.includers

    def _note_includes(self, src_uri: str, text: str) -> None:
        kept = self.kept
        assert kept is not None and kept.includers is not None
        for targets in kept.includers.values():
            targets.discard(src_uri)
        if "--8<--" in text:
            for _, target in snippet_targets(text):
                kept.includers.setdefault(target, set()).add(src_uri)


def _excluded(kept: _Kept, uri: str) -> bool:
    """A Markdown file mkdocs does not build (settings' `exclude_docs`), such as an include."""
    spec = kept.config.exclude_docs
    return bool(spec is not None and spec.match_file(uri))


class Warnings(logging.Handler):
    """Collects mkdocs' warnings during one build, or one page's rendering."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")
