"""The pipeline end to end: load -> validate -> render -> write; and the site build around it."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from generator import editions, guard, parallel, prose
from generator.config import SiteConfig, load_config
from generator.core.memo import Memo
from generator.core.page import Page
from generator.core.site import Site
from generator.downloads.package import package_files
from generator.downloads.records import record_files, record_row
from generator.errors import AtlasError, DataError, Problem
from generator.essays import load_essays
from generator.load import load_data
from generator.model import Atlas
from generator.validate import validate
from generator.write import Placed, Staging, WriteReport, Written


@dataclass
class Generated:
    atlas: Atlas
    pages: list[Page]  # the rendered pages; empty when worker processes rendered and wrote them
    report: WriteReport
    seconds: float
    files: int  # how many files the build made (pages and downloads)


def contribution_problems(cfg: SiteConfig) -> tuple[list[Problem], dict[str, str], prose.Essays]:
    """What contributors wrote outside data/'s YAML, through the guard: folders (links out,
    special files), settings, the editors' pages and the essays (front matter, snippet lines, raw
    HTML). Returns the problems, the pages' texts and the essays."""
    generated = [cfg.out_dir, cfg.downloads_dir, cfg.archive_dir]
    problems = guard.folders_problems(cfg.root, cfg.docs_dir, generated, cfg.data_dir)
    problems += guard.template_problems(cfg.root)
    problems += editions.input_problems(cfg.root)
    problems += cfg.problems
    pages: dict[str, str] = {}
    for path in cfg.editor_pages():
        name = path.relative_to(cfg.root).as_posix()
        if path.is_symlink() or not path.is_file():
            continue  # reported by folders_problems
        text, trouble = guard.read_page(path, name)
        problems += trouble
        if text is not None:
            pages[name] = text
            problems += guard.page_problems(text, name, cfg.docs_dir, generated, extensions=cfg.markdown_extensions)
    essays, trouble = load_essays(cfg.data_dir, cfg.root)
    problems += trouble
    for essay in essays.all():
        problems += guard.page_problems(
            essay.text, essay.file, cfg.docs_dir, generated, extensions=cfg.markdown_extensions
        )
    return problems, pages, essays


def load_atlas(cfg: SiteConfig, texts: Mapping[Path, str] | None = None) -> Atlas:
    """Every input through the guard, the data validated, the prose checked: all problems at once.
    `texts`: data files as a save would leave them (checked before anything is written)."""
    problems, pages, essays = contribution_problems(cfg)
    try:
        atlas = validate(load_data(cfg.data_dir, cfg.root, texts))
    except DataError as exc:
        raise DataError(exc.problems + problems) from None
    # Prose (data/prose/*.md and YAML text fields) is checked once the references it cites exist.
    problems += prose.check(atlas, essays)
    problems += prose.docs_problems(pages)
    if problems:
        raise DataError(problems)
    atlas.essays = essays
    return atlas


def site_for(atlas: Atlas, cfg: SiteConfig, *, memo: Memo | None = None) -> Site:
    site = Site(atlas, cfg, memo=memo)
    problems = editions.check_ids(atlas, site.eds.editions, site.eds.redirects)
    if problems:
        raise AtlasError("record ids must stay citable:\n" + "\n".join(problems))
    return site


def site_jobs(site: Site) -> tuple[list[parallel.Job], list[parallel.Job]]:
    """The jobs that make the pages (docs/atlas/), and those that make the downloads (docs/downloads/)."""
    from generator import pages  # imported when pages are made: a build that stops at validation never loads folium

    atlas, cfg = site.atlas, site.cfg
    rows = [record_row(atlas, cfg, r) for r in atlas.records.values()]
    files: list[parallel.Job] = [
        partial(record_files, atlas, cfg, rows),
        partial(package_files, atlas, cfg, rows, site.eds),
    ]
    return pages.jobs(site), files


