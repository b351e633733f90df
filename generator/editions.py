"""Editions: released manifests of every record's content hash, and what the build derives from them.

`python -m generator release 2026.12` writes `editions/2026.12.json` (the manifest: each record's
hash and title) and `editions/2026.12.records.json.gz` (the records as they were, for the
per-edition downloads). From the manifests the build derives each record's history ("first
published in", "last changed in"), one changelog per edition, and the "unreleased changes"
notice. `editions/redirects.yaml` lists every id that was removed or renamed: an id in a released
manifest must stay a record or be listed there (`check_ids`), so a citation never meets a 404.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError
from pydantic.config import JsonDict

from generator import guard
from generator.errors import DataError, Problem, visible
from generator.model import Atlas
from generator.schema import Record

EDITION_RE = re.compile(r"\d{4}\.(0[1-9]|1[0-2])(\.[1-9]\d{0,2})?")  # matched whole (fullmatch)
UNRELEASED = "unreleased"


# How load_redirects checks the values below, told to the JSON Schema (schema/redirects.json) too.
_RECORD_ID: JsonDict = {
    "pattern": f"^{guard.ID.pattern}$",
    "maxLength": 120,
    "errorMessage": "a record id: lowercase letters, digits and single hyphens, e.g. mtg-kz-2019-05-01",
}
_EDITION: JsonDict = {
    "pattern": f"^{EDITION_RE.pattern}$",
    "errorMessage": 'an edition in quotes, "YYYY.MM", e.g. "2026.12"',
}


class Redirect(BaseModel):
    """A record id that no longer exists: where it went, or why it was withdrawn."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(description="The record id that is gone.", json_schema_extra=_RECORD_ID)
    status: Literal["withdrawn", "merged", "renamed"] = Field(
        description="withdrawn (removed), merged (into `to`) or renamed (to `to`)."
    )
    edition: str = Field(description="The first edition without the record.", json_schema_extra=_EDITION)
    to: str | None = Field(
        default=None, description="The record that replaces it (merged, renamed).", json_schema_extra=_RECORD_ID
    )
    reason: str | None = Field(default=None, description="Why, in a few words.")
    _line: int = PrivateAttr(default=1)  # its line in editions/redirects.yaml

    @property
    def line(self) -> int:
        return self._line


@dataclass(frozen=True)
class Edition:
    name: str
    date: str  # ISO date of release
    records: dict[str, dict[str, str]]  # id -> {"hash": ..., "title": ...}

    @property
    def key(self) -> tuple[int, ...]:
        return tuple(int(x) for x in self.name.split("."))


@dataclass(frozen=True)
class History:
    first: str | None  # edition that first published the record (None: not yet released)
    last_changed: str | None  # latest edition whose content of the record differs from the one before
    changes: tuple[tuple[str, str], ...]  # (edition, "added" | "changed"), oldest first
    unreleased: bool  # the working data differs from the latest edition


@dataclass(frozen=True)
class Changes:
    edition: str
    date: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)  # ids gone since the previous edition
    titles: dict[str, str] = field(default_factory=dict)


