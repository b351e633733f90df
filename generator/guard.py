"""The trust boundary for what contributors write outside `data/`: the editors' pages in `docs/`,
the essays in `data/prose/`, `templates/`, `editions/` and the settings in `mkdocs.yml`.

mkdocs publishes whatever `docs/` holds and follows symbolic links while doing it, and
Python-Markdown passes raw HTML through unchanged. So before anything is built:

- every folder is walked without following links: a link whose target lies outside its folder,
  and anything that is not a regular file or folder (a FIFO would block the build), is refused;
- snippet lines (`--8<-- "file"`) may name only regular files inside `docs/`;
- contributors' Markdown is rendered as mkdocs renders it and compared with what the nh3
  allow-list sanitizer (Ammonia) keeps of it: a script, an event handler, a `javascript:` link or
  a `style` attribute is an error at the block's line, not something a reader's browser runs;
- front-matter titles and descriptions and the site's settings are plain text, and every
  address a setting gives is an http(s) URL.

Each problem names the file and line (or the setting) and says what to do instead.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from generator import rawhtml
from generator.errors import Problem, visible
from generator.fieldtypes import URL_PATTERN
from generator.readers import (  # noqa: F401  (guard.read_json etc. are its callers' names)
    ID,
    MAX_JSON_BYTES,
    MAX_SETTINGS_BYTES,
    MAX_TEMPLATE_BYTES,
    MAX_UNPACKED_BYTES,
    decode,
    read_bytes,
    read_json,
    yaml_problems,
)

# --- text that goes into a message ---------------------------------------------------------------


def _name(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


# --- files and links ------------------------------------------------------------------------------


def tree_problems(folder: Path, root: Path, *, skip: Iterable[Path] = (), hidden: bool = False) -> list[Problem]:
    """Links that leave `folder`, and entries that are neither regular files nor folders.

    The walk never follows a link; `skip` folders (the generator's own output) are not entered,
    nor hidden entries unless `hidden` (mkdocs does not publish them)."""
    if not folder.is_dir():
        return []
    real = Path(os.path.realpath(folder))
    skipped = {Path(os.path.realpath(p)) for p in skip}
    out: list[Problem] = []
    for here, dirs, files in os.walk(folder, followlinks=False):
        base = Path(here)
        if Path(os.path.realpath(base)) in skipped:
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if hidden or not d.startswith("."))
        for entry in [*dirs, *sorted(f for f in files if hidden or not f.startswith("."))]:
            problem = entry_problem(base / entry, folder, real, root)
            if problem is not None:
                out.append(problem)
                if entry in dirs:
                    dirs.remove(entry)
    return out


def entry_problem(path: Path, folder: Path, real: Path, root: Path) -> Problem | None:
    """Why `path` (inside `folder`, whose real path is `real`) must not be read, or None."""
    name = visible(_name(path, root))
    where = visible(_name(folder, root)) + "/"
    try:
        info = os.lstat(path)
    except OSError as exc:
        return Problem(name, 1, "file", f"cannot be read ({exc.strerror})", "check the file's permissions")
    if stat.S_ISLNK(info.st_mode):
        target = Path(os.path.realpath(path))
        if not target.is_relative_to(real):
            return Problem(
                name,
                1,
                "file",
                f"symbolic link to {visible(os.readlink(path))}, outside {where}: it would publish a file "
                "from elsewhere on this machine, so it is refused",
                f"copy the file into {where} instead of linking to it, or delete the link",
            )
        try:
            info = os.stat(path)
        except OSError:
            return Problem(name, 1, "file", f"broken symbolic link to {visible(os.readlink(path))}", "delete the link")
    if stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode):
        return None
    return Problem(
        name,
        1,
        "file",
        "not a regular file (a pipe, socket or device): reading it could block the build",
        "delete it; only ordinary files and folders belong here",
    )


def regular_file(path: Path, inside: Path) -> bool:
    """`path` resolves to a regular file inside `inside`."""
    target = Path(os.path.realpath(path))
    if not target.is_relative_to(Path(os.path.realpath(inside))):
        return False
    try:
        return stat.S_ISREG(os.stat(target).st_mode)
    except OSError:
        return False


# --- snippet lines ----------------------------------------------------------------------------------

_SNIPPET_LINE = re.compile(r"^\s*(?P<escape>;)?-{1,}8<-{1,}\s*(?P<rest>.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def snippet_targets(text: str) -> Iterator[tuple[int, str]]:
    """(line, path) of every file a pymdownx.snippets line includes, single-line and block forms."""
    block = False
    fenced = False
    for n, line in enumerate(text.splitlines(), 1):
        if not block and _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        m = _SNIPPET_LINE.match(line)
        if m and not m.group("escape"):
            rest = m.group("rest").strip()
            if not rest:
                block = not block
                continue
            yield n, rest.strip("'\"").split(":")[0] if rest[:1] in "'\"" else rest
            continue
        if block and line.strip() and not line.lstrip().startswith(";"):
            yield n, line.strip()


def snippet_problems(text: str, name: str, first_line: int, docs_dir: Path, generated: Iterable[Path]) -> list[Problem]:
    """Snippets may include the generator's pieces or Markdown pages of docs/ (checked themselves);
    never a file outside docs/, a link out of it, or a file that is not a regular file."""
    out: list[Problem] = []
    generated = list(generated)
    for n, target in snippet_targets(text):
        line = first_line + n - 1
        where = "snippet"
        if "://" in target:
            out.append(Problem(name, line, where, f"'{visible(target)}' is a web address", "include files only"))
            continue
        path = docs_dir / target
        lexical = Path(os.path.normpath(path))
        if any(lexical.is_relative_to(os.path.normpath(g)) for g in generated):
            continue  # a piece the generator writes (it may not exist before the first build)
        real = Path(os.path.realpath(path))
        if not regular_file(path, docs_dir):
            out.append(
                Problem(
                    name,
                    line,
                    where,
                    f"'{visible(target)}' is not a file inside docs/ (snippets are read from docs/ only)",
                    "name a file under docs/, e.g. atlas/cite/<page>.html; never a link to a file elsewhere",
                )
            )
        elif real.suffix != ".md":
            out.append(
                Problem(
                    name,
                    line,
                    where,
                    f"'{visible(target)}' is not a generated piece or a Markdown page",
                    "include only pieces the generator writes (atlas/...) or .md files, which are checked like pages",
                )
            )
    return out


# --- plain-text values: front matter and settings -------------------------------------------------------

_NOT_PLAIN = re.compile(r"[<>\"`\x00-\x08\x0b-\x1f\x7f]")
_URL = re.compile(URL_PATTERN)


def plain_problem(value: Any, name: str, line: int, where: str) -> Problem | None:
    """A title, description or name is printed into the page's head and header as it is: no
    markup characters, no control characters."""
    if value is None:
        return None
    if not isinstance(value, str):
        return Problem(name, line, where, f"must be text, not {type(value).__name__}", "write it as plain text")
    if m := _NOT_PLAIN.search(value):
        return Problem(
            name,
            line,
            where,
            f"'{visible(value)}' contains {visible(repr(m.group(0)))}: titles and descriptions are plain text",
            "leave out < > \" ` and control characters (write 'less than' or use typographic quotes)",
        )
    return None


def url_problem(value: Any, name: str, line: int, where: str) -> Problem | None:
    if value is None or (isinstance(value, str) and _URL.match(value)):
        return None
    return Problem(
        name,
        line,
        where,
        f"'{visible(str(value))}' is not a web address",
        "write an address starting with http:// or https://",
    )


def front_matter_problems(meta: dict[str, Any], name: str, lines: dict[str, int]) -> list[Problem]:
    out = []
    for key in ("title", "description", "subtitle"):
        if key in meta and (p := plain_problem(meta[key], name, lines.get(key, 1), key)):
            out.append(p)
    return out


_SETTINGS_TEXT = ("site_name", "site_description", "site_author", "repo_name", "edit_uri")
_SETTINGS_URL = ("site_url", "repo_url")


def settings_problems(raw: dict[str, Any], text: str, name: str = "mkdocs.yml") -> list[Problem]:
    """The values of mkdocs.yml that the theme prints into every page."""

    def line(key: str) -> int:
        m = re.search(rf"(?m)(^\s*|[{{,]\s*){re.escape(key)}\s*:", text)
        return text.count("\n", 0, m.start()) + 1 if m else 1

    out: list[Problem | None] = []
    out += [plain_problem(raw.get(k), name, line(k), k) for k in _SETTINGS_TEXT]
    out += [url_problem(raw.get(k), name, line(k), k) for k in _SETTINGS_URL]
    if isinstance(raw.get("copyright"), str) and rawhtml.unsafe(raw["copyright"]):
        out.append(rawhtml._html_problem(name, line("copyright"), raw["copyright"]))
    extra = _mapping(raw.get("extra"))
    report = _mapping(extra.get("report_error"))
    out.append(url_problem(report.get("url"), name, line("url"), "extra.report_error.url"))
    out.append(plain_problem(report.get("label"), name, line("label"), "extra.report_error.label"))
    atlas = _mapping(extra.get("atlas"))
    for key in ("publisher", "edition", "edition_date"):
        out.append(plain_problem(atlas.get(key), name, line(key), f"extra.atlas.{key}"))
    return [p for p in out if p is not None]


def _mapping(value: Any) -> dict[str, Any]:
    """`value` if it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


# --- front matter ---------------------------------------------------------------------------------------

MAX_FRONT_MATTER = 16_000


def front_matter(text: str, name: str) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
    """The page's front matter (mkdocs' `---` block), the line of each key, and its problems.
    Read with the safe loader, size-capped, no anchors, never a traceback."""
    m = rawhtml.FRONT_MATTER.match(text)
    if not m:
        return {}, {}, []
    block = m.group(0)
    if len(block) > MAX_FRONT_MATTER:
        return {}, {}, [Problem(name, 1, "front matter", "is too long", "keep the front matter to a few short lines")]
    inner = m.group(1)
    try:
        for event in yaml.parse(inner, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = event.start_mark.line + 2 if event.start_mark is not None else 2
                return (
                    {},
                    {},
                    [
                        Problem(
                            name,
                            line,
                            "front matter",
                            "anchors and aliases (&a, *a) are not allowed",
                            "write each value out",
                        )
                    ],
                )
        node = yaml.compose(inner, Loader=yaml.SafeLoader)
        data = yaml.safe_load(inner)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is None or mark.line >= inner.count("\n"):  # at the end: where the open construct began
            mark = getattr(exc, "context_mark", None) or mark
        line = 1 + (mark.line + 1 if mark is not None else 1)
        problem = getattr(exc, "problem", None) or "is not valid YAML"
        return {}, {}, [Problem(name, line, "front matter", visible(str(problem)), "write it as `key: value` lines")]
    if data is None:
        return {}, {}, []
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return {}, {}, [Problem(name, 2, "front matter", "must be `key: value` lines", "write it as `title: ...`")]
    lines = {str(k.value): k.start_mark.line + 2 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    return {str(k): v for k, v in data.items()}, lines, []


# --- all of it ------------------------------------------------------------------------------------------------

MAX_PAGE_BYTES = 2_000_000


def read_page(path: Path, name: str) -> tuple[str | None, list[Problem]]:
    """An editor's page or essay: a regular file, size-capped, UTF-8, no control characters."""
    raw, problems = read_bytes(path, name, MAX_PAGE_BYTES, kind="a page must be an ordinary .md file", split="split it")
    if raw is None:
        return None, problems
    text, problems = decode(raw, name)
    if text is None:
        return None, problems
    if m := re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]", text):
        line = text.count("\n", 0, m.start()) + 1
        return None, [
            Problem(name, line, "file", f"control character U+{ord(m.group(0)):04X} is not allowed", "delete it")
        ]
    return text, []


def page_problems(
    text: str,
    name: str,
    docs_dir: Path,
    generated: Iterable[Path],
    *,
    first_line: int = 1,
    extensions: tuple[tuple[str, str], ...] = (),
) -> list[Problem]:
    """Front matter, snippet lines and raw HTML of one editor's page or essay."""
    meta, lines, out = front_matter(text, name)
    out += front_matter_problems(meta, name, lines)
    out += snippet_problems(text, name, first_line, docs_dir, generated)
    out += rawhtml.html_problems(text, name, first_line, extensions)
    return out


def folders_problems(root: Path, docs_dir: Path, generated: Iterable[Path], data_dir: Path) -> list[Problem]:
    """Links out and special files in every folder the build reads besides data/'s YAML."""
    out = tree_problems(docs_dir, root, skip=generated)
    for folder in (root / "templates", root / "editions", data_dir / "prose"):
        out += tree_problems(folder, root, hidden=True)
    return out


# --- the other inputs: templates, editions/ (manifests, snapshots, redirects), mkdocs.yml ------------


def template_problems(root: Path) -> list[Problem]:
    """Every file under templates/: a regular file, size-capped, UTF-8 (Jinja and the theme read them)."""
    out: list[Problem] = []
    folder = root / "templates"
    if not folder.is_dir():
        return out
    for here, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for f in sorted(files):
            path = Path(here) / f
            if path.is_symlink():
                continue  # tree_problems decides about links
            raw, trouble = read_bytes(path, _name(path, root), MAX_TEMPLATE_BYTES)
            out += trouble
            if raw is not None and path.suffix in (".j2", ".html", ".md", ".txt", ".xml", ".js", ".css"):
                out += decode(raw, _name(path, root))[1]
    return out
