"""The Jinja engine: one environment per templates folder, and template mistakes as file:line."""

from __future__ import annotations

import hashlib
import traceback
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.nodes
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.core.page import Page
from generator.errors import TemplateError
from generator.text import finalize, md, yaml_scalar


class Templates:
    """The templates of one project folder, checked for changes once per build."""

    def __init__(self, folder: Path, root: Path) -> None:
        self.root = root
        self.env = current_environment(folder.resolve())

    @property
    def stamp(self) -> list[tuple[str, bytes]]:
        """Every template file and its bytes (part of the preview's memo key)."""
        return list(getattr(self.env, "atlas_stamp", ()))

    def render(self, template: str, path: str, **ctx: Any) -> Page:
        try:
            return Page(path, self.env.get_template(template).render(**ctx))
        except jinja2.TemplateError as exc:
            raise self.error(exc, template, path) from None

    def error(self, exc: jinja2.TemplateError, template: str, path: str) -> TemplateError:
        """Name the template file and line of a template mistake, instead of a traceback."""
        file, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
        if line is None:  # a runtime error: Jinja puts the template's frames into the traceback
            for frame, lineno in traceback.walk_tb(exc.__traceback__):
                if frame.f_code.co_filename.endswith(".j2"):
                    file, line = frame.f_code.co_filename, lineno
        name = file or template
        if Path(name).is_absolute() and Path(name).is_relative_to(self.root):
            name = Path(name).relative_to(self.root).as_posix()
        elif not Path(name).is_absolute():
            name = f"templates/{name}"
        message = getattr(exc, "message", None) or str(exc)
        hint = "a value the template uses is not set for this page" if isinstance(exc, jinja2.UndefinedError) else None
        return TemplateError(f"{name}:{line or 1}: {message} (while rendering {path})", hint)


def current_environment(templates: Path) -> Environment:
    """The templates folder's environment, its compiled templates dropped if any file's bytes
    changed since the last build (a modification time can repeat within a clock tick; reading the
    twenty-odd templates once per build costs a millisecond, checking them per page cost 0.1 s)."""
    env = _environment(templates)
    stamp = sorted((p.as_posix(), p.read_bytes()) for p in templates.rglob("*") if p.is_file())
    if getattr(env, "atlas_stamp", None) != stamp:
        if env.cache is not None:
            env.cache.clear()
        _check_blocks(env, templates, stamp)
        env.atlas_stamp = stamp  # type: ignore[attr-defined]  # our own note on Jinja's object
    return env


def _check_blocks(env: Environment, templates: Path, stamp: list[tuple[str, bytes]]) -> None:
    """A page template extends templates/page.md.j2 and fills its blocks; Jinja silently drops
    whatever it holds outside a block, so an edit there would vanish. That is an error instead."""
    for path, data in stamp:
        if not path.endswith(".j2"):
            continue
        try:
            tree = env.parse(data.decode("utf-8"), path)
        except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
            continue  # reported with its line when the template is loaded
        if not any(isinstance(node, jinja2.nodes.Extends) for node in tree.body):
            continue
        for node in tree.body:
            if not isinstance(node, jinja2.nodes.Output):
                continue
            for part in node.nodes:
                if isinstance(part, jinja2.nodes.TemplateData):
                    if not part.data.strip():
                        continue
                    line = part.lineno + part.data[: len(part.data) - len(part.data.lstrip())].count("\n")
                else:
                    line = part.lineno
                name = Path(path).relative_to(templates.parent).as_posix()
                shown = " ".join(data.decode("utf-8").splitlines()[line - 1].split())[:80]
                raise TemplateError(
                    f"{name}:{line}: '{shown}' is outside every {{% block %}}: a template that extends "
                    "another shows only what its blocks hold",
                    "move it inside {% block body %} ... {% endblock %}",
                )


@lru_cache(maxsize=8)
def _environment(templates: Path) -> Environment:
    """One Jinja environment per templates folder, so the preview compiles templates once."""
    env = Environment(
        loader=FileSystemLoader(templates),
        undefined=StrictUndefined,
        finalize=finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # checked once per build instead, by current_environment
        bytecode_cache=_bytecode_cache(templates.parent / ".cache" / "jinja"),
    )
    env.filters["yaml"] = yaml_scalar
    # title/description in front matter reach Material's <title> and <meta> unescaped: escape here
    env.filters["fm"] = lambda value: yaml_scalar(md(value))
    return env


def _bytecode_cache(folder: Path) -> jinja2.BytecodeCache | None:
    """Jinja's own cache of compiled templates (like Python's __pycache__): a build after the
    first skips parsing and compiling the templates, a tenth of a clean build's rendering. Jinja
    checks each template's source checksum; the file names also carry a fingerprint of the
    environment's settings (this file) and Jinja's version, which change compiled code too."""
    stamp = hashlib.sha256(Path(__file__).read_bytes() + jinja2.__version__.encode()).hexdigest()[:12]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only checkout builds without the cache
    return jinja2.FileSystemBytecodeCache(str(folder), f"%s.{stamp}.cache")