def record_hash(r: Record) -> str:
    """A stable hash of everything a record says (its JSON form, keys sorted)."""
    # exclude_defaults: a new optional field in the schema does not make every record "changed"
    data = json.dumps(r.model_dump(mode="json", exclude_defaults=True), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def editions_dir(root: Path) -> Path:
    return root / "editions"


def load_editions(root: Path) -> list[Edition]:
    """The released manifests, each checked (guard.read_json: size, UTF-8, nesting) and its shape
    validated; any problem is a DataError naming the file and line."""
    out, problems = [], []
    folder = editions_dir(root)
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        edition, trouble = _manifest(path, f"editions/{path.name}")
        problems += trouble
        if edition is not None:
            out.append(edition)
    if problems:
        raise DataError(problems)
    return sorted(out, key=lambda e: e.key)


_HASH = re.compile(r"[0-9a-f]{16}")


def _manifest(path: Path, name: str) -> tuple[Edition | None, list[Problem]]:
    hint = "restore the file from the release commit (git checkout editions/); manifests are never edited"
    if not EDITION_RE.fullmatch(path.stem):
        return None, [
            Problem(name, 1, "file", f"'{visible(path.name)}' is not named like an edition (YYYY.MM.json)", hint)
        ]
    raw, problems = guard.read_json(path, name)
    if problems:
        return None, problems
    if not isinstance(raw, dict) or not isinstance(raw.get("records"), dict):
        return None, [Problem(name, 1, "manifest", "must be an object with edition, date and records", hint)]
    if raw.get("edition") != path.stem:
        return None, [Problem(name, 1, "edition", f"must be '{path.stem}', as the file is named", hint)]
    if not isinstance(raw.get("date"), str) or _real_date(raw["date"]) is None:
        return None, [Problem(name, 1, "date", f"{visible(repr(raw.get('date')))} is not a date YYYY-MM-DD", hint)]
    text = path.read_text(encoding="utf-8", errors="replace")
    records: dict[str, dict[str, str]] = {}
    for rid, entry in raw["records"].items():
        ok = (
            guard.ID.fullmatch(rid)
            and len(rid) <= 120
            and isinstance(entry, dict)
            and isinstance(entry.get("hash"), str)
            and _HASH.fullmatch(entry["hash"])
            and isinstance(entry.get("title"), str)
        )
        if not ok:
            at = text.find(json.dumps(rid, ensure_ascii=False))
            line = text.count("\n", 0, at) + 1 if at >= 0 else 1
            problems.append(
                Problem(
                    name, line, f"records.{visible(rid)}", "needs a valid id, a 16-digit `hash` and a `title`", hint
                )
            )
            continue
        records[rid] = {"hash": entry["hash"], "title": entry["title"]}
    return (None if problems else Edition(path.stem, raw["date"], records)), problems


def _real_date(text: str) -> date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        return None


REDIRECTS_HINT = (
    "each entry is `- {id: old-id, status: withdrawn|merged|renamed, edition: 'YYYY.MM', to: new-id, reason: ...}`"
)


def load_redirects(root: Path) -> dict[str, Redirect]:
    """editions/redirects.yaml through the data files' guards (size, UTF-8, control characters,
    no aliases or tags, nesting), each entry validated at its line; a DataError otherwise."""
    from generator import load, yamlevents

    path = editions_dir(root) / "redirects.yaml"
    name = "editions/redirects.yaml"
    if not path.exists() and not path.is_symlink():
        return {}
    problems: list[Problem] = []
    text = load._read_text(path, name, problems) if guard.regular_file(path, root) else None
    if text is None:
        raise DataError(problems or [Problem(name, 1, "file", "not a regular file inside the project", "")])
    if not yamlevents.check_events(text, name, problems):
        raise DataError(problems)
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if node is None:
        return {}
    top = {k.value: v for k, v in node.value} if isinstance(node, yaml.MappingNode) else None
    if top is None or set(top) != {"redirects"} or not isinstance(top["redirects"], yaml.SequenceNode):
        raise DataError([Problem(name, node.start_mark.line + 1, "redirects", "must be `redirects:` and a list", "")])
    out: dict[str, Redirect] = {}
    build = load._Builder(name, problems)
    for i, item in enumerate(top["redirects"].value):
        line = item.start_mark.line + 1
        entry = build.construct(item, (), {}, f"redirects[{i}]")
        try:
            r = Redirect.model_validate(entry)
            r._line = line
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(x) for x in err["loc"])
            problems.append(Problem(name, line, f"redirects[{i}]", f"{where}: {err['msg']}", REDIRECTS_HINT))
            continue
        for field_name in ("id", "to"):
            value = getattr(r, field_name)
            if value is not None and not (guard.ID.fullmatch(value) and len(value) <= 120):
                problems.append(
                    Problem(
                        name,
                        line,
                        f"redirects[{i}].{field_name}",
                        f"'{visible(value)}' is not a record id",
                        "use lowercase letters, digits and single hyphens",
                    )
                )
        if not EDITION_RE.fullmatch(r.edition):
            problems.append(
                Problem(name, line, f"redirects[{i}].edition", f"'{visible(r.edition)}' is not an edition", "YYYY.MM")
            )
        if r.id in out:
            problems.append(Problem(name, line, f"redirects[{i}].id", f"'{r.id}' is listed twice", "keep one"))
        out[r.id] = r
    if problems:
        raise DataError(problems)
    return out


def input_problems(root: Path) -> list[Problem]:
    """Every problem of editions/: manifests, snapshots, redirects (checked before anything is built)."""
    problems: list[Problem] = []
    try:
        found = load_editions(root)
    except DataError as exc:
        problems += exc.problems
        found = []
    for e in found:
        try:
            load_snapshot(root, e.name)
        except DataError as exc:
            problems += exc.problems
    try:
        load_redirects(root)
    except DataError as exc:
        problems += exc.problems
    return problems


def check_ids(atlas: Atlas, editions: list[Edition], redirects: dict[str, Redirect]) -> list[str]:
    """Every id ever released is a record or has a redirect; a redirected id is never reused."""
    problems = []
    released = {rid for e in editions for rid in e.records}
    for rid in sorted(released - set(atlas.records) - set(redirects)):
        problems.append(
            f"editions/redirects.yaml: record '{rid}' was published in an edition but is gone from data/ "
            "(add it to editions/redirects.yaml as withdrawn, merged or renamed, or restore it)"
        )
    for rid, r in sorted(redirects.items()):
        if rid in atlas.records:
            problems.append(
                f"editions/redirects.yaml:{r.line}: id '{rid}' is redirected but also used by a record"
                " (ids are never reused)"
            )
        if r.status != "withdrawn" and (r.to is None or r.to not in atlas.records):
            problems.append(
                f"editions/redirects.yaml:{r.line}: '{rid}' is {r.status} into '{visible(str(r.to))}', which is not a record"
            )
    return problems


