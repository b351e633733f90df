"""The one value that leaves the render stage: a file's path under docs/ and its text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    path: str  # relative to docs/, e.g. "atlas/records/x.md"
    text: str
