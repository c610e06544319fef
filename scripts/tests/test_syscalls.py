"""System calls per operation (asio_twin/syscalls.py): parsing strace's
summary, the subtraction, syscalls.json, and the report showing the counts
beside the times."""

from __future__ import annotations

import json
import subprocess
import unittest

from support import TempDirTest

from asio_twin import report, syscalls
from asio_twin.cli import UsageError
from asio_twin.results import load

# `strace -f -c -U name,calls,errors` of 100 round trips, and of none.
WITH_OPS = """\
syscall              calls    errors
---------------- --------- ---------
recvmsg                420       200
sendmsg                205
epoll_wait             200
futex                    5
---------------- --------- ---------
total                  830       200
"""
WITHOUT = """\
syscall              calls    errors
---------------- --------- ---------
recvmsg                 20
sendmsg                  5
futex                    5
mmap                    12
---------------- --------- ---------
total                   42         0
"""


class Parsing(unittest.TestCase):
    def test_summary_rows_without_the_total(self):
        calls, errors = syscalls.parse_summary(WITH_OPS)
        self.assertEqual(calls, {"recvmsg": 420, "sendmsg": 205, "epoll_wait": 200, "futex": 5})
        self.assertEqual(errors, 200)

    def test_difference_per_operation(self):
        total, per, errors = syscalls.difference(
            syscalls.parse_summary(WITH_OPS), syscalls.parse_summary(WITHOUT), 100
        )
        # 830 - 42 calls; mmap ran only in the run without ops (-0.12/op),
        # futex in both equally (left out).
        self.assertEqual(per, {"epoll_wait": 2.0, "mmap": -0.12, "recvmsg": 4.0, "sendmsg": 2.0})
        self.assertAlmostEqual(total, 7.88)
        self.assertEqual(errors, 2.0)

    def test_workload_names_split_like_benchmark_names(self):
        self.assertEqual(
            syscalls.split_name("tcp_pingpong/bytes:64"), ("tcp_pingpong", "/bytes:64")
        )
        self.assertEqual(syscalls.split_name("post_chain"), ("post_chain", ""))


class Measuring(TempDirTest):
    def test_a_failed_run_is_reported_not_raised(self):
        def failing(cmd, **kw):
            return subprocess.CompletedProcess(cmd, 1, "", "tcp_pingpong: 3 round trips lost\n")

        summary, why = syscalls.traced(
            self.tmp / "driver", "tcp_pingpong/bytes:64", "twin", 10, runner=failing
        )
        self.assertIsNone(summary)
        self.assertIn("3 round trips lost", why)


def perf_entry(name: str, items_per_second: float) -> dict:
    return {
        "name": name,
        "run_name": name,
        "run_type": "iteration",
        "family_index": 0,
        "per_family_instance_index": 0,
        "repetition_index": 0,
        "iterations": 10,
        "real_time": 1.0,
        "cpu_time": 1.0,
        "time_unit": "ms",
        "items_per_second": items_per_second,
    }


class InTheResults(TempDirTest):
    def write_run(self, counts: object) -> None:
        entries = [
            perf_entry(f"tcp_pingpong<{b}>/bytes:64/real_time", rate)
            for b, rate in (("twin", 50_000.0), ("asio", 40_000.0), ("raw", 80_000.0))
        ]
        (self.tmp / "perf.json").write_text(json.dumps({"context": {}, "benchmarks": entries}))
        (self.tmp / "syscalls.json").write_text(json.dumps(counts))

    def document(self) -> dict:
        return {
            "method": syscalls.METHOD,
            "count": 100,
            "failures": ["x <asio_uring>: refused"],
            "results": [
                {
                    "scenario": "tcp_pingpong",
                    "args": "/bytes:64",
                    "backend": b,
                    "program": "perf_syscalls",
                    "ops": 100,
                    "syscalls_per_op": n,
                    "per_syscall": {"epoll_wait": 2.0},
                }
                for b, n in (("twin", 8.0), ("asio", 7.5), ("raw", 6.0))
            ],
        }

    def test_loaded_with_the_results(self):
        self.write_run(self.document())
        results = load(self.tmp)
        self.assertEqual(
            [(c.backend, c.syscalls_per_op) for c in results.syscalls],
            [("twin", 8.0), ("asio", 7.5), ("raw", 6.0)],
        )
        self.assertEqual(results.syscall_failures, ["x <asio_uring>: refused"])

    def test_a_malformed_file_is_a_usage_error(self):
        self.write_run(
            {
                "results": [
                    {"scenario": "tcp_pingpong", "backend": "twin", "syscalls_per_op": "many"}
                ]
            }
        )
        with self.assertRaises(UsageError) as raised:
            load(self.tmp)
        self.assertIn("syscalls.json", str(raised.exception))

    def test_report_shows_counts_beside_times(self):
        self.write_run(self.document())
        out = report.generate(self.tmp, self.tmp / "index.html", thresholds=None)
        html = out.read_text()
        self.assertIn('id="syscalls-table"', html)
        self.assertRegex(html, r"<strong>8</strong> calls · 20,000")  # twin: 1e9/50k ns
        self.assertRegex(html, r"<strong>7.5</strong> calls · 25,000")
        self.assertIn('<th class="num">syscalls/op</th>', html)
        self.assertIn("system calls not counted for x &lt;asio_uring&gt;: refused", html)


if __name__ == "__main__":
    unittest.main()
