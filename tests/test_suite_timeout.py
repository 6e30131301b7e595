"""The suite's own safety net: a hung test fails alone, with pytest-timeout as pyproject.toml
configures it (its method), inside a pytest-xdist worker as `make test` runs it; the tests after
it still run, and the hung test's fixture is still torn down."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]

HUNG = """
import time
import pytest

@pytest.fixture
def marker(tmp_path_factory):
    yield
    (tmp_path_factory.getbasetemp().parent / "torn-down").write_text("yes")

def test_hangs(marker):
    time.sleep(3600)

def test_after():
    assert True
"""


def test_the_suite_gives_each_test_a_generous_bound() -> None:
    assert OPTIONS["timeout"] >= 600  # the longest test took 101 s beside other jobs


def test_a_hung_test_fails_alone_in_an_xdist_worker(tmp_path: Path) -> None:
    (tmp_path / "test_hung.py").write_text(HUNG)
    # The suite's method, a short bound; this folder's own ini file, so the run's rootdir and
    # options are only these.
    (tmp_path / "pytest.ini").write_text(
        f"[pytest]\ntimeout = 2\ntimeout_method = {OPTIONS['timeout_method']}\n"
    )
    base = tmp_path / "base"  # a worker's basetemp is a folder inside it
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "1", "--basetemp", str(base), "test_hung.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "1 failed, 1 passed" in output, output
    assert "Timeout" in output, output
    assert (base / "torn-down").read_text() == "yes"


def test_each_group_of_shared_set_up_names_a_test_module() -> None:
    """A module renamed or removed would silently leave its group (tests/conftest.py), and its
    fixture would again be set up in every worker."""
    from tests.conftest import SHARED_SETUP_GROUPS

    assert [m for m in SHARED_SETUP_GROUPS if not (ROOT / "tests" / m).is_file()] == []
