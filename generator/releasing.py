"""Releasing an edition: its manifest and data snapshot, the edition written into mkdocs.yml and
CITATION.cff, and an archived edition's whole site built from its tag (`make edition-site`).
Reading and checking released editions stays in editions.py."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

from generator.editions import (
    EDITION_RE,
    Edition,
    check_ids,
    editions_dir,
    load_editions,
    load_redirects,
    record_hash,
    snapshot_path,
)
from generator.errors import AtlasError, visible
from generator.model import Atlas


def release(root: Path, atlas: Atlas, name: str, date: str, rows: list[dict[str, Any]]) -> list[Path]:
    """Write the manifest and the data snapshot of a new edition; refuse to rewrite a released one."""
    if not EDITION_RE.fullmatch(name):
        raise AtlasError(
            f"edition {visible(repr(name))}: use YYYY.MM (for example 2026.12), or YYYY.MM.N for a correction"
        )
    try:
        day = datetime.strptime(date, "%Y-%m-%d").date() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else None
    except ValueError:
        day = None
    if day is None:
        raise AtlasError(f"release date {visible(repr(date))}: use a real date, YYYY-MM-DD")
    year, month = (int(x) for x in name.split(".")[:2])
    latest = (day.year + (day.month == 12), day.month % 12 + 1)  # the month after the release date
    if (year, month) > latest:
        raise AtlasError(
            f"edition {name} is named after a month beyond the next one (released {date}): "
            f"an edition that far ahead would block every release before it; use {day.year}.{day.month:02d}"
        )
    editions = load_editions(root)
    if any(e.name == name for e in editions):
        raise AtlasError(f"edition {name} is already released (editions/{name}.json); editions are never rewritten")
    if editions and Edition(name, date, {}).key <= editions[-1].key:
        raise AtlasError(f"edition {name} must come after the latest edition, {editions[-1].name}")
    problems = check_ids(atlas, editions, load_redirects(root))
    if problems:
        raise AtlasError("cannot release:\n" + "\n".join(problems))
    manifest = {
        "edition": name,
        "date": date,
        "records": {rid: {"hash": record_hash(r), "title": r.title} for rid, r in sorted(atlas.records.items())},
    }
    folder = editions_dir(root)
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    snap = snapshot_path(root, name)
    data = json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    snap.write_bytes(gzip.compress(data, mtime=0))  # mtime=0: the same data gives the same bytes
    return [path, snap]


def set_config_edition(mkdocs_yml: Path, name: str, date: str) -> None:
    """Point mkdocs.yml's `extra.atlas.edition`/`edition_date` (used by the editors' pages) at the release."""
    text = mkdocs_yml.read_text(encoding="utf-8")
    text, n1 = re.subn(r"(?m)^(\s+edition:\s*).*$", lambda m: f'{m.group(1)}"{name}"', text, count=1)
    text, n2 = re.subn(r"(?m)^(\s+edition_date:\s*).*$", lambda m: f'{m.group(1)}"{date}"', text, count=1)
    if not (n1 and n2):
        raise AtlasError(f"{mkdocs_yml}: add extra.atlas.edition and edition_date so the release can set them")
    mkdocs_yml.write_text(text, encoding="utf-8")


def set_citation_cff(path: Path, name: str, date: str) -> None:
    """Keep CITATION.cff's version and release date on the latest edition."""
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^version:.*$", f'version: "{name}"', text, count=1)
    text = re.sub(r"(?m)^date-released:.*$", f'date-released: "{date}"', text, count=1)
    path.write_text(text, encoding="utf-8")


def build_archived(root: Path, name: str, python: str) -> Path:
    """Build edition `name` from its git tag `edition-<name>` into site/editions/<name>/.

    The tagged tree is exported (git archive) to a temporary folder, its site_url pointed at
    /editions/<name>/, built with its own generator and templates, and copied into the current
    site/. Run it after `make site`, which replaces site/ as a whole.
    """
    import shutil
    import tarfile
    import tempfile

    tag = f"edition-{name}"
    if subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "-q", tag], capture_output=True).returncode:
        raise AtlasError(f"no git tag {tag}: release the edition, commit, then git tag -a {tag}")
    site = root / "site"
    if not site.is_dir():
        raise AtlasError("build the current site first (make site): the archived edition goes inside site/")
    with tempfile.TemporaryDirectory(prefix=f".edition-{name}-", dir=root) as tmp:
        work = Path(tmp)
        archive = subprocess.run(
            ["git", "-C", str(root), "archive", "--format=tar", tag], capture_output=True, check=True
        )
        tar_path = work / "tree.tar"
        tar_path.write_bytes(archive.stdout)
        with tarfile.open(tar_path) as tar:
            tar.extractall(work / "tree", filter="data")
        tree = work / "tree"
        cfg = tree / "mkdocs.yml"
        text = cfg.read_text(encoding="utf-8")
        base = re.search(r"(?m)^site_url:\s*(\S+)", text)
        url = (base.group(1).rstrip("/") if base else "http://localhost:8000") + f"/editions/{name}/"
        text = re.sub(r"(?m)^site_url:.*$", f"site_url: {url}", text, count=1)
        current = url.removesuffix(f"editions/{name}/")
        text = re.sub(
            r"(?m)^(\s+)edition_date:.*$",
            lambda m: f'{m.group(0)}\n{m.group(1)}archived: "{name}"\n{m.group(1)}current_url: "{current}"',
            text,
            count=1,
        )
        cfg.write_text(text, encoding="utf-8")
        result = subprocess.run([python, "-m", "generator", "--root", str(tree), "build"], check=False)
        if result.returncode:
            raise AtlasError(f"the build of edition {name} from tag {tag} failed (exit {result.returncode})")
        dest = site / "editions" / name
        shutil.rmtree(dest, ignore_errors=True)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(tree / "site", dest)
    return dest
