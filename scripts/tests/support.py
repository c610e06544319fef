"""Shared by the scripts' tests: where things are, and how to run a command.

Tests import the package straight from scripts/ (asio_twin) and run the
commands the way users do (scripts/report, scripts/gate, scripts/compare.py
with /usr/bin/python3), on the fixture folders in fixtures/ (see
fixtures/make_fixtures.py). Fixtures are copied to a temporary folder before
anything writes next to them.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SCRIPTS = TESTS.parent
ROOT = SCRIPTS.parent
FIXTURES = TESTS / "fixtures"
PYTHON = "/usr/bin/python3"

if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))


def run(*cmd: str | Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """Runs a command from the repository's root, capturing its output."""
    return subprocess.run(
        [str(c) for c in cmd], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def call(command: str, *argv: str | Path) -> tuple[int, str, str]:
    """Runs scripts/<command>.py's main in this process (no interpreter
    start-up, scipy and matplotlib imported once): (status, stdout, stderr)."""
    from asio_twin.cli import run_main

    module = importlib.import_module(command)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = run_main(f"scripts/{command}", module.main, [str(a) for a in argv])
    return status, out.getvalue(), err.getvalue()


class TempDirTest(unittest.TestCase):
    """A test with a fresh temporary folder, self.tmp, removed afterwards."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="asio-twin-test-")
        self.tmp = Path(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()

    def copy_fixture(self, name: str) -> Path:
        """A private copy of fixtures/<name>, safe to write into."""
        dest = self.tmp / Path(name).name
        shutil.copytree(FIXTURES / name, dest)
        return dest

    def assert_one_line_error(self, result, prog: str):
        """Exit status 2 and exactly one line on stderr, naming the command.
        `result`: a CompletedProcess, or call()'s (status, stdout, stderr)."""
        if isinstance(result, subprocess.CompletedProcess):
            result = (result.returncode, result.stdout, result.stderr)
        status, stdout, stderr = result
        self.assertEqual(status, 2, stderr + stdout)
        lines = stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, f"stderr should be one line, got:\n{stderr}")
        self.assertTrue(lines[0].startswith(f"{prog}: "), lines[0])
        self.assertNotIn("Traceback", stderr)
