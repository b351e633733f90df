"""kill -9 at random points of `python -m generator build` (seeded, so a failure reproduces): the
loading and rendering, mkdocs, Pagefind and the swap of site/. After every kill site/ is the old
site or the new one, whole (its digest equals one of the two builds'); no mkdocs, Pagefind or render
worker outlives the build; and the next build leaves no `.site-*` or staging folder behind."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT, make_project, tree_digest
from tests.test_reproducible import UNSTABLE

TRIALS = 20
SEED = 22
PHASES = ("load", "render", "mkdocs", "pagefind", "swap")
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600", "NO_MKDOCS_2_WARNING": "1"}


def _digest(site: Path) -> str:
    """The site's digest, less what Pagefind writes differently on each run (test_reproducible)."""
    assert (site / "index.html").is_file() and (site / "pagefind" / "pagefind.js").is_file(), "site/ is not whole"
    return tree_digest(site, skip=UNSTABLE)


def _build(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "--root", str(root), "build"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _children(pid: int) -> set[int]:
    """Every descendant of `pid`, from the parent ids in /proc/*/stat."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    out: set[int] = set()
    todo = [pid]
    while todo:
        here = todo.pop()
        for kid, parent in parents.items():
            if parent == here and kid not in out:
                out.add(kid)
                todo.append(kid)
    return out


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _phase(proc: subprocess.Popen[bytes], seen: set[str]) -> str:
    """Where the build is, from the processes it runs: render workers, mkdocs, Pagefind; once
    Pagefind has ended, the swap of site/."""
    kids = " ".join(_cmdline(k) for k in _children(proc.pid))
    if "pagefind" in kids:
        now = "pagefind"
    elif "mkdocs" in kids:
        now = "mkdocs"
    elif "pagefind" in seen:
        now = "swap"
    elif kids and "mkdocs" not in seen:
        now = "render"
    else:
        now = "load" if not seen else max(seen, key=PHASES.index)
    seen.add(now)
    return now


def _kill_in(proc: subprocess.Popen[bytes], phase: str, delay: float) -> tuple[str, set[int]]:
    """Wait until the build reaches `phase` (or a later one), `delay` seconds more, then kill -9
    it. Returns the phase it was in and the processes it had started."""
    order = PHASES.index(phase)
    reached = "load"
    seen: set[str] = set()
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        reached = _phase(proc, seen)
        if PHASES.index(reached) >= order:
            break
        time.sleep(0.005)
    time.sleep(delay)
    kids = _children(proc.pid)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    return reached, kids


def test_kill_9_anywhere_leaves_the_old_or_the_new_site_and_nothing_else(tmp_path):
    root = make_project(tmp_path / "atlas")
    assert _build(root).wait() == 0
    old = _digest(root / "site")
    records = root / "data" / "records.yaml"
    records.write_text(
        records.read_text(encoding="utf-8").replace("Kazakh and Chinese ministers meet", "Ministers meet in Astana"),
        encoding="utf-8",
    )
    rng = random.Random(SEED)
    seen: list[tuple[str, str]] = []
    reached_phases = set()
    for trial in range(TRIALS):
        phase = PHASES[trial % len(PHASES)]
        delay = rng.uniform(0, 0.02 if phase == "swap" else 0.6)
        reached, kids = _kill_in(_build(root), phase, delay)
        reached_phases.add(reached)
        time.sleep(0.3)  # PR_SET_PDEATHSIG is delivered at once; leave time to exit
        survivors = [f"{k}: {_cmdline(k)}" for k in kids if _alive(k)]
        assert not survivors, f"trial {trial} ({phase}+{delay:.3f}s): still running: {survivors}"
        seen.append((f"{trial} {phase}+{delay:.3f}s", _digest(root / "site")))
    assert _build(root).wait() == 0  # the next build completes ...
    new = _digest(root / "site")
    assert new != old
    for trial, digest in seen:
        assert digest in (old, new), f"trial {trial}: site/ is neither the old nor the new site"
    leftovers = [p.name for p in [*root.glob(".site-*"), *(root / "docs").glob(".*.new-*")]]
    assert not leftovers, f"... and leaves nothing behind: {leftovers}"
    assert set(PHASES) - {"render"} <= reached_phases, reached_phases  # one process renders when a CPU is free
