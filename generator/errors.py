"""The generator's small exception family, and the one shape of a data problem."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, pointing at the file and line an editor must change."""

    file: str
    line: int
    where: str
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        """One line; untrusted text in it (a crafted id, a path) shows its control characters as
        escapes, so a message cannot clear the terminal or fake an "OK" line."""
        text = f"{self.file}:{self.line}: {self.where}: {self.message}"
        return visible(f"{text} (hint: {self.hint})" if self.hint else text, limit=100_000)


class AtlasError(Exception):
    """Base of every error the generator reports to the editor instead of a traceback."""


class DataError(AtlasError):
    """The data has problems; carries all of them, sorted by file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} problem(s) in the data")

    def __reduce__(self) -> tuple[type[DataError], tuple[list[Problem]]]:
        return (DataError, (self.problems,))  # raised in a render worker, re-raised in the build

    def report(self, limit: int = 200) -> str:
        """Every problem, up to `limit` (a junk file can hold hundreds of thousands)."""
        lines = [str(p) for p in self.problems[:limit]]
        more = len(self.problems) - limit
        if more > 0:
            lines.append(f"... and {more} more problem(s) not shown; fix the ones above first.")
        lines.append(f"{len(self.problems)} problem(s) found; nothing was written.")
        return "\n".join(lines)


class WriteError(AtlasError):
    """The writer was asked to do something unsafe (write outside its folder, twice, ...)."""


class TemplateError(AtlasError):
    """A template has a mistake: names its file and line."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message + (f" (hint: {hint})" if hint else ""))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str, limit: int = 80) -> str:
    """Untrusted text made safe to print in a terminal or a page: control and bidirectional
    characters shown as escapes (a crafted name cannot clear the screen or fake a line)."""
    shown = _CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
