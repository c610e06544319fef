"""Instructions per operation (asio_twin/instructions.py): parsing
callgrind's dumps, the difference of two runs, the runs themselves (with a
stand-in for valgrind), instructions.json, and the gate holding twin to the
committed baseline and to Asio."""

from __future__ import annotations

import re
import subprocess
import unittest
from pathlib import Path

from support import SCRIPTS, TempDirTest, call, run

from asio_twin import instructions, perf_run, report
from asio_twin.build import Program
from asio_twin.cli import UsageError

EVENTS = "Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw Bc Bcm Bi Bim"


def dump(name: str, ops: int, totals: list[int], bytes_: int = 0) -> str:
    """A callgrind output file as perf's --perf_callgrind has it written."""
    return f"""\
# callgrind format
version: 1
creator: callgrind-3.19.0
cmd:  perf --perf_quick --perf_callgrind --perf_iterations=1
part: 1

desc: I1 cache: 32768 B, 64 B, 8-way associative
desc: Trigger: Client Request: {name} ops={ops} bytes={bytes_}

positions: line
events: {EVENTS}
summary: 0

fn=(168) benchmark::State::PauseTiming()
0 19 4 9 2 0 0 2 0 0 3

totals: {" ".join(str(t) for t in totals)}
"""


# Two runs of one benchmark: 1 iteration (1000 operations), then 2 (2000).
FIRST = dump("post_throughput<twin>", 1000, [500_000, 9, 9, 1, 2000, 1000, 1, 3, 4, 5, 10, 6, 7])
SECOND = dump("post_throughput<twin>", 2000, [713_046, 9, 9, 1, 4500, 1500, 1, 3, 5, 5, 12, 6, 9])


class Parsing(unittest.TestCase):
    def test_a_dump_gives_its_benchmark_operations_and_events(self):
        d = instructions.parse_dump(FIRST)
        self.assertEqual((d.name, d.ops, d.bytes), ("post_throughput<twin>", 1000, 0))
        self.assertEqual(d.events["Ir"], 500_000)
        self.assertEqual(d.events["Bim"], 7)
        self.assertEqual(len(d.events), len(EVENTS.split()))

    def test_totals_may_leave_trailing_zeros_out(self):
        d = instructions.parse_dump(dump("x<twin>", 5, [100, 2]))
        self.assertEqual((d.events["Ir"], d.events["Dr"], d.events["Bim"]), (100, 2, 0))

    def test_what_is_not_a_benchmark_dump_is_refused(self):
        for text in [
            "",
            FIRST.replace("Client Request", "Program termination"),
            FIRST.replace("totals:", "total:"),
            FIRST.replace("totals: 500000", "totals: lots"),
            dump("x<twin>", 1, list(range(20))),  # more totals than events
        ]:
            with self.subTest(text=text[-60:]), self.assertRaises(ValueError):
                instructions.parse_dump(text)


class Difference(unittest.TestCase):
    def test_per_operation_is_the_difference_over_the_extra_operations(self):
        ops, unit, per = instructions.difference(
            instructions.parse_dump(FIRST), instructions.parse_dump(SECOND)
        )
        self.assertEqual((ops, unit), (1000, "op"))
        self.assertEqual(per["instructions_per_op"], 213.046)
        self.assertEqual(per["d1_misses_per_op"], 3.0)  # (2500 + 500) / 1000
        self.assertEqual(per["ll_misses_per_op"], 0.001)  # DLmw 4 -> 5
        self.assertEqual(per["branch_mispredicts_per_op"], 0.004)  # Bcm +2, Bim +2

    def test_set_up_cancels_out(self):
        # The same steady state after twice the set-up: the same per-op cost.
        more_setup = [t * 2 if i == 0 else t for i, t in enumerate([400_000] + [0] * 12)]
        a = instructions.parse_dump(dump("x<twin>", 10, more_setup))
        b = instructions.parse_dump(dump("x<twin>", 20, [400_000 * 2 + 1230] + [0] * 12))
        self.assertEqual(instructions.difference(a, b)[2]["instructions_per_op"], 123.0)

    def test_bytes_when_a_benchmark_reports_no_operations(self):
        a = instructions.parse_dump(dump("tcp_stream<twin>", 0, [1000], bytes_=4096))
        b = instructions.parse_dump(dump("tcp_stream<twin>", 0, [9192], bytes_=8192))
        ops, unit, per = instructions.difference(a, b)
        self.assertEqual((ops, unit, per["instructions_per_op"]), (4096, "byte", 2.0))

    def test_mismatched_or_empty_runs_are_errors(self):
        first = instructions.parse_dump(FIRST)
        for second in [
            instructions.parse_dump(SECOND.replace("<twin>", "<asio>")),
            instructions.parse_dump(SECOND.replace("ops=2000", "ops=1000")),
        ]:
            with self.subTest(second=second), self.assertRaises(ValueError):
                instructions.difference(first, second)


