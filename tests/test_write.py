from __future__ import annotations

import os

import pytest

from generator.core.page import Page
from generator.errors import WriteError
from generator.write import MARKER
from tests.helpers import write_pages


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


def test_links_in_the_generated_folder_are_removed_never_followed(tmp_path):
    docs = tmp_path / "docs"
    write_pages([Page("atlas/a.md", "A")], docs, ["atlas"])
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.md").write_text("an editor's file")
    (docs / "atlas/linked-folder").symlink_to(outside, target_is_directory=True)
    (docs / "atlas/linked-file.md").symlink_to(outside / "keep.md")
    (docs / "atlas/a.md").unlink()
    (docs / "atlas/a.md").symlink_to(outside / "keep.md")  # a page's own place taken by a link
    report = write_pages([Page("atlas/a.md", "A2")], docs, ["atlas"])
    assert report.removed == 2
    assert (outside / "keep.md").read_text() == "an editor's file"
    assert not (docs / "atlas/a.md").is_symlink() and (docs / "atlas/a.md").read_text() == "A2"
    assert sorted(p.name for p in (docs / "atlas").iterdir()) == [MARKER, "a.md"]


def test_refuses_a_path_that_is_not_a_file_name(tmp_path):
    for bad in ("atlas/..", "atlas/", "atlas/x/."):
        with pytest.raises(WriteError):
            write_pages([Page(bad, "X")], tmp_path / "docs", ["atlas"])


def test_a_clean_build_appears_whole_or_not_at_all(tmp_path):
    docs = tmp_path / "docs"
    (docs / ".atlas.new-left-by-a-killed-build").mkdir(parents=True)

    def pages():
        yield Page("atlas/a.md", "A")
        yield Page("atlas/b/c.md", "C")
        raise RuntimeError("a template mistake half way")

    with pytest.raises(RuntimeError):
        write_pages(pages(), docs, ["atlas"])
    assert sorted(p.name for p in docs.iterdir()) == []  # nothing half written, the leftover gone

    report = write_pages([Page("atlas/a.md", "A"), Page("atlas/b/c.md", "C")], docs, ["atlas"])
    assert (report.written, report.unchanged, report.removed) == (2, 0, 0)
    assert sorted(p.name for p in docs.iterdir()) == ["atlas"]
    assert (docs / "atlas/b/c.md").read_text() == "C" and (docs / "atlas" / MARKER).exists()
    mask = os.umask(0)
    os.umask(mask)
    assert (docs / "atlas").stat().st_mode & 0o777 == 0o777 & ~mask  # not the staging folder's 0700
