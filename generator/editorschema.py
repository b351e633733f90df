"""Every YAML file an editor touches gets its schema, in any editor: the schema files, the
`# yaml-language-server: $schema=...` line at the top of each file, and VS Code's settings.

- `schema/data.json` (generator/json_schema.py) for every data file under data/, whatever its
  folder: the generator tells a file's kind by its top-level keys, and so does the schema.
- `schema/ledger.json` for the coverage ledgers (data/coverage/, generator/ledger.py's model),
  `schema/redirects.json` for editions/redirects.yaml (generator/editions.py's `Redirect`),
  `schema/prose-check.json` for editions/prose-check.yaml (generator/prosecheck.py's `Check`).

The first line of each of those files names its schema by a relative path. yaml-language-server
reads that line in every editor that runs it (VS Code's YAML extension, Neovim, Helix, Zed,
JetBrains' LSP client, Emacs' lsp-mode), and check-jsonschema can be pointed at the same files.
`python -m generator schema` writes the line (keeping any comments below it) and `--check`
fails when a file lacks it; `new`, `import` and the form editor write it into files they create.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator import json_schema
from generator.editions import Redirect
from generator.fieldref import FIELD_REFERENCE, field_reference
from generator.ledger import FOLDER as LEDGER_FOLDER
from generator.ledger import LedgerFile
from generator.prosecheck import LEDGER as PROSE_CHECK
from generator.prosecheck import ProseCheckFile

SCHEMA_DIR = json_schema.SCHEMA_DIR
VSCODE_SETTINGS = ".vscode/settings.json"
MODELINE = "# yaml-language-server: $schema="
REDIRECTS = "editions/redirects.yaml"


class RedirectsFile(BaseModel):
    """editions/redirects.yaml: every released record id that is gone from data/."""

    model_config = Redirect.model_config
    redirects: list[Redirect]


# schema name -> (title, the model of the whole file, what an editor says when the file's shape is wrong)
_MODEL_FILES: dict[str, tuple[str, type[BaseModel], str]] = {
    "ledger": (
        "coverage ledger (data/coverage/)",
        LedgerFile,
        "a coverage ledger: `coverage:` with `source:` and `entries:`",
    ),
    "redirects": (
        REDIRECTS,
        RedirectsFile,
        "`redirects:` and a list of entries (`- {id: ..., status: ..., edition: ...}`)",
    ),
    "prose-check": (
        PROSE_CHECK,
        ProseCheckFile,
        "`checked:` (a list of readings) and `pending:` (essays not read yet)",
    ),
}


def _strip_titles(node: Any) -> Any:
    """pydantic's per-property titles repeat the key; the editor shows the description instead."""
    if isinstance(node, list):
        return [_strip_titles(n) for n in node]
    if not isinstance(node, dict):
        return node
    props = node.get("properties")
    out = {k: _strip_titles(v) for k, v in node.items()}
    if isinstance(props, dict):
        out["properties"] = {k: {x: y for x, y in _strip_titles(v).items() if x != "title"} for k, v in props.items()}
    return out


def model_file_schema(name: str) -> dict[str, Any]:
    title, model, shape = _MODEL_FILES[name]
    body = _strip_titles(json_schema._draft7(model.model_json_schema(ref_template="#/definitions/{model}")))
    body.pop("title", None)
    return {
        "$schema": json_schema.DRAFT7,
        "$id": f"{json_schema.SCHEMA_ID}{name}.json",
        "title": f"Central Asia Security Atlas: {title}",
        **body,
        "errorMessage": shape,
        "description": f"Generated from {model.__module__.replace('.', '/')}.py by `python -m generator schema`; "
        f"do not edit. {body.get('description', '')}".strip(),
    }


def schemas() -> dict[str, dict[str, Any]]:
    return {**json_schema.schemas(), **{name: model_file_schema(name) for name in _MODEL_FILES}}


# --- which file gets which schema ---------------------------------------------------------------


