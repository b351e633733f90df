"""The coverage ledgers (data/coverage/<source id>.yaml), read for the public coverage page.

Each ledger lists, for one seed document, every passage that states a China-related security fact
about the five states, with the records that carry it or the reason it is left out. The load stage
skips the folder (they are not records); tests/test_coverage.py checks them against the seeds'
headings and the records. A ledger that does not parse, or breaks the model below, stops the build
with its file. The same model is the ledgers' JSON Schema (`schema/ledger.json`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator
from pydantic.config import JsonDict

from generator.errors import DataError, Problem
from generator.fieldtypes import Slug, Text

FOLDER = "data/coverage"
# Why an entry carries no record: one of these, optionally followed by ": " and an explanation, or
# "duplicate of <the locator of the entry that carries it>".
REASONS = (
    "not about China",
    "not about these states",
    "opinion without a fact",
    "summary of facts listed elsewhere",
    "not legible in the source text",
)
REASON_PATTERN = "^(" + "|".join(REASONS) + "|duplicate of .)"
_CONFIG = ConfigDict(extra="forbid", frozen=True)
# No errorMessage on the entry itself: yaml-language-server would show it for any fault of the
# entry (a missing or unknown field too), not only for this rule.
_ONE_OF: JsonDict = {"oneOf": [{"required": ["records"]}, {"required": ["excluded"]}]}


class Entry(BaseModel):
    """One passage of the seed: the records that carry its fact, or why none does (exactly one of
    `records` and `excluded`)."""

    model_config = ConfigDict(**_CONFIG, json_schema_extra=_ONE_OF)
    locator: Text = Field(description="Where in the seed: section and paragraph, table, figure or note.")
    fact: Text = Field(description="The fact the passage states, in the editors' own words.")
    records: tuple[Slug, ...] = Field(default=(), min_length=1, description="Ids of the records that carry the fact.")
    excluded: Annotated[
        str, Field(pattern=REASON_PATTERN, json_schema_extra={"errorMessage": f"one of: {'; '.join(REASONS)}"})
    ] = Field(
        default="",
        description="Why no record carries it: "
        + "; ".join(REASONS)
        + " (optionally `: why`), or `duplicate of <locator>`.",
    )

    @model_validator(mode="before")
    @classmethod
    def _one_of(cls, data: Any) -> Any:
        if isinstance(data, dict) and ("records" in data) == ("excluded" in data):
            raise ValueError("give exactly one of records or excluded")
        return data


class Ledger(BaseModel):
    model_config = _CONFIG
    source: Slug = Field(description="Id of the seed source the ledger covers.")
    entries: list[Entry] = Field(description="Every passage of the seed that could state a fact, in order.")
    _file: str = PrivateAttr(default="")

    @property
    def file(self) -> str:
        """Its path relative to the project root."""
        return self._file


class LedgerFile(BaseModel):
    """A coverage ledger file: `coverage:` with its source and entries."""

    model_config = _CONFIG
    coverage: Ledger


def load_ledgers(root: Path) -> list[Ledger]:
    out = []
    for path in sorted((root / FOLDER).glob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        try:
            st = path.stat()
            out.append(_ledger(str(path), rel, st.st_mtime_ns, st.st_size))
        except (yaml.YAMLError, ValidationError) as err:
            line = getattr(getattr(err, "problem_mark", None), "line", 0) + 1
            detail = str(err) if isinstance(err, yaml.YAMLError) else _first(err)
            problem = Problem(
                rel, line, "coverage", f"not a coverage ledger ({detail})", "see docs/editors/data-model.md"
            )
            raise DataError([problem]) from None
    return out


@lru_cache(maxsize=64)
def _ledger(path: str, rel: str, mtime_ns: int, size: int) -> Ledger:
    """A ledger, read once per version of its file: the preview builds the coverage page on every
    save, and parsing the five ledgers was a fifth of a second of each. Callers only read it."""
    ledger = LedgerFile.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8"))).coverage
    ledger._file = rel
    return ledger


def _first(err: ValidationError) -> str:
    e = err.errors()[0]
    return f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}"
