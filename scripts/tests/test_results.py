"""asio_twin.results: what a results folder is read as, and what it rejects."""

from __future__ import annotations

import tempfile
import unittest
from pathlib import Path

from support import FIXTURES

from asio_twin import results
from asio_twin.cli import UsageError


class LoadPassingRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.loaded = results.load(FIXTURES / "pass")

    def test_conformance_per_backend(self):
        self.assertEqual(sorted(self.loaded.conformance), ["asio", "asio_uring", "twin"])
        twin = {s.key: s for s in self.loaded.conformance["twin"]}
        fifo = twin["Ordering.PostIsFifo"]
        self.assertEqual(
            (fifo.status, fifo.verdict, fifo.determinism), ("pass", "equal", "deterministic")
        )
        self.assertEqual(fifo.trace[0].describe(), "handler 0 @0")
        self.assertEqual(fifo.trace, fifo.oracle_trace)

    def test_event_description_matches_the_conformance_log(self):
        timer = next(s for s in self.loaded.conformance["twin"] if s.name == "CancelAborts")
        self.assertEqual(
            [e.describe() for e in timer.trace],
            ["timer fired @0 [operation_aborted]", "read @0 42B"],
        )

    def test_benchmarks_keep_repetitions_and_drop_aggregates(self):
        by_name = {b.name: b for b in self.loaded.benchmarks}
        twin = by_name["post_throughput<twin>/n:10000/hint:1"]
        self.assertEqual(len(twin.repetitions), 5)
        self.assertEqual(
            (twin.scenario, twin.backend, twin.args), ("post_throughput", "twin", "/n:10000/hint:1")
        )
        self.assertEqual(twin.params(), {"n": 10000, "hint": 1})
        real = by_name["foreign_post<asio>/n:10000/threads:2/real_time"]
        self.assertEqual(real.args, "/n:10000/threads:2")  # timing suffix dropped
        self.assertIn("asio_uring", {b.backend for b in self.loaded.benchmarks})

    def test_context(self):
        self.assertEqual(self.loaded.context["build_type"], "Release")
        self.assertEqual(self.loaded.benchmark_contexts["perf"]["host_name"], "fixture-vm")


class NamesWithMarkup(unittest.TestCase):
    def test_backend_is_the_last_angle_bracket_word(self):
        run = results.load(FIXTURES / "xss")
        evil = [b for b in run.benchmarks if b.scenario.startswith("evil")]
        self.assertTrue(evil)
        self.assertTrue(all(b.backend in ("twin", "asio", "raw") for b in evil))
        self.assertTrue(all("<script>" in b.scenario for b in evil))


class Rejects(unittest.TestCase):
    def assert_rejected(self, fixture: str, *fragments: str):
        with self.assertRaises(UsageError) as caught:
            results.load(FIXTURES / fixture)
        message = str(caught.exception)
        self.assertNotIn("\n", message)
        for f in fragments:
            self.assertIn(f, message)

    def test_truncated_json(self):
        self.assert_rejected("truncated", "conformance-twin.json", "truncated JSON")

    def test_malformed_json(self):
        self.assert_rejected("malformed", "conformance-twin.json", "malformed JSON", "line 9")

    def test_json_from_another_tool(self):
        self.assert_rejected("foreign", "not GoogleTest JSON")

    def test_gtest_json_that_is_not_conformance(self):
        self.assert_rejected("foreign-gtest", "not a conformance suite")

    def test_perf_json_from_another_tool(self):
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "perf.json").write_text('{"runs": [{"time": 1}]}')
            with self.assertRaises(UsageError) as caught:
                results.load(Path(tmp))
            self.assertIn("not Google Benchmark JSON", str(caught.exception))

    def test_folder_without_results(self):
        self.assert_rejected("empty", "holds no results")

    def test_missing_folder(self):
        self.assert_rejected("no-such-folder", "no such results folder")


if __name__ == "__main__":
    unittest.main()
