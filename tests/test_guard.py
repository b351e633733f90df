"""The trust boundary outside data/ (generator/guard.py): links out of docs/, special files,
snippet lines, raw HTML from contributors, front matter and settings. Each case is run as an
editor runs the generator, and must give file:line, a non-zero exit and no traceback."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from generator import guard, rawhtml
from generator.errors import visible
from tests.conftest import run_generator, tree_digest

SECRET = "ATLAS_TEST_SECRET_TOKEN_1234"


def _validate(root: Path, *, isolated: bool = False) -> tuple[int, str]:
    """`validate` as an editor runs it: the CLI's own entry point, in this process (a second of
    interpreter start saved per case), or in a subprocess with a timeout where a bug could hang."""
    if isolated:
        result = run_generator(root, "validate", timeout=120)
        assert "Traceback" not in result.stderr, result.stderr
        return result.returncode, result.stderr
    import contextlib
    import io

    from generator import cli

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["--root", str(root), "validate"])  # an exception here fails the test
    return code, err.getvalue()


def _essay(root: Path) -> Path:
    return next((root / "data" / "prose").rglob("*.md"))


# --- links and special files ------------------------------------------------------------------------


def _outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET, encoding="utf-8")
    return secret


@pytest.mark.parametrize(
    "where",
    ["docs/assets/env.txt", "docs/leak.md", "docs/assets/linked-folder", "templates/evil.md.j2", "data/prose/x.md"],
)
def test_a_link_out_of_the_project_is_refused_with_its_file(project: Path, tmp_path: Path, where: str):
    secret = _outside(tmp_path)
    target = secret.parent if where.endswith("folder") else secret
    os.symlink(target, project / where)
    code, err = _validate(project)
    assert code != 0
    assert re.search(rf"^{re.escape(where)}:1: file: symbolic link to .*outside", err, re.M), err
    assert SECRET not in err


def test_a_link_inside_docs_is_fine(project: Path):
    os.symlink("about.md", project / "docs" / "about-again.md")
    code, err = _validate(project)
    assert code == 0, err


def test_a_fifo_named_like_a_page_is_refused_not_read(project: Path):
    for where in ("docs/blocked.md", "data/prose/blocked.md", "data/blocked.yaml"):
        os.mkfifo(project / where)
    code, err = _validate(project, isolated=True)  # a read of a FIFO would block: the timeout fails the test
    assert code != 0
    for where in ("docs/blocked.md", "data/prose/blocked.md", "data/blocked.yaml"):
        assert f"{where}:1: file: not a regular file" in err, err


def test_the_real_proc_environ_link_never_reaches_the_site(project: Path, tmp_path: Path):
    """The attack as reported: a link to the build's own environment, a secret in it, a build."""
    first = run_generator(project, "build", timeout=600)
    assert first.returncode == 0, first.stderr
    before = tree_digest(project / "site")
    os.symlink("/proc/self/environ", project / "docs" / "assets" / "env.txt")
    result = run_generator(project, "build", timeout=600, env={**os.environ, "ATLAS_TOKEN": SECRET})
    assert result.returncode != 0
    assert "docs/assets/env.txt:1: file: symbolic link to /proc/self/environ" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(project / "site") == before
    assert not any(SECRET.encode() in p.read_bytes() for p in (project / "site").rglob("*") if p.is_file())


