"""The JSON Schema editors' tools read: up to date, named by the first line of every data and
editions file, true to all of them (the bad input: tests/test_schema_corpus.py)."""

from __future__ import annotations

import functools
import json
import re
import shutil
from fnmatch import fnmatch
from pathlib import Path

import jsonschema
import pytest
import regress
import yaml

from generator.editorschema import MODELINE, generated_files, schema_of, schemas, yaml_files
from generator.json_schema import undocumented
from generator.load import load_data
from generator.schema import ENTITY_KINDS, RECORD_KINDS
from generator.yamlevents import _Loader
from tests.conftest import ROOT


def _schema(name: str) -> dict:
    return json.loads((ROOT / "schema" / f"{name}.json").read_text(encoding="utf-8"))


@functools.cache
def _validator(name: str) -> jsonschema.Draft7Validator:
    schema = _schema(name)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def _documents(data_dir: Path, root: Path) -> dict[str, dict]:
    """Each data file as the generator reads it (dates stay text), rebuilt as one document."""
    loaded = load_data(data_dir, root)
    assert not loaded.problems, loaded.problems
    docs: dict[str, dict] = {name: {} for name in loaded.files}
    for item in loaded.items:
        docs[item.file].setdefault(item.key, []).append(item.data)
    return docs


def _schema_for(rel: str) -> str | None:
    """The schema .vscode/settings.json maps to `rel` (a glob's `**/` also matches no folder; a
    `!glob` takes the file out again), for a file without its first line."""
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    found = []
    for schema, globs in settings.items():
        hit = any(fnmatch(rel, g) or fnmatch(rel, g.replace("**/", "")) for g in globs if not g.startswith("!"))
        if hit and not any(fnmatch(rel, g[1:]) for g in globs if g.startswith("!")):
            found.append(Path(schema).stem)
    assert len(found) <= 1, (rel, found)
    return found[0] if found else None


@pytest.mark.parametrize("rel", sorted(generated_files()))
def test_committed_schema_files_are_up_to_date(rel):
    path = ROOT / rel
    assert path.exists(), f"{rel} is missing: run `python -m generator schema`"
    assert path.read_text(encoding="utf-8") == generated_files()[rel], (
        f"{rel} is stale: run `python -m generator schema`"
    )


def test_schema_check_fails_on_a_stale_file_and_writes_nothing(tmp_path):
    """`generator schema --check` (the pre-commit hook and CI): 0 when up to date, else 1, naming
    the file; it never writes."""
    from generator import cmsconfig
    from tests.conftest import run_generator

    for rel in [*generated_files(), *cmsconfig.generated_files()]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    ok = run_generator(tmp_path, "schema", "--check")
    assert ok.returncode == 0, ok.stderr
    stale = tmp_path / "schema" / sorted(p.name for p in (tmp_path / "schema").glob("*.json"))[0]
    stale.write_text("{}\n", encoding="utf-8")
    (tmp_path / ".vscode/settings.json").unlink()
    bad = run_generator(tmp_path, "schema", "--check")
    assert bad.returncode == 1
    assert f"schema/{stale.name}: out of date" in bad.stderr and ".vscode/settings.json: out of date" in bad.stderr
    assert stale.read_text(encoding="utf-8") == "{}\n" and not (tmp_path / ".vscode/settings.json").exists()


def test_schemas_use_draft_7_keywords_only():
    assert set(schemas()) == {"data", "ledger", "redirects", "prose-check"}
    for name in schemas():
        text = json.dumps(_schema(name))
        assert '"$schema": "http://json-schema.org/draft-07/schema#"' in text
        for newer in ('"$defs"', '"prefixItems"', '"unevaluatedProperties"', '"dependentRequired"'):
            assert newer not in text, (name, newer)
    assert sorted(p.stem for p in (ROOT / "schema").glob("*.json")) == sorted(schemas()), "a schema no file uses"


def test_every_data_and_editions_file_names_its_schema_and_is_valid():
    """The first line of each YAML file under data/ and editions/ names its schema by a path from
    the file's folder (what yaml-language-server reads in any editor); the file is valid there."""
    files = yaml_files(ROOT)
    assert len(files) >= 50 and "editions/redirects.yaml" in files and "editions/prose-check.yaml" in files
    assert {schema_of(f) for f in files} == {"data", "ledger", "redirects", "prose-check"}
    for rel in files:
        text = (ROOT / rel).read_text(encoding="utf-8")
        first = text.split("\n", 1)[0]
        assert first.startswith(MODELINE), f"{rel}: no schema line (run `python -m generator schema`)"
        target = ((ROOT / rel).parent / first.removeprefix(MODELINE)).resolve()
        assert target == (ROOT / "schema" / f"{schema_of(rel)}.json").resolve(), rel
        assert _schema_for(rel) == schema_of(rel), f"{rel}: .vscode/settings.json maps it elsewhere"
        loader = _Loader(text)
        try:
            doc = loader.get_single_data()
        finally:
            loader.dispose()
        errors = [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator(schema_of(rel)).iter_errors(doc)
        ]
        assert not errors, (rel, errors[:5])


