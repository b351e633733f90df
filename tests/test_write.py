from __future__ import annotations

import os

import pytest

from generator.errors import WriteError
from generator.render import Page
from generator.write import MARKER, write_pages


def test_writes_only_changed_files_and_removes_stale(tmp_path):
    docs = tmp_path / "docs"
    first = write_pages([Page("atlas/a.md", "A"), Page("atlas/b/c.md", "C")], docs, ["atlas"])
    assert (first.written, first.unchanged, first.removed) == (2, 0, 0)
    a = docs / "atlas/a.md"
    os.utime(a, (1, 1))
    second = write_pages([Page("atlas/a.md", "A"), Page("atlas/d.md", "D")], docs, ["atlas"])
    assert (second.written, second.unchanged, second.removed) == (1, 1, 1)
    assert a.stat().st_mtime == 1  # unchanged file not rewritten
    assert not (docs / "atlas/b").exists()  # stale file and its empty folder removed
    assert (docs / "atlas" / MARKER).exists()


def test_refuses_to_write_outside_owned_folders(tmp_path):
    docs = tmp_path / "docs"
    (docs).mkdir()
    (docs / "index.md").write_text("editor")
    for bad in ("index.md", "../x.md", "atlas/../index.md", "atlasx/y.md"):
        with pytest.raises(WriteError):
            write_pages([Page(bad, "X")], docs, ["atlas"])
    assert (docs / "index.md").read_text() == "editor"


def test_refuses_same_path_twice(tmp_path):
    with pytest.raises(WriteError):
        write_pages([Page("atlas/a.md", "1"), Page("atlas/a.md", "2")], tmp_path / "docs", ["atlas"])


def test_refuses_to_take_over_an_editors_folder(tmp_path):
    docs = tmp_path / "docs"
    (docs / "atlas").mkdir(parents=True)
    (docs / "atlas" / "notes.md").write_text("mine")
    with pytest.raises(WriteError, match="not made by the generator"):
        write_pages([Page("atlas/a.md", "A")], docs, ["atlas"])
    assert (docs / "atlas" / "notes.md").read_text() == "mine"
