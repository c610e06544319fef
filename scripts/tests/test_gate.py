"""scripts/gate: exit 0 on a passing run, 1 with reasons, 2 on bad input.

The first tests run the real command (bash wrapper, Debian's python3); the
rest call its main() in-process, which is the same code without paying for
an interpreter start each time.
"""

from __future__ import annotations

import json
import unittest

from support import FIXTURES, SCRIPTS, TempDirTest, call, run

from asio_twin import benchmarks, gate, results


class Command(TempDirTest):
    def test_passing_run_passes(self):
        proc = run(SCRIPTS / "gate", FIXTURES / "pass")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("gate: PASS", proc.stdout)

    def test_failing_twin_scenario_fails_the_gate(self):
        # Done-when: a failing conformance scenario makes the gate exit 1.
        proc = run(SCRIPTS / "gate", FIXTURES / "fail")
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("gate: FAIL", proc.stdout)
        self.assertIn("twin fails Ordering.DeferRunsAfterPost: Expected equality", proc.stdout)
        self.assertEqual(proc.stderr, "")

    def test_malformed_input_is_one_line_and_status_2(self):
        self.assert_one_line_error(run(SCRIPTS / "gate", FIXTURES / "truncated"), "scripts/gate")


class ExitStatus(TempDirTest):
    def test_divergence_on_deterministic_scenario_fails_the_gate(self):
        status, out, _ = call("gate", FIXTURES / "diverged")
        self.assertEqual(status, 1, out)
        self.assertIn("twin diverges from asio on Ordering.DeferRunsAfterPost at event 0", out)

    def test_significantly_slower_twin_fails_the_gate(self):
        status, out, _ = call("gate", FIXTURES / "perf-slow")
        self.assertEqual(status, 1, out)
        self.assertIn("post_throughput/n:10000/hint:1: twin/asio speed 0.4", out)
        self.assertNotIn("foreign_post", out)

    def test_slower_within_threshold_passes(self):
        status, out, _ = call("gate", FIXTURES / "perf-close")
        self.assertEqual(status, 0, out)

    def test_no_perf_ignores_perf(self):
        status, out, _ = call("gate", FIXTURES / "perf-slow", "--no-perf")
        self.assertEqual(status, 0, out)

    def test_thresholds_file_decides(self):
        lenient = self.tmp / "lenient.json"
        lenient.write_text(json.dumps({"default_min_ratio": 0.2, "rules": []}))
        self.assertEqual(call("gate", FIXTURES / "perf-slow", "--thresholds", lenient)[0], 0)
        ungated = self.tmp / "ungated.json"
        ungated.write_text(
            json.dumps(
                {
                    "default_min_ratio": 0.9,
                    "rules": [{"match": "^post_throughput/", "min_ratio": None}],
                }
            )
        )
        self.assertEqual(call("gate", FIXTURES / "perf-slow", "--thresholds", ungated)[0], 0)

    def test_missing_twin_results_fail(self):
        folder = self.copy_fixture("fail")
        (folder / "conformance-twin.json").unlink()
        status, out, _ = call("gate", folder)
        self.assertEqual(status, 1, out)
        self.assertIn("no conformance results for twin", out)

    def test_failures_on_reference_backends_are_noted_not_gated(self):
        folder = self.copy_fixture("pass")
        path = folder / "conformance-asio.json"
        data = json.loads(path.read_text())
        data["testsuites"][0]["testsuite"][0]["failures"] = [{"failure": "x", "type": ""}]
        path.write_text(json.dumps(data))
        status, out, _ = call("gate", folder)
        self.assertEqual(status, 0, out)
        self.assertIn("note: not gated: 1 failure(s) on reference backends", out)

    def test_bad_input_is_one_line_and_status_2(self):
        for fixture in (
            "malformed",
            "truncated",
            "foreign",
            "foreign-gtest",
            "empty",
            "no-such-folder",
        ):
            with self.subTest(fixture=fixture):
                self.assert_one_line_error(call("gate", FIXTURES / fixture), "scripts/gate")
        self.assert_one_line_error(call("gate", FIXTURES / "pass", "--bogus"), "scripts/gate")
        for text in (
            '{"rules": []}',
            '{"default_min_ratio": -1}',
            "{",
            '{"default_min_ratio": 0.5, "rules": [{"match": "("}]}',
        ):
            with self.subTest(thresholds=text):
                bad = self.tmp / "thresholds.json"
                bad.write_text(text)
                self.assert_one_line_error(
                    call("gate", FIXTURES / "pass", "--thresholds", bad), "scripts/gate"
                )


class Rules(unittest.TestCase):
    def test_first_matching_rule_wins(self):
        t = gate.load_thresholds(SCRIPTS / "gate-thresholds.json")
        self.assertEqual(t.for_label("foreign_post/n:100000/threads:4"), 0.25)
        self.assertEqual(t.for_label("post_throughput/n:100000/hint:1"), t.default)

    def test_three_repetitions_cannot_fail_on_perf(self):
        run_ = results.load(FIXTURES / "perf-slow")
        for b in run_.benchmarks:
            del b.repetitions[3:]
        t = gate.load_thresholds(SCRIPTS / "gate-thresholds.json")
        outcome = gate.evaluate(None, benchmarks.compare(run_), t)
        self.assertTrue(outcome.passed, outcome.reasons)
        self.assertTrue(any("cannot reach" in n for n in outcome.notes), outcome.notes)


if __name__ == "__main__":
    unittest.main()
