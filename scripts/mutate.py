"""scripts/mutate — runs the mutant catalogue against twin's tests.

Each mutant of conformance/mutants/catalogue.toml (a small, plausible bug)
is planted, alone, in a scratch copy of the tree (build/mutate/), which is
built and tested: twin's conformance categories (the mutant's likely
killers first), the random differential programs and the compat test, up
to the first failure. Prints one line per mutant and the mutation score;
writes DIR/mutants.json.

  scripts/mutate                  the whole catalogue
  scripts/mutate --list           the catalogue, without running anything
  scripts/mutate --only a,b       only these mutants
  scripts/mutate --ci             the CI subset: the mutants of twin's compiled
                                  sources (impl/src/), each a relink away,
                                  and of the timer queue's header
  scripts/mutate --out DIR        where mutants.json goes (default: a new
                                  reports/mutants-<time>/)
  scripts/mutate --jobs N         build jobs (default: the number of CPUs)

Exit status: 0 no mutant survived, 1 one did (or one does not compile),
2 bad usage, a stale catalogue, or a twin that fails its own tests.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from asio_twin import mutation
from asio_twin.cli import EXIT_FAILED, EXIT_OK, UsageError, command_parser, run_main
from asio_twin.files import check_writable_dir, write_atomic
from asio_twin.progress import Progress

RESULTS = "mutants.json"


def parse(argv: list[str]):
    parser = command_parser("scripts/mutate", __doc__)
    parser.add_argument("--list", action="store_true", help="list the catalogue and exit")
    parser.add_argument("--only", type=lambda s: [n for n in s.split(",") if n], metavar="NAMES")
    parser.add_argument("--ci", action="store_true", help="only the CI subset (mutation.CI_SUBSET)")
    parser.add_argument("--out", type=Path, metavar="DIR")
    parser.add_argument("--jobs", type=positive, default=os.cpu_count() or 1, metavar="N")
    return parser.parse_args(argv)


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: '{text}'")
    return value


def out_dir(arg: Path | None) -> Path:
    folder = arg or mutation.ROOT / "reports" / time.strftime("mutants-%Y%m%d-%H%M%S")
    if (folder / RESULTS).exists():
        raise UsageError(f"{folder} already holds {RESULTS}: give a new or another folder")
    check_writable_dir(folder)
    return folder


def main(argv: list[str]) -> int:
    args = parse(argv)
    mutants = mutation.select(mutation.load_catalogue(), args.only)
    if args.ci:
        mutants = [m for m in mutants if m.file.startswith(mutation.CI_SUBSET)]
    if args.list:
        for m in mutants:
            note = f" (equivalent: {m.equivalent})" if m.equivalent else ""
            print(f"{m.name:42} {m.file}:{m.line}  {m.description}{note}")
        print(f"{len(mutants)} mutants")
        return EXIT_OK
    folder = out_dir(args.out)
    progress = Progress()
    runner = mutation.Runner(mutation.SCRATCH, args.jobs, progress.line)
    runner.prepare()
    steps = runner.steps()
    progress.line(f"baseline: twin itself against {len(steps)} tests")
    runner.baseline(list(steps.values()))

    results = []
    width = max(len(m.name) for m in mutants)
    for i, m in enumerate(mutants, 1):
        if m.equivalent:
            outcome = mutation.Outcome("equivalent", detail=m.equivalent)
        else:
            progress.status(f"{i}/{len(mutants)} {m.name}")
            outcome = runner.try_mutant(m, steps)
        by = f"  by {outcome.killed_by}" if outcome.killed_by else ""
        extra = f"  ({outcome.detail})" if outcome.detail and not outcome.killed_by else ""
        progress.line(f"{m.name:{width}}  {outcome.verdict:10} {outcome.seconds:6.1f}s{by}{extra}")
        results.append(
            {
                "name": m.name,
                "file": m.file,
                "line": m.line,
                "description": m.description,
                "verdict": outcome.verdict,
                "killed_by": outcome.killed_by,
                "seconds": outcome.seconds,
                "detail": outcome.detail or None,
            }
        )
        # Written after every mutant: an interrupted run keeps what it found.
        write_results(folder, results)

    summary = mutation.score(results)
    counts = ", ".join(f"{n} {v}" for v, n in sorted(summary["counts"].items()))
    shown = "n/a" if summary["score"] is None else f"{100 * summary['score']:.1f}%"
    progress.line(f"mutation score {shown} ({counts}); results in {folder / RESULTS}")
    bad = summary["counts"].get("survived", 0) + summary["counts"].get("invalid", 0)
    return EXIT_FAILED if bad else EXIT_OK


def write_results(folder: Path, results: list[dict]) -> None:
    document = {"mutants": results, **mutation.score(results)}
    write_atomic(folder / RESULTS, json.dumps(document, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(run_main("scripts/mutate", main, sys.argv[1:]))