def schema_of(rel: str) -> str | None:
    """The schema (name) of a YAML file, by its path relative to the project root; None: no schema."""
    if not rel.endswith(".yaml"):
        return None
    if rel.startswith(f"{LEDGER_FOLDER}/"):
        return "ledger"
    if rel.startswith("data/"):
        return "data"
    return {REDIRECTS: "redirects", PROSE_CHECK: "prose-check"}.get(rel)


def modeline(rel: str, schema: str) -> str:
    """The first line of the file at `rel`: its schema by a path relative to the file's folder."""
    target = os.path.relpath(f"{SCHEMA_DIR}/{schema}.json", os.path.dirname(rel) or ".")
    return f"{MODELINE}{Path(target).as_posix()}"


def with_modeline(rel: str, text: str) -> str:
    """`text` with its schema line first (replacing an older one); the same text if it has it."""
    schema = schema_of(rel)
    if schema is None:
        return text
    lines = text.removeprefix("\ufeff").split("\n")  # a byte-order mark would end up inside the file
    if lines[0].startswith(MODELINE):
        lines = lines[1:]
    return "\n".join([modeline(rel, schema), *lines]) if text else modeline(rel, schema) + "\n"


def new_file_text(root: Path, path: Path) -> str:
    """What a data file a command is about to create starts with: its schema line (else nothing)."""
    if not path.is_relative_to(root):
        return ""
    rel = path.relative_to(root).as_posix()
    return with_modeline(rel, "")


def yaml_files(root: Path) -> list[str]:
    """The files that carry a schema line: every YAML file under data/ and editions/."""
    out = []
    for folder in ("data", "editions"):
        for path in sorted((root / folder).rglob("*.yaml")) if (root / folder).is_dir() else []:
            rel = path.relative_to(root).as_posix()
            if path.is_file() and not path.is_symlink() and schema_of(rel) is not None:
                out.append(rel)
    return out


def modeline_files(root: Path) -> dict[str, str]:
    """Each data and editions YAML file with its schema line: path -> the text it should have."""
    out = {}
    for rel in yaml_files(root):
        try:
            text = (root / rel).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the build reports an unreadable file; the schema line waits until it reads
        out[rel] = with_modeline(rel, text)
    return out


# --- the generated files ------------------------------------------------------------------------


def vscode_schemas() -> dict[str, list[str]]:
    """`yaml.schemas` for .vscode/settings.json, for a file without its schema line (the line wins):
    every data file, in any folder, but the ledgers; the ledgers; the two editions files."""
    return {
        f"./{SCHEMA_DIR}/data.json": ["data/*.yaml", "data/**/*.yaml", f"!{LEDGER_FOLDER}/*.yaml"],
        f"./{SCHEMA_DIR}/ledger.json": [f"{LEDGER_FOLDER}/*.yaml"],
        f"./{SCHEMA_DIR}/redirects.json": [REDIRECTS],
        f"./{SCHEMA_DIR}/prose-check.json": [PROSE_CHECK],
    }


def generated_files() -> dict[str, str]:
    """Every committed file made from the model alone: path relative to the root -> text."""
    out = {f"{SCHEMA_DIR}/{name}.json": json_schema.render(schema) for name, schema in schemas().items()}
    out[FIELD_REFERENCE] = field_reference()
    settings = {"yaml.schemas": vscode_schemas(), "yaml.validate": True, "yaml.completion": True, "yaml.hover": True}
    out[VSCODE_SETTINGS] = json.dumps(settings, indent=2) + "\n"
    return out


def stale_schemas(root: Path, files: dict[str, str] | None = None) -> list[str]:
    """The generated files (default: this module's) that differ from what the model makes now,
    missing ones too."""
    stale = []
    for rel, text in (generated_files() if files is None else files).items():
        path = root / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(rel)
    return stale


def write_schemas(root: Path, files: dict[str, str] | None = None) -> list[str]:
    written = []
    for rel, text in (generated_files() if files is None else files).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            tmp = path.with_name(f".{path.name}.schema")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
            written.append(rel)
    return written
