"""The form editor's configuration (admin/config.yml) follows the model and is committed up to date."""

from __future__ import annotations

import yaml

from generator import cmsconfig
from generator.json_schema import _definitions
from generator.schema import RECORD_KINDS, Exercise, Source
from tests.conftest import ROOT


def test_committed_config_is_the_one_the_model_gives():
    path = ROOT / cmsconfig.CONFIG_FILE
    assert path.read_text(encoding="utf-8") == cmsconfig.render(), (
        f"{cmsconfig.CONFIG_FILE} is stale: run `python -m generator schema`"
    )


def _collection(key: str) -> dict:
    config = yaml.safe_load(cmsconfig.render())
    return next(c for c in config["collections"] if c["name"] == key)


def _field(fields: list[dict], name: str) -> dict:
    return next(f for f in fields if f["name"] == name)


def test_every_record_kind_and_entity_list_is_a_collection_over_its_virtual_folder():
    config = yaml.safe_load(cmsconfig.render())
    names = [c["name"] for c in config["collections"]]
    assert names == [*RECORD_KINDS, "places", "organisations", "sources"]
    for c in config["collections"]:
        assert c["folder"] == f"atlas/{c['name']}"
        assert c["slug"] == "{{id}}" and c["identifier_field"] == "id"
        assert c["delete"] is False


def test_fields_vocabularies_and_required_fields_come_from_the_model():
    defs = _definitions()
    exercises = _collection("exercises")["fields"]
    scope = _field(exercises, "scope")
    assert scope["widget"] == "select"
    assert scope["options"] == list(Exercise.model_fields["scope"].annotation.__args__)
    assert "required" not in scope  # required in the model: required in the form
    assert _field(exercises, "summary")["required"] is False
    assert _field(exercises, "summary")["widget"] == "text"
    assert _field(exercises, "size_total") | {"hint": ""} == {
        "name": "size_total",
        "label": "size_total",
        "hint": "",
        "required": False,
        "widget": "number",
        "value_type": "int",
        "min": 0,
        "max": 10**15,  # the loader's bound (generator.load.MAX_NUMBER)
    }
    assert _field(exercises, "id")["pattern"][0] == defs["Exercise"]["properties"]["id"]["pattern"]
    citations = _field(exercises, "citations")
    assert citations["widget"] == "list" and citations["min"] == 1
    assert [f["name"] for f in citations["fields"]] == list(defs["Citation"]["properties"])
    assert [f["name"] for f in citations["fields"] if f.get("required", True)] == defs["Citation"]["required"]
    sources = _collection("sources")["fields"]
    kinds = Source.model_fields["type"].annotation.__args__
    assert _field(sources, "type")["options"] == list(kinds)
    # mappings are not in the form (the API keeps them as written)
    assert "roles" not in [f["name"] for f in exercises]
    assert "roles" not in cmsconfig.form_fields("exercises")
