"""The second reading of the essays (issue #20, item 6): every sentence of `data/prose/`, the
citations that cover it, and the ledger `editions/prose-check.yaml` in which an editor records, for
each sentence, the seed passage read against it and the verdict.

A sentence is keyed by a hash of its text (citations and figure tokens included, spaces
normalised), so a sentence changed after its check no longer matches and needs a new reading.
A sentence without a citation of its own is covered by the next citation of its paragraph (the
text since the previous citation, as the notes render it); one after the paragraph's last
citation is covered by none.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.errors import DataError, Problem
from generator.prose import CITE, TOKEN, Cite, parse_cites

LEDGER = "editions/prose-check.yaml"
# What a reading found: the seed passage states it; it did not and the sentence was rewritten (the
# ledger then holds the new text); a sentence that states no fact (a transition or the atlas's own
# count of its records, which the record pages cite).
VERDICTS = ("supported", "fixed", "no-fact")  # the values of Check.verdict
# Full stops that do not end a sentence.
_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|U\.S|U\.N|Mr|Dr|St|No|vs|cf|al|p|pp)\.$")


@dataclass(frozen=True)
class Sentence:
    essay: str  # path of the essay, e.g. data/prose/countries/kazakhstan.md
    line: int  # line where the sentence starts
    text: str  # the sentence as written, spaces normalised
    cites: tuple[Cite, ...]  # its own citations, else those of the next citation in its paragraph

    @property
    def key(self) -> str:
        return digest(self.text)


def digest(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def _split(paragraph: str) -> list[tuple[int, str]]:
    """(offset, sentence) of a paragraph; citations and figures never split a sentence."""
    masked = TOKEN.sub(lambda m: "\0" * len(m.group(0)), paragraph)
    out, start = [], 0
    for m in re.finditer(r"[.!?][\"”')]*(?=\s+[A-Z\"“(\[À-Ý])", masked):
        if _ABBREVIATIONS.search(masked[start : m.start() + 1]):
            continue
        out.append((start, paragraph[start : m.end()]))
        start = m.end()
        while start < len(paragraph) and paragraph[start].isspace():
            start += 1
    if paragraph[start:].strip():
        out.append((start, paragraph[start:]))
    return out


def sentences(essay: str, text: str) -> list[Sentence]:
    """Every sentence of an essay's prose (headings, lists and tables included as written)."""
    out: list[Sentence] = []
    pos = 0
    for block in re.split(r"(\n\s*\n)", text):
        if not block.strip() or block.lstrip().startswith(("#", "|", "<", "---")):
            pos += len(block)
            continue
        parts = _split(block)
        own = [tuple(c for m in CITE.finditer(s) for c in parse_cites(m.group(1))[0]) for _, s in parts]
        for i, (offset, s) in enumerate(parts):
            cites = own[i]
            if not cites:
                cites = next((c for c in own[i + 1 :] if c), ())
            line = text.count("\n", 0, pos + offset) + 1
            out.append(Sentence(essay, line, " ".join(s.split()), cites))
        pos += len(block)
    return out


VERDICT_HELP = "supported (the passage states it), fixed (it did not; the sentence was rewritten) or no-fact"


class Check(BaseModel):
    """One sentence's second reading; the same model is the ledger's JSON Schema."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    essay: Annotated[
        str,
        Field(
            pattern=r"^data/prose/.+\.md$",
            description="Path of the essay, e.g. data/prose/countries/kazakhstan.md.",
            json_schema_extra={"errorMessage": "the path of an essay, e.g. data/prose/countries/kazakhstan.md"},
        ),
    ]
    line: int = Field(ge=1, description="Line where the sentence starts.")
    key: Annotated[
        str,
        Field(
            pattern="^[0-9a-f]{16}$",
            description="Hash of the sentence as checked (see generator/prosecheck.py).",
            json_schema_extra={
                "errorMessage": "16 lowercase hexadecimal digits: the hash tools/prose_check_draft.py prints"
            },
        ),
    ]
    text: str = Field(description="The sentence's opening words.")
    cites: tuple[str, ...] = Field(default=(), description="The citations that cover it, as `source-id, locator`.")
    passage: str = Field(
        description='Where in the seed it was compared ("003 L453": line 453 of seed 003), or why none.'
    )
    verdict: Literal["supported", "fixed", "no-fact"] = Field(description=VERDICT_HELP)
    note: str = Field(default="", description="For `fixed`: what was wrong.")


class ProseCheckFile(BaseModel):
    """editions/prose-check.yaml: the checked sentences and the essays not read yet."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    checked: list[Check] = Field(description="One entry per checked sentence.")
    pending: list[str] = Field(default=[], description="Essays (paths) not yet read a second time.")


def _ledger(root: Path) -> ProseCheckFile:
    path = root / LEDGER
    try:
        return ProseCheckFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as err:
        raise DataError(
            [Problem(LEDGER, 1, "checked", f"not a prose-check ledger ({err})", "see its header")]
        ) from None


def load_checks(root: Path) -> list[Check]:
    return _ledger(root).checked


def pending(root: Path) -> list[str]:
    """Essays the ledger names as not yet read a second time."""
    return _ledger(root).pending
