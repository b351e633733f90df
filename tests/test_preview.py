"""The preview survives every bad-input scenario: it shows the error in the page and the
terminal, keeps serving, and recovers when the file is fixed.

One preview process serves a copy of the fixture atlas on a free port for the whole module;
each scenario of tests/fixtures/bad/ (whatever the folder holds) is dropped into its data/,
then removed again.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build import load_atlas
from generator.config import load_config
from generator.preview import BANNER_ID
from tests.browser_kit import Watch
from tests.conftest import BAD, ROOT, make_project
from tests.test_validate import expectations

try:  # the bad-input corpus and how to lay each scenario over a project (tests/test_bad_input.py)
    from tests.test_bad_input import SCENARIOS
    from tests.test_bad_input import _apply as apply_scenario
except ImportError:  # before that corpus: each scenario is a file dropped into data/
    SCENARIOS = sorted(p.name for p in BAD.glob("*.yaml"))

    def apply_scenario(scenario: str, root: Path) -> list[str]:
        shutil.copy(BAD / scenario, root / "data" / scenario)
        return [f"data/{scenario}:{e}" for e in expectations(BAD / scenario)]


RECORD = "atlas/records/mtg-kz-2019-05-01/"
TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


class Preview:
    def __init__(self, root: Path, proc: subprocess.Popen[str], url: str, log: Path) -> None:
        self.root, self.proc, self.url, self.log = root, proc, url, log

    def page(self, path: str = "") -> str:
        assert self.proc.poll() is None, f"the preview died:\n{self.log.read_text()}"
        status, text = _get(self.url + path)
        assert status == 200, (status, text[:500])
        return text

    def wait_for(self, check, what: str, path: str = "") -> str:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"the preview died:\n{self.log.read_text()}"
            # A save caught half-written (an editor truncates, then writes) may build a page
            # empty for a moment; what counts is the page once the saves are done.
            status, text = _get(self.url + path)
            if status == 200 and check(text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"{what} did not happen within {TIMEOUT}s; log:\n{self.log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    root = make_project(tmp_path_factory.mktemp("preview") / "atlas")
    shutil.copytree(ROOT / "admin", root / "admin")  # the form editor, served at /admin/
    port = _free_port()
    log = root.parent / "preview.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "--root", str(root), "serve", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
    p = Preview(root, proc, f"http://127.0.0.1:{port}/", log)
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            assert proc.poll() is None, log.read_text()
            try:
                if _get(p.url)[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield p
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _banner(text: str) -> str:
    start = text.find(f'id="{BANNER_ID}"')
    return html.unescape(text[start : text.find("</div>", start)]) if start >= 0 else ""


def test_the_preview_serves_the_atlas_without_a_banner(preview):
    assert "Kazakh and Chinese ministers meet" in preview.page(RECORD)
    assert BANNER_ID not in preview.page()


def _builds(preview: Preview) -> int:
    return preview.log.read_text().count("preview updated in")


def test_a_saved_edit_shows_without_restarting_after_one_rebuild(preview):
    data = preview.root / "data" / "records.yaml"
    before = data.read_text(encoding="utf-8")
    builds = _builds(preview)
    data.write_text(before.replace("Kazakh and Chinese ministers meet", "Ministers meet again, edited"), "utf-8")
    try:
        preview.wait_for(lambda t: "Ministers meet again, edited" in t, "the edit", RECORD)
        time.sleep(1.5)  # a second rebuild (for example from watching its own output) would show by now
        assert _builds(preview) == builds + 1, preview.log.read_text()[-2000:]
        total, written = map(int, re.findall(r"generated (\d+) files \((\d+) written", preview.log.read_text())[-1])
        assert 0 < written < total / 2, "only the changed pages are written"
    finally:
        data.write_text(before, encoding="utf-8")
    preview.wait_for(lambda t: "Kazakh and Chinese ministers meet" in t, "the revert", RECORD)


def test_a_data_edit_renders_the_pages_it_changed_the_open_page_first_and_pages_including_them(preview):
    """A data save renders only the pages it rewrote, with the last build's mkdocs objects
    (generator/previewpages.py), the page a browser has open before the browsers reload; the
    home page, which includes a generated part (`--8<--`), shows the change too (mkdocs' dirty
    build left it stale); a new record (a new page) goes through mkdocs' dirty build and shows."""
    data = preview.root / "data" / "records.yaml"
    before = data.read_text(encoding="utf-8")
    preview.page(RECORD)  # the record's page is open
    log_at = len(preview.log.read_text())
    data.write_text(before.replace("Kazakh and Chinese ministers meet", "Ministers meet, fast path"), "utf-8")
    try:
        preview.wait_for(lambda t: "Ministers meet, fast path" in t, "the edit", RECORD)
        preview.wait_for(lambda t: "Ministers meet, fast path" in t, "the edit on the home page", "")
        log = preview.log.read_text()[log_at:]
        # the record's page job ran first, and its page showed before the other pages were made
        assert re.search(rf"open pages visible after [0-9.]+s: /{RECORD}\npages generated in", log), log
        assert "Reading markdown pages" not in log
        # a new record: its page is new to mkdocs, so mkdocs' dirty build runs and adds it
        item = re.search(r"(?ms)^  - id: mtg-kz-2019-05-01\n.*?(?=^  - id: |^\S|\Z)", before)
        assert item is not None
        copy = (
            item.group(0)
            .replace("mtg-kz-2019-05-01", "mtg-kz-2017-02-01")
            .replace('date: "2019-05"', 'date: "2017-02"')
            .replace("Kazakh and Chinese ministers meet", "A second meeting, a new page")
        )
        data.write_text(before[: item.end()] + copy + before[item.end() :], "utf-8")
        page = preview.wait_for(
            lambda t: "A second meeting, a new page" in t, "the new page", "atlas/records/mtg-kz-2017-02-01/"
        )
        assert BANNER_ID not in page
    finally:
        data.write_text(before, encoding="utf-8")
    preview.wait_for(lambda t: "Kazakh and Chinese ministers meet" in t, "the revert", RECORD)
    preview.wait_for(lambda t: "Kazakh and Chinese ministers meet" in t, "the revert on the home page", "")


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {
        p: p.read_bytes()
        for d in ("data", "templates")
        for p in (root / d).rglob("*")
        if p.is_file() and not p.is_symlink()
    }