class Filter(unittest.TestCase):
    def test_the_exact_filter_picks_one_benchmark_as_run(self):
        f = re.compile(instructions.exact_filter("tcp_pingpong<twin>/bytes:64/real_time"))
        self.assertTrue(f.search("tcp_pingpong<twin>/bytes:64/iterations:1/real_time"))
        self.assertTrue(f.search("tcp_pingpong<twin>/bytes:64/iterations:2"))
        self.assertFalse(f.search("tcp_pingpong<twin>/bytes:640/iterations:1/real_time"))
        self.assertFalse(f.search("tcp_pingpong<asio>/bytes:64/iterations:1/real_time"))
        g = re.compile(instructions.exact_filter("post_chain<twin>/hops:100/hint:-1"))
        self.assertTrue(g.search("post_chain<twin>/hops:100/hint:-1/iterations:1"))
        self.assertFalse(g.search("post_chain<twin>/hops:100/hint:1/iterations:1"))


def fake_valgrind(per_op: dict[str, int], status: int = 0, dumps: int = 1):
    """A stand-in for subprocess.run on valgrind: writes a dump whose counts
    grow by per_op[backend] instructions per operation, 1000 operations per
    iteration, on top of 50,000 for set-up."""

    def runner(cmd, **kw):
        out = next(a.split("=", 1)[1] for a in cmd if a.startswith("--callgrind-out-file="))
        n = int(next(a.split("=", 1)[1] for a in cmd if a.startswith("--perf_iterations=")))
        flt = next(a.split("=", 1)[1] for a in cmd if a.startswith("--benchmark_filter="))
        name = re.sub(r"\\(.)", r"\1", flt[1:].split("/")[0])
        backend = name[name.index("<") + 1 : -1]
        for k in range(1, dumps + 1):
            text = dump(name, 1000 * n, [50_000 + per_op[backend] * 1000 * n])
            Path(out.replace("%p", "42") + f".{k}").write_text(text)
        return subprocess.CompletedProcess(cmd, status, "", "perf: the check failed\n")

    return runner


