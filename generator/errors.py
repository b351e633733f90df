"""The generator's small exception family, and the one shape of a data problem."""

from __future__ import annotations

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
        text = f"{self.file}:{self.line}: {self.where}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text


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
