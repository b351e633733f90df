"""The form editor's proxy API (generator/cmsapi.py) on a copy of the fixture atlas."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from generator.build import load_atlas
from generator.cmsapi import CmsApi, Refused
from generator.config import load_config
from generator.editorschema import with_modeline
from generator.errors import DataError
from tests.conftest import make_project

KZ = "atlas/meetings/mtg-kz-2019-05-01.yaml"


@pytest.fixture
def api(tmp_path: Path) -> CmsApi:
    return CmsApi(make_project(tmp_path / "atlas"))


def _save(api: CmsApi, path: str, record: dict) -> dict:
    raw = yaml.safe_dump(record, sort_keys=False, allow_unicode=True)
    return api.handle("persistEntry", {"dataFiles": [{"path": path, "raw": raw, "slug": "x"}], "assets": []})


def _entry(api: CmsApi, path: str) -> dict:
    return yaml.safe_load(api.handle("getEntry", {"path": path})["data"])


def test_a_folder_lists_every_item_of_its_kind_and_nothing_else(api):
    entries = api.handle("entriesByFolder", {"folder": "atlas/meetings", "extension": "yaml", "depth": 1})
    assert [e["file"]["path"] for e in entries] == [
        "atlas/meetings/mtg-kg-2020-11-01.yaml",
        "atlas/meetings/mtg-kz-2019-05-01.yaml",
    ]
    assert yaml.safe_load(entries[1]["data"])["date_as_given"] == "Mai 2019"
    places = api.handle("entriesByFolder", {"folder": "atlas/places", "extension": "yaml", "depth": 1})
    assert "atlas/places/bishkek.yaml" in [e["file"]["path"] for e in places]


def test_a_save_rewrites_only_its_item_and_keeps_comments_and_fields_the_form_hides(api):
    data = api.root / "data" / "records.yaml"
    text = data.read_text(encoding="utf-8")
    text = text.replace(
        '    date_as_given: "Mai 2019"\n',
        '    date_as_given: "Mai 2019"  # as the appendix prints it\n    roles: {KZ: hosted}\n',
    )
    data.write_text(with_modeline("data/records.yaml", "# Fixture records\n" + text), encoding="utf-8")
    before = data.read_text(encoding="utf-8")
    record = _entry(api, KZ)
    del record["roles"]  # the form does not show mappings: Decap may send the entry without them
    record["title"] = "Kazakh and Chinese defence ministers meet"
    record["summary"] = "First line.\nSecond line."
    assert "saved in data/records.yaml" in _save(api, KZ, record)["message"]
    after = data.read_text(encoding="utf-8")
    # the new field goes after the last field that comes before it in the model
    expected = before.replace("ministers meet\n", "defence ministers meet\n", 1).replace(
        "    places: [astana]\n", "    places: [astana]\n    summary: |-\n      First line.\n      Second line.\n"
    )
    assert after == expected
    assert after.startswith("# yaml-language-server: $schema=../schema/data.json\n# Fixture records\n")
    atlas = load_atlas(load_config(api.root))
    assert atlas.records["mtg-kz-2019-05-01"].roles == {"KZ": "hosted"}
    assert atlas.records["mtg-kz-2019-05-01"].summary == "First line.\nSecond line."


def test_a_save_that_would_not_validate_is_refused_with_every_problem_and_writes_nothing(api):
    data = api.root / "data" / "records.yaml"
    before = data.read_bytes()
    record = _entry(api, KZ)
    record["date"] = "2019-13"
    record["citations"] = [{"source": "no-such-source", "locator": "p. 1"}]
    with pytest.raises(DataError) as exc:
        _save(api, KZ, record)
    report = exc.value.report()
    assert "data/records.yaml:16: meetings[1].date: '2019-13': month 13 is not between 01 and 12" in report
    assert "no-such-source" in report
    assert data.read_bytes() == before


def test_a_new_entry_is_appended_to_the_file_of_its_kind_and_validates(api):
    new = {
        "id": "mtg-kg-2021-03-01",
        "title": "A new meeting from the form",
        "date": "2021-03",
        "countries": ["KG"],
        "citations": [{"source": "report-a", "locator": "Appendix 1"}],
        "ca_official": "Minister",
        "cn_official": "Minister",
        "summary": "",
    }
    _save(api, "atlas/meetings/mtg-kg-2021-03-01.yaml", new)
    text = (api.root / "data" / "records.yaml").read_text(encoding="utf-8")
    assert '  - id: mtg-kg-2021-03-01\n    title: A new meeting from the form\n    date: "2021-03"\n' in text
    assert "summary" not in text.split("mtg-kg-2021-03-01")[1].split("exercises:")[0]  # empty: left out
    atlas = load_atlas(load_config(api.root))
    assert atlas.located[("records", "mtg-kg-2021-03-01")].item.file == "data/records.yaml"


def test_a_kind_no_file_holds_gets_a_new_file_that_names_its_schema(api):
    new = {
        "id": "inf-kg-outpost",
        "title": "An outpost from the form",
        "countries": ["KG"],
        "citations": [{"source": "report-a", "locator": "Appendix 1"}],
    }
    written = _save(api, "atlas/infrastructure/inf-kg-outpost.yaml", new)
    text = (api.root / "data" / "records" / "infrastructure.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/data.json\n\ninfrastructure:\n"), written
    assert ("records", "inf-kg-outpost") in load_atlas(load_config(api.root)).located


@pytest.mark.parametrize(
    "path",
    ["atlas/meetings/../../data/x.yaml", "data/records.yaml", "atlas/countries/kz.yaml", "atlas/meetings/A B.yaml"],
)
def test_paths_outside_the_virtual_folders_are_refused(api, path):
    with pytest.raises(Refused):
        _save(api, path, {"id": "x"})


def test_deleting_and_uploading_are_refused(api):
    for action in ("deleteFile", "deleteFiles", "persistMedia"):
        with pytest.raises(Refused, match="not supported"):
            api.handle(action, {})


def _call(api: CmsApi, body: dict, **environ: str) -> tuple[str, dict]:
    data = json.dumps(body).encode()
    env = {
        "PATH_INFO": "/api/v1",
        "REQUEST_METHOD": "POST",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(data)),
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.input": io.BytesIO(data),
        **environ,
    }
    seen: list[str] = []
    out = api.wsgi(env, lambda status, headers: seen.append(status))
    assert out is not None
    return seen[0], json.loads(b"".join(out))


def test_only_json_from_this_machine_and_this_origin_is_answered(api):
    assert _call(api, {"action": "info"}, HTTP_ORIGIN="http://127.0.0.1:8000")[1]["type"] == "local_fs"
    assert _call(api, {"action": "info"}, HTTP_ORIGIN="https://evil.example")[0].startswith("403")
    assert _call(api, {"action": "info"}, CONTENT_TYPE="text/plain")[0].startswith("415")
    assert _call(api, {"action": "info"}, REMOTE_ADDR="10.0.0.2")[0].startswith("403")
    # DNS rebinding: a page of evil.example whose name now points at 127.0.0.1
    rebound = {"HTTP_HOST": "evil.example:8000", "HTTP_ORIGIN": "http://evil.example:8000"}
    assert _call(api, {"action": "info"}, **rebound)[0].startswith("403")
    status, body = _call(api, {"action": "getEntry", "params": {"path": "../etc/passwd"}})
    assert status.startswith("422") and "not an entry" in body["error"]


def test_admin_is_served_only_from_its_folder(api, tmp_path):
    (api.root / "admin").mkdir()
    (api.root / "admin" / "index.html").write_text("<p>editor</p>", encoding="utf-8")
    env = {"PATH_INFO": "/admin/", "REQUEST_METHOD": "GET"}
    assert b"".join(api.wsgi(env, lambda *a: None) or []) == b"<p>editor</p>"
    assert api.wsgi({"PATH_INFO": "/admin/../data/records.yaml"}, lambda *a: None) is None
    assert api.wsgi({"PATH_INFO": "/atlas/"}, lambda *a: None) is None