class Measuring(TempDirTest):
    def selected(self) -> dict:
        program = Program("perf", self.tmp / "perf")
        return {program: ["strand_post<twin>/n:10000", "strand_post<asio>/n:10000"]}

    def test_every_benchmark_is_counted_from_two_runs(self):
        doc = instructions.measure(
            self.selected(),
            ("--perf_quick",),
            lambda line: None,
            fake_valgrind({"twin": 232, "asio": 458}),
        )
        got = {(b["name"], b["backend"]): b["instructions_per_op"] for b in doc["benchmarks"]}
        self.assertEqual(
            got, {("strand_post/n:10000", "twin"): 232.0, ("strand_post/n:10000", "asio"): 458.0}
        )
        self.assertEqual((doc["mode"], doc["failures"]), ("quick", []))
        self.assertEqual(doc["benchmarks"][0]["ops"], 1000)

    def test_a_benchmark_that_fails_its_check_is_a_failure_not_a_count(self):
        doc = instructions.measure(
            self.selected(), (), lambda line: None, fake_valgrind({"twin": 1, "asio": 1}, status=1)
        )
        self.assertEqual(doc["benchmarks"], [])
        self.assertEqual(len(doc["failures"]), 2)
        self.assertIn("strand_post/n:10000 <twin>: exit status 1", doc["failures"][0])

    def test_a_run_that_hangs_is_cut_off_and_reported(self):
        def hanging(cmd, timeout=None, **kw):
            raise subprocess.TimeoutExpired(cmd, timeout)

        doc = instructions.measure(self.selected(), ("--perf_quick",), lambda line: None, hanging)
        self.assertEqual(doc["benchmarks"], [])
        self.assertIn("did not finish within 120 s", doc["failures"][0])

    def test_a_tool_failure_is_a_usage_error(self):
        for runner in [
            fake_valgrind({"twin": 1, "asio": 1}, status=2),
            fake_valgrind({"twin": 1, "asio": 1}, dumps=0),
            fake_valgrind({"twin": 1, "asio": 1}, dumps=2),
        ]:
            with self.subTest(), self.assertRaises(UsageError):
                instructions.measure(self.selected(), (), lambda line: None, runner)


class Subset(TempDirTest):
    def test_a_quick_run_without_a_filter_counts_the_ci_subset_only(self):
        program = Program("perf", self.tmp / "perf")
        names = [
            "post_throughput<twin>/n:10000/hint:1",
            "tcp_pingpong<asio>/bytes:64/real_time",
            "tcp_pingpong<asio>/bytes:640/real_time",
            "multi_thread_run<twin>/n:10000/threads:2/manual_time",
        ]
        quick, full = perf_run.MODES["quick"], perf_run.MODES["full"]
        self.assertEqual(
            perf_run.instruction_subset({program: names}, quick, None)[program], names[:2]
        )
        self.assertEqual(perf_run.instruction_subset({program: names}, quick, "x")[program], names)
        self.assertEqual(perf_run.instruction_subset({program: names}, full, None)[program], names)


def counts_file(folder: Path, counts: dict[tuple[str, str], float], failures=()) -> Path:
    """An instructions.json with `counts`: {(name, backend): instructions_per_op}."""
    folder.mkdir(parents=True, exist_ok=True)
    doc = {
        "method": "test",
        "iterations": [1, 2],
        "mode": "quick",
        "benchmarks": [
            {"name": n, "backend": b, "ops": 1000, "unit": "op", "instructions_per_op": v}
            for (n, b), v in counts.items()
        ],
        "failures": list(failures),
    }
    instructions.write(folder / instructions.FILE, doc)
    return folder


NOW = {
    ("post_throughput/n:10000/hint:1", "twin"): 213.0,
    ("post_throughput/n:10000/hint:1", "asio"): 502.0,
    ("multi_thread_run/n:10000/threads:2", "twin"): 900.0,
    ("multi_thread_run/n:10000/threads:2", "asio"): 800.0,  # not a single-thread scenario
}


