"""scripts/compare's orchestration, on stand-in binaries.

Building and running the real suites takes minutes, so these tests replace
the build step and give compare.py a fake build folder: a conformance
"binary" that lists the fixture's scenarios and "runs" them by copying the
fixture's GoogleTest JSON, perf "binaries" that list the fixture's
benchmarks, and a fake scripts/perf that copies the fixture's Google
Benchmark JSON. What is tested is everything compare.py does around them:
selection, progress, the results folder, context.json, the report,
reports/latest, the summary and the exit status. The real thing runs in
`scripts/compare --quick` (README).
"""

from __future__ import annotations

import json
import os
import textwrap
import unittest
from pathlib import Path
from unittest import mock

from support import FIXTURES, PYTHON, TempDirTest, call

import compare
from asio_twin import instructions
from asio_twin.build import backends

FAKE_CONFORMANCE = """\
    import json, pathlib, re, sys
    suites = {{}}
    for path in sorted(pathlib.Path({fixture!r}).glob("conformance-*.json")):
        data = json.load(open(path))
        for s in data["testsuites"]:
            backend = s["name"].split("/")[2]
            suites[s["name"]] = (backend, data, [t["name"] for t in s["testsuite"]])
    args = dict(a.split("=", 1) if "=" in a else (a, "") for a in sys.argv[1:])
    if "--gtest_list_tests" in args:
        for name, (_, _, tests) in suites.items():
            print(name + ".")
            for t in tests:
                print("  " + t)
        sys.exit(0)
    names = args["--gtest_filter"].split(":")
    backend = names[0].split("/")[2].split(".")[0]
    data = next(d for b, d, _ in suites.values() if b == backend)
    for n in names:
        print(f"[ RUN      ] {{n}}")
        print(f"[       OK ] {{n}} (0 ms)")
    open(args["--gtest_output"].removeprefix("json:"), "w").write(json.dumps(data))
"""

# Lists the fixture's benchmarks, or "runs" them: a console row per
# repetition, the fixture's JSON as --benchmark_out.
FAKE_PERF_PROGRAM = """\
    import json, re, sys
    data = json.load(open({path!r}))
    names = list(dict.fromkeys(b["run_name"] for b in data["benchmarks"]))
    args = dict(a.split("=", 1) if "=" in a else (a, "") for a in sys.argv[1:])
    pattern = args.get("--benchmark_filter", "")
    if "--benchmark_list_tests" in args:
        print("\\n".join(n for n in names if re.search(pattern, n)))
        sys.exit(0)
    for b in data["benchmarks"]:
        print(f"{{b['name']}}  {{b['real_time']}} ns  {{b['cpu_time']}} ns  {{b['iterations']}}")
    open(args["--benchmark_out"], "w").write(json.dumps(data))
"""


def fake_instruction_counts(selected, flags, progress=None, **_):
    """instructions.measure's document for the stand-ins: no count, none failed."""
    return {"method": "stand-in", "iterations": [1, 2], "benchmarks": [], "failures": []}


# What a configured build declares (backends.json): (backend, suffix of its programs).
DECLARED = [("twin", ""), ("asio", ""), ("asio_uring", "_uring")]


