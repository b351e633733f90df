"""generator/parallel.py: a build in several processes writes exactly what one process writes."""

from __future__ import annotations

import os
from pathlib import Path

from generator import parallel
from generator.build import load_atlas, site_for, site_jobs
from generator.config import load_config
from tests.conftest import run_generator, tree_digest


def _generate(root: Path, jobs: str) -> tuple[str, str]:
    proc = run_generator(root, "generate", env={**os.environ, "ATLAS_JOBS": jobs})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout, tree_digest(root / "docs")


def test_several_processes_write_what_one_process_writes(project: Path) -> None:
    out1, one = _generate(project, "1")
    assert "(1 process)" in out1
    for d in ("atlas", "downloads"):
        (project / "docs" / d).rename(project / f"{d}-one")
    out3, three = _generate(project, "3")
    assert "(3 processes)" in out3
    assert three == one
    # and the fixture has enough jobs for the work to be split at all (fewer run in one process)
    cfg = load_config(project)
    pages, files = site_jobs(site_for(load_atlas(cfg), cfg))
    assert len(pages) + len(files) > parallel.CHUNK


def test_a_template_mistake_in_a_worker_names_its_line_and_changes_nothing(project: Path) -> None:
    _generate(project, "2")
    before = tree_digest(project / "docs")
    template = project / "templates" / "record.md.j2"
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(3, "{{ no_such_value.field }}\n")
    template.write_text("".join(lines), encoding="utf-8")
    proc = run_generator(project, "generate", env={**os.environ, "ATLAS_JOBS": "2"})
    assert proc.returncode == 2, proc.stderr
    assert "templates/record.md.j2:4:" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert tree_digest(project / "docs") == before
    assert not [p for p in (project / "docs").rglob(".tmp-*")], "temporary files left behind"


def test_a_bad_worker_count_is_an_editor_error(project: Path) -> None:
    proc = run_generator(project, "generate", env={**os.environ, "ATLAS_JOBS": "many"})
    assert proc.returncode == 2
    assert "ATLAS_JOBS='many'" in proc.stderr and "whole number" in proc.stderr
