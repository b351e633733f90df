"""`python -m generator new KIND` appends a complete skeleton with the next free id to the right file."""

from __future__ import annotations

import re
import shutil

import pytest

from generator.build import load_atlas
from generator.config import load_config
from generator.errors import AtlasError, DataError
from generator.json_schema import _definitions
from generator.load import load_data
from generator.newitem import ENTITIES, new_item, resolve_kind
from generator.schema import RECORD_KINDS
from generator.validate import validate
from tests.conftest import ROOT, make_project
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


def test_new_goes_into_the_file_that_holds_that_kind_for_the_country(project):
    (project / "data" / "more-places.yaml").write_text(
        "places:\n- {id: khujand, name: Khujand, country: TJ, lat: 40.28, lon: 69.62}\n"
        "- {id: kulob, name: Kulob, country: TJ, lat: 37.91, lon: 69.78}\n",
        encoding="utf-8",
    )
    cfg = load_config(project)
    tj = new_item(cfg, "place", "tj")
    assert tj.file == project / "data" / "more-places.yaml" and tj.id == "new-place-1" and not tj.note
    assert tj.file.read_text(encoding="utf-8").splitlines()[tj.line - 1].startswith("- id: new-place-1  #")
    # Without a country (or for one with no file of its own): the file holding most places.
    assert new_item(cfg, "place").file == project / "data" / "entities.yaml"
    assert new_item(cfg, "place", "KG").file == project / "data" / "entities.yaml"
    other = new_item(cfg, "source", "KG")
    assert other.file == project / "data" / "entities.yaml" and "no data file holds sources of KG" in other.note
    with pytest.raises(AtlasError, match="unknown country 'XX'"):
        new_item(cfg, "meeting", "XX")


def _problems(cfg) -> list:
    try:
        validate(load_data(cfg.data_dir, cfg.root))
    except DataError as exc:
        return exc.problems
    return []


def _assert_one_more_unfinished_item(cfg, before: list, item) -> None:
    """The file holds exactly one more item of the list, the new one, and the only problems are the
    new item's placeholders, reported at its own lines."""
    rel = item.file.relative_to(cfg.root).as_posix()
    old = [i for i in before if i.file == rel and i.key == item.key]
    loaded = load_data(cfg.data_dir, cfg.root)
    assert not loaded.problems, loaded.problems
    now = [i for i in loaded.items if i.file == rel and i.key == item.key]
    assert [i.data for i in now[:-1]] == [i.data for i in old], f"{rel}: other {item.key} items changed"
    assert now[-1].data["id"] == item.id and now[-1].line == item.line
    assert {i.file for i in loaded.items} == {i.file for i in before}
    assert len(loaded.items) == len(before) + 1
    problems = _problems(cfg)
    assert problems, "an unfinished item must not validate"
    for p in problems:
        assert p.file == rel and p.where.startswith(f"{item.key}[{len(old)}]"), p
        assert item.line <= p.line <= item.line + len(item.text.splitlines()), p


REAL_DATA = ROOT / "data"


@pytest.mark.parametrize("kind", KINDS)
def test_new_into_every_real_file_that_holds_the_kind(tmp_path, kind):
    root = make_project(tmp_path / "atlas")
    shutil.rmtree(root / "data")
    shutil.copytree(REAL_DATA, root / "data")
    cfg = load_config(root)
    before = load_data(cfg.data_dir, cfg.root).items
    assert not _problems(cfg)
    files = sorted({i.file for i in before if i.key == kind})
    assert files or kind not in {"meetings", "places", "sources"}
    for rel in files:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        item = new_item(cfg, kind, into=path)
        _assert_one_more_unfinished_item(cfg, before, item)
        path.write_text(text, encoding="utf-8")


MEETING = """  # the last meeting
- id: mtg-kg-x
  title: A meeting in Bishkek
  date: "2020-01"
  countries:
  - KG
  ca_official: Minister of Defence
  cn_official: Minister of National Defence
  citations:
  - source: report-a
    locator: Appendix 1
"""


def _indent(text: str, n: int) -> str:
    return "".join(" " * n + ln if ln.strip() else ln for ln in text.splitlines(keepends=True))


@pytest.mark.parametrize("dash", [0, 2, 4])
@pytest.mark.parametrize("after", ["", "\n# Trainings follow.\ntrainings: []\n"])
def test_new_matches_the_files_list_style(project, dash, after):
    path = project / "data" / "style.yaml"
    path.write_text("# Meetings in one style.\nmeetings:\n" + _indent(MEETING, dash) + after, encoding="utf-8")
    cfg = load_config(project)
    before = load_data(cfg.data_dir, cfg.root).items
    item = new_item(cfg, "meeting", into=path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[item.line - 1].startswith(" " * dash + f"- id: {item.id}  #")
    assert lines[item.line].startswith(" " * (dash + 2) + "title:")
    assert any(ln.startswith(" " * (dash + 2) + "- source: TODO") for ln in lines), "nested lists as in the file"
    _assert_one_more_unfinished_item(cfg, before, item)
    if after:
        assert lines[-1] == "trainings: []"


def test_new_refuses_what_it_cannot_extend_and_leaves_the_file_alone(project):
    path = project / "data" / "flow.yaml"
    text = "meetings: [{id: mtg-kg-x, title: A meeting, date: '2020', countries: [KG]}]\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AtlasError, match="flow"):
        new_item(load_config(project), "meeting", into=path)
    assert path.read_text(encoding="utf-8") == text


def test_the_command_prints_where_and_rejects_unknown_kinds(project):
    result = run(project, "new", "source")
    assert result.returncode == 0, result.stderr
    assert re.match(r"^data/\S+\.yaml:\d+: new sources item 'new-source-1'", result.stdout), result.stdout
    bad = run(project, "new", "exercize")
    assert bad.returncode == 2 and "unknown kind 'exercize'" in bad.stderr
    with pytest.raises(AtlasError):
        resolve_kind("nothing")


def test_a_new_file_names_its_schema_on_its_first_line(project):
    """`new` into a kind no file holds yet creates the file with the line that gives any editor
    the schema (yaml-language-server reads it), and the item's line counts it."""
    cfg = load_config(project)
    held = {i.key for i in load_data(cfg.data_dir, project).items}
    key = next(k for k in RECORD_KINDS if k not in held)
    before = set(project.rglob("*.yaml"))
    item = new_item(cfg, key)
    assert item.file not in before
    lines = item.file.read_text(encoding="utf-8").splitlines()
    depth = len(item.file.relative_to(project).parts) - 1
    assert lines[0] == "# yaml-language-server: $schema=" + "../" * depth + "schema/data.json"
    assert lines[item.line - 1].lstrip().startswith("- id:")
    assert not load_data(cfg.data_dir, project).problems
