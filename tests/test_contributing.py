"""What checks a contribution: the workflows, the pre-commit hooks and the issue forms name
commands, targets and fields that exist, and the site's "Report an error" link fills in the
report form's own fields."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from jinja2 import Environment, FileSystemLoader

from tests.conftest import ROOT

GITHUB = ROOT / ".github"
FORMS = GITHUB / "ISSUE_TEMPLATE"


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def form_fields(name: str) -> dict[str, dict[str, Any]]:
    """An issue form's fields that take input, by id."""
    form = _yaml(FORMS / name)
    return {f["id"]: f for f in form["body"] if f["type"] != "markdown"}


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"(?m)^([A-Za-z][\w-]*):", text))


def generator_commands() -> set[str]:
    text = (ROOT / "generator" / "cli.py").read_text(encoding="utf-8")
    return set(re.findall(r'sub\.add_parser\(\s*"([\w-]+)"', text))


def _runs(workflow: dict[str, Any]) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "run" in step]


def _check_command(line: str) -> None:
    """A make target, a generator command or a script of the repository that exists."""
    words = shlex.split(line.split("#")[0]) if line.strip() else []
    if not words:
        return
    if words[0] == "make":
        targets = [w for w in words[1:] if "=" not in w and not w.startswith("-")]
        assert targets and set(targets) <= make_targets(), line
    elif words[0].endswith("python") and words[1:3] == ["-m", "generator"]:
        assert words[3] in generator_commands(), line
    elif words[0].startswith((".ci/", "./")):
        assert os.access(ROOT / words[0], os.X_OK), line


def test_pull_requests_are_validated_and_tested():
    checks = _yaml(GITHUB / "workflows" / "checks.yml")
    triggers = checks.get("on", checks.get(True))  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers
    runs = _runs(checks)
    assert "make validate" in runs and ".venv/bin/python -m generator schema --check" in runs
    assert ".ci/run" in runs and ".ci/run zensical" in runs  # make test; the browser tests on Zensical
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test ;;" in ci and "make test-zensical" in ci  # README's test command; Zensical's job
    for job in checks["jobs"].values():
        assert "bookworm" in job["container"]  # Debian: the browser tests need its chromium
    for run in runs:
        for line in run.splitlines():
            _check_command(line)


def test_deploy_builds_the_site_and_the_archived_editions():
    pages = _yaml(GITHUB / "workflows" / "pages.yml")
    build = pages["jobs"]["build"]["steps"]
    checkout = next(s for s in build if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # the edition-* tags
    runs = "\n".join(_runs(pages))
    assert "make site" in runs and 'make edition-site EDITION="$edition"' in runs
    assert "editions/*.json" in runs and any(ROOT.glob("editions/*.json"))
    for line in runs.splitlines():
        _check_command(line.strip())


def test_pre_commit_hooks_run_the_projects_own_commands_and_pass_on_this_tree():
    config = _yaml(ROOT / ".pre-commit-config.yaml")
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert {"validate", "schema", "ruff-check", "ruff-format"} <= set(hooks)
    for hook in hooks.values():
        assert hook["language"] == "system"
        words = shlex.split(hook["entry"])
        assert words[0] == ".venv/bin/python"
        _check_command(hook["entry"])
        # run it as pre-commit would, with this interpreter; the ruff hooks on one file
        args = [sys.executable, *words[1:]] + ([] if hook.get("pass_filenames") is False else [__file__])
        result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False, timeout=120)
        assert result.returncode == 0, (hook["id"], result.stdout[-2000:], result.stderr[-2000:])


def test_issue_forms_are_well_formed():
    for path in [FORMS / "report-error.yml", FORMS / "suggest-source.yml"]:
        form = _yaml(path)
        assert form["name"] and form["description"] and form["body"], path
        ids = [f["id"] for f in form["body"] if f["type"] != "markdown"]
        assert len(ids) == len(set(ids)), path
        for field in form["body"]:
            assert field["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}, path
            assert field["attributes"].get("label") or field["type"] == "markdown", path
            assert field["type"] == "markdown" or re.fullmatch(r"[a-z][a-z0-9-]*", field["id"]), path
    assert form_fields("suggest-source.yml").keys() >= {"source-title", "source-url", "covers"}


def _report_link(config: dict[str, Any], canonical: str) -> str:
    """The link templates/theme/partials/comments.html renders for a page."""
    env = Environment(loader=FileSystemLoader(ROOT / "templates" / "theme"), autoescape=False)
    out = env.get_template("partials/comments.html").render(
        config=config, page={"canonical_url": canonical, "meta": {}}
    )
    m = re.search(r'<a href="([^"]+)"', out)
    assert m, out
    return m.group(1).replace("&amp;", "&")


@pytest.mark.parametrize(
    ("extra", "tracker"),
    [
        ({}, "https://github.com/o/atlas/issues/new"),  # the repository's tracker, from repo_url
        ({"report_error": {"url": "https://tracker.example.org/new"}}, "https://tracker.example.org/new"),
    ],
)
def test_report_an_error_fills_in_the_report_forms_fields(extra, tracker):
    canonical = "https://atlas.example.org/atlas/records/x/"
    link = urlsplit(_report_link({"repo_url": "https://github.com/o/atlas", "extra": extra}, canonical))
    assert f"{link.scheme}://{link.netloc}{link.path}" == tracker
    query = {k: v[0] for k, v in parse_qs(link.query).items()}
    assert (FORMS / query.pop("template")).is_file()
    assert query.pop("title") == f"Error on {canonical}"
    fields = form_fields("report-error.yml")
    assert set(query) <= set(fields), "every parameter of the link is a field of the form"
    assert query["page"] == canonical
    assert fields["page"]["validations"]["required"]  # the one field the link fills is the one the form needs


def test_no_tracker_no_link():
    env = Environment(loader=FileSystemLoader(ROOT / "templates" / "theme"))
    out = env.get_template("partials/comments.html").render(config={"extra": {}}, page={"canonical_url": "x"})
    assert "atlas-report-error" not in out


@pytest.mark.parametrize(
    ("settings", "origin", "expected"),
    [
        (
            "repo_url: https://github.com/o/a/\nedit_uri: edit/main/docs/",
            "data/r.yaml:7",
            "https://github.com/o/a/blob/main/data/r.yaml#L7",
        ),
        (
            "repo_url: https://github.com/o/a\nedit_uri: edit/dev/docs",
            "data/prose/m.md",
            "https://github.com/o/a/edit/dev/data/prose/m.md",
        ),
        ("repo_url: https://github.com/o/a", "data/r.yaml:7", None),  # no edit_uri: no edit links
        ("edit_uri: edit/main/docs/", "data/r.yaml:7", None),  # no repository
    ],
)
def test_generated_pages_edit_their_data_from_repo_url_and_edit_uri(tmp_path, settings, origin, expected):
    from generator.config import load_config

    (tmp_path / "mkdocs.yml").write_text(f"site_name: A\n{settings}\n", encoding="utf-8")
    assert load_config(tmp_path).source_url(origin) == expected
