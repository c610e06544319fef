"""The report in a real browser: headless Chromium opens a report made from
a fixture, and the test checks that it loads without a single console
message (the report has no script, and its Content-Security-Policy blocks
any fetch, so any message means something tried to run or load), that the
conformance matrix, the divergence view and the charts are in the rendered
DOM, and saves a screenshot.

The screenshot goes to $ASIO_TWIN_ARTIFACTS (ctest sets it to
build/<preset>/scripts/artifacts) or, without it, next to the report in a
temporary folder. Skipped when /usr/bin/chromium is missing (scripts/setup
installs it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from support import FIXTURES, TempDirTest

from asio_twin import report

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
]


def chromium(page: Path, *action: str) -> subprocess.CompletedProcess:
    """Runs headless Chromium on `page` with a fresh profile."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        return subprocess.run(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *action, page.as_uri()],
            capture_output=True,
            text=True,
            timeout=60,
        )


def console_messages(stderr: str) -> list[str]:
    """Chromium logs every console message (errors, CSP violations,
    uncaught exceptions) as a `:CONSOLE` line."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@unittest.skipUnless(CHROMIUM.exists(), "chromium is not installed (scripts/setup installs it)")
class Browser(TempDirTest):
    def make_report(self) -> Path:
        """The diverged fixture plus the perf results of the passing one:
        matrix, divergence and charts on one page."""
        folder = self.copy_fixture("diverged")
        for name in ("perf.json", "perf_uring.json"):
            shutil.copy(FIXTURES / "pass" / name, folder / name)
        return report.generate(folder, folder / "index.html")

    def test_loads_cleanly_and_shows_matrix_and_charts(self):
        page = self.make_report()
        proc = chromium(page, "--dump-dom")
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        self.assertEqual(console_messages(proc.stderr), [])
        dom = proc.stdout
        self.assertIn('id="conformance-matrix"', dom)
        self.assertIn('class="first-diff"', dom)
        self.assertIn("<svg", dom)
        self.assertIn('id="perf-summary"', dom)

    def test_screenshot(self):
        page = self.make_report()
        folder = Path(os.environ.get("ASIO_TWIN_ARTIFACTS") or page.parent)
        folder.mkdir(parents=True, exist_ok=True)
        shot = folder / "report.png"
        shot.unlink(missing_ok=True)
        proc = chromium(page, "--window-size=1280,2400", f"--screenshot={shot}")
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        self.assertEqual(console_messages(proc.stderr), [])
        self.assertGreater(shot.stat().st_size, 10_000)
        self.assertEqual(shot.read_bytes()[:8], b"\x89PNG\r\n\x1a\n")

    def test_console_errors_are_caught(self):
        # The check above must be able to fail: a page with a script error.
        page = self.tmp / "broken.html"
        page.write_text("<!DOCTYPE html><p>x</p><script>throw new Error('boom')</script>")
        proc = chromium(page, "--dump-dom")
        self.assertTrue(any("boom" in m for m in console_messages(proc.stderr)), proc.stderr)


if __name__ == "__main__":
    unittest.main()
