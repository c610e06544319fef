"""Runs the benchmarks on every backend and summarises them.

Builds Release, runs the perf programs the build declares — `perf` (twin,
asio, raw baselines) and `perf_uring` (asio on io_uring) — with repetitions
and random interleaving (asio_twin/perf_run.py, as scripts/compare does), and
writes Google Benchmark's JSON (every repetition kept) plus the machine
context:

  <out>/perf.json, <out>/perf_uring.json   Google Benchmark output
  <out>/perf.log, <out>/perf_uring.log     its console output
  <out>/context.json                       commit, compiler, kernel, load
  <out>/syscalls.json                      system calls per operation

then counts system calls per operation — a fixed number of 64 B TCP round
trips and of cross-thread wake-ups on each backend, run by the drivers of
perf/syscalls/ under `strace -f -c`, minus a run of none (asio_twin/
syscalls.py) — and prints, per benchmark, the median over repetitions of
each backend's time per operation (1e9 / items_per_second), the twin/asio
ratio — asio's median over twin's, the convention of scripts/gate and the
report: above 1 twin is faster (or smaller) — with its p-value and verdict,
and allocations per operation. Latency scenarios add p50 and p99 rows,
timer_armed the heap bytes per armed timer; then the system calls per
operation.

With --instructions it counts instead of timing: instructions per
operation in steady state under callgrind, every selected benchmark on
every backend (with --quick and no --filter: the fixed subset CI counts;
--quick sizes are a tenth of the full ones), into <out>/instructions.json
(asio_twin/instructions.py), and prints them with the twin/asio
instruction ratio. Every benchmark at full sizes takes about 25 minutes on
2 cores; the CI subset 1-2 minutes. --update-baseline (with
--instructions) counts that CI subset and writes twin's counts to
scripts/perf-baseline.json, which scripts/gate holds CI to: the only way
the baseline changes, so a change's cost shows in its diff.

Modes: full (default; 5 repetitions of at least 0.2 s each, 2000 operations
per system-call count) or --quick (3 repetitions of 0.01 s, batches a tenth
of the size, 200 operations per count: about a minute, numbers only
indicative — the sizes show in the names).
Exit status: 0 all benchmarks passed their checks, 1 one failed or hung,
2 bad usage, or a build or tool failure.
"""


