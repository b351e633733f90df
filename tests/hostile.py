"""The hostile-text atlas: the fixture atlas with attack text in every text field of every entity.

Rather than list fields by hand (and miss the next one added), every string value of every item is
replaced by the payload wherever the item still validates with it: ids, references, dates, codes
and URLs keep their values because their own checks refuse the payload. Titles of records with
places carry it too, so it reaches the maps' data and popups.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from generator.load import load_data
from generator.schema import ENTITY_KINDS, RECORD_KINDS
from tests.conftest import make_project

MARK = "ssti {{ 7*7 }}"  # must show as typed; "ssti 49" means a template ran it
PAYLOAD = (
    MARK + ' {# c #} {% raw %} {#1 <script>window.pw=1</script>"><img src=x onerror=window.pw=2>'
    " ${window.pw=3} `b` </script> | p | javascript:alert(1) =cmd"
)
SAFE_KEYS = {"id"}


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [p for k, v in data.items() if k not in SAFE_KEYS for p in _leaves(v, (*path, k))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _leaves(v, (*path, i))]
    return [path] if isinstance(data, str) else []


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    for part in path[:-1]:
        data = data[part]
    old = data[path[-1]]
    data[path[-1]] = value
    return old


def poison(item: dict[str, Any], model: Any) -> int:
    """Put PAYLOAD into every string of `item` that the model accepts it in; return how many."""
    count = 0
    for path in _leaves(item):
        old = _set(item, path, PAYLOAD)
        try:
            model.model_validate(item)
            count += 1
        except ValidationError:
            _set(item, path, old)
    return count


def hostile_project(dest: Path) -> Path:
    root = make_project(dest)
    loaded = load_data(root / "data", root)
    files: dict[str, dict[str, list[Any]]] = {}
    for item in loaded.items:
        model = RECORD_KINDS.get(item.key) or ENTITY_KINDS.get(item.key)
        assert model is not None, item.key
        data = copy.deepcopy(item.data)  # the loader keeps parsed items for the next load
        poison(data, model)
        files.setdefault(item.file, {}).setdefault(item.key, []).append(data)
    for name, content in files.items():
        (root / name).write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root
