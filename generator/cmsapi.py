"""The form editor's backend in the preview: `/admin/` (Decap CMS) and its proxy API at `/api/v1`.

Decap's `local_backend` speaks a small JSON protocol (the `decap-server` package: one POST per
action, `{"action": ..., "params": {...}}`). This module answers it from the real files in `data/`:

- the collections are virtual folders, `atlas/<key>/<id>.yaml` (see generator/cmsconfig.py): one
  entry per record, place, organisation or source, wherever in `data/` its list lives;
- a save rewrites only that item, in place, in the file's own indentation, keeping the comments in
  and around it (ruamel.yaml round trip); fields the form does not show are kept as they were; a
  new entry is appended to the file holding most of that kind for its country (`generator new`);
- before anything is written the whole atlas is validated with the new text: a save that would
  make the data invalid is refused, and the editor sees every problem as `file:line: field:
  message (hint)`; the file is then untouched;
- only paths inside `data/` are written, never a link; deleting and media uploads are refused
  (record ids are cited: withdraw a record in YAML, with `editions/redirects.yaml`).

The API accepts only JSON requests from this machine whose Origin, if any, is the preview itself,
so a web page open in the same browser cannot write to the data.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import posixpath
import re
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString, ScalarString

from generator import cmsconfig
from generator.build import load_atlas
from generator.config import SiteConfig, load_config
from generator.editorschema import new_file_text
from generator.errors import AtlasError, DataError, Problem
from generator.json_schema import _definitions
from generator.load import MAX_BYTES, RawItem, load_data
from generator.newitem import _countries, _target
from generator.yamlappend import ListStyle, _style, plan
from generator.yamlevents import _Loader, check_events

ADMIN = "admin"
API = "/api/v1"
MAX_BODY = 8_000_000
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".yml": "text/yaml", ".txt": "text/plain"}
StartResponse = Callable[..., Any]
_LOCAL = ("127.0.0.1", "localhost", "[::1]")


class Refused(AtlasError):
    """A request the API will not carry out; its message is shown to the editor."""


class CmsApi:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()

    # --- WSGI ---------------------------------------------------------------------------------

    def wsgi(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes] | None:
        """Answer `/admin/...` and `/api/v1`; None for every other path."""
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        if path == API:
            status, body = self._api(environ)
            data = json.dumps(body).encode()
            start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
            return [data]
        if path == "/admin":
            start_response("302 Found", [("Location", "/admin/")])
            return []
        if path.startswith("/admin/"):
            return self._static(path.removeprefix("/admin/") or "index.html", start_response)
        return None

    def _static(self, rel: str, start_response: StartResponse) -> Iterable[bytes] | None:
        rel = posixpath.normpath("/" + rel).lstrip("/")
        folder = (self.root / ADMIN).resolve()
        target = folder / rel
        if target.is_dir():
            target = target / "index.html"
        if target.is_symlink() or not target.resolve().is_relative_to(folder) or not target.is_file():
            return None
        data = target.read_bytes()
        kind = _TYPES.get(target.suffix, "application/octet-stream")
        start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(data)))])
        return [data]

    def _api(self, environ: dict[str, Any]) -> tuple[str, Any]:
        if environ.get("REQUEST_METHOD") != "POST":
            return "405 Method Not Allowed", {"error": "POST a JSON action"}
        if environ.get("REMOTE_ADDR") not in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
            return "403 Forbidden", {"error": "the form editor's API answers only this machine"}
        if not environ.get("CONTENT_TYPE", "").startswith("application/json"):
            return "415 Unsupported Media Type", {"error": "send application/json"}
        host, origin = environ.get("HTTP_HOST", ""), environ.get("HTTP_ORIGIN")
        if re.sub(r":[0-9]+$", "", host) not in _LOCAL or (origin and origin.split("://", 1)[-1] != host):
            # another site's page (or one whose name was made to point here) cannot write the data
            return "403 Forbidden", {"error": "requests from other sites are refused"}
        size = int(environ.get("CONTENT_LENGTH") or 0)
        if size > MAX_BODY:
            return "413 Payload Too Large", {"error": "request too large"}
        try:
            body = json.load(io.BytesIO(environ["wsgi.input"].read(size)))
            if not isinstance(body, dict):
                raise Refused("expected a JSON object")
            return "200 OK", self.handle(str(body.get("action")), body.get("params") or {})
        except (Refused, DataError, AtlasError, ValueError) as exc:
            text = exc.report(limit=50) if isinstance(exc, DataError) else str(exc)
            return "422 Unprocessable Entity", {"error": text}

    # --- the actions --------------------------------------------------------------------------

    def handle(self, action: str, params: dict[str, Any]) -> Any:
        cfg = load_config(self.root)
        if action == "info":
            return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}
        if action == "entriesByFolder":
            key = _folder_key(str(params.get("folder", "")))
            return [_entry(f"{cmsconfig.VIRTUAL}/{key}/{i.data['id']}.yaml", i) for i in _items(cfg, key)]
        if action in ("getEntry", "entriesByFiles"):
            files = [params] if action == "getEntry" else list(params.get("files") or [])
            found = [self._entry_at(cfg, str(f.get("path", ""))) for f in files]
            return found[0] if action == "getEntry" else found
        if action == "persistEntry":
            files = params.get("dataFiles") or [params.get("entry")]
            if len(files) != 1 or not isinstance(files[0], dict):
                raise Refused("save one entry at a time")
            with self._lock:
                where = self.save(cfg, str(files[0].get("path", "")), str(files[0].get("raw", "")))
            return {"message": f"saved in {where}; the atlas validates"}
        if action == "getMedia":
            return []
        if action == "getDeployPreview":
            return None
        raise Refused(f"'{action}' is not supported by the atlas preview (deleting and uploads are done in git)")

    def _entry_at(self, cfg: SiteConfig, path: str) -> dict[str, Any]:
        key, ident = _entry_path(path)
        hit = next((i for i in _items(cfg, key) if i.data["id"] == ident), None)
        return _entry(path, hit) if hit else {"data": None, "file": {"path": path, "id": None}}

    def save(self, cfg: SiteConfig, path: str, raw: str) -> str:
        """Write the entry at `path` (virtual) from Decap's YAML `raw`; returns the data file."""
        key, ident = _entry_path(path)
        record = _parse_entry(raw, path)
        loaded = load_data(cfg.data_dir, cfg.root)
        hit = next((i for i in loaded.items if i.key == key and _id(i) == ident), None)
        if hit is not None:
            target = cfg.root / hit.file
            text = target.read_text(encoding="utf-8")
            new = replace_item(text, key, hit.index, record, set(cmsconfig.form_fields(key)), hit.file)
        else:
            if record.get("id") != ident:
                raise Refused(f"{path}: the id field must be '{ident}'")
            country = next(iter(_countries(record)), None)
            target, _ = _target(cfg, key, [i for i in loaded.items if isinstance(i.data, dict)], country)
            text = target.read_text(encoding="utf-8") if target.exists() else new_file_text(cfg.root, target)
            new, _ = plan(
                text, key, lambda style: dump_item(key, _fresh(_ordered(key, record)), style), hit_name(cfg, target)
            )
        _inside(cfg, target)
        if len(new.encode("utf-8")) > MAX_BYTES:
            raise Refused(f"{hit_name(cfg, target)} would exceed {MAX_BYTES // 1_000_000} MB; split the file first")
        load_atlas(cfg, {target: new})  # raises DataError with every problem; nothing written
        target.parent.mkdir(parents=True, exist_ok=True)  # a kind no file held yet: data/records/<key>.yaml
        tmp = target.with_name(f".{target.name}.cms")
        tmp.write_text(new, encoding="utf-8")
        os.replace(tmp, target)
        return hit_name(cfg, target)


