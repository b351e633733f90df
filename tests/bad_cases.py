"""More of the bad-input corpus, made in code: the inputs a file in tests/fixtures/bad/ cannot
hold (links, FIFOs, bombs, settings, editions/, templates, docs pages and their front matter).

Each case changes a copy of the built fixture project and returns the `file:line` (or setting)
texts the build's report must hold; tests/test_bad_input.py runs them like the scenario files.
"""

from __future__ import annotations

import fcntl
import gzip
import json
import os
import signal
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Case:
    setup: Callable[[Path], list[str]]  # changes the project; returns the texts the report must hold
    expect_not: tuple[str, ...] = ()
    preexec: Callable[[], None] | None = None  # run in the build's process before it starts
    hold_lock: bool = False  # another build holds the project's lock while this one runs
    keep: list[object] = field(default_factory=list)


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def _append(path: Path, text: str) -> int:
    """Append `text` as new lines; return the line number of its first line."""
    old = path.read_text(encoding="utf-8")
    old += ("" if old.endswith("\n") else "\n") + "\n"  # a block of its own
    path.write_text(old + text + "\n", encoding="utf-8")
    return old.count("\n") + 1


def _replace(path: Path, old: str, new: str) -> int:
    """Replace the first `old`; return its line number."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, at) + 1


def _app(rel: str, text: str) -> Callable[[Path], list[str]]:
    def setup(root: Path) -> list[str]:
        return [f"{rel}:{_append(root / rel, text)}"]

    return setup


def _rep(rel: str, old: str, new: str) -> Callable[[Path], list[str]]:
    def setup(root: Path) -> list[str]:
        return [f"{rel}:{_replace(root / rel, old, new)}"]

    return setup


def _essay(text: str, where: str = "data/prose/methodology.md") -> Callable[[Path], list[str]]:
    def setup(root: Path) -> list[str]:
        return [f"{where}:{_append(root / where, text)}"]

    return setup


def _page(text: str, expect: str, name: str = "docs/about.md") -> Callable[[Path], list[str]]:
    def setup(root: Path) -> list[str]:
        _write(root / name, text)
        return [f"{name}:{expect}"]

    return setup


def _settings(old: str, new: str, key: str, label: str | None = None) -> Callable[[Path], list[str]]:
    """Replace `old` by `new` in mkdocs.yml; the report names the line of `key` and the setting."""

    def setup(root: Path) -> list[str]:
        line = _replace(root / "mkdocs.yml", old, new)
        name = key.rpartition(".")[2]
        line += new[: new.index(name + ":")].count("\n") if name + ":" in new else 0
        return [f"mkdocs.yml:{line}: {key if label is None else label}"]

    return setup


def _data(name: str, text: str, line: int = 2) -> Callable[[Path], list[str]]:
    def setup(root: Path) -> list[str]:
        _write(root / "data" / name, text)
        return [f"data/{name}:{line}"]

    return setup


def _org(url: str) -> Callable[[Path], list[str]]:
    return _data(
        "orgs.yaml",
        f"organisations:\n  - {{id: evil, name: Evil, country: CN, type: company, url: {json.dumps(url)}}}\n",
    )


def _redirects(text: str, line: int) -> Callable[[Path], list[str]]:
    def setup(root: Path) -> list[str]:
        _write(root / "editions" / "redirects.yaml", text)
        return [f"editions/redirects.yaml:{line}"]

    return setup


def _file(rel: str, text: str | bytes, expect: str) -> Callable[[Path], list[str]]:
    def setup(root: Path) -> list[str]:
        _write(root / rel, text)
        return [expect]

    return setup


def _laughs(key: str, levels: int = 12) -> str:
    out = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i in range(1, levels):
        out += f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n"
    return out + f"{key}: *a{levels - 1}\n"


def _gzip_bomb() -> bytes:
    """70 MB of zeros in 70 KB: more than a snapshot may unpack to."""
    pack = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"0" * (1 << 20)
    return b"".join([pack.compress(b"["), *(pack.compress(chunk) for _ in range(70)), pack.flush()])


def _link(target: str, rel: str, expect: str) -> Callable[[Path], list[str]]:
    def setup(root: Path) -> list[str]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / rel)
        return [expect]

    return setup


def _fifo(rel: str) -> Callable[[Path], list[str]]:
    def setup(root: Path) -> list[str]:
        path = root / rel
        if path.exists():
            path.unlink()
        os.mkfifo(path)
        return [f"{rel}:1"]

    return setup


def _snippet_symlink(root: Path) -> list[str]:
    os.symlink("/etc/passwd", root / "docs" / "pw.md")
    line = _append(root / "data/prose/methodology.md", '--8<-- "pw.md"')
    return [f"data/prose/methodology.md:{line}", "docs/pw.md:1"]


def _folder_essay(root: Path) -> list[str]:
    (root / "data" / "prose" / "x.md").mkdir()
    return ["data/prose/x.md:1"]


def _withdraw_unlisted(root: Path) -> list[str]:
    """A released record deleted from data/ without a line in redirects.yaml."""
    text = (root / "data" / "records.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: mtg-kz-2019-05-01")
    (root / "data" / "records.yaml").write_text(text[:start] + text[text.index("exercises:") :], encoding="utf-8")
    return ["editions/redirects.yaml", "mtg-kz-2019-05-01"]


def _no_main_html(root: Path) -> list[str]:
    (root / "templates" / "theme" / "main.html").unlink()
    return ["templates/theme/main.html"]


def _disk_full() -> None:
    """Files may grow to 4 KB: every larger write fails as on a full disk (EFBIG, not SIGXFSZ)."""
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def _changed_title(root: Path) -> list[str]:
    """A valid change, so that the build has pages to write (then the disk is full)."""
    _replace(root / "data" / "records.yaml", "title: Kazakh and Chinese ministers meet", "title: Kazakh ministers meet")
    return ["error: cannot write or read"]


def _figures(n: int) -> str:
    return "[[count]] " * n


def hold_lock(root: Path) -> object:
    """The lock a running build holds (generator.build.build_lock)."""
    (root / ".cache").mkdir(exist_ok=True)
    handle = open(root / ".cache" / "build.lock", "a+")  # noqa: SIM115 - held until the case ends
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    handle.write("pid 1")
    handle.flush()
    return handle


FM = "---\n{}\n---\n# About\n"
SCRIPT = "<script>window.__pwned=1</script>"

CASES: dict[str, Case] = {
    # links and special files, in every folder the build reads
    "docs_symlink_file": Case(_link("/proc/self/environ", "docs/assets/env.txt", "docs/assets/env.txt:1")),
    "docs_symlink_folder": Case(_link("/usr/share/doc", "docs/more", "docs/more:1")),
    "docs_symlink_page": Case(_link("/etc/passwd", "docs/leak.md", "docs/leak.md:1")),
    "template_symlink": Case(_link("/etc/passwd", "templates/leak.html", "templates/leak.html:1")),
    "redirects_symlink": Case(_link("/etc/passwd", "editions/leak.yaml", "editions/leak.yaml:1")),
    "essay_symlink": Case(_link("/etc/passwd", "data/prose/leak.md", "data/prose/leak.md:1")),
    "essay_snippet_symlink": Case(_snippet_symlink),
    "snippet_outside_docs": Case(_app("docs/about.md", '--8<-- "../mkdocs.yml"')),
    "snippet_absolute": Case(_app("docs/about.md", '--8<-- "/etc/passwd"')),
    "snippet_url": Case(_app("docs/about.md", '--8<-- "https://x.org/a.md"')),
    "essay_snippet_outside": Case(_essay('--8<-- "../../etc/passwd"')),
    "fifo_data": Case(_fifo("data/fifo.yaml")),
    "fifo_essay": Case(_fifo("data/prose/fifo.md")),
    "fifo_docs_page": Case(_fifo("docs/fifo.md")),
    "fifo_template": Case(_fifo("templates/fifo.md.j2")),
    "fifo_redirects": Case(_fifo("editions/redirects.yaml")),
    "fifo_manifest": Case(_fifo("editions/2026.02.json")),
    "fifo_settings": Case(_fifo("mkdocs.yml")),
    # raw HTML and script in contributors' Markdown
    "essay_script": Case(_essay(SCRIPT)),
    "essay_img_onerror": Case(_essay("<img src=x onerror=alert(1)>")),
    "essay_iframe": Case(_essay('<iframe src="https://evil.example.org/"></iframe>')),
    "essay_javascript_link": Case(_essay("[click](javascript:alert(1))")),
    "essay_attr_list_handler": Case(_essay("A paragraph.\n{: onclick=alert(1) }")),
    "essay_style": Case(_essay('<p style="background:url(javascript:alert(1))">x</p>')),
    "essay_svg_script": Case(_essay("<svg><script>alert(1)</script></svg>")),
    "topic_essay_script": Case(_essay(SCRIPT, "data/prose/topics/exercises.md")),
    "docs_page_script": Case(_app("docs/about.md", SCRIPT)),
    "docs_page_javascript_link": Case(_app("docs/index.md", '<a href="javascript:alert(1)">x</a>')),
    "docs_page_object": Case(_app("docs/about.md", '<object data="x.swf"></object>')),
    # front matter of editors' pages
    "fm_title_closes_title": Case(_page(FM.format('title: "</title><script>alert(1)</script>"'), "2")),
    "fm_description_quote": Case(_page(FM.format("description: 'a \" onmouseover=alert(1)'"), "2")),
    "fm_title_not_text": Case(_page(FM.format("title: [a, b]"), "2")),
    "fm_syntax": Case(_page(FM.format("title: [unclosed"), "2")),
    "fm_list": Case(_page("---\n- a\n- b\n---\n# About\n", "2")),
    "fm_python_tag": Case(_page(FM.format("title: !!python/object/apply:os.system [id]"), "2")),
    "fm_not_utf8": Case(_page(b"---\ntitle: caf\xe9\n---\n# About\n", "2")),  # type: ignore[arg-type]
    "fm_alias_bomb": Case(_page("---\n" + _laughs("title") + "---\n# About\n", "2")),
    "fm_too_long": Case(_page(FM.format("description: " + "x" * 20_000), "1")),
    "fm_control_escape": Case(_page(FM.format('title: "a\\e[2Jb"'), "2")),
    "docs_page_not_utf8": Case(_page(b"# About\n\ncaf\xe9\n", "3")),  # type: ignore[arg-type]
    "docs_page_control": Case(_page("# About\n\nbell \x07 here\n", "3")),
    "docs_page_huge": Case(_page("x" * 2_100_000, "1")),
    "essay_not_utf8": Case(_file("data/prose/methodology.md", b"caf\xe9\n", "data/prose/methodology.md:1")),
    "essay_folder_named_md": Case(_folder_essay),
    "essay_huge": Case(_file("data/prose/methodology.md", "word " * 420_000, "data/prose/methodology.md:1")),
    "essay_100k_figures": Case(_file("data/prose/methodology.md", _figures(100_000), "data/prose/methodology.md:1")),
    "essay_bidi_override": Case(_essay("text \u202e reversed")),
    # settings
    "site_name_script": Case(
        _settings("site_name: Fixture Atlas", 'site_name: "</title><script>alert(1)</script>"', "site_name")
    ),
    "site_description_quote": Case(
        _settings(
            "site_name: Fixture Atlas",
            'site_name: Fixture Atlas\nsite_description: "x\\" onload=\\"alert(1)"',
            "site_description",
        )
    ),
    "report_error_javascript": Case(
        _settings("https://tracker.example.org/issues/new", "javascript:alert(1)", "extra.report_error.url")
    ),
    "report_error_data_url": Case(
        _settings("https://tracker.example.org/issues/new", "data:text/html,x", "extra.report_error.url")
    ),
    "repo_url_javascript": Case(
        _settings("repo_url: https://github.com/example/fixture-atlas", "repo_url: javascript:alert(1)", "repo_url")
    ),
    "site_url_javascript": Case(
        _settings("site_url: https://atlas.example.org/", "site_url: javascript:alert(1)//", "site_url")
    ),
    "copyright_script": Case(
        _settings(
            "site_name: Fixture Atlas",
            "site_name: Fixture Atlas\ncopyright: '<script>alert(1)</script>'",
            "copyright",
            "markup",
        )
    ),
    "publisher_markup": Case(_settings("publisher: Fixture editors", "publisher: '<b>x</b>'", "extra.atlas.publisher")),
    "settings_alias_bomb": Case(_app("mkdocs.yml", _laughs("bomb"))),
    "settings_python_tag": Case(_app("mkdocs.yml", "x: !!python/object/apply:os.system [id]")),
    "settings_not_utf8": Case(_file("mkdocs.yml", b"site_name: caf\xe9\n", "mkdocs.yml:1")),
    "settings_huge": Case(lambda r: [_append(r / "mkdocs.yml", "# " + "x" * 300_000) and "mkdocs.yml:1"]),
    "settings_control_escape": Case(_settings("site_name: Fixture Atlas", 'site_name: "Fixture\\e[2J"', "site_name")),
    # data: values the schema's types cannot hold
    "org_url_javascript": Case(_org("javascript:alert(1)")),
    "org_url_plaintext": Case(_org("https://x.org/<plaintext>")),
    "org_url_style": Case(_org("https://x.org/<style>body{display:none}</style>")),
    "org_url_script": Case(_org('https://x.org/"><script>alert(1)</script>')),
    "place_id_index": Case(_data("p.yaml", "places:\n  - {id: index, name: Idx, country: KZ, lat: 50, lon: 70}\n")),
    "source_id_index": Case(
        _data("s.yaml", "sources:\n  - {id: index, type: report, authors: [], title: T, publisher: P, date: '2020'}\n")
    ),
    "organisation_id_index": Case(
        _data("o.yaml", "organisations:\n  - {id: index, name: I, country: CN, type: company}\n")
    ),
    "id_260_characters": Case(
        _data("p.yaml", "places:\n  - {id: " + "a" * 260 + ", name: Long, country: KZ, lat: 50, lon: 70}\n")
    ),
    "integer_5000_digits": Case(_rep("data/records.yaml", "size_total: 414", "size_total: " + "9" * 5000)),
    "float_overflow_sum": Case(_rep("data/records.yaml", "size_total: 414", "size_total: 1.7e308")),
    "float_infinity": Case(_rep("data/records.yaml", "size_total: 414", "size_total: .inf")),
    "float_written_huge": Case(_rep("data/records.yaml", "size_total: 414", "size_total: 1e400")),
    "huge_item_count": Case(_data("h.yaml", "meetings:\n" + "  - {}\n" * 550_000, 10_002)),
    "summary_160k_figures": Case(
        _rep("data/records.yaml", 'summary: "A summary with', 'summary: "' + _figures(160_000) + " A summary with")
    ),
    "complex_key": Case(_app("data/records.yaml", "? [a, b]\n: c"), expect_not=("ScalarNode",)),
    "control_escape_in_name": Case(_rep("data/entities.yaml", "name: Astana,", 'name: "As\\0t\\a\\e\\u202ena",')),
    "escape_in_unknown_place": Case(
        _rep("data/records.yaml", "places: [bishkek]", 'places: ["bish\\e[31mkek"]'), expect_not=("\x1b",)
    ),
    "duplicate_country_slug": Case(_rep("data/entities.yaml", "slug: tajikistan", "slug: kyrgyzstan")),
    # editions/: redirects, manifests, snapshots
    "redirects_syntax": Case(_redirects("redirects: [unclosed\n", 2)),
    "redirects_list": Case(_redirects("- a\n- b\n", 1)),
    "redirects_python_tag": Case(_redirects("redirects: !!python/object/apply:os.system [id]\n", 1)),
    "redirects_alias_bomb": Case(_redirects(_laughs("redirects"), 2)),
    "redirects_traversal_id": Case(
        _redirects("redirects:\n  - {id: ../../etc, status: withdrawn, edition: '2026.02', reason: x}\n", 2)
    ),
    "redirects_bad_status": Case(_redirects("redirects:\n  - {id: old-one, status: deleted, edition: '2026.02'}\n", 2)),
    "redirects_bad_edition": Case(_redirects("redirects:\n  - {id: old-one, status: withdrawn, edition: '26.2'}\n", 2)),
    "redirects_not_utf8": Case(_redirects(b"redirects: []\n# caf\xe9\n", 2)),  # type: ignore[arg-type]
    "redirects_merged_into_nothing": Case(
        _redirects("redirects:\n  - {id: old-one, status: merged, to: no-such-record, edition: '2026.02'}\n", 2)
    ),
    "withdrawn_without_redirect": Case(_withdraw_unlisted),
    "manifest_bad_name": Case(
        _file(
            "editions/notanedition.json",
            '{"edition": "x", "date": "2026-01-01", "records": {}}',
            "editions/notanedition.json:1",
        )
    ),
    "manifest_deep_nesting": Case(
        _file("editions/2026.02.json", "[" * 100_000 + "]" * 100_000, "editions/2026.02.json:1")
    ),
    "manifest_missing_hash": Case(
        _file(
            "editions/2026.01.json",
            json.dumps({"date": "2026-01-01", "edition": "2026.01", "records": {"mech-sco": {"title": "x"}}}, indent=1),
            "editions/2026.01.json:",
        )
    ),
    "manifest_not_json": Case(_file("editions/2026.02.json", "{not json", "editions/2026.02.json:1")),
    "manifest_wrong_edition": Case(
        _file(
            "editions/2026.02.json",
            '{"edition": "2026.03", "date": "2026-02-01", "records": {}}',
            "editions/2026.02.json:1",
        )
    ),
    "manifest_impossible_date": Case(
        _file(
            "editions/2026.02.json",
            '{"edition": "2026.02", "date": "2026-02-30", "records": {}}',
            "editions/2026.02.json:1",
        )
    ),
    "manifest_huge_integer": Case(
        _file(
            "editions/2026.02.json",
            '{"edition": "2026.02", "date": "2026-02-01", "records": {}, "n": ' + "9" * 5000 + "}",
            "editions/2026.02.json:1",
        )
    ),
    "snapshot_not_rows": Case(
        _file("editions/2026.01.records.json.gz", gzip.compress(b'{"a": 1}'), "editions/2026.01.records.json.gz:1")
    ),
    "snapshot_gzip_bomb": Case(
        _file("editions/2026.01.records.json.gz", _gzip_bomb(), "editions/2026.01.records.json.gz:1")
    ),
    "snapshot_not_gzip": Case(
        _file("editions/2026.01.records.json.gz", b"plain", "editions/2026.01.records.json.gz:1")
    ),
    # templates
    "template_not_utf8": Case(
        lambda r: [
            _write(r / "templates/record.md.j2", (r / "templates/record.md.j2").read_bytes() + b"\n\xff\n")
            or "templates/record.md.j2:"
        ]
    ),
    "template_theme_not_utf8": Case(
        _file("templates/theme/partials/extra.html", b"\xff", "templates/theme/partials/extra.html:1")
    ),
    "template_main_html_deleted": Case(_no_main_html),
    # faults
    "disk_full": Case(_changed_title, preexec=_disk_full),
    "another_build_running": Case(lambda r: ["another build is running"], hold_lock=True),
}
