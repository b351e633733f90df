"""Command line: python -m generator validate|generate|build|serve."""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
from pathlib import Path

from generator import editions, export
from generator.build import build_site, generate, load_atlas
from generator.config import load_config
from generator.errors import AtlasError, DataError


def _cmd_validate(root: Path) -> int:
    atlas = load_atlas(load_config(root))
    print(
        f"OK: {len(atlas.records)} records, {len(atlas.places)} places, {len(atlas.organisations)} organisations, {len(atlas.sources)} sources"
    )
    return 0


def _cmd_generate(root: Path) -> int:
    g = generate(root)
    print(f"generated {len(g.pages)} files in {g.seconds:.2f}s ({g.report}) from {len(g.atlas.records)} records")
    return 0


def _cmd_build(root: Path, strict: bool) -> int:
    _cmd_generate(root)
    build_site(root, strict=strict)
    print("site built in site/")
    return 0


def _cmd_release(root: Path, name: str, date: str | None) -> int:
    """Record a new edition: manifest + data snapshot in editions/, edition label in mkdocs.yml."""
    cfg = load_config(root)
    atlas = load_atlas(cfg)
    when = date or editions.build_date()
    rows = [export.record_row(atlas, cfg, r) for r in atlas.records.values()]
    written = editions.release(root, atlas, name, when, rows)
    editions.set_config_edition(root / "mkdocs.yml", name, when)
    editions.set_citation_cff(root / "CITATION.cff", name, when)
    for path in written:
        print(f"wrote {path.relative_to(root)}")
    print(
        f"edition {name} ({when}): {len(atlas.records)} records. Next: commit editions/, mkdocs.yml and CITATION.cff, then"
    )
    print(
        f"  git tag -a edition-{name} -m 'Edition {name}'   (make edition-site EDITION={name} builds it from the tag)"
    )
    return 0


def _cmd_edition_site(root: Path, name: str) -> int:
    dest = editions.build_archived(root, name, sys.executable)
    print(f"edition {name} built into {dest.relative_to(root)}/")
    return 0


def _snapshot(paths: list[Path]) -> dict[Path, float]:
    return {p: p.stat().st_mtime for base in paths for p in base.rglob("*") if p.is_file()}


def _watch(root: Path, stop: threading.Event) -> None:
    watched = [root / "data", root / "templates"]
    before = _snapshot(watched)
    while not stop.wait(0.7):
        now = _snapshot(watched)
        if now != before:
            before = now
            try:
                _cmd_generate(root)
            except DataError as exc:
                print(exc.report(), file=sys.stderr)
                print("the preview keeps the last good pages until the data is fixed", file=sys.stderr)
            except AtlasError as exc:
                print(f"error: {exc}", file=sys.stderr)


def _cmd_serve(root: Path, addr: str) -> int:
    try:
        _cmd_generate(root)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        print("serving the last good pages; fix the data and save to regenerate", file=sys.stderr)
    stop = threading.Event()
    threading.Thread(target=_watch, args=(root, stop), daemon=True).start()
    try:
        return subprocess.call([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", addr, "--livereload"], cwd=root)
    except KeyboardInterrupt:
        return 0
    finally:
        stop.set()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description="Build the Central Asia Security Atlas.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: current)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check data/ and report every problem")
    sub.add_parser("generate", help="validate and write the generated pages into docs/")
    b = sub.add_parser("build", help="generate, then mkdocs build --strict into site/")
    b.add_argument("--no-strict", action="store_true")
    r = sub.add_parser("release", help="release an edition: write editions/<edition>.json from the current data")
    r.add_argument("edition", help="edition name, YYYY.MM (for example 2026.12)")
    r.add_argument("--date", help="release date, YYYY-MM-DD (default: today, or SOURCE_DATE_EPOCH)")
    es = sub.add_parser("edition-site", help="build a released edition from its git tag into site/editions/<edition>/")
    es.add_argument("edition")
    s = sub.add_parser("serve", help="live preview; regenerates when data/ or templates/ change")
    s.add_argument("--dev-addr", default="127.0.0.1:8000")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    try:
        if args.command == "validate":
            return _cmd_validate(root)
        if args.command == "generate":
            return _cmd_generate(root)
        if args.command == "release":
            return _cmd_release(root, args.edition, args.date)
        if args.command == "edition-site":
            return _cmd_edition_site(root, args.edition)
        if args.command == "build":
            return _cmd_build(root, strict=not args.no_strict)
        return _cmd_serve(root, args.dev_addr)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except AtlasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