def generate(
    root: Path,
    *,
    then: Callable[[WriteReport], None] | None = None,
    early: Callable[[WriteReport], None] | None = None,
    first: Callable[[], set[str]] | None = None,
    processes: int = 1,
    memo: Memo | None = None,
    written: Written | None = None,
) -> Generated:
    """Validate everything, render every page, then put in place what changed.

    Pages are staged as they are rendered and put in place only when all are done, so a mistake
    found half way changes nothing. `processes` > 1 renders in forked workers (`parallel.py`).
    With `then` (the preview's "show them now"), the pages are put in place and `then` runs, given
    what was written, before the downloads are made: the data files follow the pages by a fraction
    of a second. With `early` too, the jobs that last made the pages `first` names (the pages open
    in a browser) run first, their pages are put in place and `early` runs, then the others."""
    start = time.perf_counter()
    cfg = load_config(root)
    atlas = load_atlas(cfg)
    site = site_for(atlas, cfg, memo=memo)
    page_jobs, file_jobs = site_jobs(site)
    files_rel = cfg.downloads_dir.relative_to(cfg.docs_dir).as_posix()
    archive_rel = cfg.archive_dir.relative_to(cfg.docs_dir).as_posix()
    pages_stage = Staging(cfg.docs_dir, [cfg.out_rel, archive_rel], written)
    files_stage = Staging(cfg.docs_dir, [files_rel], written)
    done: list[Page] = []
    files = 0

    def stage(path: str) -> Staging:
        return files_stage if path.startswith(files_rel + "/") else pages_stage

    def place(page: Page) -> Placed:
        return stage(page.path).place(page)

    try:
        if then is None and memo is not None:
            # the preview's first build, in its own process: note which job made which page
            for job in file_jobs:
                _run(job, files_stage.add, done, None)
            for job in page_jobs:
                _run(job, pages_stage.add, done, memo)
            files = len(done)
            report = pages_stage.commit() + files_stage.commit()
        elif then is None:
            # the downloads first: they are the biggest jobs, and the last job should be a small one
            for placed, page in parallel.run_placed(file_jobs + page_jobs, place, processes):
                stage(placed.path).record(placed)
                files += 1
                if page is not None:
                    done.append(page)
            report = pages_stage.commit() + files_stage.commit()
        else:
            front = _front(page_jobs, memo, first() if first and early else set())
            for i in front:
                _run(page_jobs[i], pages_stage.add, done, memo)
            part = pages_stage.commit_staged() if front else None
            if early is not None and part is not None:
                early(part)
            for i, job in enumerate(page_jobs):
                if i not in front:
                    _run(job, pages_stage.add, done, memo)
            report = pages_stage.commit()
            then(report)
            for page in parallel.run(file_jobs):
                files_stage.add(page)
                done.append(page)
            report += files_stage.commit()
            files = len(done)
    except BaseException:
        pages_stage.abort()
        files_stage.abort()
        raise
    return Generated(atlas, done, report, time.perf_counter() - start, files)


def _job_id(job: parallel.Job) -> tuple[str, Any]:
    return (getattr(job, "func", job).__module__, getattr(job, "args", ((), None))[-1])


def _front(jobs: list[parallel.Job], memo: Memo | None, wanted: set[str]) -> list[int]:
    """The jobs whose pages, last time, included one of `wanted` (docs-relative paths)."""
    if memo is None or not wanted:
        return []
    return [i for i, job in enumerate(jobs) if wanted.intersection(memo.outputs.get(_job_id(job), ()))]


def _run(job: parallel.Job, add: Callable[[Page], None], done: list[Page], memo: Memo | None) -> None:
    pages = job()
    for page in pages:
        add(page)
        done.append(page)
    if memo is not None:
        memo.outputs[_job_id(job)] = tuple(page.path for page in pages)


