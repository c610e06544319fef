"""The CI gate: does a results folder pass?

  scripts/gate [RESULTS_DIR] [--oracle NAME] [--thresholds FILE] [--no-perf]

RESULTS_DIR defaults to reports/latest. The gate fails (exit 1, one reason a
line) when a twin conformance scenario failed, when twin diverged from the
oracle (--oracle NAME; default the run's, Asio on epoll) on a deterministic
scenario, when a backend has no results in a category it does not declare
unsupported, when a twin benchmark failed its own check, or
when twin is significantly slower than Asio by more than the threshold for
that benchmark (scripts/gate-thresholds.json: a minimum twin/asio speed
ratio per benchmark-name regex; the one-sided Mann-Whitney U test over the
repetitions must give p < alpha). Perf is gated only when the folder has
perf results. With instruction counts (instructions.json) it also fails when
twin's instructions per operation on a benchmark of the committed baseline
(scripts/perf-baseline.json) rose more than 2%, when a twin benchmark could
not be counted, or when twin executes more than Asio on a single-thread
scenario (gate-thresholds.json's "instructions" lists them).
Exit status: 0 pass, 1 gate failed, 2 bad usage or input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from asio_twin.cli import EXIT_FAILED, EXIT_OK, run_main  # noqa: E402
from asio_twin.cli import add_results_dir, command_parser  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = ROOT / "scripts" / "gate-thresholds.json"
BASELINE = ROOT / "scripts" / "perf-baseline.json"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = command_parser("scripts/gate", __doc__)
    add_results_dir(parser, default=ROOT / "reports" / "latest")
    parser.add_argument(
        "--thresholds",
        metavar="FILE",
        type=Path,
        default=THRESHOLDS,
        help="minimum twin/asio ratios (default: scripts/gate-thresholds.json)",
    )
    parser.add_argument(
        "--instruction-baseline",
        metavar="FILE",
        type=Path,
        default=BASELINE,
        help="twin's committed instruction counts (default: scripts/perf-baseline.json)",
    )
    parser.add_argument(
        "--oracle",
        metavar="NAME",
        help="the backend twin's traces must equal (default: the run's, asio)",
    )
    parser.add_argument(
        "--no-perf",
        action="store_true",
        help="gate on conformance only, even when perf results are present",
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from asio_twin import benchmarks, conformance, gate, instructions, results

    thresholds = gate.load_thresholds(args.thresholds)
    run = results.load(args.results)
    matrix = conformance.matrix(run, args.oracle) if run.has_conformance else None
    comparison = benchmarks.compare(run) if run.has_perf and not args.no_perf else None
    counted = (args.results / instructions.FILE).exists() and not args.no_perf
    counts = (run.instructions, run.instruction_failures) if counted else None
    baseline = gate.load_baseline(args.instruction_baseline) if counted else None
    outcome = gate.evaluate(
        matrix,
        comparison,
        thresholds,
        run.mutants,
        gate.expected_categories(run.context),
        counts,
        baseline,
    )

    checked = []
    if matrix is not None:
        checked.append(f"{outcome.twin_scenarios} twin scenarios")
    if comparison is not None:
        checked.append(f"{outcome.ratios_checked} twin/asio ratios")
    if counts is not None:
        checked.append(f"{outcome.counts_checked} instruction counts")
    summary = ", ".join(checked) or "nothing to gate"
    if outcome.passed:
        print(f"gate: PASS ({summary}; {args.results})")
    else:
        print(f"gate: FAIL ({summary}; {args.results}): {len(outcome.reasons)} reason(s)")
        for reason in outcome.reasons:
            print(f"  - {reason}")
    for note in outcome.notes:
        print(f"note: {note}")
    return EXIT_OK if outcome.passed else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(run_main("scripts/gate", main, sys.argv[1:]))