class FakeBuild(TempDirTest):
    """compare.py with its build step replaced and its folders redirected."""

    def fake(self, fixture: str):
        build = self.tmp / "build"
        src = FIXTURES / fixture
        declared = []
        for backend, suffix in DECLARED:
            files = {
                "conformance": build / "conformance" / f"conformance{suffix}",
                "perf": build / "perf" / f"perf{suffix}",
                "syscalls": build / "perf" / "syscalls" / f"perf_syscalls{suffix}",
            }
            declared.append(
                {"name": backend}
                | {k: {"target": f.name, "file": str(f)} for k, f in files.items()}
            )
            self.script(files["conformance"], FAKE_CONFORMANCE.format(fixture=str(src)))
            perf_json = src / f"{files['perf'].name}.json"
            if perf_json.exists():
                self.script(files["perf"], FAKE_PERF_PROGRAM.format(path=str(perf_json)))
        (build / "backends.json").write_text(json.dumps({"backends": declared}))
        self.build = build
        self.reports = self.tmp / "reports"
        self.reports.mkdir()
        for patch in (
            mock.patch.object(compare, "BUILD", build),
            mock.patch.object(compare, "REPORTS", self.reports),
            mock.patch.object(
                compare, "build_programs", lambda progress, with_perf: backends(build)
            ),
            # callgrind cannot count stand-ins; test_instructions covers the counting
            mock.patch.object(instructions, "measure", fake_instruction_counts),
        ):
            patch.start()
            self.addCleanup(patch.stop)

    @staticmethod
    def script(path: Path, body: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"#!{PYTHON}\n" + textwrap.dedent(body))
        path.chmod(0o755)
        return path


class MainJob(FakeBuild):
    def test_passing_run_writes_everything_and_points_latest_at_it(self):
        self.fake("pass")
        status, out, err = call("compare")
        self.assertEqual(status, 0, out + err)
        latest = self.reports / "latest"
        self.assertTrue(latest.is_symlink())
        folder = latest.resolve()
        names = sorted(p.name for p in folder.iterdir())
        for expected in (
            "conformance-twin.json",
            "conformance-asio.json",
            "conformance-asio_uring.json",
            "perf.json",
            "perf_uring.json",
            "context.json",
            "index.html",
        ):
            self.assertIn(expected, names)
        self.assertFalse([n for n in names if n.startswith(".")], names)  # no leftovers
        context = json.loads((folder / "context.json").read_text())
        for key in (
            "cpu",
            "cores",
            "kernel",
            "compiler",
            "boost",
            "build_type",
            "commit",
            "date",
            "host",
        ):
            self.assertIn(key, context)
        self.assertEqual((context["mode"], context["perf"]), ("full", "full"))
        self.assertIn("conformance-matrix", (folder / "index.html").read_text())
        # Progress with elapsed seconds, the summary, the ratios, the report's path.
        self.assertRegex(out, r"\[\s*\d+s\] conformance on twin: 6 scenarios")
        self.assertIn("conformance on asio_uring: 6 passed, 0 failed, 0 skipped", out)
        self.assertRegex(out, r"Ordering\s+3 pass 0 fail 0 skip")
        self.assertRegex(out, r"post_throughput/n:10000/hint:1\s+40")
        self.assertIn("geometric mean of twin/asio", out)
        self.assertIn(f"report: {folder / 'index.html'}", out)
        self.assertRegex(out, r"perf: \d+ benchmarks x 5 repetitions")

    def test_second_run_gets_its_own_folder(self):
        self.fake("pass")
        self.assertEqual(call("compare", "--no-perf")[0], 0)
        first = (self.reports / "latest").resolve()
        self.assertEqual(call("compare", "--no-perf")[0], 0)
        second = (self.reports / "latest").resolve()
        self.assertNotEqual(first, second)
        self.assertTrue((first / "index.html").exists())

    def test_failing_scenario_exits_1_and_still_reports(self):
        self.fake("fail")
        out_dir = self.tmp / "out"
        status, out, _ = call("compare", "--no-perf", "--out", out_dir)
        self.assertEqual(status, 1, out)
        self.assertIn("FAILED Ordering.DeferRunsAfterPost on twin", out)
        self.assertTrue((out_dir / "index.html").exists())
        self.assertFalse((self.reports / "latest").exists())  # --out: latest untouched
        self.assertNotIn("perf.json", os.listdir(out_dir))

    def test_filter_and_backends_select(self):
        self.fake("pass")
        out_dir = self.tmp / "out"
        status, out, _ = call(
            "compare",
            "--filter",
            "Interrupt|foreign_post",
            "--backends",
            "twin,asio",
            "--out",
            out_dir,
        )
        self.assertEqual(status, 0, out)
        self.assertIn("conformance on twin: 2 scenarios", out)
        self.assertFalse((out_dir / "conformance-asio_uring.json").exists())

    def test_baseline_is_shown(self):
        self.fake("pass")
        out_dir = self.tmp / "out"
        status, out, _ = call(
            "compare", "--out", out_dir, "--baseline", FIXTURES / "baseline" / "before"
        )
        self.assertEqual(status, 0, out)
        self.assertIn('id="baseline-changes"', (out_dir / "index.html").read_text())

    def test_a_crashed_suite_exits_1_and_the_report_says_so(self):
        self.fake("pass")
        crash = compare.BUILD / "conformance" / "conformance_uring"
        body = crash.read_text().replace(
            'names = args["--gtest_filter"]',
            'print("watchdog: hung"); sys.exit(3)\n' 'names = args["--gtest_filter"]',
        )
        crash.write_text(body)
        out_dir = self.tmp / "out"
        status, out, _ = call("compare", "--no-perf", "--out", out_dir)
        self.assertEqual(status, 1, out)
        self.assertIn(
            "conformance on asio_uring wrote no results (exit status 3): watchdog: hung", out
        )
        html = (out_dir / "index.html").read_text()
        self.assertIn("conformance on asio_uring wrote no results", html)
        self.assertFalse(list(out_dir.glob(".*")))

    def test_perf_tool_failure_exits_2_after_reporting_conformance(self):
        self.fake("pass")
        perf = self.build / "perf" / "perf"
        body = perf.read_text().replace(
            'for b in data["benchmarks"]:',
            "print('perf: cannot write here', file=sys.stderr)\nsys.exit(2)\n"
            'for b in data["benchmarks"]:',
        )
        perf.write_text(body)
        out_dir = self.tmp / "out"
        result = call("compare", "--out", out_dir)
        self.assert_one_line_error(result, "scripts/compare")
        self.assertIn("perf exited with status 2: perf: cannot write here", result[2])
        self.assertTrue((out_dir / "index.html").exists())
        self.assertFalse((out_dir / "perf.json").exists())

    def test_bad_selections_are_refused_before_anything_runs(self):
        self.fake("pass")
        out_dir = self.tmp / "new"
        for argv, message in (
            (["--backends", "twin,nope"], "unknown backend 'nope' (known: twin, asio, asio_uring)"),
            (["--filter", "NoSuchScenario"], "matches no scenario and no benchmark"),
        ):
            with self.subTest(argv=argv):
                result = call("compare", *argv, "--out", out_dir)
                self.assert_one_line_error(result, "scripts/compare")
                self.assertIn(message, result[2])
                self.assertFalse(out_dir.exists())  # a folder it created is removed again


