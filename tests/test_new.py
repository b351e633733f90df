"""`python -m generator new KIND` appends a complete skeleton with the next free id to the right file."""

from __future__ import annotations

import re

import pytest

from generator.build import load_atlas
from generator.config import load_config
from generator.errors import AtlasError, DataError
from generator.json_schema import _definitions
from generator.newitem import ENTITIES, new_item, resolve_kind
from generator.schema import RECORD_KINDS
from tests.test_build import run

KINDS = [*RECORD_KINDS, *ENTITIES]


def _fill(text: str, ident: str, values: dict[str, str]) -> str:
    """Fill in the skeleton `ident` as an editor would."""
    for field, value in values.items():
        # a placeholder, or a commented optional field the editor uncomments
        text = re.sub(
            rf"(?m)^(\s+(?:- )?)(?:# )?{field}: (?:\"\"|TODO|\[\])(  #.*)$", rf"\g<1>{field}: {value}\2", text
        )
    return text


@pytest.mark.parametrize("kind", KINDS)
def test_new_writes_every_field_with_the_next_free_id(project, kind):
    cfg = load_config(project)
    item = new_item(cfg, kind)
    assert item.file.is_relative_to(cfg.data_dir)
    lines = item.file.read_text(encoding="utf-8").splitlines()
    assert lines[item.line - 1].startswith(f"  - id: {item.id}  #")
    model = RECORD_KINDS.get(item.key)
    schema = _definitions()[model.__name__ if model else ENTITIES[item.key].capitalize()]
    for field, prop in schema["properties"].items():
        line = next((ln for ln in item.text.splitlines() if re.match(rf"^\s+(- )?(# )?{field}:", ln)), None)
        assert line, f"{field} is missing from the skeleton"
        assert prop["description"] in line, f"{field} has no meaning in the skeleton"
        assert line.lstrip().startswith("#") != (field in schema.get("required", []) or field == "id"), line
        for allowed in prop.get("enum", []):
            assert f"`{allowed}`" in line, f"{field}: allowed value {allowed} not listed"
    # Unfinished, the item is rejected at its own lines; nothing else in the atlas is affected.
    with pytest.raises(DataError) as exc:
        load_atlas(cfg)
    rel = item.file.relative_to(project).as_posix()
    assert exc.value.problems and all(p.file == rel and p.line > item.line for p in exc.value.problems)
    # A second `new` takes the next id.
    assert new_item(cfg, kind).id == re.sub(r"1$", "2", item.id)


def test_a_filled_in_record_validates(project):
    cfg = load_config(project)
    item = new_item(cfg, "exercise")
    path = item.file
    values = {
        "title": "A new joint drill",
        "date": '"2021-06"',
        "countries": "[KG]",
        "source": "report-a",
        "locator": "Appendix 3",
        "scope": "bilateral",
    }
    path.write_text(_fill(path.read_text(encoding="utf-8"), item.id, values), encoding="utf-8")
    atlas = load_atlas(cfg)
    assert item.id in atlas.records
    assert atlas.records[item.id].title == "A new joint drill"


def test_new_goes_into_the_file_that_holds_that_kind(project):
    (project / "data" / "more-places.yaml").write_text(
        "places:\n  - {id: new-place-1, name: Khujand, country: TJ, lat: 40.28, lon: 69.62}\n", encoding="utf-8"
    )
    item = new_item(load_config(project), "place")
    assert item.file == project / "data" / "more-places.yaml"
    assert item.id == "new-place-2"


def test_the_command_prints_where_and_rejects_unknown_kinds(project):
    result = run(project, "new", "source")
    assert result.returncode == 0, result.stderr
    assert re.match(r"^data/\S+\.yaml:\d+: new sources item 'new-source-1'", result.stdout), result.stdout
    bad = run(project, "new", "exercize")
    assert bad.returncode == 2 and "unknown kind 'exercize'" in bad.stderr
    with pytest.raises(AtlasError):
        resolve_kind("nothing")
