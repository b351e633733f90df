"""Editions: release manifests, changelogs, record histories, and ids that stay citable."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from generator import editions
from generator.build import generate
from generator.errors import AtlasError
from tests.conftest import run_generator

RECORDS = "data/records.yaml"


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_generator(root, *args, env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1772323200"})  # 2026-03-01


def edit(root: Path, old: str, new: str) -> None:
    path = root / RECORDS
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def remove_record(root: Path, rid: str) -> None:
    """Cut one record (from its `- id:` line to the next item or list) out of the fixture YAML."""
    lines = (root / RECORDS).read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, ln in enumerate(lines) if ln.strip() == f"- id: {rid}")
    end = next(
        i for i in range(start + 1, len(lines)) if lines[i].startswith("  - id:") or not lines[i].startswith(" ")
    )
    (root / RECORDS).write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")


def test_fixture_edition_is_released_and_every_record_has_its_history(generated):
    root, g = generated
    eds = editions.load_editions(root)
    assert [e.name for e in eds] == ["2026.01"]
    hist = editions.histories(g.atlas, eds)
    assert all(h.first == "2026.01" and h.last_changed == "2026.01" and not h.unreleased for h in hist.values())
    page = (root / "docs/atlas/records/tr-kz-2018-09-01.md").read_text(encoding="utf-8")
    assert "First published in edition [2026.01](../editions/2026.01.md); last changed in edition [2026.01]" in page
    assert "Unreleased changes" not in page


def test_release_writes_manifest_and_changelog_for_a_fixture_change(project):
    edit(project, "title: Kazakh and Chinese ministers meet", "title: Kazakh and Chinese defence ministers meet")
    edit(
        project,
        "exercises:\n",
        '  - id: mtg-kz-2021-01-01\n    title: A new meeting\n    date: "2021-01"\n    countries: [KZ]\n'
        "    ca_official: Minister\n    cn_official: Minister\n    citations:\n"
        "      - {source: report-a, locator: Appendix 1}\nexercises:\n",
    )
    # before the release: the working data differs from 2026.01
    generate(project)
    index = (project / "docs/atlas/editions/index.md").read_text(encoding="utf-8")
    assert "1 records added, 1 changed and 0 withdrawn since the last release" in index
    page = (project / "docs/atlas/records/mtg-kz-2019-05-01.md").read_text(encoding="utf-8")
    assert "Unreleased changes" in page and "2026.01+unreleased edition" in page
    assert "(2026, March 1)" not in page  # APA year only: the date is the build date, 2026
    result = cli(project, "release", "2026.02")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((project / "editions/2026.02.json").read_text(encoding="utf-8"))
    assert manifest["edition"] == "2026.02" and manifest["date"] == "2026-03-01"
    old = json.loads((project / "editions/2026.01.json").read_text(encoding="utf-8"))
    assert set(manifest["records"]) - set(old["records"]) == {"mtg-kz-2021-01-01"}
    changed = {k for k in old["records"] if old["records"][k]["hash"] != manifest["records"][k]["hash"]}
    assert changed == {"mtg-kz-2019-05-01"}
    assert manifest["records"]["mtg-kz-2019-05-01"]["title"] == "Kazakh and Chinese defence ministers meet"
    assert '    edition: "2026.02"' in (project / "mkdocs.yml").read_text(encoding="utf-8")
    generate(project)
    log = (project / "docs/atlas/editions/2026.02.md").read_text(encoding="utf-8")
    assert "## Added (1)\n\n- [A new meeting](../records/mtg-kz-2021-01-01.md)" in log
    assert "## Changed (1)\n\n- [Kazakh and Chinese defence ministers meet](../records/mtg-kz-2019-05-01.md)" in log
    assert "## Withdrawn or renamed (0)" in log
    page = (project / "docs/atlas/records/mtg-kz-2019-05-01.md").read_text(encoding="utf-8")
    assert "First published in edition [2026.01]" in page and "last changed in edition [2026.02]" in page
    assert "Unreleased changes" not in page
    untouched = (project / "docs/atlas/records/tr-kz-2018-09-01.md").read_text(encoding="utf-8")
    assert "last changed in edition [2026.01]" in untouched
    assert "https://atlas.example.org/editions/2026.01/atlas/records/tr-kz-2018-09-01/" in untouched
    snapshot = editions.load_snapshot(project, "2026.02")
    assert snapshot is not None and len(snapshot) == 8
    assert (project / "docs/downloads/editions/2026.02/records.csv").exists()
    assert "None: every page shows edition 2026.02" in (project / "docs/atlas/editions/index.md").read_text("utf-8")


def test_release_refuses_to_rewrite_or_go_back(project):
    for name in ("2026.01", "2025.12", "26.1"):
        result = cli(project, "release", name)
        assert result.returncode == 2, name
    assert "never rewritten" in cli(project, "release", "2026.01").stderr


def test_removing_a_released_id_without_a_redirect_fails(project):
    remove_record(project, "mtg-kz-2019-05-01")
    with pytest.raises(AtlasError, match="record 'mtg-kz-2019-05-01' was published in an edition but is gone"):
        generate(project)


def test_redirects_keep_removed_ids_citable(project):
    remove_record(project, "mtg-kz-2019-05-01")
    (project / "editions/redirects.yaml").write_text(
        "redirects:\n"
        "  - {id: mtg-kz-2019-05-01, status: merged, to: mtg-kg-2020-11-01, edition: '2026.02',"
        " reason: the same meeting as another record}\n",
        encoding="utf-8",
    )
    generate(project)
    page = (project / "docs/atlas/records/mtg-kz-2019-05-01.md").read_text(encoding="utf-8")
    assert "This record was merged into [" in page and "](mtg-kg-2020-11-01.md)" in page
    assert "the same meeting as another record" in page
    assert "https://atlas.example.org/editions/2026.01/atlas/records/mtg-kz-2019-05-01/" in page
    assert '<section class="atlas-cite"' in page  # the tombstone stays citable


def test_a_redirected_id_is_never_reused(project):
    (project / "editions/redirects.yaml").write_text(
        "redirects:\n  - {id: mtg-kz-2019-05-01, status: withdrawn, edition: '2026.02'}\n", encoding="utf-8"
    )
    with pytest.raises(AtlasError, match="also used by a record"):
        generate(project)


def test_real_ids_all_resolve():
    """The real data against its released editions: nothing released has become a 404."""
    from generator.build import load_atlas
    from generator.config import load_config

    root = Path(__file__).resolve().parent.parent
    atlas = load_atlas(load_config(root))
    problems = editions.check_ids(atlas, editions.load_editions(root), editions.load_redirects(root))
    assert problems == []


def test_a_past_edition_is_built_from_its_tag_under_editions(project):
    env = {
        "PATH": "/usr/bin:/bin",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "NO_MKDOCS_2_WARNING": "1",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True, env=env)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "edition 2026.01")
    git("tag", "-a", "edition-2026.01", "-m", "Edition 2026.01")
    edit(project, "title: Kazakh and Chinese ministers meet", "title: Changed after the release")
    assert cli(project, "build").returncode == 0
    result = cli(project, "edition-site", "2026.01")
    assert result.returncode == 0, result.stderr
    old = (project / "site/editions/2026.01/atlas/records/mtg-kz-2019-05-01/index.html").read_text(encoding="utf-8")
    new = (project / "site/atlas/records/mtg-kz-2019-05-01/index.html").read_text(encoding="utf-8")
    assert "Kazakh and Chinese ministers meet" in old and "Changed after the release" not in old
    assert "Changed after the release" in new
    assert "Archived edition 2026.01 of the atlas" in old and "Archived edition" not in new
    assert 'href="https://atlas.example.org/editions/2026.01/atlas/records/mtg-kz-2019-05-01/"' in old  # canonical


def test_a_withdrawal_builds_the_strict_site_before_the_next_release(project):
    """As editions/redirects.yaml's own comment says to withdraw a record: the tombstone names an
    edition not released yet, and the strict build passes (it failed until `release` ran)."""
    from tests.conftest import run_generator

    remove_record(project, "mtg-kz-2019-05-01")
    (project / "editions/redirects.yaml").write_text(
        'redirects:\n  - id: mtg-kz-2019-05-01\n    status: withdrawn\n    edition: "2026.02"\n'
        "    reason: not a security meeting\n",
        encoding="utf-8",
    )
    result = run_generator(project, "build", timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    page = (project / "site/atlas/records/mtg-kz-2019-05-01/index.html").read_text(encoding="utf-8")
    assert "Withdrawn in edition 2026.02" in page and "not a security meeting" in page
    # the record as last published stays citable in the archive
    assert (project / "site/editions/2026.01/atlas/records/mtg-kz-2019-05-01/index.html").is_file()
