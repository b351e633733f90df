"""Escaping for every context a YAML string can reach: Markdown+HTML, attributes, JSON in HTML."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from markupsafe import Markup

# Characters that Markdown, attr_list or HTML would interpret. Entities survive Python-Markdown
# untouched and the browser shows the character, so YAML text can never become markup or a link.
_MD = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
    "\\": "&#92;",
    "`": "&#96;",
    "*": "&#42;",
    "_": "&#95;",
    "[": "&#91;",
    "]": "&#93;",
    "|": "&#124;",
    "{": "&#123;",
    "}": "&#125;",
    "#": "&#35;",
    "$": "&#36;",
    "~": "&#126;",
    "^": "&#94;",
    "=": "&#61;",
    "+": "&#43;",
}
_MD_RE = re.compile("[" + re.escape("".join(_MD)) + "]")
_WS = re.compile(r"\s+")


def md(value: Any) -> str:
    """Escape any value for Markdown text, table cells and HTML (one line)."""
    if isinstance(value, Markup):  # checked first: Markup("x") == "x", so it must not reach the cache
        return str(value)
    return _md_text(value) if type(value) is str else _md_text(str(value))


@lru_cache(maxsize=1 << 16)
def _md_text(value: str) -> str:
    """The same titles and names are escaped on every page that lists them: once is enough."""
    text = _WS.sub(" ", value).strip()
    return _MD_RE.sub(lambda m: _MD[m.group(0)], text)


def finalize(value: Any) -> Any:
    """Jinja `finalize`: every `{{ }}` is escaped unless the code marked it as Markup."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return md(value)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """OWASP's defence against CSV (formula) injection: a text cell that a spreadsheet would read
    as a formula gets a leading apostrophe, so it shows as text. Numbers stay numbers; JSON and
    GeoJSON downloads keep the text exactly as it is."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def json_records(rows: list[Any]) -> str:
    """A JSON array with one record per line: readable, diffs line by line, and written by the C
    encoder (an indented dump goes through json's pure-Python one, several times slower)."""
    return joined_json([json.dumps(r, ensure_ascii=False) for r in rows])


def joined_json(lines: list[str]) -> str:
    """`json_records` from records already serialised, one per line."""
    if not lines:
        return "[]\n"
    return "[\n" + ",\n".join(lines) + "\n]\n"


def json_for_html(data: Any) -> str:
    """JSON that is safe inside <script> and HTML attributes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def yaml_scalar(value: Any) -> Markup:
    """A front-matter value (JSON is valid YAML)."""
    return Markup(json.dumps(value, ensure_ascii=False))


def fmt_number(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")


def lang_names(names: dict[str, str], sep: str = "; ") -> Markup:
    """Names in other scripts, each in a span with its language (screen readers pick the voice,
    search finds the page by any of them). A name shared by two languages is shown once."""
    seen: set[str] = set()
    spans = []
    for lang, name in names.items():
        if name in seen:
            continue
        seen.add(name)
        spans.append(f'<span lang="{md(lang)}">{md(name)}</span>')
    return Markup(sep.join(spans))