from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from asio_twin import build, perf_run  # noqa: E402
from asio_twin import context as machine  # noqa: E402
from asio_twin.cli import EXIT_FAILED, EXIT_OK, UsageError, command_parser, regex  # noqa: E402
from asio_twin.cli import run_main  # noqa: E402
from asio_twin.files import check_writable_dir, output_folder, write_atomic  # noqa: E402
from asio_twin.progress import Progress  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = command_parser("scripts/perf", __doc__)
    parser.add_argument(
        "--quick", action="store_true", help="3 short repetitions: seconds, not minutes"
    )
    parser.add_argument(
        "--filter",
        metavar="REGEX",
        type=regex,
        help="only benchmarks whose name (scenario<backend>/args) matches",
    )
    parser.add_argument(
        "--out", metavar="DIR", type=Path, help="results folder (default: reports/perf-<date>)"
    )
    parser.add_argument(
        "--repetitions",
        metavar="N",
        type=int,
        help="repetitions per benchmark (default: 5, or 3 with --quick)",
    )
    parser.add_argument(
        "--build-dir",
        metavar="DIR",
        type=Path,
        help="use the programs already built in DIR (a configured build "
        "folder); skips setup and the build",
    )
    parser.add_argument(
        "--no-syscalls", action="store_true", help="skip counting system calls per operation"
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions per operation under callgrind instead of timing",
    )
    parser.add_argument(
        "--update-baseline",
        action="store_true",
        help="with --instructions: count the CI subset and write scripts/perf-baseline.json",
    )
    args = parser.parse_args(argv)
    if args.update_baseline and not args.instructions:
        raise UsageError("--update-baseline needs --instructions")
    if args.update_baseline and args.filter is not None:
        raise UsageError("--update-baseline counts the fixed CI subset: no --filter")
    if args.instructions and (args.repetitions is not None or args.no_syscalls):
        raise UsageError("--instructions counts once, without system calls: no --repetitions")
    if args.update_baseline:
        args.quick = True  # the baseline holds the CI subset, at quick sizes
    if args.repetitions is not None and args.repetitions < 1:
        raise UsageError("--repetitions must be at least 1")
    if args.build_dir is not None:
        declared = build.backends(args.build_dir)
        if not any(p.exists() for p in build.programs(declared, "perf")):
            raise UsageError(f"--build-dir {args.build_dir}: no perf program built in it")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    mode = perf_run.MODES["quick" if args.quick else "full"]
    out = output_folder(args.out, ROOT / "reports" / f"perf-{dt.date.today().isoformat()}")
    check_writable_dir(out)
    progress = Progress()
    build_dir = args.build_dir or build.RELEASE
    if args.build_dir is None:
        progress.line("building (Release)")
        kinds = ("perf",) if args.no_syscalls or args.instructions else ("perf", "syscalls")
        declared = build.release(kinds, ROOT / "build" / "perf-build.log")
    else:
        declared = build.backends(build_dir)
    selected = perf_run.select(build.programs(declared, "perf"), mode, args.filter, progress)
    if not any(selected.values()):
        raise UsageError(f"--filter {args.filter!r} matches no benchmark")
    context = machine.collect(ROOT, build_dir)
    if args.instructions:
        return count_instructions(
            selected, out, mode, args.filter, context, progress, args.update_baseline
        )
    del context["load_average"]  # the run's own, before and after, instead
    run = perf_run.run(
        selected,
        build.programs(declared, "syscalls"),
        out,
        mode,
        args.filter,
        progress,
        args.repetitions,
        count_syscalls=not args.no_syscalls,
    )
    context.update(run.context)
    write_atomic(out / "context.json", json.dumps(context, indent=2) + "\n")
    return report(out, context, run.problems)


def count_instructions(
    selected: dict,
    out: Path,
    mode: perf_run.Mode,
    pattern: str | None,
    context: dict,
    progress: Progress,
    update_baseline: bool,
) -> int:
    """--instructions: the counts into `out`, printed; with
    `update_baseline`, twin's into scripts/perf-baseline.json. The exit status."""
    from asio_twin import instructions, summary

    context.update({"mode": mode.name, "perf": "instructions"})
    problems = perf_run.count_instructions_per_op(selected, out, mode, pattern, progress)
    write_atomic(out / "context.json", json.dumps(context, indent=2) + "\n")
    counts, _ = instructions.load(out / instructions.FILE)
    summary.instructions(counts)
    if update_baseline and not problems:
        document = instructions.baseline_document(json.loads((out / instructions.FILE).read_text()))
        instructions.write(instructions.BASELINE, document)
        print(f"baseline: {instructions.BASELINE} ({len(document['benchmarks'])} twin counts)")
    for p in problems:
        print(f"FAILED {p}")
    print(f"\nresults: {out}")
    return EXIT_FAILED if problems else EXIT_OK


def report(out: Path, context: dict, problems: list[str]) -> int:
    """Prints the results read back from `out`; the exit status."""
    from asio_twin import benchmarks, results, summary

    failures = []
    if any(out.glob("perf*.json")):  # none when every program hung
        loaded = results.load(out)
        comparison = benchmarks.compare(loaded)
        summary.benchmarks(comparison)
        summary.syscalls(loaded.syscalls)
        failures = [f"{name}: {error}" for name, error in comparison.errors]
    for f in failures + problems:
        print(f"FAILED {f}")
    for warning in machine.warnings(context, {}, has_perf=True):
        print(f"note: {warning}")
    print(f"\nresults: {out}")
    return EXIT_FAILED if failures or problems else EXIT_OK


if __name__ == "__main__":
    sys.exit(run_main("scripts/perf", main, sys.argv[1:]))
