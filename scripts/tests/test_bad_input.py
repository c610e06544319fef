"""Bad input to every command — compare, perf, report, gate, setup, test,
check-format — unknown flags, bad values, missing or foreign results
folders, unwritable or already used output folders: one line on stderr, exit status 2, and no
existing report overwritten or left half-written. (Broken result files are
in test_bad_files.py, hostile names in test_hostile_names.py, the C++
programs' flags in check_binary_flags.py.)

(All of compare's checks here happen before it builds anything. Running as
root, a folder cannot be made unwritable with permissions, so "unwritable"
is a path whose parent is a regular file.)
"""

from __future__ import annotations

import os
import unittest
from unittest import mock

from support import FIXTURES, PYTHON, SCRIPTS, TempDirTest, call, run

from asio_twin import files, report
from asio_twin.cli import UsageError

BAD_RESULTS = ("malformed", "truncated", "foreign", "foreign-gtest", "empty", "no-such-folder")
COMMANDS = ("compare", "perf", "report", "gate", "setup", "test", "check-format")
OLD_REPORT = "<html>the previous report</html>\n"


class Report(TempDirTest):
    def results_with_old_report(self, fixture: str):
        folder = self.copy_fixture(fixture) if (FIXTURES / fixture).exists() else self.tmp / fixture
        if folder.exists():
            (folder / "index.html").write_text(OLD_REPORT)
        return folder

    def assert_untouched(self, folder):
        if folder.exists():
            self.assertEqual((folder / "index.html").read_text(), OLD_REPORT)
            self.assertEqual([p.name for p in folder.iterdir() if p.name.startswith(".")], [])

    def test_bad_results(self):
        for fixture in BAD_RESULTS:
            with self.subTest(fixture=fixture):
                folder = self.results_with_old_report(fixture)
                self.assert_one_line_error(call("report", folder), "scripts/report")
                self.assert_untouched(folder)

    def test_bad_baseline_leaves_the_report_alone(self):
        folder = self.results_with_old_report("pass")
        for fixture in ("truncated", "foreign", "empty"):
            with self.subTest(baseline=fixture):
                result = call("report", folder, "--baseline", FIXTURES / fixture)
                self.assert_one_line_error(result, "scripts/report")
                self.assert_untouched(folder)

    def test_unwritable_output(self):
        blocker = self.tmp / "a-file"
        blocker.write_text("")
        for out in (blocker / "index.html", self.tmp / "missing" / "index.html", self.tmp):
            with self.subTest(out=out):
                result = call("report", FIXTURES / "pass", "--out", out)
                self.assert_one_line_error(result, "scripts/report")

    def test_usage_errors(self):
        self.assert_one_line_error(call("report"), "scripts/report")
        self.assert_one_line_error(call("report", FIXTURES / "pass", "--bogus"), "scripts/report")

    def test_the_command_itself(self):
        # Through the bash entry point: nothing else (no warning, no
        # traceback) reaches stderr.
        folder = self.results_with_old_report("malformed")
        self.assert_one_line_error(run(SCRIPTS / "report", folder), "scripts/report")
        self.assert_untouched(folder)

    def test_a_failure_while_writing_keeps_the_old_report(self):
        folder = self.results_with_old_report("pass")
        real_render = report.render
        # A string that cannot be encoded fails half-way through the write.
        with mock.patch.object(report, "render", lambda model: real_render(model) + "\ud800"):
            with self.assertRaises(UnicodeEncodeError):
                report.generate(folder, folder / "index.html")
        self.assert_untouched(folder)

    def test_write_atomic_replaces_only_when_complete(self):
        target = self.tmp / "out.txt"
        target.write_text("old")
        files.write_atomic(target, "new")
        self.assertEqual(target.read_text(), "new")
        self.assertEqual(os.listdir(self.tmp), ["out.txt"])
        with self.assertRaises(UsageError):
            files.write_atomic(self.tmp / "no" / "x.txt", "x")


