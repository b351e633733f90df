"""The live preview: `python -m generator serve`.

One process, one build loop, event-driven watching:

- watchdog's native observer (inotify on Linux) reports saves at once; mkdocs' own
  LiveReloadServer polls every 0.5 s, so we swap its observer for the native one;
- a save under `data/` or `templates/` regenerates the pages in memory and writes only the files
  whose bytes changed (`write.Staging`); those pages alone are rendered again with the mkdocs
  objects of the last build, the ones open in a browser first (`previewpages`), or, when a page
  was added or removed, mkdocs rebuilds in dirty mode; a change to `templates/theme/` or
  `mkdocs.yml` rebuilds all pages (the full strict build stays the job of `make site`);
- the generated folders are not watched, so one save is one rebuild, never two;
- every error, of any type, is printed in the terminal and shown as a banner on every page the
  preview serves until a later build succeeds; the last good pages stay visible meanwhile;
- `/admin/` is the form editor (Decap CMS) and `/api/v1` its backend (generator/cmsapi.py).
"""

from __future__ import annotations

import html
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as mkdocs_load_config

from generator import write
from generator.build import contribution_problems, generate
from generator.cmsapi import CmsApi
from generator.config import load_config
from generator.core.memo import Memo
from generator.core.page import Page
from generator.errors import AtlasError, DataError
from generator.previewpages import PageRenderer, Warnings
from generator.previewserver import _Server

log = logging.getLogger("generator.preview")
BANNER_ID = "atlas-preview-errors"


@dataclass
class _Changes:
    """What the saves since the last build touched, so the build does only what they need."""

    regenerate: bool = False
    full: bool = False
    paths: set[str] = field(default_factory=set)

    def any(self) -> bool:
        return bool(self.paths)


