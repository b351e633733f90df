"""The pipeline end to end: load -> validate -> render -> write; and the site build around it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator import dataset, editions, prose
from generator.config import SiteConfig, load_config
from generator.errors import AtlasError, DataError
from generator.export import downloads, record_row
from generator.load import load_data
from generator.model import Atlas
from generator.render import Page, Renderer
from generator.validate import validate
from generator.write import WriteReport, write_pages


@dataclass
class Generated:
    atlas: Atlas
    pages: list[Page]
    report: WriteReport
    seconds: float


def load_atlas(cfg: SiteConfig) -> Atlas:
    atlas = validate(load_data(cfg.data_dir, cfg.root))
    # Prose (data/prose/*.md and YAML text fields) is checked once the references it cites exist.
    essays = prose.load_essays(cfg.data_dir, cfg.root)
    problems = prose.check(atlas, essays)
    problems += prose.docs_problems(cfg.docs_dir, cfg.root, [cfg.out_dir, cfg.downloads_dir])
    if problems:
        raise DataError(problems)
    atlas.essays = essays
    return atlas


@dataclass
class Rendered:
    """Everything one build writes: the pages (docs/atlas/) and the downloads (docs/downloads/)."""

    renderer: Renderer
    pages: list[Page]
    rows: list[dict[str, object]]

    def downloads(self) -> list[Page]:
        atlas, cfg = self.renderer.atlas, self.renderer.cfg
        return downloads(atlas, cfg, self.rows) + dataset.downloads(atlas, cfg, self.rows, self.renderer.eds)


def render_pages(atlas: Atlas, cfg: SiteConfig) -> Rendered:
    renderer = Renderer(atlas, cfg, cfg.root / "templates")
    problems = editions.check_ids(atlas, renderer.eds.editions, renderer.eds.redirects)
    if problems:
        raise AtlasError("record ids must stay citable:\n" + "\n".join(problems))
    rows = [record_row(atlas, cfg, r) for r in atlas.records.values()]
    pages = [*renderer.render_all(), dataset.downloads_page(renderer, renderer.eds)]
    return Rendered(renderer, pages, rows)


def render_site(atlas: Atlas, cfg: SiteConfig) -> list[Page]:
    rendered = render_pages(atlas, cfg)
    return rendered.pages + rendered.downloads()


def generate(root: Path, *, then: Callable[[], None] | None = None) -> Generated:
    """Validate everything, render everything in memory, then write what changed.

    The pages are written first. `then` (the preview's "show them now") runs before the downloads
    are made and written: the data files follow the pages by a fraction of a second."""
    start = time.perf_counter()
    cfg = load_config(root)
    atlas = load_atlas(cfg)
    rendered = render_pages(atlas, cfg)
    files = rendered.downloads() if then is None else []  # all in memory before anything is written
    report = write_pages(rendered.pages, cfg.docs_dir, [cfg.out_rel])
    if then is not None:
        then()
        files = rendered.downloads()
    report += write_pages(files, cfg.docs_dir, [cfg.downloads_dir.relative_to(cfg.docs_dir).as_posix()])
    return Generated(atlas, rendered.pages + files, report, time.perf_counter() - start)


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
    return env


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
        scratch = root / f".zensical-{out.name}.yml"
        scratch.write_text(f"site_dir: {json.dumps(str(out))}\n{text}", encoding="utf-8")
        cmd = [str(Path(sys.executable).with_name("zensical")), "build", "--config-file", str(scratch)]
        return ([*cmd, "--strict"] if strict else cmd), scratch
    raise AtlasError(f"unknown engine '{engine}': use one of {', '.join(ENGINES)}")


def build_site(root: Path, site_dir: Path | None = None, strict: bool = True, engine: str = "mkdocs") -> None:
    """Build into a temporary folder; replace site/ only when the build succeeded."""
    site = site_dir or root / "site"
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=root))
    cmd, scratch = engine_command(root, tmp, engine, strict)
    try:
        result = subprocess.run(cmd, cwd=root, check=False, env=build_env(root))
    finally:
        if scratch is not None:
            scratch.unlink(missing_ok=True)
    if result.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise AtlasError(f"{engine} build failed (exit {result.returncode}); the previous {site.name}/ is unchanged")
    try:
        index_search(root, tmp)
    except AtlasError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = root / f".site-old-{time.time_ns()}"
    if site.exists():
        site.rename(old)
    tmp.rename(site)
    shutil.rmtree(old, ignore_errors=True)


# Only the article is indexed (not header, navigation, footer, table of contents). Citation blocks
# (BibTeX/RIS, "cite this"), data-file footers and permalink anchors repeat on every record page
# and made 39% of Material's old index: they stay out.
SEARCH_ROOT = "article.md-content__inner"
SEARCH_EXCLUDE = [
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
    result = subprocess.run(cmd, cwd=root, check=False)
    if result.returncode != 0 or not (site / "pagefind" / "pagefind.js").exists():
        raise AtlasError(f"pagefind failed to index the site (exit {result.returncode}); site/ is unchanged")