def _restore(root: Path, snapshot: dict[Path, bytes]) -> None:
    """Undo a scenario file by file (the watched folders themselves stay, so their watches do)."""
    for d in ("data", "templates"):
        for path in sorted((root / d).rglob("*"), reverse=True):
            if path.is_symlink() or (path.is_file() and path not in snapshot):
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()) and not any(p.is_relative_to(path) for p in snapshot):
                path.rmdir()
    for path, data in snapshot.items():
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_preview_reports_each_bad_input_and_recovers(preview, scenario):
    snapshot = _snapshot(preview.root)
    try:
        expected = apply_scenario(scenario, preview.root)
        text = preview.wait_for(lambda t: BANNER_ID in t, f"the error banner for {scenario}")
        banner = _banner(text)
        for want in expected:
            assert want in banner, f"{want!r} not in the banner:\n{banner[-3000:]}"
        assert "Traceback" not in banner, banner
        # Every page is still served, with the banner, from the last good build.
        assert BANNER_ID in preview.page(RECORD)
        assert all(want in preview.log.read_text() for want in expected), "the error is printed in the terminal too"
    finally:
        _restore(preview.root, snapshot)
    preview.wait_for(lambda t: BANNER_ID not in t, f"recovery from {scenario}")
    assert "Kazakh and Chinese ministers meet" in preview.page(RECORD)


def test_an_unexpected_exception_is_shown_and_the_preview_recovers(preview):
    """Not only data errors: a broken template raises a Jinja error inside the generator."""
    template = preview.root / "templates" / "record.md.j2"
    good = template.read_text(encoding="utf-8")
    template.write_text(good + "\n{{ no_such_variable.attribute }}\n", encoding="utf-8")
    try:
        text = preview.wait_for(lambda t: BANNER_ID in t, "the template error banner")
        assert "no_such_variable" in _banner(text)
    finally:
        template.write_text(good, encoding="utf-8")
    preview.wait_for(lambda t: BANNER_ID not in t, "recovery from the template error")