class Perf(FakeBuild):
    """scripts/perf on the same stand-in programs (--build-dir: no build)."""

    def test_runs_every_program_and_prints_the_medians(self):
        self.fake("pass")
        out_dir = self.tmp / "out"
        status, out, err = call(
            "perf", "--build-dir", self.build, "--out", out_dir, "--no-syscalls"
        )
        self.assertEqual(status, 0, out + err)
        self.assertEqual(
            sorted(p.name for p in out_dir.iterdir()),
            ["context.json", "perf.json", "perf.log", "perf_uring.json", "perf_uring.log"],
        )
        context = json.loads((out_dir / "context.json").read_text())
        self.assertEqual((context["mode"], context["repetitions"]), ("full", 5))
        self.assertIn("load_average_after", context)
        self.assertRegex(out, r"perf_uring: \d+ benchmarks x 5 repetitions")
        self.assertRegex(out, r"post_throughput/n:10000/hint:1\s+40")
        self.assertIn("geometric mean of twin/asio", out)
        self.assertIn(f"results: {out_dir}", out)

    def test_a_build_folder_without_backends_is_a_usage_error(self):
        result = call("perf", "--build-dir", self.tmp)
        self.assert_one_line_error(result, "scripts/perf")
        self.assertIn("not a configured build folder", result[2])


if __name__ == "__main__":
    unittest.main()
