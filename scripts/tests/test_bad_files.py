"""Result files that are broken, hostile or not ours, given to scripts/report
and scripts/gate: one line on stderr, exit status 2, and the report that
was there before left as it was (no temporary file beside it).

Each case is a results folder written here, in the shape an accident or
another tool would leave: the checks are in asio_twin/results.py (result
files) and asio_twin/gate.py (the thresholds file).
"""

from __future__ import annotations

import json
import os
import unittest
from pathlib import Path

from support import FIXTURES, TempDirTest, call

OLD_REPORT = "<html>the previous report</html>\n"
GOOD_TWIN = (FIXTURES / "pass" / "conformance-twin.json").read_text()
GOOD_PERF = (FIXTURES / "pass" / "perf.json").read_text()


def gtest(tests: list, suite: str = "conformance/Ordering/twin") -> str:
    return json.dumps({"testsuites": [{"name": suite, "testsuite": tests}]})


def bench(**fields) -> dict:
    entry = {
        "name": "post<twin>/n:1",
        "run_name": "post<twin>/n:1",
        "run_type": "iteration",
        "real_time": 1.0,
        "cpu_time": 1.0,
        "iterations": 1,
        "items_per_second": 1.0,
    }
    entry.update(fields)
    return entry


def perf(*entries) -> str:
    return json.dumps({"context": {}, "benchmarks": list(entries)})