def test_a_broken_theme_template_is_shown_and_the_preview_recovers(preview):
    """An error inside mkdocs (not the generator): a full rebuild fails, then succeeds again."""
    theme = preview.root / "templates" / "theme" / "main.html"
    good = theme.read_text(encoding="utf-8")
    theme.write_text(good.replace("{% block extrahead %}", "{% block extrahead %}{% if %}", 1), encoding="utf-8")
    try:
        text = preview.wait_for(lambda t: BANNER_ID in t, "the theme error banner")
        assert "mkdocs: templates/theme/main.html:" in _banner(text), _banner(text)
    finally:
        theme.write_text(good, encoding="utf-8")
    preview.wait_for(lambda t: BANNER_ID not in t, "recovery from the theme error")
    assert "Kazakh and Chinese ministers meet" in preview.page(RECORD)


def test_the_watcher_ignores_the_generated_and_hidden_folders_of_docs(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import preview as pv

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = pv.Preview(project, "127.0.0.1", port)
    try:
        docs = project / "docs"
        assert p.wants(str(project / "data/records.yaml"))
        assert p.wants(str(project / "data/.hidden.yaml"))  # the loader reads it, so it counts
        assert p.wants(str(docs / "about.md"))
        assert not p.wants(str(docs / "atlas/records/x.md"))
        assert not p.wants(str(docs / "downloads/records.csv"))
        assert not p.wants(str(docs / ".atlas.new-abc123/records/x.md"))  # a clean build's staging
        assert not p.wants(str(docs / "editors/.index.md.swp"))
    finally:
        p.server.server_close()
        shutil.rmtree(p.site_dir, ignore_errors=True)


def test_a_folder_moved_in_or_out_of_data_rebuilds(preview, tmp_path):
    """`mv data/more away` and back: the preview follows folder moves, not only file saves."""
    outside = tmp_path / "more"
    outside.mkdir()
    (outside / "meetings.yaml").write_text(
        "meetings:\n"
        "  - id: mtg-kz-2019-06-01\n"
        "    title: A meeting in a moved folder\n"
        '    date: "2019-06"\n'
        "    countries: [KZ]\n"
        "    ca_official: Minister of Defence\n"
        "    cn_official: Minister of Defence\n"
        "    citations:\n"
        "      - {source: report-a, locator: Appendix 1}\n",
        encoding="utf-8",
    )
    inside = preview.root / "data" / "more"
    os.rename(outside, inside)
    try:
        preview.wait_for(lambda t: "A meeting in a moved folder" in t, "the moved-in folder", "atlas/records/")
    finally:
        os.rename(inside, outside)
    preview.wait_for(lambda t: "A meeting in a moved folder" not in t, "the moved-out folder", "atlas/records/")


@pytest.mark.browser
@pytest.mark.engine_independent
def test_a_page_open_in_a_browser_reloads_with_the_edit_made_first(preview, browser):
    """Chromium has a record's page open; the page's live-reload request tells the preview so (its
    Referer), the preview makes that page first, and the browser reloads by itself to the edit."""
    data = preview.root / "data" / "records.yaml"
    before = data.read_text(encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    try:
        pg.goto(preview.url + RECORD)
        pg.wait_for_timeout(300)  # the reload script's request is waiting
        preview.page("")  # the page served last is another one: only the browser's request names the record
        log_at = len(preview.log.read_text())
        data.write_text(
            before.replace("Kazakh and Chinese ministers meet", "Ministers meet, seen in Chromium"), "utf-8"
        )
        pg.wait_for_function("document.title.includes('seen in Chromium')", timeout=TIMEOUT * 1000)
        log = preview.log.read_text()[log_at:]
        assert re.search(rf"open pages visible after [0-9.]+s: /{RECORD}\n", log), log
    finally:
        context.close()
        data.write_text(before, encoding="utf-8")
    preview.wait_for(lambda t: "Kazakh and Chinese ministers meet" in t, "the revert", RECORD)


@pytest.mark.browser
@pytest.mark.engine_independent
def test_the_form_editor_lists_a_kind_opens_a_record_refuses_an_invalid_save_and_saves_a_valid_one(preview, browser):
    """Decap CMS at /admin/ of the preview, through the preview's own /api/v1: the meetings are
    listed, one opens with its values in the form, a change that would not validate is refused with
    its problem shown, and a changed title is saved into the YAML file (only that line changes:
    flow lists, quotes and the other items stay) and the data validates."""
    data = preview.root / "data" / "records.yaml"
    before = data.read_text(encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    watch = Watch(pg)
    try:
        pg.goto(preview.url + "admin/#/collections/meetings")
        pg.get_by_role("button", name="Login").click()  # Decap's local backend: no account
        listed = pg.get_by_text("mtg-kz-2019-05-01 | Kazakh and Chinese ministers meet")
        listed.wait_for(timeout=20_000)
        assert pg.get_by_text("mtg-kg-2020-11-01 |").count() == 1  # both meetings, hostile title as text
        assert pg.get_by_text("ex-bi-tj-2016-01").count() == 0  # only this kind
        listed.click()
        title = pg.locator("input[id^='title-field']")
        title.wait_for(timeout=10_000)
        assert title.input_value() == "Kazakh and Chinese ministers meet"
        assert pg.locator("input[id^='date_as_given-field']").input_value() == "Mai 2019"
        assert pg.locator("input[id^='ca_official-field']").input_value() == "Minister of Defence"
        places = pg.locator("input[id^='places-field']")
        assert places.input_value() == "astana"
        # a save that would make the atlas invalid is refused, with the problem, and writes nothing
        places.fill("nowhere")
        pg.get_by_role("button", name="Publish").click()
        pg.get_by_text("Publish now").click()
        pg.get_by_text("unknown place 'nowhere'", exact=False).wait_for(timeout=15_000)
        assert data.read_text(encoding="utf-8") == before
        places.fill("astana")
        title.fill("Kazakh and Chinese defence ministers meet")
        pg.get_by_role("button", name="Publish").click()
        pg.get_by_text("Publish now").click()
        deadline = time.monotonic() + 15
        while "defence ministers" not in data.read_text(encoding="utf-8") and time.monotonic() < deadline:
            time.sleep(0.1)
        after = data.read_text(encoding="utf-8")
        assert after == before.replace(
            "title: Kazakh and Chinese ministers meet", "title: Kazakh and Chinese defence ministers meet"
        )
        atlas = load_atlas(load_config(preview.root))
        assert atlas.records["mtg-kz-2019-05-01"].title == "Kazakh and Chinese defence ministers meet"
        assert watch.outside == []  # Decap and its chunks come from the preview, nothing from a CDN
        assert watch.dialogs == []
    finally:
        context.close()
        data.write_text(before, encoding="utf-8")
    preview.wait_for(lambda t: "Kazakh and Chinese ministers meet" in t, "the revert", RECORD)


@pytest.mark.parametrize("rel", ["data/pipe.yaml", "data/prose/pipe.md", "docs/pipe.md"])
def test_a_fifo_is_reported_and_the_preview_recovers_once_it_is_removed(preview, rel):
    """A FIFO named like a data file, an essay or a docs page used to block the build forever."""
    fifo = preview.root / rel
    os.mkfifo(fifo)
    try:
        text = preview.wait_for(lambda t: f"{rel}:1" in _banner(t), f"the FIFO {rel} reported")
        assert "Traceback" not in _banner(text)
    finally:
        fifo.unlink()
    preview.wait_for(lambda t: BANNER_ID not in t, f"recovery after {rel} is removed")
    assert "Kazakh and Chinese ministers meet" in preview.page(RECORD)


def test_a_nul_byte_in_an_address_is_not_found_not_a_server_error(preview):
    status, text = _get(preview.url + "atlas/%00.html")
    assert status == 404, (status, text[:300])
    assert "Traceback" not in preview.log.read_text()
    assert BANNER_ID not in preview.page()
