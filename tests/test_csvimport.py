"""`python -m generator import`: the spreadsheet round trip on a copy of the fixture atlas."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from generator.build import load_atlas
from generator.cli import main
from generator.config import load_config
from generator.downloads.package import BASE_COLUMNS, TRAILER, kind_fields, write_csv
from generator.downloads.records import record_row
from tests.conftest import make_project


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_project(tmp_path / "atlas")


def _exported(root: Path, kind: str) -> tuple[list[str], list[dict[str, str]]]:
    """The site's per-kind CSV of `kind` (as generator/downloads/package.py writes it), parsed."""
    cfg = load_config(root)
    atlas = load_atlas(cfg)
    rows = [record_row(atlas, cfg, r) for r in atlas.records.values() if r.kind == kind]
    columns = [*BASE_COLUMNS, *kind_fields(kind), *TRAILER]
    text = write_csv(rows, columns, "2026.01")
    return columns, list(csv.DictReader(io.StringIO(text)))


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, columns, lineterminator="\r\n")  # as a spreadsheet saves it
        w.writeheader()
        w.writerows(rows)
    return path


def _row(columns: list[str], **cells: str) -> dict[str, str]:
    return {c: "" for c in columns} | cells


def test_the_exported_csv_with_new_rows_imports_and_the_records_appear(root, tmp_path, capsys):
    columns, rows = _exported(root, "meeting")
    assert {r["id"] for r in rows} == {"mtg-kg-2020-11-01", "mtg-kz-2019-05-01"}
    before = (root / "data" / "records.yaml").read_text(encoding="utf-8")
    added = [
        _row(
            columns,
            id=f"mtg-kg-2022-01-{n:02d}",
            kind="meeting",
            title=f"Kyrgyz and Chinese police chiefs meet ({n})",
            date=f"2022-01-{n:02d}",
            countries="KG",
            roles='{"KG": "hosted"}',
            places="bishkek",
            topics="dialogue;multilateral",
            summary="=SUM(1)",
            citations="report-a: Appendix 1; brief-b: p. 7",
            ca_official="'-Head of police",  # as exported: text that a spreadsheet would run
            cn_official="Minister of Public Security",
            security_topics="three-evils",
        )
        for n in range(1, 21)
    ]
    csv_file = _write(tmp_path / "meetings.csv", columns, rows + added)
    assert main(["--root", str(root), "import", str(csv_file)]) == 0
    out = capsys.readouterr().out
    assert "20 new record(s) added, 2 row(s) already in the atlas left as they are" in out
    assert "meetings.csv:4: added meetings 'mtg-kg-2022-01-01' to data/records.yaml" in out
    after = (root / "data" / "records.yaml").read_text(encoding="utf-8")
    assert after.startswith(before.split("exercises:")[0].rstrip("\n"))  # appended, the rest unchanged
    assert after.endswith(before.split("\nexercises:")[1])
    atlas = load_atlas(load_config(root))
    r = atlas.records["mtg-kg-2022-01-20"]
    assert r.title == "Kyrgyz and Chinese police chiefs meet (20)"
    assert r.roles == {"KG": "hosted"}
    assert r.topics == ["multilateral"]  # the kind's own topic is implied
    assert [(c.source, c.locator) for c in r.citations] == [("report-a", "Appendix 1"), ("brief-b", "p. 7")]
    assert r.summary == "=SUM(1)" and r.ca_official == "-Head of police"  # the export's apostrophe goes
    assert r.security_topics == ["three-evils"]
    # the new records export as they were imported: the round trip closes
    _, again = _exported(root, "meeting")
    assert (
        next(x for x in again if x["id"] == "mtg-kg-2022-01-20")["citations"] == "report-a: Appendix 1; brief-b: p. 7"
    )