# name -> {file name: content}; bytes are written as they are, None makes a
# folder, ("symlink", target) a symbolic link.
BAD_FOLDERS = {
    "empty conformance file": {"conformance-twin.json": ""},
    "whitespace only": {"conformance-twin.json": "  \n\t"},
    "not UTF-8": {"conformance-twin.json": b"\xff\xfe\x00garbage"},
    "UTF-16": {"conformance-twin.json": GOOD_TWIN.encode("utf-16")},
    "byte-order mark": {"conformance-twin.json": b"\xef\xbb\xbf" + GOOD_TWIN.encode()},
    "cut mid-string": {"conformance-twin.json": GOOD_TWIN[: len(GOOD_TWIN) // 3]},
    "cut at the last brace": {"conformance-twin.json": GOOD_TWIN.rstrip()[:-1]},
    "trailing garbage": {"conformance-twin.json": GOOD_TWIN + "}{"},
    "nested 100000 deep": {"conformance-twin.json": "[" * 100000 + "]" * 100000},
    "a JSON list": {"conformance-twin.json": "[]"},
    "a JSON string": {"conformance-twin.json": '"testsuites"'},
    "testsuites not a list": {"conformance-twin.json": '{"testsuites": "x"}'},
    "no testsuites at all": {"conformance-twin.json": '{"testsuites": []}'},
    "suite of another program": {"conformance-twin.json": gtest([{"name": "X"}], "FooTest")},
    "suite name with a slash too many": {
        "conformance-twin.json": gtest([{"name": "X"}], "conformance/a/b/twin")
    },
    "test without a name": {"conformance-twin.json": gtest([{"result": "COMPLETED"}])},
    "test name a number": {"conformance-twin.json": gtest([{"name": 5}])},
    "failures not a list": {"conformance-twin.json": gtest([{"name": "A", "failures": "x"}])},
    "trace not JSON": {"conformance-twin.json": gtest([{"name": "A", "trace": "[{"}])},
    "trace not a list of events": {
        "conformance-twin.json": gtest([{"name": "A", "trace": "[1, 2]"}])
    },
    "trace thread not a number": {
        "conformance-twin.json": gtest(
            [{"name": "A", "trace": json.dumps([{"what": "x", "thread": "main"}])}]
        )
    },
    "eslint output": {"conformance-twin.json": json.dumps({"name": "eslint", "results": []})},
    "a folder named like a file": {"conformance-twin.json": None},
    "a symlink loop": {"conformance-twin.json": ("symlink", "conformance-twin.json")},
    "a dangling symlink": {"perf.json": ("symlink", "/nonexistent/perf.json")},
    "perf: benchmarks not a list": {"perf.json": '{"benchmarks": "nope"}'},
    "perf: entries not objects": {"perf.json": '{"benchmarks": [1, "x", null]}'},
    "perf: no name": {"perf.json": perf(bench(name=None, run_name=None))},
    "perf: time NaN": {"perf.json": perf(bench(real_time=float("nan")))},
    "perf: time Infinity": {"perf.json": perf(bench(cpu_time=float("inf")))},
    "perf: time negative": {"perf.json": perf(bench(real_time=-5))},
    "perf: time a string": {"perf.json": perf(bench(real_time="fast"))},
    "perf: time true": {"perf.json": perf(bench(real_time=True))},
    "perf: items_per_second a string": {"perf.json": perf(bench(items_per_second="many"))},
    "perf: items_per_second NaN": {"perf.json": perf(bench(items_per_second=float("nan")))},
    "perf: iterations negative": {"perf.json": perf(bench(iterations=-1))},
    "perf: pytest-benchmark output": {
        "perf.json": json.dumps(
            {"machine_info": {}, "benchmarks": [{"name": "test_x", "stats": {"mean": 1}}]}
        )
    },
    "context a list": {"conformance-twin.json": GOOD_TWIN, "context.json": "[1, 2]"},
    "context truncated": {"conformance-twin.json": GOOD_TWIN, "context.json": '{"host": "a'},
    "no result files": {"notes.txt": "not ours\n", "results.json": "{}"},
}


def make_folder(root: Path, name: str, files: dict) -> Path:
    folder = root / name.replace(" ", "-").replace(":", "")
    folder.mkdir()
    for file, content in files.items():
        path = folder / file
        if content is None:
            path.mkdir()
        elif isinstance(content, tuple):
            os.symlink(content[1], path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    (folder / "index.html").write_text(OLD_REPORT)
    return folder


class BadResultFiles(TempDirTest):
    def assert_untouched(self, folder: Path):
        self.assertEqual((folder / "index.html").read_text(), OLD_REPORT)
        self.assertEqual([p.name for p in folder.iterdir() if p.name.startswith(".")], [])

    def test_report_and_gate_refuse_them(self):
        for name, files in BAD_FOLDERS.items():
            folder = make_folder(self.tmp, name, files)
            for command in ("report", "gate"):
                with self.subTest(case=name, command=command):
                    self.assert_one_line_error(call(command, folder), f"scripts/{command}")
                    self.assert_untouched(folder)

    def test_as_a_baseline_too(self):
        target = self.tmp / "run"
        target.mkdir()
        (target / "conformance-twin.json").write_text(GOOD_TWIN)
        (target / "index.html").write_text(OLD_REPORT)
        for name in (
            "cut mid-string",
            "perf: time NaN",
            "no testsuites at all",
            "nested 100000 deep",
        ):
            with self.subTest(case=name):
                baseline = make_folder(self.tmp, name, BAD_FOLDERS[name])
                result = call("report", target, "--baseline", baseline)
                self.assert_one_line_error(result, "scripts/report")
                self.assert_untouched(target)


# The thresholds file scripts/gate reads (--thresholds FILE).
BAD_THRESHOLDS = {
    "missing": None,
    "a folder": "folder",
    "empty": "",
    "truncated": '{"default_min_ratio": 0.5, "rules": [',
    "not JSON": "default_min_ratio = 0.5",
    "a list": "[0.5]",
    "no default": '{"rules": []}',
    "default negative": '{"default_min_ratio": -1}',
    "default a string": '{"default_min_ratio": "half"}',
    "alpha 1": '{"default_min_ratio": 0.5, "alpha": 1}',
    "rule without match": '{"default_min_ratio": 0.5, "rules": [{"min_ratio": 0.5}]}',
    "rule with bad regex": '{"default_min_ratio": 0.5, "rules": [{"match": "(", "min_ratio": 1}]}',
    "rule ratio zero": '{"default_min_ratio": 0.5, "rules": [{"match": "x", "min_ratio": 0}]}',
    "not UTF-8": b"\xff\xfe{}",
}


class BadThresholds(TempDirTest):
    def test_the_gate_refuses_them(self):
        for name, content in BAD_THRESHOLDS.items():
            with self.subTest(thresholds=name):
                path = self.tmp / f"thresholds-{name.replace(' ', '-')}.json"
                if content == "folder":
                    path.mkdir()
                elif isinstance(content, bytes):
                    path.write_bytes(content)
                elif content is not None:
                    path.write_text(content)
                result = call("gate", FIXTURES / "perf-close", "--thresholds", path)
                self.assert_one_line_error(result, "scripts/gate")


if __name__ == "__main__":
    unittest.main()