# --- snippet lines --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('--8<-- "../../../etc/passwd"', "is not a file inside docs/"),
        ('--8<-- "assets/missing.md"', "is not a file inside docs/"),
        ('--8<-- "assets/atlas/atlas.css"', "is not a generated piece or a Markdown page"),
        ('--8<-- "https://example.org/x.md"', "is a web address"),
    ],
)
def test_snippet_lines_name_only_files_inside_docs(project: Path, line: str, message: str):
    essay = _essay(project)
    essay.write_text(essay.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    about = project / "docs" / "about.md"
    about.write_text(
        about.read_text(encoding="utf-8") + f"\n\n--8<--\n{line.split(' ', 1)[1]}\n--8<--\n", encoding="utf-8"
    )
    code, err = _validate(project)
    assert code != 0
    essay_line = essay.read_text(encoding="utf-8").splitlines().index(line) + 1
    name = essay.relative_to(project).as_posix()
    assert f"{name}:{essay_line}: snippet: " in err and message in err, err
    about_line = about.read_text(encoding="utf-8").splitlines().index(line.split(" ", 1)[1]) + 1
    assert f"docs/about.md:{about_line}: snippet: " in err, err


def test_a_snippet_through_a_link_out_is_refused(project: Path, tmp_path: Path):
    os.symlink(_outside(tmp_path), project / "docs" / "piece.md")
    essay = _essay(project)
    essay.write_text(essay.read_text(encoding="utf-8") + '\n--8<-- "piece.md"\n', encoding="utf-8")
    code, err = _validate(project)
    assert code != 0
    assert "docs/piece.md:1: file: symbolic link" in err
    assert "snippet: 'piece.md' is not a file inside docs/" in err


# --- raw HTML ---------------------------------------------------------------------------------------------------

HOSTILE_MARKDOWN = [
    "<script>alert(document.cookie)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)></svg>",
    '<iframe src="https://example.org"></iframe>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="java&#x09;script:alert(1)">x</a>',
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    'A paragraph\n{: onclick="alert(1)" }',
    '<div markdown="1" onmouseover="alert(1)">x</div>',
    '<p style="position:fixed;top:0">fake banner</p>',
    "<style>body{display:none}</style>",
    "<plaintext>",
    '<form action="https://example.org"><input name="q"></form>',
    '<object data="x.swf"></object>',
    '<meta http-equiv="refresh" content="0;url=https://example.org">',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
]


@pytest.mark.parametrize("payload", HOSTILE_MARKDOWN)
def test_raw_html_that_could_run_is_refused_at_its_line(payload: str):
    text = "# Title\n\nA calm paragraph.\n\n" + payload + "\n\nAnother calm paragraph.\n"
    problems = rawhtml.html_problems(text, "data/prose/x.md")
    assert problems, payload
    line = 7 if payload.startswith("[click][ref]") else 5  # a reference: where the address is defined
    assert {p.line for p in problems} == {line}, [str(p) for p in problems]
    assert all(p.file == "data/prose/x.md" and p.where == "markup" for p in problems)


SAFE_MARKDOWN = [
    "Plain *emphasis*, **strong**, `code <script>`, [a link](https://example.org) and [relative](../x/).",
    "| a | b |\n|:--|--:|\n| 1 | 2 |",
    '!!! note "A note"\n    Text in a note.',
    "```html\n<script>shown as code</script>\n```",
    '<div class="atlas-search" data-pagefind-ignore="all"></div>',
    '<span lang="ru">Душанбе</span> and <abbr title="Shanghai Cooperation Organisation">SCO</abbr>',
    "1 < 2 and 3 > 2 & so on",
    "<mailto:editors@example.org>",
    "## A heading {: #custom-id .wide }",
]


@pytest.mark.parametrize("text", SAFE_MARKDOWN)
def test_markdown_an_editor_writes_passes(text: str):
    assert rawhtml.html_problems(text, "docs/x.md") == []


def test_hostile_html_in_an_essay_and_a_docs_page_fails_the_build_with_file_and_line(project: Path):
    essay = _essay(project)
    lines = essay.read_text(encoding="utf-8").splitlines()
    essay.write_text("\n".join([*lines, "", "<img src=x onerror=alert(1)>", ""]), encoding="utf-8")
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n\n<script>alert(2)</script>\n", encoding="utf-8")
    code, err = _validate(project)
    assert code != 0
    name = essay.relative_to(project).as_posix()
    assert f"{name}:{len(lines) + 2}: markup: raw HTML" in err, err
    about_line = about.read_text(encoding="utf-8").splitlines().index("<script>alert(2)</script>") + 1
    assert (
        f"docs/about.md:{about_line}: markup: raw HTML that readers' browsers could run is not allowed here (<script>"
        in err
    )


def test_the_real_docs_and_essays_pass_the_guard():
    """The check runs on the real pages too (the search page's script moved into the theme)."""
    from generator.build import load_atlas
    from generator.config import load_config

    root = Path(__file__).resolve().parent.parent
    load_atlas(load_config(root))  # raises DataError with every problem


# --- front matter and settings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        ("title: About</title><script>alert(1)</script>", 2, "titles and descriptions are plain text"),
        ('description: x" http-equiv="refresh', 2, "titles and descriptions are plain text"),
        ("title: [a, b]", 2, "must be text, not list"),
        ("title: A\nhide: [navigation\n", 3, "front matter"),
        ("- a list", 2, "must be `key: value` lines"),
        ("base: &a [1, 2]\ntitle: *a", 2, "anchors and aliases"),
        ("title: !!python/object/apply:os.system [echo hi]", 2, "front matter"),
    ],
)
def test_front_matter_is_plain_text_read_safely(project: Path, front: str, line: int, message: str):
    page = project / "docs" / "about.md"
    body = page.read_text(encoding="utf-8").split("---\n", 2)[-1]
    page.write_text(f"---\n{front}\n---\n{body}", encoding="utf-8")
    code, err = _validate(project)
    assert code != 0
    assert re.search(rf"^docs/about\.md:{line}: .*{re.escape(message)}", err, re.M), err


