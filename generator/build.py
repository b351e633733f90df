"""The pipeline end to end: load -> validate -> render -> write; and the site build around it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from generator.config import SiteConfig, load_config
from generator.errors import AtlasError
from generator.export import downloads
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
    return validate(load_data(cfg.data_dir, cfg.root))


def render_site(atlas: Atlas, cfg: SiteConfig) -> list[Page]:
    renderer = Renderer(atlas, cfg, cfg.root / "templates")
    return renderer.render_all() + downloads(atlas, cfg)


def generate(root: Path) -> Generated:
    """Validate everything, render everything in memory, then write what changed."""
    start = time.perf_counter()
    cfg = load_config(root)
    atlas = load_atlas(cfg)
    pages = render_site(atlas, cfg)
    owned = [cfg.out_rel, cfg.downloads_dir.relative_to(cfg.docs_dir).as_posix()]
    report = write_pages(pages, cfg.docs_dir, owned)
    return Generated(atlas, pages, report, time.perf_counter() - start)


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
        result = subprocess.run(cmd, cwd=root, check=False)
    finally:
        if scratch is not None:
            scratch.unlink(missing_ok=True)
    if result.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise AtlasError(f"{engine} build failed (exit {result.returncode}); the previous {site.name}/ is unchanged")
    old = root / f".site-old-{time.time_ns()}"
    if site.exists():
        site.rename(old)
    tmp.rename(site)
    shutil.rmtree(old, ignore_errors=True)
