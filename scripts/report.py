"""Writes the HTML report of a results folder.

  scripts/report RESULTS_DIR [--baseline DIR] [--oracle NAME] [--out FILE]

Reads only the result files in RESULTS_DIR (conformance-*.json, perf*.json,
context.json; see reports/README.md) and writes one self-contained HTML file
(inline CSS and SVG charts; nothing to fetch, no script), by default
RESULTS_DIR/index.html. With --baseline, an earlier run's folder, the report
also shows every benchmark and conformance outcome before vs after. With
--oracle NAME, every backend's deterministic traces are compared with NAME's
(default: the run's oracle, Asio on epoll).

The file is written atomically: on any error the previous report stays as it
was. Exit status: 0 written, 2 bad usage or input (one line on stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from asio_twin.cli import UsageError, add_results_dir, command_parser, run_main  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = command_parser("scripts/report", __doc__)
    add_results_dir(parser)
    parser.add_argument(
        "--baseline", metavar="DIR", type=Path, help="an earlier run's folder: show before vs after"
    )
    parser.add_argument(
        "--oracle", metavar="NAME", help="the backend traces are compared with (default: the run's)"
    )
    parser.add_argument(
        "--out", metavar="FILE", type=Path, help="the report file (default: RESULTS_DIR/index.html)"
    )
    args = parser.parse_args(argv)
    if args.out is not None and args.out.is_dir():
        raise UsageError(f"--out {args.out} is a folder; give a file name")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from asio_twin import report  # after argument checks: matplotlib and scipy take a moment

    out = args.out or args.results / "index.html"
    report.generate(args.results, out, args.baseline, oracle=args.oracle)
    print(f"report: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(run_main("scripts/report", main, sys.argv[1:]))