def test_a_docs_page_that_is_not_utf8_gets_its_line(project: Path):
    (project / "docs" / "latin1.md").write_bytes(b"# Title\n\nCaf\xe9\n")
    code, err = _validate(project)
    assert code != 0
    assert "docs/latin1.md:3: file: not UTF-8 text (byte 0xe9)" in err


@pytest.mark.parametrize(
    ("pattern", "replacement", "setting"),
    [
        (r"(?m)^site_name: .*$", "site_name: Atlas</title><script>alert(1)</script>", "site_name"),
        (r"(?m)^site_url: .*$", "site_url: javascript:alert(1)", "site_url"),
        (r'url: "https://tracker.example.org/issues/new"', 'url: "javascript:alert(1)"', "extra.report_error.url"),
    ],
)
def test_settings_are_checked_where_the_theme_prints_them(project: Path, pattern: str, replacement: str, setting: str):
    config = project / "mkdocs.yml"
    text, count = re.subn(pattern, replacement, config.read_text(encoding="utf-8"))
    assert count == 1
    config.write_text(text, encoding="utf-8")
    code, err = _validate(project)
    assert code != 0
    assert re.search(rf"^mkdocs\.yml:\d+: {re.escape(setting)}: ", err, re.M), err


def test_copyright_may_hold_links_but_not_script(project: Path):
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "\ncopyright: 'Text: <a href=\"https://example.org\">CC BY-SA</a>'\n", encoding="utf-8")
    assert _validate(project)[0] == 0
    config.write_text(text + "\ncopyright: '<img src=x onerror=alert(1)>'\n", encoding="utf-8")
    code, err = _validate(project)
    assert code != 0 and "mkdocs.yml:" in err and "markup: raw HTML" in err


# --- URL fields in the data -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["javascript:alert(1)", "plaintext", "script", "https://x.org/<script>", "data:,x"])
def test_organisation_and_source_urls_are_web_addresses_only(project: Path, url: str):
    entities = project / "data" / "entities.yaml"
    text = entities.read_text(encoding="utf-8")
    quoted = url.replace('"', '\\"')
    old = "{id: huawei, name: Huawei, country: CN, type: company}"
    assert old in text
    text = text.replace(old, old[:-1] + f', url: "{quoted}"}}')
    entities.write_text(text, encoding="utf-8")
    code, err = _validate(project)
    assert code != 0
    assert re.search(r"^data/entities\.yaml:\d+: organisations\[\d+\]\.url: .*a URL must start with http", err, re.M), (
        err
    )