class Preview:
    """Regenerate, rebuild and serve; remembers the last error until a build succeeds."""

    def __init__(self, root: Path, host: str, port: int) -> None:
        self.written = write.Written()  # regenerating on every save: keep the written pages in memory
        self.memo = Memo()  # and the record pages, each until something it shows changes
        self.root = root
        self.host = host
        self.port = port
        self.cfg = load_config(root)
        self.site_dir = Path(tempfile.mkdtemp(prefix="atlas-preview-"))
        self.error: str | None = None
        self._env: Any = None  # the theme's Jinja environment, kept between dirty builds
        self.pages = PageRenderer()  # the last build's mkdocs objects, to render changed pages alone
        self._lock = threading.Lock()
        self._changes = _Changes(regenerate=True, full=True, paths={"(start)"})
        self._ignored = [d.resolve() for d in (self.cfg.out_dir, self.cfg.downloads_dir, self.cfg.archive_dir)]
        self._docs = self.cfg.docs_dir.resolve()  # resolved once, like _ignored: wants() runs per event
        self.cms = CmsApi(root)  # the form editor at /admin/ and its API at /api/v1
        self.server = _Server(self, builder=self.rebuild, host=host, port=port, root=str(self.site_dir))

    # --- what changed -------------------------------------------------------------------------

    def classify(self, path: str) -> None:
        """Record a changed file; called from the watchdog thread, so it only takes notes."""
        p = _where_saved(path)
        if (
            any(p.is_relative_to(d) for d in self._ignored)
            or p.name.startswith((".#", ".tmp-"))
            or p.name.endswith("~")
        ):
            return
        root = self.root.resolve()
        with self._lock:
            self._changes.paths.add(str(p))
            if p == root / "mkdocs.yml":
                self._changes.regenerate = self._changes.full = True
            elif p.is_relative_to(root / "templates" / "theme"):
                self._changes.full = True
            elif p.is_relative_to(self.cfg.data_dir.resolve()) or p.is_relative_to(root / "templates"):
                self._changes.regenerate = True
        self.server.request_rebuild()

    def wants(self, path: str) -> bool:
        """Not the generated folders, nor anything hidden in docs/ (mkdocs does not read it; a
        clean build stages its pages in a hidden folder there)."""
        p = _where_saved(path)
        if any(p.is_relative_to(d) for d in self._ignored):
            return False
        docs = self._docs
        return not (p.is_relative_to(docs) and any(part.startswith(".") for part in p.relative_to(docs).parts))

    # --- one build ------------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Generate if data or templates changed, then mkdocs (dirty unless the theme changed).

        Never raises: an error is reported and kept for the banner; the previous pages stay."""
        with self._lock:
            changes, self._changes = self._changes, _Changes()
        if not changes.any():
            return
        _resolved.cache_clear()  # a folder may have been replaced (by a link) since the last build
        start = time.perf_counter()
        stage = "generate"
        shown = False
        early: set[Path] = set()  # the open pages shown before the others were made
        try:
            if changes.regenerate:
                self.cfg = load_config(self.root)

                def show_open(report: write.WriteReport) -> None:
                    # The pages open in a browser are written (their jobs ran first): show them.
                    nonlocal early
                    found = self.pages.pages_for(self.cfg.docs_dir.resolve(), report.paths)
                    if found is not None:
                        self._render(*found)
                        self._succeeded()
                        self.server.publish()
                        early = set(report.paths)
                        shown_now = ", ".join("/" + p.url for p in found[0])
                        log.info("open pages visible after %.2fs: %s", time.perf_counter() - start, shown_now)

                def show(report: write.WriteReport) -> None:
                    # The pages are written: render them and reload the browsers now; the downloads
                    # are made after, and copied into the served site without another build.
                    nonlocal stage, shown
                    stage = "mkdocs"
                    log.info("pages generated in %.2fs", time.perf_counter() - start)
                    report.paths = [p for p in report.paths if p not in early]
                    if not self._show_changed(report):
                        self._mkdocs(dirty=True)
                        self._render(self.pages.includers_of(self.cfg.docs_dir.resolve(), report.paths))
                        self._succeeded()  # before the reload, so the reloaded pages lose the banner
                        self.server.publish()
                    log.info("pages visible after %.2fs", time.perf_counter() - start)
                    shown, stage = True, "generate"

                try:
                    g = generate(
                        self.root,
                        then=None if changes.full else show,
                        early=None if changes.full else show_open,
                        first=lambda: self.pages.sources_of(self.server.viewed.open()),
                        memo=self.memo,
                        written=self.written,
                    )
                finally:
                    if not (self.site_dir / "index.html").exists():
                        # The first build must leave pages to show the error on, even with bad data.
                        stage = "mkdocs"
                        self._mkdocs(dirty=False)
                log.info("generated %d files (%s) in %.2fs", g.files, g.report, time.perf_counter() - start)
                if shown:
                    _copy_changed([p for p in g.pages if p.path.startswith("downloads/")], self.site_dir)
            if not shown:
                if not changes.regenerate:  # an editor's page changed: the same guard as a build
                    problems = contribution_problems(self.cfg)[0]
                    if problems:
                        raise DataError(problems)
                stage = "mkdocs"
                self._mkdocs(dirty=not changes.full)
        except DataError as exc:
            self._fail(exc.report(), changes, stage)
        except AtlasError as exc:
            self._fail(f"error: {exc}", changes, stage)
        except (Exception, SystemExit):
            self._fail("unexpected error while building the preview:\n" + traceback.format_exc(), changes, stage)
        else:
            log.info("preview updated in %.2fs", time.perf_counter() - start)
            self._succeeded()

    def _succeeded(self) -> None:
        if self.error is not None:
            log.info("fixed: the preview shows the current data again")
        self.error = None

    def _fail(self, text: str, changes: _Changes, stage: str) -> None:
        """Report, keep the error for the banner, and owe the work to the next save."""
        self.error = text
        self.server.reload_again()  # the pages may have been shown already in this build
        print(text, file=sys.stderr, flush=True)
        print(
            "the preview keeps the last good pages and shows this error until it is fixed", file=sys.stderr, flush=True
        )
        with self._lock:
            self._changes.regenerate |= changes.regenerate
            self._changes.full |= changes.full or stage == "mkdocs"
            self._changes.paths |= changes.paths

    def _show_changed(self, report: write.WriteReport) -> bool:
        """Render the pages this save rewrote, those open in a browser first, then reload them and
        render the rest; False when a page is new or gone (mkdocs' dirty build must list them)."""
        found = (
            None
            if report.removed or report.new_folders
            else self.pages.pages_for(self.cfg.docs_dir.resolve(), report.paths)
        )
        if found is None:
            return False
        pages, statics = found
        first, rest = self.pages.order(pages, self.server.viewed.open())
        self._render(first, statics)
        self._succeeded()
        self.server.publish()
        if first:
            log.info("open pages visible: %s", ", ".join("/" + p.url for p in first))
        self._render(rest)
        return True

    def _render(self, pages: list[Any], statics: Any = ()) -> None:
        try:
            warnings = self.pages.render(pages, statics)
        except (Exception, SystemExit) as exc:
            self.pages.forget()  # the next save builds with mkdocs again
            raise AtlasError(f"mkdocs: {self._where(exc)}{exc}") from exc
        if warnings and self.pages.kept is not None and self.pages.kept.config.strict:
            self.pages.forget()
            raise AtlasError("\n".join(warnings))

    def _mkdocs(self, dirty: bool) -> None:
        # A full build starts from an empty folder (mkdocs empties it first), so it builds into a
        # new one that replaces the served one only on success: the last good pages stay served.
        out = self.site_dir if dirty else Path(tempfile.mkdtemp(prefix="atlas-preview-"))
        config = mkdocs_load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=str(out))
        config.site_url = self.server.url
        config.dev_addr = f"{self.host}:{self.port}"  # type: ignore[assignment]
        theme: Any = config.theme
        if dirty and self._env is not None:
            # Theme templates did not change (that would be a full build): reuse the compiled ones.
            theme.get_env = lambda: self._env
            _remember_template_list(self._env)
            # A dirty build would rewrite the search index with only the rebuilt pages; keep the
            # complete index of the last full build instead (stale for the edited pages only).
            _drop_plugin_events(config.plugins, "search")
        else:
            make_env = theme.get_env

            def keep_env() -> Any:
                self._env = make_env()
                return self._env

            theme.get_env = keep_env
        warnings = Warnings()
        logging.getLogger("mkdocs").addHandler(warnings)
        self.pages.capture(config)
        try:
            mkdocs_build(config, serve_url=self.server.url, dirty=dirty)
        except (Exception, SystemExit) as exc:
            self.pages.forget()
            if out != self.site_dir:
                shutil.rmtree(out, ignore_errors=True)
            # mkdocs' strict mode aborts with a count; the browser should see the warnings themselves.
            raise AtlasError("\n".join([*warnings.messages, f"mkdocs: {self._where(exc)}{exc}"])) from exc
        finally:
            logging.getLogger("mkdocs").removeHandler(warnings)
        if out != self.site_dir:
            old, self.site_dir = self.site_dir, out
            self.server.root = str(out)
            shutil.rmtree(old, ignore_errors=True)

    def _where(self, exc: BaseException) -> str:
        """`file:line: ` of a template error (Jinja names them), relative to the project."""
        name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
        if not name:
            return ""
        path = Path(name)
        shown = path.relative_to(self.root) if path.is_absolute() and path.is_relative_to(self.root) else path
        return f"{shown}:{line}: " if line else f"{shown}: "

    # --- the banner -----------------------------------------------------------------------------

    def banner(self) -> bytes:
        if self.error is None:
            return b""
        text = html.escape(self.error)
        return (
            f'<div id="{BANNER_ID}" role="alert" style="position:fixed;z-index:10000;top:0;left:0;right:0;'
            "max-height:50vh;overflow:auto;background:#fff3f3;color:#5c0000;border-bottom:3px solid #b00020;"
            'padding:.8em 1.2em;font:14px/1.4 monospace">'
            "<strong>The preview could not be updated.</strong> The pages below are the last good build; "
            "fix the problem and save, and this notice goes away."
            f'<pre style="white-space:pre-wrap;margin:.5em 0 0">{text}</pre></div>'
        ).encode()

    # --- run ------------------------------------------------------------------------------------

    def serve(self) -> int:
        # `kill` (SIGTERM) stops the preview like Ctrl-C, so its temporary site is removed.
        signal.signal(signal.SIGTERM, _interrupt)
        self.rebuild()
        for path in (self.cfg.data_dir, self.root / "templates", self.cfg.docs_dir, self.root / "mkdocs.yml"):
            if path.exists():
                self.server.watch(str(path))
        try:
            self.server.serve()
        except KeyboardInterrupt:
            log.info("stopped")
        finally:
            self.server.shutdown()
            shutil.rmtree(self.site_dir, ignore_errors=True)
        return 0