# --- paths and entries ------------------------------------------------------------------------


def hit_name(cfg: SiteConfig, path: Path) -> str:
    return path.relative_to(cfg.root).as_posix() if path.is_relative_to(cfg.root) else str(path)


def _inside(cfg: SiteConfig, target: Path) -> None:
    data = cfg.data_dir.resolve()
    if target.is_symlink() or not target.resolve().is_relative_to(data) or target.suffix != ".yaml":
        raise Refused(f"{target}: the form editor writes only .yaml files inside data/")


def _folder_key(folder: str) -> str:
    prefix, _, key = folder.strip("/").partition("/")
    if prefix != cmsconfig.VIRTUAL or key not in cmsconfig.collection_keys():
        raise Refused(f"unknown folder '{folder}'")
    return key


def _entry_path(path: str) -> tuple[str, str]:
    folder, _, name = path.rpartition("/")
    ident = name.removesuffix(".yaml")
    if not name.endswith(".yaml") or not _ID.match(ident):
        raise Refused(f"'{path}' is not an entry of the form editor")
    return _folder_key(folder), ident


def _id(item: RawItem) -> str | None:
    return str(item.data.get("id")) if isinstance(item.data, dict) and "id" in item.data else None


def _items(cfg: SiteConfig, key: str) -> list[RawItem]:
    loaded = load_data(cfg.data_dir, cfg.root)
    return [i for i in loaded.items if i.key == key and _id(i) is not None and _ID.match(str(_id(i)))]


def _entry(path: str, item: RawItem) -> dict[str, Any]:
    raw = yaml.safe_dump(item.data, sort_keys=False, allow_unicode=True, width=4096)
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return {"data": raw, "file": {"path": path, "id": digest}}


def _parse_entry(raw: str, path: str) -> dict[str, Any]:
    problems: list[Problem] = []
    if not check_events(raw, path, problems):
        raise DataError(problems)
    data = yaml.load(raw, Loader=_Loader)  # the data's own safe loader: dates stay text
    if not isinstance(data, dict):
        raise Refused(f"{path}: expected the fields of one item")
    return data