class OutputFolder:
    """--out of compare and perf: a folder holding results, or one that
    cannot be written, is refused before anything runs."""

    command = ""
    fixture = ""  # a results folder

    def test_existing_results_are_not_overwritten(self):
        folder = self.copy_fixture(self.fixture)
        (folder / "index.html").write_text(OLD_REPORT)
        before = {p.name: p.read_bytes() for p in folder.iterdir()}
        result = call(self.command, "--out", folder)
        self.assert_one_line_error(result, f"scripts/{self.command}")
        self.assertIn("already holds results", result[2])
        self.assertEqual({p.name: p.read_bytes() for p in folder.iterdir()}, before)

    def test_unwritable_output(self):
        blocker = self.tmp / "a-file"
        blocker.write_text("")
        for out in (blocker, blocker / "sub"):
            with self.subTest(out=out):
                result = call(self.command, "--out", out)
                self.assert_one_line_error(result, f"scripts/{self.command}")


class Compare(OutputFolder, TempDirTest):
    command, fixture = "compare", "pass"

    def test_bad_baseline_is_rejected_before_anything_runs(self):
        for fixture in ("truncated", "malformed", "foreign", "empty", "no-such-folder"):
            with self.subTest(baseline=fixture):
                result = call(
                    "compare", "--baseline", FIXTURES / fixture, "--out", self.tmp / "out"
                )
                self.assert_one_line_error(result, "scripts/compare")
                self.assertFalse((self.tmp / "out").exists())

    def test_usage_errors(self):
        for argv in (
            ["--bogus"],
            ["--backends", ","],  # an unknown name: test_compare (the build declares them)
            ["--backends", "twin,a b"],
            ["--filter", "("],
            ["--quick=yes"],
        ):
            with self.subTest(argv=argv):
                self.assert_one_line_error(call("compare", *argv), "scripts/compare")

    def test_the_command_itself(self):
        proc = run(PYTHON, SCRIPTS / "compare.py", "--bogus")
        self.assert_one_line_error(proc, "scripts/compare")


class Gate(TempDirTest):
    def test_bad_results(self):
        for fixture in BAD_RESULTS:
            with self.subTest(fixture=fixture):
                folder = FIXTURES / fixture if (FIXTURES / fixture).exists() else self.tmp / fixture
                self.assert_one_line_error(call("gate", folder), "scripts/gate")

    def test_usage_errors(self):
        for argv in (
            ["--bogus"],
            [FIXTURES / "pass", FIXTURES / "fail"],
            ["--thresholds"],
            [FIXTURES / "pass", "--no-perf=1"],
            ["-x"],
        ):
            with self.subTest(argv=argv):
                self.assert_one_line_error(call("gate", *argv), "scripts/gate")

    def test_a_file_for_a_folder(self):
        path = self.tmp / "a-file"
        path.write_text("{}")
        self.assert_one_line_error(call("gate", path), "scripts/gate")


class Perf(OutputFolder, TempDirTest):
    command, fixture = "perf", "perf-close"

    def test_usage_errors(self):
        # Checked before scripts/setup or the build runs.
        for argv in (
            ["--bogus"],
            ["--repetitions", "0"],
            ["--repetitions", "abc"],
            ["--filter", "("],
            ["--quick=yes"],
            ["positional"],
            ["--out"],
            ["--build-dir", "no-such-build"],
        ):
            with self.subTest(argv=argv):
                self.assert_one_line_error(call("perf", *argv), "scripts/perf")


class Commands(TempDirTest):
    """The bash entry points: unknown flags are refused before anything is
    installed or built, with nothing but the one line on stderr."""

    def test_unknown_flags(self):
        for command in COMMANDS:
            for flag in ("--bogus", "--<script>alert(1)</script>"):
                with self.subTest(command=command, flag=flag):
                    proc = run(SCRIPTS / command, flag)
                    self.assert_one_line_error(proc, f"scripts/{command}")
                    self.assertEqual(proc.stdout, "", "ran something before the check")

    def test_help_is_not_an_error(self):
        for command in COMMANDS:
            with self.subTest(command=command):
                proc = run(SCRIPTS / command, "--help")
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assertEqual(proc.stderr, "")
        self.assertIn("--no-asan", run(SCRIPTS / "test", "--help").stdout)

    def test_a_bad_value_through_bash(self):
        proc = run(SCRIPTS / "compare", "--backends", "twin,<b>x</b>")
        self.assert_one_line_error(proc, "scripts/compare")
        self.assertEqual(proc.stdout, "")


if __name__ == "__main__":
    unittest.main()
