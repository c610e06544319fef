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

FAKE_CONFORMANCE = """\
    import json, re, sys
    FIXTURE = {fixture!r}
    suites = {{}}
    for backend in ("twin", "asio", "asio_uring"):
        try:
            data = json.load(open(f"{{FIXTURE}}/conformance-{{backend}}.json"))
        except OSError:
            continue
        for s in data["testsuites"]:
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

FAKE_PERF_PROGRAM = """\
    import json, re, sys
    data = json.load(open({path!r}))
    names = list(dict.fromkeys(b["run_name"] for b in data["benchmarks"]))
    pattern = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--benchmark_filter=")), "")
    print("\\n".join(n for n in names if re.search(pattern, n)))
"""

FAKE_PERF_SCRIPT = """\
    import json, pathlib, shutil, sys
    out = pathlib.Path(sys.argv[sys.argv.index("--out") + 1])
    for program in ("perf", "perf_uring"):
        src = pathlib.Path({fixture!r}) / f"{{program}}.json"
        if src.exists():
            print(f"-- {{program}}: 7 benchmarks x 5 repetitions (full; log: x)", flush=True)
            shutil.copy(src, out / src.name)
            (out / f"{{program}}.log").write_text("")
    (out / "context.json").write_text(json.dumps({{"mode": "full", "repetitions": 5,
                                                  "load_average_before": [0.1, 0.1, 0.1]}}))
    print("a table compare.py should not repeat")
"""


class FakeBuild(TempDirTest):
    """compare.py with its build step replaced and its folders redirected."""

    def fake(self, fixture: str):
        build = self.tmp / "build"
        src = FIXTURES / fixture
        self.script(
            build / "conformance" / "conformance", FAKE_CONFORMANCE.format(fixture=str(src))
        )
        self.script(
            build / "conformance" / "conformance_uring", FAKE_CONFORMANCE.format(fixture=str(src))
        )
        for program in ("perf", "perf_uring"):
            if (src / f"{program}.json").exists():
                self.script(
                    build / "perf" / program,
                    FAKE_PERF_PROGRAM.format(path=str(src / f"{program}.json")),
                )
        perf = self.script(self.tmp / "perf-script", FAKE_PERF_SCRIPT.format(fixture=str(src)))
        self.reports = self.tmp / "reports"
        self.reports.mkdir()
        for patch in (
            mock.patch.object(compare, "BUILD", build),
            mock.patch.object(compare, "REPORTS", self.reports),
            mock.patch.object(compare, "PERF_SCRIPT", perf),
            mock.patch.object(compare, "build", lambda progress, with_perf: None),
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
        self.assertNotIn("a table compare.py should not repeat", out)

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
        compare.PERF_SCRIPT.write_text(
            f"#!{PYTHON}\nimport sys\n"
            "print('scripts/perf: build failed', file=sys.stderr)\n"
            "sys.exit(2)\n"
        )
        out_dir = self.tmp / "out"
        result = call("compare", "--out", out_dir)
        self.assert_one_line_error(result, "scripts/compare")
        self.assertIn("scripts/perf failed (exit status 2): scripts/perf: build failed", result[2])
        self.assertTrue((out_dir / "index.html").exists())
        self.assertFalse((out_dir / "perf.json").exists())

    def test_filter_matching_nothing_is_a_usage_error(self):
        self.fake("pass")
        out_dir = self.tmp / "new"
        result = call("compare", "--filter", "NoSuchScenario", "--out", out_dir)
        self.assert_one_line_error(result, "scripts/compare")
        self.assertIn("matches no scenario and no benchmark", result[2])
        self.assertFalse(out_dir.exists())  # the folder it created is removed again


if __name__ == "__main__":
    unittest.main()