def histories(atlas: Atlas, editions: list[Edition]) -> dict[str, History]:
    out = {}
    current = {rid: record_hash(r) for rid, r in atlas.records.items()}
    latest = editions[-1] if editions else None
    for rid, h in current.items():
        changes: list[tuple[str, str]] = []
        before: str | None = None
        for e in editions:
            entry = e.records.get(rid)
            now = entry["hash"] if entry else None
            if now is not None and now != before:
                changes.append((e.name, "added" if before is None else "changed"))
            before = now
        unreleased = latest is None or latest.records.get(rid, {}).get("hash") != h
        out[rid] = History(
            first=next((e for e, what in changes if what == "added"), None),
            last_changed=changes[-1][0] if changes else None,
            changes=tuple(changes),
            unreleased=unreleased,
        )
    return out


def _diff(edition: str, date: str, before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> Changes:
    """Records added, changed (by content hash) and withdrawn between two manifests' records."""
    c = Changes(edition, date)
    for rid, entry in after.items():
        if rid not in before:
            c.added.append(rid)
        elif before[rid]["hash"] != entry["hash"]:
            c.changed.append(rid)
        c.titles[rid] = entry["title"]
    for rid in before:
        if rid not in after:
            c.withdrawn.append(rid)
            c.titles[rid] = before[rid]["title"]
    for ids in (c.added, c.changed, c.withdrawn):
        ids.sort()
    return c


def changelog(editions: list[Edition]) -> list[Changes]:
    """What each edition added, changed and withdrew, newest edition first."""
    out = []
    previous: dict[str, dict[str, str]] = {}
    for e in editions:
        out.append(_diff(e.name, e.date, previous, e.records))
        previous = e.records
    return out[::-1]


def unreleased_changes(atlas: Atlas, editions: list[Edition]) -> Changes:
    """The working data against the latest edition."""
    latest = editions[-1].records if editions else {}
    current = {rid: {"hash": record_hash(r), "title": r.title} for rid, r in atlas.records.items()}
    return _diff(UNRELEASED, "", latest, current)


def snapshot_path(root: Path, edition: str) -> Path:
    return editions_dir(root) / f"{edition}.records.json.gz"


def load_snapshot(root: Path, edition: str) -> list[dict[str, Any]] | None:
    path = snapshot_path(root, edition)
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return _snapshot(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=32)
def _snapshot(path: str, mtime_ns: int, size: int) -> list[dict[str, Any]]:
    """A released snapshot, read once per file version (the preview makes the downloads on every
    save), through guard.read_json (size-capped before and after unpacking): a list of record
    rows, each with an id and a kind. Callers only read it."""
    name = f"editions/{Path(path).name}"
    rows, problems = guard.read_json(Path(path), name, gzipped=True)
    if not problems and not (
        isinstance(rows, list)
        and all(
            isinstance(r, dict)
            and isinstance(r.get("id"), str)
            and guard.ID.fullmatch(r["id"])
            and isinstance(r.get("kind"), str)
            and isinstance(r.get("title"), str)
            for r in rows
        )
    ):
        problems = [
            Problem(name, 1, "snapshot", "is not a list of record rows (id, kind, title, ...)", "restore it from git")
        ]
    if problems:
        raise DataError(problems)
    return rows


def build_date() -> str:
    """The date of unreleased content: SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), tz=UTC) if epoch else datetime.now(tz=UTC)
    return when.date().isoformat()


@dataclass
class State:
    """The editions as the pages need them."""

    editions: list[Edition]
    histories: dict[str, History]
    redirects: dict[str, Redirect]
    fallback: tuple[str, str]  # (edition, date) from mkdocs.yml when nothing is released yet

    @classmethod
    def load(cls, root: Path, atlas: Atlas, fallback: tuple[str, str]) -> State:
        editions = load_editions(root)
        return cls(editions, histories(atlas, editions), load_redirects(root), fallback)

    @property
    def current(self) -> str:
        return self.editions[-1].name if self.editions else self.fallback[0]

    @property
    def current_date(self) -> str:
        return self.editions[-1].date if self.editions else self.fallback[1]

    def stamp(self, record_ids: list[str]) -> tuple[str, str, bool]:
        """(edition, date, unreleased) of content made of these records: the latest change wins."""
        if not self.editions:
            return self.current, self.current_date, False
        if any(self.histories[r].unreleased for r in record_ids if r in self.histories):
            return self.current, build_date(), True
        last = [self.histories[r].last_changed for r in record_ids if r in self.histories]
        named = [e for e in self.editions if e.name in set(last)]
        edition = named[-1] if named else self.editions[-1]
        return edition.name, edition.date, False
