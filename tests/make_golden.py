"""Regenerate tests/golden/ from the fixture atlas: `make golden`.

Do this only when a change to the generator or templates is meant to change the output; review
the diff of tests/golden/ in the same commit.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from generator.build import generate
from tests.conftest import ROOT, make_project

GOLDEN = ROOT / "tests" / "golden"
# Big or binary-ish files are covered by other tests; the golden tree keeps what a reader sees.
SKIP_SUFFIXES = (".svg",)


def golden_files(root: Path) -> dict[str, str]:
    out = {}
    for base in ("docs/atlas", "docs/downloads", "docs/editions"):
        for path in sorted((root / base).rglob("*")):
            if path.is_file() and not path.name.startswith(".") and not path.name.endswith(SKIP_SUFFIXES):
                out[path.relative_to(root / "docs").as_posix()] = path.read_text(encoding="utf-8")
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp) / "atlas")
        generate(root)
        files = golden_files(root)
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for rel, text in files.items():
        target = GOLDEN / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} golden files to {GOLDEN.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