class Gate(TempDirTest):
    def gate(self, baseline_per_op: float, now=NOW, failures=()) -> tuple[int, str, str]:
        results = counts_file(self.tmp / "run", now, failures)
        baseline = counts_file(
            self.tmp / "baseline", {("post_throughput/n:10000/hint:1", "twin"): baseline_per_op}
        )
        return call("gate", results, "--instruction-baseline", baseline / instructions.FILE)

    def test_a_rise_of_3_percent_over_the_baseline_fails(self):
        status, out, _ = self.gate(213.0 / 1.03)
        self.assertEqual(status, 1, out)
        self.assertIn("post_throughput/n:10000/hint:1: twin's instructions/op rose +3.0%", out)

    def test_within_2_percent_passes(self):
        for base in [213.0, 213.0 / 1.015, 213.0 * 1.01]:
            with self.subTest(base=base):
                status, out, _ = self.gate(base)
                self.assertEqual(status, 0, out)
                self.assertIn("instruction counts", out)

    def test_twin_above_asio_on_a_single_thread_scenario_fails(self):
        now = dict(NOW)
        now[("post_throughput/n:10000/hint:1", "asio")] = 212.0
        status, out, _ = self.gate(213.0, now)
        self.assertEqual(status, 1, out)
        self.assertIn("twin executes more instructions per op than Asio (213 > 212)", out)
        self.assertNotIn("multi_thread_run", out)

    def test_a_twin_benchmark_not_counted_fails(self):
        status, out, _ = self.gate(213.0, failures=["timer_armed/n:100 <twin>: exit status 3"])
        self.assertEqual(status, 1, out)
        self.assertIn("twin benchmark not counted: timer_armed/n:100 <twin>", out)

    def test_the_committed_baseline_is_a_baseline_of_twin(self):
        counts, _ = instructions.load(SCRIPTS / "perf-baseline.json")
        self.assertTrue(counts)
        self.assertEqual({c.backend for c in counts}, {"twin"})
        subset = re.compile(instructions.CI_SUBSET)
        for c in counts:
            self.assertTrue(subset.search(f"{c.scenario}<twin>{c.args}"), c.label)


class Report(TempDirTest):
    def test_counts_alone_make_a_report_with_the_ratio_and_the_explanation(self):
        folder = counts_file(self.tmp / "run", NOW)
        html = report.generate(folder, folder / "index.html", thresholds=None).read_text()
        table = html[html.index('id="instructions-table"') :]
        self.assertIn("twin instr/op", table)
        self.assertIn("<strong>213</strong>", table)
        self.assertIn("2.36", table)  # 502 / 213
        self.assertIn("0.89", table)  # 800 / 900: twin executes more
        self.assertIn("What they do not measure", html)

    def test_a_perf_run_gets_an_instr_per_op_column_beside_its_times(self):
        folder = self.copy_fixture("pass")
        counts_file(folder, NOW)
        html = report.generate(folder, folder / "index.html", thresholds=None).read_text()
        family = html[html.index(">post_throughput</h3>") :]
        family = family[: family.index("</table>")]
        self.assertIn("instr/op", family)
        self.assertIn(">502</td>", family)
        summary = html[html.index('id="perf-summary"') :]
        summary = summary[: summary.index("</table>")]
        self.assertIn("instr twin/asio", summary)
        self.assertIn("2.36", summary)


class BadInput(TempDirTest):
    def test_bad_count_files_are_one_line_errors(self):
        folder = self.tmp / "run"
        folder.mkdir()
        for text in [
            "{",
            "[]",
            '{"benchmarks": [{"name": "x", "backend": "twin"}]}',
            '{"benchmarks": [{"name": "x", "backend": "<b>", "instructions_per_op": 1}]}',
            '{"benchmarks": [{"name": "x", "backend": "twin", "instructions_per_op": "many"}]}',
        ]:
            with self.subTest(text=text):
                (folder / instructions.FILE).write_text(text)
                self.assert_one_line_error(call("gate", folder), "scripts/gate")
                self.assert_one_line_error(call("report", folder), "scripts/report")

    def test_a_missing_or_bad_baseline_is_a_one_line_error(self):
        results = counts_file(self.tmp / "run", NOW)
        (self.tmp / "bad.json").write_text('{"about": "no benchmarks"}')
        for baseline in [self.tmp / "none.json", self.tmp / "bad.json"]:
            with self.subTest(baseline=baseline.name):
                result = call("gate", results, "--instruction-baseline", baseline)
                self.assert_one_line_error(result, "scripts/gate")

    def test_bad_perf_flags_are_refused_before_anything_runs(self):
        for argv in [
            ["--update-baseline"],
            ["--instructions", "--update-baseline", "--filter", "post"],
            ["--instructions", "--repetitions", "3"],
        ]:
            with self.subTest(argv=argv):
                result = run("scripts/perf", *argv, "--out", self.tmp / "out")
                self.assert_one_line_error(result, "scripts/perf")
                self.assertFalse((self.tmp / "out").exists())


if __name__ == "__main__":
    unittest.main()
