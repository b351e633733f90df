"""Where each page lives under docs/, and relative links between pages."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup


@dataclass(frozen=True)
class Paths:
    """Paths (relative to docs/) of the generated pages; `out` is the generated folder ("atlas")."""

    out: str
    country_slugs: dict[str, str]  # country code -> slug

    def record(self, rid: str) -> str:
        return f"{self.out}/records/{rid}.md"

    def country(self, code: str) -> str:
        return f"{self.out}/countries/{self.country_slugs[code]}.md"

    def topic(self, tid: str) -> str:
        return f"{self.out}/topics/{tid}.md"

    def place(self, pid: str) -> str:
        return f"{self.out}/places/{pid}.md"

    def organisation(self, oid: str) -> str:
        return f"{self.out}/organisations/{oid}.md"

    def source(self, sid: str) -> str:
        return f"{self.out}/sources/{sid}.md"

    def edition(self, name: str) -> str:
        return f"{self.out}/editions/{name}.md"

    def under(self, rest: str) -> str:
        """A path inside the generated folder: under("records/index.md")."""
        return f"{self.out}/{rest}"

    @staticmethod
    def kind(parent: str, kind: str) -> str:
        """Sub-page listing every record of one kind of a country or topic page (out of the nav)."""
        return f"{parent.removesuffix('.md')}/{kind.replace('_', '-')}.md"


def rel(src: str, dst: str) -> Markup:
    """Markdown link from page `src` to `dst` (both relative to docs/), with optional #anchor."""
    dst_path, _, anchor = dst.partition("#")
    link = relpath(dst_path, src.rpartition("/")[0])
    return Markup(link + (f"#{anchor}" if anchor else ""))


def url_rel(src: str, dst: str) -> str:
    """Browser URL from page `src` to docs file `dst`, given directory URLs (x.md -> x/)."""
    src_dir = src.removesuffix(".md").removesuffix("index")
    dst_url = dst.removesuffix(".md").removesuffix("index")
    if dst.endswith(".md") and dst_url and not dst_url.endswith("/"):
        dst_url += "/"
    return relpath(dst_url or ".", src_dir.rstrip("/") or ".") + ("/" if dst.endswith(".md") else "")


@lru_cache(maxsize=1 << 16)  # pages of one folder link to the same targets: most calls repeat
def relpath(path: str, start: str) -> str:
    """posixpath.relpath for the generator's own paths (relative, '/'-separated, no '..'), without
    its two abspath calls and getcwd: tens of thousands of links per build, at 10x the data
    hundreds of thousands. tests/test_render.py compares it with posixpath.relpath."""
    if ".." in path or ".." in start or path.startswith("/") or start.startswith("/"):
        return posixpath.relpath(path, start)
    to = [p for p in path.split("/") if p and p != "."]
    here = [p for p in start.split("/") if p and p != "."]
    common = 0
    for a, b in zip(to, here, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."
