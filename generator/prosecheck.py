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

import yaml

from generator.errors import DataError, Problem
from generator.prose import CITE, TOKEN, Cite, parse_cites

LEDGER = "editions/prose-check.yaml"
# What a reading found: the seed passage states it; it did not and the sentence was rewritten (the
# ledger then holds the new text); a sentence that states no fact (a transition or the atlas's own
# count of its records, which the record pages cite).
VERDICTS = ("supported", "fixed", "no-fact")
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


@dataclass(frozen=True)
class Check:
    essay: str
    key: str
    line: int
    text: str
    cites: tuple[str, ...]
    passage: str  # where in the seed the reading compared it: "003 line 87", or why none
    verdict: str
    note: str = ""


def load_checks(root: Path) -> list[Check]:
    path = root / LEDGER
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return [
            Check(
                essay=str(e["essay"]),
                key=str(e["key"]),
                line=int(e["line"]),
                text=str(e["text"]),
                cites=tuple(str(c) for c in e.get("cites") or ()),
                passage=str(e["passage"]),
                verdict=str(e["verdict"]),
                note=str(e.get("note") or ""),
            )
            for e in data["checked"]
        ]
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as err:
        raise DataError(
            [Problem(LEDGER, 1, "checked", f"not a prose-check ledger ({err})", "see its header")]
        ) from None


def pending(root: Path) -> list[str]:
    """Essays the ledger names as not yet read a second time."""
    data = yaml.safe_load((root / LEDGER).read_text(encoding="utf-8"))
    return [str(e) for e in data.get("pending") or ()]
