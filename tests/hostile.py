"""The hostile-text atlas: the fixture atlas with attack text in every text field of every entity.

Rather than list fields by hand (and miss the next one added), every string value of every item is
replaced by the payload wherever the item still validates with it: ids, references, dates, codes
and URLs keep their values because their own checks refuse the payload. Titles of records with
places carry it too, so it reaches the maps' data and popups.
"""

from __future__ import annotations

import copy
import json
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
    _contributions(root)
    return root


# What an editor may write outside data/'s YAML and the guard accepts, each a payload that runs
# (sets window.__pwned or opens a dialog) wherever it lands unescaped: the settings, a page's front
# matter, Markdown that shows markup as text (code, escapes, entities), links with quotes in them.
PWN = "window.__pwned"
SETTINGS = {
    "site_name": f"Atlas & Co's {{{{ 7*7 }}}} ';{PWN}=1;//",
    "site_description": f"Desc ' onmouseover={PWN}=2 x=' ${{{PWN}=3}}",
    "publisher": f"Pub ';{PWN}=4;// & {{% raw %}}",
}
FRONT_MATTER = f'title: "About \';{PWN}=5;// & {{{{ 7*7 }}}}"\ndescription: "d \' onfocus={PWN}=6 autofocus x=\'"\n'
MARKDOWN = f"""
Code shows markup as text: `<script>{PWN}=7</script>` and `<img src=x onerror=alert(1)>`.

```html
<script>{PWN}=8</script><img src=x onerror="{PWN}=9">
```

Entities: &lt;script&gt;{PWN}=10&lt;/script&gt; and &lt;img src=x onerror=alert(1)&gt;.

A [link with quotes](https://example.org/?q=%22onmouseover=alert(1)%22 "title ' onmouseover={PWN}=11 '").

    <svg onload="{PWN}=12">indented code</svg>
"""


def _contributions(root: Path) -> None:
    cfg = root / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    text = text.replace(
        "site_name: Fixture Atlas",
        f"site_name: {json.dumps(SETTINGS['site_name'])}\nsite_description: {json.dumps(SETTINGS['site_description'])}",
    )
    text = text.replace("publisher: Fixture editors", f"publisher: {json.dumps(SETTINGS['publisher'])}")
    cfg.write_text(text, encoding="utf-8")
    about = root / "docs" / "about.md"
    about.write_text(f"---\n{FRONT_MATTER}---\n" + about.read_text(encoding="utf-8") + MARKDOWN, encoding="utf-8")
    for essay in ("methodology.md", "topics/exercises.md", "countries/kyrgyzstan.md"):
        path = root / "data" / "prose" / essay
        path.write_text(path.read_text(encoding="utf-8") + MARKDOWN, encoding="utf-8")
