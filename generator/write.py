"""Stage 5: write the rendered files into the generated folders, and only there.

Everything is rendered in memory before this runs, so a data error never leaves half a site.
Only files whose bytes changed are rewritten (each through a temporary file and an atomic rename),
files that are no longer generated are removed, and nothing outside the owned folders is touched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.core.page import Page
from generator.errors import WriteError

MARKER = ".generated-by-atlas"


@dataclass
class WriteReport:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    # the files rewritten in place (not those of a folder written whole): the preview renders these
    paths: list[Path] = field(default_factory=list, compare=False, repr=False)
    new_folders: int = 0

    def __add__(self, other: WriteReport) -> WriteReport:
        return WriteReport(
            self.written + other.written,
            self.unchanged + other.unchanged,
            self.removed + other.removed,
            self.paths + other.paths,
            self.new_folders + other.new_folders,
        )

    def __str__(self) -> str:
        return f"{self.written} written, {self.unchanged} unchanged, {self.removed} removed"


def _stat(target: Path) -> tuple[int, int, int] | None:
    try:
        st = target.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class Written:
    """What a long-lived process (the preview) last wrote or read at each path, with the file's
    (mtime_ns, size, inode) at the time: the preview regenerates every page on each save, and
    comparing with the text in memory spares reading a thousand files back. Any change to the file
    on disk (other stat) reads it again. A one-off build has none: it would only hold memory."""

    def __init__(self) -> None:
        self.known: dict[Path, tuple[tuple[int, int, int], str]] = {}

    def remember(self, target: Path, text: str) -> None:
        if (st := _stat(target)) is not None:
            self.known[target] = (st, text)

    def unchanged(self, target: Path, text: str) -> bool:
        st = _stat(target)
        if st is None:
            return False
        known = self.known.get(target)
        if known is not None and known[0] == st:
            return known[1] == text
        try:
            same = target.read_bytes() == text.encode("utf-8")
        except OSError:
            return False
        if same:
            self.known[target] = (st, text)
        return same


def _unchanged(target: Path, text: str) -> bool:
    try:
        return target.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


@dataclass(frozen=True)
class Placed:
    """Where `Staging.place` put a page: what `Staging.record` and `commit` need, without its text."""

    path: str  # as the page names it, relative to docs/
    target: Path
    status: str  # "written" (into a fresh folder), "unchanged", or "staged" (a temporary file)
    tmp: str | None = None
    text: str | None = None  # kept only for the preview's memory of what it wrote (`Written`)


class Staging:
    """Pages staged one by one as they are rendered, put in place all at once by `commit`.

    An owned folder that exists is updated file by file: `add` writes each changed page to a
    temporary file beside its target (making files is the slow part of writing, so it happens
    while the rest of the site is still being rendered) and `commit` renames them into place and
    removes files no longer generated. An owned folder that does not exist yet (a clean build) is
    written whole into a hidden sibling folder that `commit` renames into place in one step.
    `abort` deletes what was staged: a build that fails half way changes nothing."""

    def __init__(self, docs_dir: Path, owned: list[str], written: Written | None = None) -> None:
        self.docs = docs_dir.resolve()
        self.written = written
        self.owned = owned
        self.roots = [(self.docs / o).resolve() for o in owned]
        self.fresh: dict[Path, Path] = {}  # owned folder -> the hidden folder it is built in
        for root in self.roots:
            if root.exists() and any(root.iterdir()) and not (root / MARKER).exists():
                raise WriteError(
                    f"{root} exists and was not made by the generator; move it away or choose another folder"
                )
            for old in root.parent.glob(f".{root.name}.new-*"):  # left by a build that was killed
                shutil.rmtree(old, ignore_errors=True)
            if not root.exists() and not root.is_symlink():
                root.parent.mkdir(parents=True, exist_ok=True)
                self.fresh[root] = Path(tempfile.mkdtemp(prefix=f".{root.name}.new-", dir=root.parent))
        self.targets: set[Path] = set()
        self.staged: list[tuple[str, Path, str | None]] = []  # (temporary file, target, text if kept)
        self.report = WriteReport()
        self._folders: dict[str, Path] = {}  # each folder resolved once (symlinks followed), not each page
        self._made: set[Path] = set()

    def _target(self, path: str) -> Path:
        folder, _, name = path.rpartition("/")
        if name in ("", ".", ".."):
            raise WriteError(f"refusing to write {path}: not a file name")
        where = self._folders.get(folder)
        if where is None:
            where = self._folders[folder] = (self.docs / folder).resolve()
        # A symlink in the target's place is replaced by the page, never followed.
        return where / name

    def place(self, page: Page) -> Placed:
        """Write one page where `commit` will find it. Only creates files inside the staging
        folder or temporary files, so a forked render worker may call it (parallel.py)."""
        target = self._target(page.path)
        root = next((r for r in self.roots if target.is_relative_to(r)), None)
        if root is None:
            raise WriteError(f"refusing to write {page.path}: outside the generated folders {self.owned}")
        if root in self.fresh:
            where = self.fresh[root] / target.relative_to(root)
            if where.parent not in self._made:
                where.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(where.parent)
            where.write_bytes(page.text.encode("utf-8"))
            return Placed(page.path, target, "written")
        if self.written.unchanged(target, page.text) if self.written else _unchanged(target, page.text):
            return Placed(page.path, target, "unchanged")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(page.text.encode("utf-8"))
        return Placed(page.path, target, "staged", tmp, page.text if self.written else None)

    def record(self, placed: Placed) -> None:
        """Account for a placed page (in this process, whichever process placed it)."""
        if placed.target in self.targets:
            if placed.tmp:
                os.unlink(placed.tmp)
            raise WriteError(f"two pages want the same path {placed.path}")
        self.targets.add(placed.target)
        if placed.status == "written":
            self.report.written += 1
        elif placed.status == "unchanged":
            self.report.unchanged += 1
        else:
            assert placed.tmp is not None
            self.staged.append((placed.tmp, placed.target, placed.text))

    def add(self, page: Page) -> None:
        self.record(self.place(page))

    def abort(self) -> None:
        for tmp, _, _ in self.staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self.staged = []
        for folder in self.fresh.values():
            shutil.rmtree(folder, ignore_errors=True)
        for root in self.roots:  # a render worker's, placed but never recorded
            if root not in self.fresh and root.is_dir():
                for stray in root.rglob(".tmp-*"):
                    with contextlib.suppress(OSError):
                        stray.unlink()
        self.fresh = {}

    def commit_staged(self) -> WriteReport | None:
        """Put the pages staged so far in place now, without the sweep (the preview shows the
        pages a browser has open before the others are made); None when this build fills a new
        folder, which only `commit` puts in place. `commit` still reports these pages too."""
        if self.fresh:
            return None
        part = WriteReport()
        for tmp, target, text in self.staged:
            os.replace(tmp, target)
            if text is not None and self.written:
                self.written.remember(target, text)
            part.written += 1
            part.paths.append(target)
        self.staged = []
        self.report.written += part.written
        self.report.paths += part.paths
        return part

    def commit(self) -> WriteReport:
        for tmp, target, text in self.staged:
            os.replace(tmp, target)
            if text is not None and self.written:
                self.written.remember(target, text)
            self.report.written += 1
            self.report.paths.append(target)
        self.staged = []
        for root, folder in self.fresh.items():
            self.report.new_folders += 1
            folder.chmod(0o777 & ~_UMASK)  # mkdtemp made it private; the site's folders are not
            os.rename(folder, root)
        if self.written and self.fresh:
            for target in self.targets:
                if any(target.is_relative_to(r) for r in self.fresh):
                    self.written.remember(target, target.read_text(encoding="utf-8"))
        self.fresh = {}
        for root in self.roots:
            root.mkdir(parents=True, exist_ok=True)
            marker = root / MARKER
            if not marker.is_file() or marker.read_text(encoding="utf-8") != _MARKER_TEXT:
                marker.write_text(_MARKER_TEXT, encoding="utf-8")
            self.report.removed += _sweep(root, self.targets)
        return self.report


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()  # read once, at import: os.umask can only be read by setting it, for all threads


_MARKER_TEXT = "Generated by `python -m generator`; edit data/ and templates/ instead.\n"


def _sweep(root: Path, keep: set[Path]) -> int:
    """Remove every file under `root` that is not in `keep`, then the folders left empty. Links
    are removed as links: the sweep never follows one out of the generated folder."""
    removed = 0
    for folder, dirs, files in os.walk(root, topdown=False):
        here = Path(folder)
        for name in files:
            path = here / name
            if path not in keep and not (here == root and name == MARKER):
                path.unlink()
                removed += 1
        for name in dirs:
            path = here / name
            if path.is_symlink():
                path.unlink()
                removed += 1
        if here != root and not os.listdir(here):
            here.rmdir()
    return removed
