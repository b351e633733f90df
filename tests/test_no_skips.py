"""`make test` never passes by skipping the browser tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from tests.conftest import ROOT


def test_a_skipped_browser_test_fails_the_run(tmp_path):
    shutil.copy(ROOT / "tests" / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_b.py").write_text(
        "import pytest\n\n\n@pytest.mark.browser\ndef test_needs_chromium():\n    pytest.skip('no chromium')\n\n\n"
        "def test_other_may_skip():\n    pytest.skip('not a browser test')\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # conftest.py loads the browser kit from tests/
    )
    assert result.returncode == 1, result.stdout
    assert "1 failed, 1 skipped" in result.stdout, result.stdout
    assert "browser tests must run, not skip: Skipped: no chromium" in result.stdout


def test_missing_chromium_names_the_command_that_installs_it():
    for path in [*ROOT.glob("tests/test_browser*.py"), ROOT / "tests" / "browser_kit.py"]:
        assert "pytest.skip(" not in path.read_text(encoding="utf-8"), path
    assert "make browser-deps" in (ROOT / "tests" / "browser_kit.py").read_text(encoding="utf-8")
    assert "browser-deps:" in (ROOT / "Makefile").read_text(encoding="utf-8")