def test_messages_show_control_characters_instead_of_printing_them():
    assert visible("ok\x1b[2J\rOK: 711 records\u202e") == "ok\\u001b[2J\\u000dOK: 711 records\\u202e"


def test_guard_leaves_the_generated_folders_to_the_writer(project: Path):
    """docs/atlas/ is the generator's own output (the writer sweeps links from it): not walked."""
    (project / "docs" / "atlas").mkdir(parents=True, exist_ok=True)
    assert guard.tree_problems(project / "docs", project, skip=[project / "docs" / "atlas"]) == []
    shutil.rmtree(project / "docs" / "atlas")


# --- faults and releases (issue: hostile input everywhere) ----------------------------------------------


def test_a_second_build_in_the_same_folder_says_another_is_running(project: Path):
    from generator.build import build_lock

    with build_lock(project):
        result = run_generator(project, "build", timeout=300)
    assert result.returncode == 2
    assert "another build is running in this folder (pid" in result.stderr
    assert not (project / "site").exists()


def test_a_killed_builds_leftovers_are_removed_by_the_next(project: Path):
    for name in (".site-abc123", ".site-old-17"):
        (project / name / "sub").mkdir(parents=True)
    result = run_generator(project, "build", timeout=600)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in project.glob(".site*")) == []


def test_a_theme_that_drops_the_citation_metadata_fails_the_build(project: Path):
    run_generator(project, "build", timeout=600)
    before = tree_digest(project / "site")
    (project / "templates/theme/main.html").write_text('{% extends "base.html" %}\n', encoding="utf-8")
    result = run_generator(project, "build", timeout=600)
    assert result.returncode == 2
    assert "lack the citation metadata" in result.stderr and "templates/theme/main.html" in result.stderr
    assert tree_digest(project / "site") == before


@pytest.mark.parametrize(
    ("edition", "date", "message"),
    [
        ("2027.01\n", "2027-01-05", "use YYYY.MM"),
        ("2027.13", "2027-01-05", "use YYYY.MM"),
        ("9999.99", "2027-01-05", "use YYYY.MM"),
        ("9999.12", "2027-01-05", "beyond the next one"),
        ("2027.02", "2027-02-30", "use a real date"),
    ],
)
def test_release_refuses_names_and_dates_that_would_corrupt_later_builds(project: Path, edition, date, message):
    before = sorted(p.name for p in (project / "editions").iterdir())
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    result = run_generator(project, "release", edition, "--date", date, timeout=120)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert sorted(p.name for p in (project / "editions").iterdir()) == before
    assert (project / "mkdocs.yml").read_text(encoding="utf-8") == config


def test_control_characters_written_as_yaml_escapes_are_refused(project: Path):
    entities = project / "data" / "entities.yaml"
    text = entities.read_text(encoding="utf-8")
    old = "{id: huawei, name: Huawei,"
    entities.write_text(text.replace(old, '{id: huawei, name: "Hua\\e[2J\\u202eOK: 711 records",'), encoding="utf-8")
    code, err = _validate(project)
    assert code != 0
    assert "organisations[0].name: control character U+001B (written as an escape) is not allowed" in err
    assert "\x1b" not in err and "\u202e" not in err


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("{id: huawei, name: Huawei,", "{id: index, name: Huawei,", "'index' is reserved"),
        ("{id: report-a,", "{id: " + "a" * 130 + ",", "is 130 characters long"),
    ],
)
def test_ids_that_would_replace_a_list_page_or_overflow_a_file_name_are_refused(project: Path, old, new, message):
    entities = project / "data" / "entities.yaml"
    text = entities.read_text(encoding="utf-8")
    assert old in text
    entities.write_text(text.replace(old, new), encoding="utf-8")
    code, err = _validate(project)
    assert code != 0
    assert re.search(rf"^data/entities\.yaml:\d+: \w+\[0\]\.id: {re.escape(message)}", err, re.M), err
