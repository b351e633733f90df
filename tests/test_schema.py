"""The JSON Schema editors' tools read: up to date, true to all of data/, strict with bad input."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from fnmatch import fnmatch
from pathlib import Path

import jsonschema
import pytest

from generator.json_schema import FILE_TYPES, generated_files, undocumented
from generator.load import load_data
from generator.schema import ENTITY_KINDS, RECORD_KINDS
from tests.conftest import BAD, ROOT
from tests.test_validate import expectations

# Messages of the validator that the per-file schema can express too (types, required fields,
# patterns, allowed values and keys). References, duplicate ids and keys, coordinates inside a
# country, and YAML syntax are not the schema's business.
SCHEMA_MESSAGES = (
    "is not a country code",
    "is not a currency code",
    "is not a valid id",
    "required field is missing",
    "needs at least",
    "unknown field",
    "unknown list",
    "is not a date",
    "is not between",
    "ids start with",
    "is not an allowed value",
    "must be at most",
    "must be at least",
    "expected a whole number",
    "expected a list",
    "is longer than",
    "expected a mapping of fields",
)


def _schema(name: str) -> dict:
    return json.loads((ROOT / "schema" / f"{name}.json").read_text(encoding="utf-8"))


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


def _schema_for(rel: str) -> str:
    """The schema .vscode/settings.json maps to `rel` (a glob's `**/` also matches no folder)."""
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    for schema, globs in settings.items():
        if any(fnmatch(rel, g) or fnmatch(rel, g.replace("**/", "")) for g in globs):
            return Path(schema).stem
    return "data"


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
    for ft in FILE_TYPES:
        text = json.dumps(_schema(ft.name))
        assert '"$schema": "http://json-schema.org/draft-07/schema#"' in text
        for newer in ('"$defs"', '"prefixItems"', '"unevaluatedProperties"', '"dependentRequired"'):
            assert newer not in text, (ft.name, newer)


def test_every_data_file_is_mapped_and_accepted():
    files = _documents(ROOT / "data", ROOT)
    assert len(files) >= 20
    for rel, doc in files.items():
        name = _schema_for(rel)
        assert name != "data", f"{rel} has no schema mapping in .vscode/settings.json"
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator(name).iter_errors(doc)]
        assert not errors, (rel, errors[:5])


def test_the_fixture_atlas_is_accepted():
    for rel, doc in _documents(ROOT / "tests/fixtures/atlas/data", ROOT / "tests/fixtures/atlas").items():
        assert not list(_validator("data").iter_errors(doc)), rel


def _bad_files() -> list[Path]:
    return sorted(p for p in BAD.rglob("*.yaml") if p.is_file() and not p.is_symlink())


def _is_schema_error(path: Path) -> bool:
    """A fixture the schema must reject: its expected messages are schema-level, and it reads
    as YAML without problems (syntax, tags, aliases and the like are the loader's business)."""
    try:
        expected = expectations(path)
    except (UnicodeDecodeError, OSError):
        return False
    if not any(any(m in line for m in SCHEMA_MESSAGES) for line in expected):
        return False
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "data").mkdir()
        shutil.copy(path, Path(tmp) / "data" / path.name)
        return not load_data(Path(tmp) / "data", Path(tmp)).problems


SCHEMA_ERRORS = [p for p in _bad_files() if _is_schema_error(p)]


def test_enough_bad_inputs_are_schema_errors():
    assert len(SCHEMA_ERRORS) >= 6, [p.name for p in SCHEMA_ERRORS]


@pytest.mark.parametrize("path", SCHEMA_ERRORS, ids=lambda p: p.stem)
def test_the_schema_rejects_bad_input_that_is_a_schema_error(path, tmp_path):
    (tmp_path / "data").mkdir()
    shutil.copy(path, tmp_path / "data" / path.name)
    (doc,) = _documents(tmp_path / "data", tmp_path).values()
    errors = list(_validator("data").iter_errors(doc))
    assert errors, f"{path.name} passes the schema although the validator rejects it: {expectations(path)}"
    # The schema finds fault with the item (or the list) the validator names.
    expected = {re.match(r"\d+: ([a-z_]+(?:\[\d+\])?)", e).group(1) for e in expectations(path)}
    found = {
        "{}[{}]".format(*e.absolute_path) if len(e.absolute_path) > 1 else "".join(e.absolute_path) for e in errors
    }
    found |= {k for e in errors for k in re.findall(r"'([a-z_]+)' was unexpected", e.message)}
    assert expected & found, (expected, found, [e.message for e in errors])


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
