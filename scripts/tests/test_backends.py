"""Any number of declared backends: the oracle is a choice, a reference
backend's divergence is a finding (shown, not gated), and a category a
backend declares unsupported is reported with its reason, never as a silent
gap (fixtures/four-backends: asio_standalone declares Interrupt unsupported
and traces Timer.CancelAborts its own way)."""

from __future__ import annotations

import json
import shutil
import unittest

from support import FIXTURES, SCRIPTS, TempDirTest, call

from asio_twin import conformance, gate, results

FOUR = FIXTURES / "four-backends"


class Oracle(unittest.TestCase):
    def test_a_reference_backends_divergence_is_a_finding(self):
        m = conformance.matrix(results.load(FOUR))
        self.assertEqual(m.bugs, [])
        [finding] = m.findings
        self.assertEqual(
            (finding.scenario.backend, finding.oracle, finding.scenario.key),
            ("asio_standalone", "asio", "Timer.CancelAborts"),
        )
        self.assertEqual(finding.between, "Asio 1.22.1 and Asio 1.26.0")
        self.assertEqual(finding.first, 0)

    def test_the_oracle_is_a_choice(self):
        # Against asio_standalone, twin's timer trace (Asio 1.26's) diverges.
        m = conformance.matrix(results.load(FOUR), "asio_standalone")
        self.assertEqual([d.scenario.key for d in m.bugs], ["Timer.CancelAborts"])
        self.assertEqual(m.bugs[0].oracle, "asio_standalone")
        timer = next(c for c in m.categories if c.name == "Timer")
        self.assertEqual(timer.rows[0].verdict, "diverged")
        self.assertEqual(timer.divergences, 1)

    def test_an_oracle_without_results_is_refused(self):
        status, _, err = call("gate", FOUR, "--oracle", "nosuch")
        self.assertEqual(status, 2)
        self.assertIn("no conformance results of the oracle 'nosuch'", err)


class Unsupported(unittest.TestCase):
    def test_a_declared_scenario_is_marked_in_its_row(self):
        m = conformance.matrix(results.load(FOUR))
        ordering = next(c for c in m.categories if c.name == "Ordering")
        row = next(r for r in ordering.rows if r.name == "PostIsFifo")
        self.assertIsNone(row.cells["asio_standalone"])
        self.assertEqual(
            row.unsupported, {"asio_standalone": "fixture: one scenario declared unsupported"}
        )
        self.assertEqual(ordering.unsupported, {})


class Gate(TempDirTest):
    def test_four_backends_pass_with_the_finding_noted(self):
        status, out, _ = call("gate", FOUR)
        self.assertEqual(status, 0, out)
        self.assertIn("not gated: 1 divergence(s) of reference backends from asio", out)
        self.assertIn("asio_standalone: Asio 1.22.1 and Asio 1.26.0", out)

    def test_twin_is_judged_against_the_chosen_oracle(self):
        status, out, _ = call("gate", FOUR, "--oracle", "asio_standalone")
        self.assertEqual(status, 1, out)
        self.assertIn("twin diverges from asio_standalone on Timer.CancelAborts at event 0", out)

    def test_an_undeclared_missing_category_fails(self):
        folder = self.tmp / "run"
        shutil.copytree(FOUR, folder)
        context = json.loads((folder / "context.json").read_text())
        context["declarations"]["asio_standalone"]["unsupported"] = {}
        (folder / "context.json").write_text(json.dumps(context))
        status, out, _ = call("gate", folder)
        self.assertEqual(status, 1, out)
        self.assertIn(
            "asio_standalone has no results in category Interrupt and does not declare it "
            "unsupported",
            out,
        )

    def test_declared_unsupported_is_not_a_reason(self):
        outcome = gate.evaluate(
            conformance.matrix(results.load(FOUR)),
            None,
            gate.load_thresholds(SCRIPTS / "gate-thresholds.json"),
            expected_categories=["Ordering", "Interrupt", "Timer"],
        )
        self.assertEqual(outcome.reasons, [])


class Report(TempDirTest):
    def test_the_report_shows_four_backends_the_finding_and_the_reason(self):
        out = self.tmp / "r.html"
        status, _, err = call("report", FOUR, "--out", out)
        self.assertEqual(status, 0, err)
        html = out.read_text()
        self.assertIn('title="standalone Asio 1.22 (epoll)">asio_standalone</th>', html)
        self.assertIn("Not supported by asio_standalone: fixture: declared unsupported", html)
        self.assertIn(
            '<span class="missing">not supported: fixture: one scenario declared unsupported',
            html,
        )
        self.assertIn("A difference between Asio 1.22.1 and Asio 1.26.0.", html)
        self.assertIn('<span class="badge skip">finding</span>', html)
        self.assertIn("0 divergences of twin from asio", html)

    def test_the_report_takes_an_oracle(self):
        out = self.tmp / "r.html"
        status, _, err = call("report", FOUR, "--out", out, "--oracle", "asio_standalone")
        self.assertEqual(status, 0, err)
        html = out.read_text()
        self.assertIn("1 divergence of twin from asio_standalone", html)
        self.assertIn("<h2>Divergences from asio_standalone</h2>", html)


if __name__ == "__main__":
    unittest.main()