def source_date_epoch(root: Path) -> str | None:
    """The build's date for reproducible output: $SOURCE_DATE_EPOCH if set, else the time of the
    last commit, so that two builds of one commit are byte-identical on any day."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, check=False, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    stamp = out.stdout.strip()
    return stamp if out.returncode == 0 and stamp.isdigit() else None


def build_env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    if stamp := source_date_epoch(root):
        env["SOURCE_DATE_EPOCH"] = stamp
    # the engine imports this generator's Markdown extension (zensical_links), wherever it runs
    here = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join([here, *filter(None, [env.get("PYTHONPATH")])])
    return env


def zensical_settings(text: str) -> str:
    """mkdocs.yml's text as Zensical's build needs it. Its own search is switched off (Zensical
    enables it when no plugin names it, and its header then fetched a 3 MB search.json on every
    first view): the search is Pagefind's, as with mkdocs. Its rewrite of links in raw HTML is
    matched by generator/zensical_links.py, loaded as its last Markdown extension."""
    off = "plugins:\n  - search:\n      enabled: false\n"
    text, n = re.subn(r"(?m)^plugins:[ \t]*\[\][ \t]*(#.*)?\n", off, text)
    if n == 0:
        text, n = re.subn(r"(?m)^plugins:[ \t]*(#.*)?\n", off, text)
    ext = "markdown_extensions:\n  - generator.zensical_links\n"
    text, m = re.subn(r"(?m)^markdown_extensions:[ \t]*(#.*)?\n", ext, text)
    if n != 1 or m != 1:
        raise AtlasError("mkdocs.yml needs a 'plugins:' and a 'markdown_extensions:' list for the Zensical build")
    return text


ENGINES = ("mkdocs", "zensical")


def engine_command(root: Path, out: Path, engine: str, strict: bool) -> tuple[list[str], Path | None]:
    """The command that builds the site into `out` with `engine`, and a scratch file to remove.

    Zensical reads mkdocs.yml but has no --site-dir option: it gets a copy of mkdocs.yml, beside
    the original so every relative path still holds, with `site_dir` pointing at `out`."""
    config = root / "mkdocs.yml"
    if engine == "mkdocs":
        cmd = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(out), "--config-file", str(config)]
        return ([*cmd, "--strict"] if strict else cmd), None
    if engine == "zensical":
        text = re.sub(r"(?m)^site_dir:.*\n", "", config.read_text(encoding="utf-8"))
        # Zensical's theme has its own assets: its overrides are made from its own templates
        # (tools/theme_overrides.py writes templates/theme-zensical/ beside templates/theme/).
        text = re.sub(r"(?m)^(\s*custom_dir:\s*)templates/theme\s*(#.*)?$", r"\1templates/theme-zensical", text)
        text = zensical_settings(text)
        scratch = root / f".zensical-{out.name}.yml"
        scratch.write_text(f"site_dir: {json.dumps(str(out))}\n{text}", encoding="utf-8")
        cmd = [str(Path(sys.executable).with_name("zensical")), "build", "--config-file", str(scratch)]
        return ([*cmd, "--strict"] if strict else cmd), scratch
    raise AtlasError(f"unknown engine '{engine}': use one of {', '.join(ENGINES)}")


def build_site(root: Path, site_dir: Path | None = None, strict: bool = True, engine: str = "mkdocs") -> None:
    """Build into a temporary folder; replace site/ only when the build succeeded."""
    site = site_dir or root / "site"
    _remove_leftovers(root)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=root))
    cmd, scratch = engine_command(root, tmp, engine, strict)
    try:
        result = subprocess.run(cmd, cwd=root, check=False, env=build_env(root), preexec_fn=_die_with_parent)
    finally:
        if scratch is not None:
            scratch.unlink(missing_ok=True)
    if result.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise AtlasError(f"{engine} build failed (exit {result.returncode}); the previous {site.name}/ is unchanged")
    try:
        check_metadata(tmp)
        index_search(root, tmp)
    except AtlasError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = root / f".site-old-{time.time_ns()}"
    try:
        if site.exists():
            site.rename(old)
        try:
            tmp.rename(site)
        except OSError:
            if old.exists() and not site.exists():
                old.rename(site)  # put the previous site back
            raise
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise AtlasError(
            f"cannot put the new site in place of {site.name}/ ({exc.strerror}); {site.name}/ is unchanged"
        ) from None
    shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(root: Path) -> None:
    """A build killed half way (kill -9, a power cut) leaves its temporary site folders behind:
    the next build removes them. Only one build runs in a folder at a time (`build_lock`), so no
    other build is using them."""
    for old in root.glob(".site-*"):
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)


_die_with_parent = parallel.die_with_parent


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """One build at a time in a project folder: a second `make site` says so and stops instead of
    racing the first over docs/atlas/ and site/."""
    import fcntl

    folder = root / ".cache"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "build.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise AtlasError(
                f"another build is running in this folder ({holder}); wait for it to finish, or stop it"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)


# Every page of the built site carries what reference managers read (templates/theme/main.html).
REQUIRED_METADATA = ('name="citation_title"', 'name="z.itemType"', 'name="DC.identifier"')


def check_metadata(site: Path) -> None:
    """A theme override that drops the citation metadata (a deleted or edited main.html) fails the
    build, instead of publishing pages that Zotero cannot save."""
    missing = []
    for page in site.rglob("*.html"):
        if page.name == "404.html" or page.is_relative_to(site / "assets") or page.is_relative_to(site / "pagefind"):
            continue
        with page.open(encoding="utf-8", errors="replace") as fh:
            head = fh.read(20_000)
        if not all(tag in head for tag in REQUIRED_METADATA):
            missing.append(page.relative_to(site).as_posix())
    if missing:
        raise AtlasError(
            f"{len(missing)} built page(s) lack the citation metadata (e.g. {missing[0]}): templates/theme/main.html "
            "must keep its extrahead block (citation_title, z.itemType, DC.identifier); site/ is unchanged"
        )


# Only the article is indexed (not header, navigation, footer, table of contents). Citation blocks
# (BibTeX/RIS, "cite this"), data-file footers and permalink anchors repeat on every record page
# and made 39% of Material's old index: they stay out. So do the h1 (Pagefind still takes the
# title from it; in the text it only repeated the title in every excerpt), a record's kicker and
# table of fields (their values are searched through the page's hidden "fields" metadata, see
# generator/core/search.py, so excerpts are sentences, not "Date. 2008. Organisations..."), its
# related records, and the record tables of listing pages (other pages' titles: a search for
# them finds those pages).
SEARCH_ROOT = "article.md-content__inner"
SEARCH_EXCLUDE = [
    "h1",
    ".atlas-record-kicker",
    ".atlas-facts",
    ".atlas-related",
    ".atlas-records",
    ".atlas-cite",
    ".atlas-ref",
    ".atlas-origin",
    ".headerlink",
    ".atlas-map-wrap",
    "details.info",
    ".md-source-file",
]


def index_search(root: Path, site: Path) -> None:
    """Pagefind indexes the built HTML into site/pagefind/.

    It runs here, after mkdocs, rather than as a mkdocs hook (Zensical runs no hooks); the
    extended binary segments Chinese. The live preview (mkdocs serve) has no index: its search
    page says so."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent", "--root-selector", SEARCH_ROOT]
    cmd += ["--exclude-selectors", ", ".join(SEARCH_EXCLUDE)]
    result = subprocess.run(cmd, cwd=root, check=False, preexec_fn=_die_with_parent)
    if result.returncode != 0 or not (site / "pagefind" / "pagefind.js").exists():
        raise AtlasError(f"pagefind failed to index the site (exit {result.returncode}); site/ is unchanged")
