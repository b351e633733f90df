"""Run render jobs on every CPU: forked worker processes render and write, the parent accounts.

A clean build renders about 1,100 pages; one process spends most of its time in Jinja and the
citation formats while the other cores idle. Workers are forked after the atlas is loaded, so each
starts with the atlas, the templates and the caches already in memory and receives only job
numbers. Each writes the pages it renders through `Staging.place` (into the staging folder or
temporary files, never over a page) and sends back only where it put them; the parent checks and
counts them in job order and commits or aborts, so the output does not depend on the number of
workers (tests/test_parallel.py builds with 1 and with 3 and compares the trees byte for byte).

Only a one-off build forks (`python -m generator generate|build`). The preview renders in its own
long-lived process, whose caches are what make it fast, and library callers (the tests) get one
process unless they ask. Where fork is unavailable or unsafe (not Linux) it is one process too.
`ATLAS_JOBS=N` sets the number of workers.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator

from generator.core.page import Page
from generator.errors import AtlasError
from generator.write import Placed

Job = Callable[[], list[Page]]
Place = Callable[[Page], Placed]
CHUNK = 16  # jobs per message: a record page takes about a millisecond
BIG = 32  # the first jobs (downloads, indexes, countries, topics: up to 200 ms each) go one per message

# What a forked worker inherits: set just before the fork, cleared after (the one way to hand the
# atlas to workers without pickling it).
_STATE: tuple[list[Job], Place] | None = None


def die_with_parent() -> None:
    """This process (a render worker, mkdocs, Pagefind) is killed when the build that started it
    dies, even by kill -9 (Linux's PR_SET_PDEATHSIG): nothing outlives an interrupted build."""
    if sys.platform == "linux":
        import ctypes
        import signal

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def workers() -> int:
    """Worker processes for a one-off build: $ATLAS_JOBS, else the CPUs this process may use."""
    env = os.environ.get("ATLAS_JOBS", "").strip()
    if env:
        if not env.isdigit() or int(env) < 1:
            raise AtlasError(f"ATLAS_JOBS={env!r}: expected a whole number of worker processes, 1 or more")
        return int(env)
    if sys.platform != "linux":
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), 8))


def _run_chunk(indices: list[int]) -> list[Placed]:
    assert _STATE is not None, "a render worker started without the atlas"
    jobs, place = _STATE
    return [place(page) for i in indices for page in jobs[i]()]


def run(jobs: list[Job]) -> Iterator[Page]:
    """Every page of `jobs`, in job order, rendered in this process."""
    for job in jobs:
        yield from job()


def run_placed(jobs: list[Job], place: Place, processes: int = 1) -> Iterator[tuple[Placed, Page | None]]:
    """Every page of `jobs` rendered and placed (`Staging.place`), in job order, by `processes`
    workers: each worker writes the pages it renders and sends back only where it put them (the
    page itself then comes back as None). With one process, the pages come back too."""
    global _STATE
    if processes <= 1 or len(jobs) <= CHUNK:
        for page in run(jobs):
            yield place(page), page
        return
    chunks = [[i] for i in range(min(BIG, len(jobs)))]
    chunks += [list(range(i, min(i + CHUNK, len(jobs)))) for i in range(BIG, len(jobs), CHUNK)]
    _STATE = (jobs, place)
    # The atlas is shared with the workers copy-on-write; the cyclic collector walking it in each
    # worker would touch (and so copy) all of it: frozen, it is left alone. A tenth of the time.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(min(processes, len(chunks)), initializer=die_with_parent) as pool:
            for done in pool.imap(_run_chunk, chunks):
                for placed in done:
                    yield placed, None
    finally:
        gc.unfreeze()
        _STATE = None