def test_every_pattern_is_an_ecmascript_pattern():
    """yaml-language-server and ajv compile `pattern` as ECMAScript with the `u` flag, where some
    escapes Python allows are errors (`\\"` in a class made the URL pattern, and with it the
    whole schema, unusable there)."""
    count = 0
    for schema in schemas().values():
        for node in _nodes(schema):
            if isinstance(node.get("pattern"), str):
                regress.Regex(node["pattern"], "u")  # raises RegressError
                count += 1
    assert count > 20
    with pytest.raises(regress.RegressError):
        regress.Regex(r"^[^\s<>\"]+$", "u")


# YAML 1.2's core schema: how yaml-language-server (and check-jsonschema) type a plain scalar.
_CORE_12 = (
    ("null", re.compile(r"^(~|null|Null|NULL|)$")),
    ("bool", re.compile(r"^(true|True|TRUE|false|False|FALSE)$")),
    ("int", re.compile(r"^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")),
    (
        "float",
        re.compile(r"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$"),
    ),
)


def yaml_12_differences(text: str) -> list[str]:
    """Plain values the generator (PyYAML, YAML 1.1, dates kept as text) reads as one type and a
    YAML 1.2 reader as another, e.g. `key: 0059926989e89280` (text, and a number in 1.2)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    out, todo = [], [node]
    while todo:
        n = todo.pop()
        if isinstance(n, yaml.MappingNode):
            todo += [x for pair in n.value for x in pair]
        elif isinstance(n, yaml.SequenceNode):
            todo += n.value
        elif isinstance(n, yaml.ScalarNode) and not n.style:  # plain (libyaml: "", PyYAML: None)
            old = n.tag.rsplit(":", 1)[-1]
            new = next((kind for kind, rx in _CORE_12 if rx.match(n.value)), "str")
            if old != new:
                out.append(f"line {n.start_mark.line + 1}: {n.value!r} is {old} to the generator, {new} in YAML 1.2")
    return out


def test_every_value_reads_the_same_in_yaml_1_2():
    assert yaml_12_differences("a: 0059926989e89280\nb: yes\nc: 1e3\nd: '0059926989e89280'\ne: 12\n") == [
        "line 3: '1e3' is str to the generator, float in YAML 1.2",
        "line 2: 'yes' is bool to the generator, str in YAML 1.2",
        "line 1: '0059926989e89280' is str to the generator, float in YAML 1.2",
    ]
    for rel in yaml_files(ROOT):
        assert yaml_12_differences((ROOT / rel).read_text(encoding="utf-8")) == [], f"{rel}: quote these values"


def test_check_jsonschema_reads_the_files_as_the_guide_says(tmp_path, capsys):
    """The editors' guide gives check-jsonschema (pinned) for a terminal or CI: it accepts the
    files and names the value at fault. (Every file is checked against its schema above, with
    the same jsonschema library; here a sample of each schema, for the tool's own YAML and regex.)"""
    from check_jsonschema.cli.main_command import main as check_jsonschema

    bad = tmp_path / "bad.yaml"
    bad.write_text("meetings:\n  - {id: mtg-kg-x, title: A meeting, date: March 2021}\n", encoding="utf-8")
    runs = {
        "data": ["data/countries.yaml", "data/places/exercises.yaml", "data/records/meetings-kg.yaml"],
        "ledger": ["data/coverage/hoagland-2020.yaml"],
        "redirects": ["editions/redirects.yaml"],
        "prose-check": ["editions/prose-check.yaml"],
    }
    for name, files in runs.items():
        args = ["--schemafile", str(ROOT / f"schema/{name}.json"), *(str(ROOT / f) for f in files)]
        assert check_jsonschema.main(args=args, standalone_mode=False) == 0, capsys.readouterr().out
    args = ["--schemafile", str(ROOT / "schema/data.json"), str(bad)]
    assert check_jsonschema.main(args=args, standalone_mode=False) == 1
    assert "$.meetings[0].date" in capsys.readouterr().out


def test_a_data_file_in_any_folder_gets_the_data_schema():
    """The generator reads any layout under data/: so does the mapping (by content: one schema
    for every data file, whose top-level keys pick the kind)."""
    for rel in ("data/kg/meetings-2023.yaml", "data/x.yaml", "data/a/b/c.yaml", "data/records/mixed.yaml"):
        assert schema_of(rel) == "data" and _schema_for(rel) == "data", rel
    assert schema_of("data/coverage/new-seed.yaml") == _schema_for("data/coverage/new-seed.yaml") == "ledger"
    mixed = {
        "meetings": [],
        "places": [{"id": "osh", "name": "Osh", "country": "KG", "lat": 40.5, "lon": 72.8}],
    }
    assert not list(_validator("data").iter_errors(mixed)), "a places list in a records file is read by the generator"
    assert list(_validator("data").iter_errors({"meeting": []})), "an unknown list is not"


def test_schema_writes_the_schema_line_and_keeps_the_comments(tmp_path, capsys):
    from generator import cmsconfig
    from generator.cli import main

    for rel in [*generated_files(), *cmsconfig.generated_files()]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    folder = tmp_path / "data" / "kg"
    folder.mkdir(parents=True)
    (folder / "meetings-2023.yaml").write_text("# Meetings of 2023.\nmeetings: []\n", encoding="utf-8")
    (tmp_path / "editions").mkdir()
    stale = "# yaml-language-server: $schema=../schema/records.json\nredirects: []\n"
    (tmp_path / "editions" / "redirects.yaml").write_text(stale, encoding="utf-8")
    assert main(["--root", str(tmp_path), "schema", "--check"]) == 1
    err = capsys.readouterr().err
    assert "data/kg/meetings-2023.yaml: its first line must name its schema" in err
    assert "editions/redirects.yaml: its first line must name its schema" in err
    assert (folder / "meetings-2023.yaml").read_text(encoding="utf-8").startswith("# Meetings"), (
        "--check writes nothing"
    )
    assert main(["--root", str(tmp_path), "schema"]) == 0
    assert capsys.readouterr().out.endswith("2 of 2 data and editions files given their schema line\n")
    assert (folder / "meetings-2023.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../schema/data.json\n# Meetings of 2023.\nmeetings: []\n"
    )
    assert (tmp_path / "editions" / "redirects.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../schema/redirects.json\nredirects: []\n"
    )
    assert main(["--root", str(tmp_path), "schema", "--check"]) == 0, capsys.readouterr().err


def test_a_bad_date_says_what_to_write():
    """yaml-language-server shows `errorMessage` instead of the raw pattern."""
    date = _schema("data")["definitions"]["Meeting"]["properties"]["date"]["anyOf"][0]
    assert date["errorMessage"].startswith('a date in quotes: "YYYY", "YYYY-MM" or "YYYY-MM-DD"')
    citation = _schema("data")["definitions"]["Citation"]["properties"]
    assert "page 12" in citation["locator"]["errorMessage"] and "`report-a`" in citation["source"]["errorMessage"]
    text = json.dumps(schemas())
    patterns = re.findall(r'"pattern": "((?:[^"\\]|\\.)*)"', text)
    assert len(patterns) > 20
    for name, schema in schemas().items():
        for node in _nodes(schema):
            if "pattern" in node:
                assert node.get("errorMessage"), (name, node["pattern"])


def _nodes(node: object) -> list[dict]:
    if isinstance(node, dict):
        return [node, *(n for v in node.values() for n in _nodes(v))]
    if isinstance(node, list):
        return [n for v in node for n in _nodes(v)]
    return []


def test_the_fixture_atlas_is_accepted():
    for rel, doc in _documents(ROOT / "tests/fixtures/atlas/data", ROOT / "tests/fixtures/atlas").items():
        assert not list(_validator("data").iter_errors(doc)), rel


def test_every_model_field_has_a_meaning_in_the_reference():
    assert undocumented() == []
    reference = (ROOT / "docs/editors/fields.md").read_text(encoding="utf-8")
    for key, model in {**RECORD_KINDS, **ENTITY_KINDS}.items():
        heading = next(h for h in (f"## Record: `{key}`", f"## Entity: `{key}`") if h in reference)
        section = reference.split(heading, 1)[1].split("\n## ", 1)[0]
        for field in model.model_fields:
            assert f"| `{field}` |" in section, f"{key}.{field} is missing from docs/editors/fields.md"


def test_vscode_recommends_the_yaml_extension_and_maps_the_schemas():
    extensions = json.loads((ROOT / ".vscode/extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))
    for schema in settings["yaml.schemas"]:
        assert (ROOT / schema).exists(), schema
