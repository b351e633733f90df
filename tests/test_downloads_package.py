"""Data for reuse: per-kind CSV, data dictionary, Frictionless package, CITATION.cff."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import frictionless

from generator import editions
from generator.downloads import package
from generator.schema import Transfer

ROOT = Path(__file__).resolve().parent.parent


def rows_of(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_datapackage_validates_with_frictionless(generated):
    root, _ = generated
    report = frictionless.validate(str(root / "docs/downloads/datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])
    package = json.loads((root / "docs/downloads/datapackage.json").read_text(encoding="utf-8"))
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert package["version"] == "2026.01" and package["licenses"][0]["name"] == "CC-BY-SA-4.0"
    assert {r["name"] for r in package["resources"]} >= {"records-all-fields", "transfer", "meeting"}


def test_kind_csv_has_every_kind_specific_field(generated):
    root, _ = generated
    rows = rows_of(root / "docs/downloads/kinds/transfer.csv")
    assert list(rows[0]) == [*package.BASE_COLUMNS, *package.kind_fields("transfer"), "edition", "license"]
    assert set(package.kind_fields("transfer")) == set(Transfer.model_fields) - set(package.Record.model_fields)
    (t,) = [row for row in rows if row["id"] == "tr-kz-2018-09-01"]
    assert (t["value"], t["currency"], t["edition"], t["license"]) == ("30000000", "CNY", "2026.01", "CC-BY-SA-4.0")


def test_every_csv_names_its_edition_and_licence(generated):
    root, _ = generated
    for path in (root / "docs/downloads/kinds").glob("*.csv"):
        assert all(r["edition"] == "2026.01" and r["license"] == "CC-BY-SA-4.0" for r in rows_of(path)), path


def test_csv_cells_that_look_like_formulas_are_neutralised():
    for bad in ("=HYPERLINK(1)", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert package.csv_safe(bad) == "'" + bad
    assert package.csv_safe("plain") == "plain"


def test_data_dictionary_comes_from_the_schema():
    fields = {(f["kind"], f["name"]): f for f in package.dictionary()}
    assert fields[("transfer", "value")]["type"] == "number"
    assert fields[("surveillance", "cameras")]["type"] == "number"
    assert fields[("all", "id")]["type"] == "string"
    for kind in package.MODELS:
        for name in package.kind_fields(kind):
            assert (kind, name) in fields


def test_downloads_page_lists_files_and_cites_the_data(generated):
    root, _ = generated
    page = (root / "docs/atlas/downloads.md").read_text(encoding="utf-8")
    assert "[datapackage.json](../downloads/datapackage.json){ download }" in page
    assert "### Transfers" in page and "| <code>currency</code> |" in page
    assert '"@type": "Dataset"' in page and "Cite the data" in page


def test_per_edition_data_is_downloadable_as_released(generated):
    root, g = generated
    rows = json.loads((root / "docs/downloads/editions/2026.01/records.json").read_text(encoding="utf-8"))
    assert sorted(r["id"] for r in rows) == sorted(g.atlas.records)


def test_citation_cff_is_valid_and_on_the_latest_edition():
    result = subprocess.run(
        [str(ROOT / ".venv/bin/cffconvert"), "--validate", "-i", str(ROOT / "CITATION.cff")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    latest = editions.load_editions(ROOT)[-1]
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f'version: "{latest.name}"' in text and f'date-released: "{latest.date}"' in text


def test_json_and_geojson_name_edition_licence_and_citations(generated):
    root, _ = generated
    rows = json.loads((root / "docs/downloads/records.json").read_text(encoding="utf-8"))
    assert {(r["edition"], r["license"]) for r in rows} == {("2026.01", "CC-BY-SA-4.0")}
    geo = json.loads((root / "docs/downloads/records.geojson").read_text(encoding="utf-8"))
    assert (geo["edition"], geo["license"]) == ("2026.01", "CC-BY-SA-4.0")
    props = next(f["properties"] for f in geo["features"] if f["properties"]["id"] == "mtg-kg-2020-11-01")
    assert props["citations"] == [{"source": "report-a", "locator": "Appendix 1"}]
    places = json.loads((root / "docs/downloads/places.geojson").read_text(encoding="utf-8"))
    assert places["license"] == "CC-BY-SA-4.0"
    for path in (root / "docs/downloads").rglob("*.csv"):
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header[-2:] == ["edition", "license"], path
