"""Each bad-input scenario is a file in tests/fixtures/bad/ whose `# expect:` lines give the
exact problems (line: field: message) the validator must report for it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.build import load_atlas
from generator.config import load_config
from generator.errors import DataError
from tests.conftest import BAD

SCENARIOS = sorted(p.stem for p in BAD.glob("*.yaml"))


def expectations(path: Path) -> list[str]:
    return [m.group(1) for m in re.finditer(r"^# expect: (.+)$", path.read_text(encoding="utf-8"), re.M)]


def test_fixture_atlas_is_valid(project):
    atlas = load_atlas(load_config(project))
    assert len(atlas.records) == 7


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_bad_input_is_reported_with_file_line_and_field(project, scenario):
    shutil.copy(BAD / f"{scenario}.yaml", project / "data" / f"{scenario}.yaml")
    with pytest.raises(DataError) as exc:
        load_atlas(load_config(project))
    got = [str(p) for p in exc.value.problems]
    for expected in expectations(BAD / f"{scenario}.yaml"):
        want = f"data/{scenario}.yaml:{expected}"
        assert any(line.startswith(want) for line in got), f"{want!r} not in {got}"


def test_all_problems_are_collected_across_files(project):
    for scenario in ("unknown_place_typo", "unknown_field", "place_outside_country", "bad_country"):
        shutil.copy(BAD / f"{scenario}.yaml", project / "data" / f"{scenario}.yaml")
    with pytest.raises(DataError) as exc:
        load_atlas(load_config(project))
    files = {p.file for p in exc.value.problems}
    assert {"data/unknown_field.yaml", "data/place_outside_country.yaml", "data/bad_country.yaml"} <= files
    report = exc.value.report()
    assert report.endswith("nothing was written.")
    keys = [(p.file, p.line) for p in exc.value.problems]
    assert keys == sorted(keys)
    assert [str(p) for p in exc.value.problems] == report.splitlines()[:-1]


def test_every_scenario_declares_what_it_expects():
    assert len(SCENARIOS) >= 12
    for scenario in SCENARIOS:
        assert expectations(BAD / f"{scenario}.yaml"), scenario