def _copy_changed(files: list[Page], site_dir: Path) -> None:
    """Put generated downloads into the served site as mkdocs would (docs/x -> site/x)."""
    for page in files:
        target = site_dir / page.path
        data = page.text.encode("utf-8")
        if not target.exists() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def _where_saved(path: str) -> Path:
    """The absolute path of a changed entry, without following it if it is a symbolic link: a
    link saved into data/ must count as a change to data/, wherever it points."""
    folder, _, name = path.rpartition(os.sep)
    return _resolved(folder) / name


@lru_cache(maxsize=4096)
def _resolved(folder: str) -> Path:
    """Folders resolved once: the watcher sees a few events per file the build writes, and
    resolving each path again was a tenth of a second of every build. Cleared by every build."""
    return Path(folder or os.sep).resolve()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _remember_template_list(env: Any) -> None:
    """mkdocs lists every file of the theme on each build (a walk of Material's folders); the
    theme did not change since this environment was made, so list it once."""
    if getattr(env, "_atlas_listed", None) is None:
        listed: dict[Any, list[str]] = {}
        list_templates = env.list_templates

        def cached(extensions: Any = None, filter_func: Any = None) -> list[str]:
            key = (tuple(extensions or ()), filter_func.__code__ if filter_func else None)
            if key not in listed:
                listed[key] = list_templates(extensions=extensions, filter_func=filter_func)
            return listed[key]

        env.list_templates = cached
        env._atlas_listed = listed


def _drop_plugin_events(plugins: Any, suffix: str) -> None:
    """Unregister every event handler of the plugins whose name ends with `suffix`."""
    for name, plugin in list(plugins.items()):
        if name.split("/")[-1] == suffix:
            for handlers in plugins.events.values():
                handlers[:] = [h for h in handlers if getattr(h, "__self__", None) is not plugin]


def serve(root: Path, host: str, port: int) -> int:
    # mkdocs runs in this process, and pymdownx.snippets resolves its base_path (docs/) against the
    # working directory, as `mkdocs build` does when run from the project: work from the project.
    os.chdir(root)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    logging.getLogger("mkdocs.livereload").setLevel(logging.INFO)
    # Dirty builds are the point of the preview; mkdocs warns about them on every save.
    logging.getLogger("mkdocs.commands.build").addFilter(lambda r: "'dirty' build" not in r.getMessage())
    return Preview(root, host, port).serve()