def test_bad_rows_are_reported_by_row_and_column_all_at_once_and_nothing_is_written(root, tmp_path, capsys):
    columns, rows = _exported(root, "meeting")
    col = {c: i for i, c in enumerate(columns, start=1)}
    before = (root / "data" / "records.yaml").read_bytes()
    good = dict(kind="meeting", countries="KG", ca_official="Minister", cn_official="Minister")
    bad = [
        _row(columns, id="mtg-kg-2022-02-01", title="Fine row", date="2022-02", citations="report-a: p. 1", **good),
        _row(columns, id="mtg-kg-2022-02-02", title="Bad month", date="2022-13", citations="report-a: p. 1", **good),
        _row(columns, id="mtg-kg-2022-02-03", title="No locator", date="2022-02", citations="report-a", **good),
        _row(columns, id="mtg-kg-2022-02-04", title="Unknown place", date="2022-02", places="atlantis",
             citations="report-a: p. 1", **good),
        _row(columns, id="mtg-kg-2022-02-05", title="Duplicate", date="2022-02", citations="report-a: p. 1", **good),
        _row(columns, id="mtg-kg-2022-02-05", title="Duplicate", date="2022-02", citations="report-a: p. 1", **good),
        _row(columns, id="mtg-kg-2022-02-07", title="No official", date="2022-02", citations="report-a: p. 1",
             kind="meeting", countries="KG", cn_official="Minister"),
    ]  # fmt: skip
    csv_file = _write(tmp_path / "new.csv", columns, rows + bad)
    assert main(["--root", str(root), "import", str(csv_file)]) == 1
    err = capsys.readouterr().err
    assert f"new.csv:5:{col['date']}: date: '2022-13': month 13 is not between 01 and 12" in err
    assert f"new.csv:6:{col['citations']}: citations: 'report-a' is not `source: locator`" in err
    assert f"new.csv:7:{col['places']}: places[0]: unknown place 'atlantis'" in err
    assert f"new.csv:9:{col['id']}: id:" in err and "mtg-kg-2022-02-05" in err
    assert f"new.csv:10:{col['ca_official']}: ca_official: required field is missing" in err
    assert "new.csv:4:" not in err  # the good row has no problem
    assert err.index("new.csv:5:") < err.index("new.csv:10:")  # in row order
    assert "nothing was written" in err
    assert (root / "data" / "records.yaml").read_bytes() == before


def test_an_unchanged_export_imports_as_nothing_new_even_with_cells_that_cannot_be_imported(root, tmp_path, capsys):
    columns, rows = _exported(root, "exercise")
    assert any(r["conflicts"] for r in rows)  # conflicts export as field names only: not importable
    before = (root / "data" / "records.yaml").read_bytes()
    assert main(["--root", str(root), "import", str(_write(tmp_path / "ex.csv", columns, rows))]) == 0
    assert f"0 new record(s) added, {len(rows)} row(s) already in the atlas" in capsys.readouterr().out
    assert (root / "data" / "records.yaml").read_bytes() == before


def test_into_names_the_data_file_and_only_a_file_inside_data(root, tmp_path, capsys):
    columns, _ = _exported(root, "meeting")
    row = _row(columns, id="mtg-tj-2023-01-01", kind="meeting", title="Tajik and Chinese ministers meet", date="2023",
               countries="TJ", citations="report-a: Appendix 1", ca_official="Minister", cn_official="Minister")  # fmt: skip
    csv_file = _write(tmp_path / "one.csv", columns, [row])
    assert main(["--root", str(root), "import", str(csv_file), "--into", "../outside.yaml"]) == 2
    assert "only into .yaml files inside data/" in capsys.readouterr().err
    assert not (root.parent / "outside.yaml").exists()
    assert main(["--root", str(root), "import", str(csv_file), "--into", "data/records/tajikistan.yaml"]) == 0
    text = (root / "data" / "records" / "tajikistan.yaml").read_text(encoding="utf-8")
    assert text.startswith(  # a new file names its schema first (generator/editorschema.py)
        "# yaml-language-server: $schema=../../schema/data.json\n\n"
        'meetings:\n  - id: mtg-tj-2023-01-01\n    title: Tajik and Chinese ministers meet\n    date: "2023"\n'
    )
    assert "mtg-tj-2023-01-01" in load_atlas(load_config(root)).records
