"""Command line: python -m generator validate|generate|build|serve."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from generator import editions, parallel, releasing
from generator.build import ENGINES, build_lock, build_site, generate, load_atlas
from generator.config import load_config
from generator.downloads.records import record_row
from generator.errors import AtlasError, DataError, visible


def _cmd_validate(root: Path) -> int:
    atlas = load_atlas(load_config(root))
    print(
        f"OK: {len(atlas.records)} records, {len(atlas.places)} places, {len(atlas.organisations)} organisations, {len(atlas.sources)} sources"
    )
    return 0


def _cmd_generate(root: Path, locked: bool = False) -> int:
    processes = parallel.workers()
    with contextlib.nullcontext() if locked else build_lock(root):
        g = generate(root, processes=processes)
    print(
        f"generated {g.files} files in {g.seconds:.2f}s ({g.report}) from {len(g.atlas.records)} records"
        f" ({processes} process{'es' if processes > 1 else ''})"
    )
    return 0


def _cmd_build(root: Path, strict: bool, engine: str) -> int:
    with build_lock(root):  # held from the first page written to the swap of site/
        _cmd_generate(root, locked=True)
        build_site(root, strict=strict, engine=engine)
    print(f"site built in site/ by {engine}")
    return 0


def _cmd_release(root: Path, name: str, date: str | None) -> int:
    """Record a new edition: manifest + data snapshot in editions/, edition label in mkdocs.yml."""
    cfg = load_config(root)
    atlas = load_atlas(cfg)
    when = date or editions.build_date()
    rows = [record_row(atlas, cfg, r) for r in atlas.records.values()]
    written = releasing.release(root, atlas, name, when, rows)
    releasing.set_config_edition(root / "mkdocs.yml", name, when)
    releasing.set_citation_cff(root / "CITATION.cff", name, when)
    for path in written:
        print(f"wrote {path.relative_to(root)}")
    print(
        f"edition {name} ({when}): {len(atlas.records)} records. Next: commit editions/, mkdocs.yml and CITATION.cff;"
        " the next `make site` archives its record pages under /editions/" + name + "/ (a git tag is optional)"
    )
    return 0


def _cmd_edition_site(root: Path, name: str) -> int:
    dest = releasing.build_archived(root, name, sys.executable)
    print(f"edition {name} built into {dest.relative_to(root)}/")
    return 0


def _cmd_serve(root: Path, addr: str, port: int | None) -> int:
    from generator.preview import serve

    host, _, default_port = addr.rpartition(":")
    return serve(root, host or "127.0.0.1", port if port is not None else int(default_port or 8000))


def _cmd_schema(root: Path, check: bool = False) -> int:
    from generator import cmsconfig
    from generator.editorschema import generated_files, modeline_files, stale_schemas, write_schemas

    lines = modeline_files(root)
    if check:  # pre-commit and CI: fail when a model change was committed without `make schema`
        stale = stale_schemas(root) + stale_schemas(root, cmsconfig.generated_files())
        for rel in stale:
            print(f"{rel}: out of date with the model in generator/schema.py (run `make schema`)", file=sys.stderr)
        missing = stale_schemas(root, lines)
        for rel in missing:
            print(f"{rel}: its first line must name its schema (run `make schema`)", file=sys.stderr)
        return 1 if stale or missing else 0
    written = write_schemas(root) + write_schemas(root, cmsconfig.generated_files())
    marked = write_schemas(root, lines)
    total = len(generated_files()) + len(cmsconfig.generated_files())
    print(f"{len(written)} of {total} schema files rewritten: {', '.join(written) or 'all up to date'}")
    print(f"{len(marked)} of {len(lines)} data and editions files given their schema line")
    return 0


def _cmd_new(root: Path, kind: str, country: str | None) -> int:
    from generator.newitem import new_item

    item = new_item(load_config(root), kind, country)
    rel = item.file.relative_to(root) if item.file.is_relative_to(root) else item.file
    if item.note:
        print(f"note: {item.note}; wrote to the file that holds most of them")
    print(f"{rel}:{item.line}: new {item.key} item '{item.id}': fill in the fields, then run `make validate`")
    return 0


def _cmd_import(root: Path, file: Path, into: Path | None) -> int:
    from generator.csvimport import import_csv

    cfg = load_config(root)
    result = import_csv(cfg, file.resolve(), (root / into) if into is not None else None)
    for row in result.added:
        where = row.target.relative_to(root) if row.target else "?"
        print(f"{file.name}:{row.number}: added {row.key} '{row.data['id']}' to {where}")
    print(
        f"{len(result.added)} new record(s) added, {result.existing} row(s) already in the atlas left as they are;"
        " the atlas validates"
    )
    return 0


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
    b.add_argument("--engine", choices=ENGINES, default="mkdocs", help="static site engine (default: mkdocs)")
    s = sub.add_parser("serve", help="live preview; regenerates when data/ or templates/ change")
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="host:port to serve on")
    s.add_argument("--port", type=int, help="port to serve on (overrides the port of --dev-addr)")
    sc = sub.add_parser(
        "schema",
        help="write schema/*.json, docs/editors/fields.md, .vscode/settings.json and admin/config.yml from the model, "
        "and the schema line at the top of every YAML file under data/ and editions/",
    )
    sc.add_argument("--check", action="store_true", help="write nothing; fail if any of them differs from the model")
    n = sub.add_parser("new", help="append a skeleton record, place, organisation or source to the right file")
    n.add_argument(
        "kind", help="a record kind (meeting, exercise, ... or meetings, exercises, ...), place, organisation or source"
    )
    n.add_argument("--country", help="country code (KG, KZ, ...): write to the file holding that country's items")
    im = sub.add_parser("import", help="add the new rows of a spreadsheet (the site's per-kind CSV) to data/")
    im.add_argument("file", type=Path, help="a CSV file with the columns of downloads/kinds/<kind>.csv")
    im.add_argument("--into", type=Path, help="data file to append every new row to (default: as `new` chooses)")
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
        if args.command == "new":
            return _cmd_new(root, args.kind, args.country)
        if args.command == "import":
            return _cmd_import(root, args.file, args.into)
        if args.command == "schema":
            return _cmd_schema(root, check=args.check)
        if args.command == "build":
            return _cmd_build(root, strict=not args.no_strict, engine=args.engine)
        return _cmd_serve(root, args.dev_addr, args.port)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except AtlasError as exc:
        print(f"error: {visible(str(exc), limit=100_000)}", file=sys.stderr)
        return 2
    except OSError as exc:  # disk full, a read-only or immutable folder, permissions
        where = visible(str(exc.filename), limit=300) if exc.filename else "a file"
        print(
            f"error: cannot write or read {where} ({exc.strerror or exc}); nothing was put in place: "
            "free disk space or fix the folder's permissions, then build again",
            file=sys.stderr,
        )
        return 3
    except MemoryError:
        print("error: the build ran out of memory; nothing was put in place", file=sys.stderr)
        return 3