# --- rewriting one item -----------------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


@functools.cache
def _order(key: str) -> list[str]:
    return list(_definitions()[cmsconfig._model_name(key)]["properties"])


def _ordered(key: str, record: dict[str, Any]) -> dict[str, Any]:
    order = _order(key)
    keys = sorted(record, key=lambda k: order.index(k) if k in order else len(order))
    return {k: record[k] for k in keys if not _empty(record[k])}


def merge(old: CommentedMap, new: dict[str, Any], shown: set[str] | None, order: list[str]) -> None:
    """Change `old` in place into `new`, keeping what did not change (and its comments). Keys
    outside `shown` (fields the form does not show) are kept as they are."""
    for k in list(old):
        if (shown is None or k in shown) and _empty(new.get(k)) and not _empty(old[k]):
            del old[k]  # cleared in the form (an empty value written in the file stays)
    for k, v in new.items():
        if _empty(v):
            continue
        if k in old:
            old[k] = _merged(old[k], v)
            continue
        rank = order.index(k) if k in order else len(order)
        at = sum(1 for o in old if (order.index(o) if o in order else len(order)) <= rank)
        old.insert(at, k, _fresh(v))


def _merged(old: Any, new: Any) -> Any:
    if old == new and isinstance(old, bool) == isinstance(new, bool):
        return old
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        merge(old, new, None, list(new))
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        for i, v in enumerate(new):
            if i < len(old):
                old[i] = _merged(old[i], v)
            else:
                old.append(_fresh(v))
        del old[len(new) :]
        return old
    if isinstance(old, ScalarString) and isinstance(new, str) and "\n" not in new:
        return type(old)(new)
    return _fresh(new)


def _fresh(value: Any) -> Any:
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    if isinstance(value, str) and _DATE.match(value):
        return DoubleQuotedScalarString(value)  # dates are quoted in the data files
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    return value


def _rt(style: ListStyle, width: int = 4096) -> YAML:
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = width
    rt.indent(mapping=2, sequence=style.key, offset=style.dash)
    return rt


def dump_item(key: str, item: Any, style: ListStyle, width: int = 4096) -> str:
    """The text of one list item of `key` in the file's style (without the `key:` line); ruamel
    leaves a space at the end of a folded line, which plain text does not need."""
    out = io.StringIO()
    _rt(style, width).dump({key: [item]}, out)
    return "\n".join(line.rstrip(" ") for line in out.getvalue().split("\n")[1:])


def _width(key: str, item: Any, style: ListStyle, original: list[str]) -> int:
    """The line width that writes the unchanged item as the file has it (long plain text is
    folded over lines at the width of the tool that wrote the file): unchanged text stays put."""
    if max(map(len, original), default=0) < 60:
        return 4096
    for width in (4096, 100, 80, 120, *range(60, 131)):
        if dump_item(key, item, style, width).rstrip("\n").split("\n") == original:
            return width
    return 4096


def replace_item(text: str, key: str, index: int, record: dict[str, Any], shown: set[str], where: str) -> str:
    """`text` with item `index` of list `key` changed into `record`, every other line as it was;
    the result is parsed again and must hold exactly the old data with that one item changed."""
    lines = text.split("\n")
    composed = yaml.compose(text, Loader=_Loader)
    pair = next(((k, v) for k, v in composed.value if k.value == key), None) if composed is not None else None
    if pair is None or not isinstance(pair[1], yaml.SequenceNode) or pair[1].flow_style:
        raise Refused(f"{where}: `{key}` is not a block list")
    items = pair[1].value
    style = _style(lines, items)
    doc = _rt(style).load(text)
    item = doc[key][index]
    if not isinstance(item, CommentedMap):
        raise Refused(f"{where}:{items[index].start_mark.line + 1}: the item is not a mapping")
    start = items[index].start_mark.line
    if index + 1 < len(items):
        end = items[index + 1].start_mark.line
    else:
        later = [k.start_mark.line for k, _ in composed.value if k.start_mark.line > start] if composed else []
        end = min(later) if later else len(lines)
    tail = end
    while tail > start and not lines[tail - 1].strip():
        tail -= 1  # keep the blank lines between items as they are
    width = _width(key, item, style, lines[start:tail])
    merge(item, record, shown, _order(key))
    block = dump_item(key, item, style, width).rstrip("\n").split("\n")
    new = "\n".join(lines[:start] + block + lines[tail:])
    before, after = yaml.load(text, Loader=_Loader), yaml.load(new, Loader=_Loader)
    written = yaml.load(f"{key}:\n" + "\n".join(block), Loader=_Loader)[key][0]
    before[key][index] = written
    if after != before or any(written.get(k) != v for k, v in record.items() if not _empty(v)):
        raise Refused(f"{where}: the item could not be rewritten safely; edit it in YAML")
    return new
