"""Runs the benchmarks on every backend and summarises them.

Builds Release, runs `perf` (twin, asio, raw baselines) and `perf_uring`
(asio on io_uring) with repetitions and random interleaving, and writes
Google Benchmark's JSON (every repetition kept) plus the machine context:

  <out>/perf.json, <out>/perf_uring.json   Google Benchmark output
  <out>/perf.log, <out>/perf_uring.log     its console output
  <out>/context.json                       commit, compiler, kernel, load
  <out>/syscalls.json                      system calls per operation

then counts system calls per operation — a fixed number of 64 B TCP round
trips and of cross-thread wake-ups on each backend, run by the drivers of
perf/syscalls/ under `strace -f -c`, minus a run of none (asio_twin/
syscalls.py) — and prints, per scenario, the median over repetitions of each backend's
time per operation (1e9 / items_per_second) and allocations per operation,
and the twin/asio ratio — asio's median over twin's, the convention of
scripts/gate and the report: above 1 twin is faster (or smaller). Latency
scenarios add p50 and p99 rows, timer_armed the heap bytes per armed timer;
then the system calls per operation.

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
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from asio_twin import context as machine  # noqa: E402
from asio_twin import syscalls  # noqa: E402
from asio_twin.cli import EXIT_FAILED, EXIT_OK, ArgumentParser, UsageError, run_main  # noqa: E402
from asio_twin.files import output_folder, write_atomic  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "release"
PROGRAMS = ["perf", "perf_uring"]
DRIVERS = syscalls.DRIVERS  # perf/syscalls/: perf_syscalls, perf_syscalls_uring
BACKENDS = ["twin", "asio", "asio_uring", "raw"]
SHORT = {"asio_uring": "uring"}  # column labels where space is short
MODES = {  # repetitions, --benchmark_min_time (s per repetition), program flags
    "full": (5, 0.2, []),
    "quick": (3, 0.01, ["--perf_quick"]),  # batches a tenth of the size
}
SYSCALL_OPS = {"full": 2000, "quick": 200}  # operations per system-call count
# Counters some scenarios add, each shown as a row of its own: unit, counter.
EXTRA_ROWS = [("p50 ns", "p50_ns"), ("p99 ns", "p99_ns"), ("heap B", "heap_bytes_per_timer")]
NAME = re.compile(r"^(?P<scenario>[^<]+)<(?P<backend>[^>]+)>(?P<args>.*)$")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = ArgumentParser(
        prog="scripts/perf",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick", action="store_true", help="3 short repetitions: seconds, not minutes"
    )
    parser.add_argument(
        "--filter",
        metavar="REGEX",
        default=None,
        help="only benchmarks whose name (scenario<backend>/args) matches",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        default=None,
        help="results folder (default: reports/perf-<date>)",
    )
    parser.add_argument(
        "--repetitions",
        metavar="N",
        type=int,
        default=None,
        help="repetitions per benchmark (default: 5, or 3 with --quick)",
    )
    parser.add_argument(
        "--build-dir",
        metavar="DIR",
        type=Path,
        default=None,
        help="use the programs already built in DIR (a configured build "
        "folder); skips setup and the build",
    )
    parser.add_argument(
        "--no-syscalls", action="store_true", help="skip counting system calls per operation"
    )
    args = parser.parse_args(argv)
    if args.build_dir is not None and not (args.build_dir / "perf" / "perf").exists():
        raise UsageError(f"--build-dir {args.build_dir}: no perf/perf program in it")
    if args.filter is not None:
        try:
            re.compile(args.filter)
        except re.error as e:
            raise UsageError(f"--filter is not a valid regular expression: {e}") from None
    if args.repetitions is not None and args.repetitions < 1:
        raise UsageError("--repetitions must be at least 1")
    return args


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, **kw)


def build() -> list[str]:
    """Builds the perf programs and the system-call drivers (Release);
    returns the perf programs that exist."""
    print("-- building (Release)", flush=True)
    run(["cmake", "--preset", "release"], cwd=ROOT, stdout=subprocess.DEVNULL)
    uring = machine.cmake_cache(BUILD, "ASIO_TWIN_IO_URING") == "ON"
    programs = PROGRAMS if uring else ["perf"]
    drivers = DRIVERS if uring else DRIVERS[:1]
    run(
        [
            "cmake",
            "--build",
            "--preset",
            "release",
            "-j",
            str(os.cpu_count()),
            "--target",
            *programs,
            *drivers,
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return programs


def built(build_dir: Path) -> list[str]:
    """The perf programs already in `build_dir` (--build-dir)."""
    return [p for p in PROGRAMS if (build_dir / "perf" / p).exists()]


def count_syscalls(
    build_dir: Path, out: Path, mode: str, pattern: str | None
) -> tuple[dict | None, list[str]]:
    """Counts system calls per operation for the workloads whose benchmark
    name (scenario<backend>/args) `pattern` selects; writes syscalls.json.
    Returns the document (None when nothing was counted) and the failures."""
    if shutil.which("strace") is None:
        print(
            "note: strace is not installed (scripts/setup installs it): " "no system-call counts",
            flush=True,
        )
        return None, []
    drivers = [p for name in DRIVERS if (p := build_dir / "perf" / "syscalls" / name).exists()]
    if not drivers:
        print("note: no system-call driver built: no system-call counts", flush=True)
        return None, []
    regex = re.compile(pattern) if pattern else None

    def selected(workload: str, backend: str) -> bool:
        scenario, args = syscalls.split_name(workload)
        return regex is None or bool(regex.search(f"{scenario}<{backend}>{args}"))

    document = syscalls.measure(drivers, SYSCALL_OPS[mode], select=selected)
    if not document["results"] and not document["failures"]:
        return None, []
    syscalls.write(out / syscalls.FILE, document)
    return document, [f"system calls: {f}" for f in document["failures"]]


def print_syscalls(document: dict) -> None:
    """The system calls per operation, one row per workload."""
    table = syscalls.by_key(syscalls.load_document(document))
    if not table:
        return
    width = max(len(s + a) for s, a in table) + 2
    print(
        f"\n{'system calls per operation':<{width}}"
        + "".join(f"{SHORT.get(b, b):>9}" for b in BACKENDS)
        + "   (twin's calls)"
    )
    for (scenario, args), by_backend in table.items():
        twin = by_backend.get("twin")
        calls = ", ".join(f"{n} {v:g}" for n, v in twin.per_syscall.items()) if twin else ""
        print(
            f"{scenario + args:<{width}}"
            + "".join(
                fmt(by_backend[b].syscalls_per_op if b in by_backend else None, 9) for b in BACKENDS
            )
            + f"   {calls}"
        )
    print(f"({document['count']} operations under strace -f -c, minus a run of none)")


def matching(binary: Path, flags: list[str], pattern: str | None) -> list[str]:
    """Names of the benchmarks in `binary` that `pattern` selects."""
    cmd = [str(binary), *flags, "--benchmark_list_tests=true"]
    if pattern:
        cmd.append(f"--benchmark_filter={pattern}")
    listing = subprocess.run(cmd, capture_output=True, text=True)
    if listing.returncode == 77:  # the kernel cannot run this backend
        print(f"-- {binary.name}: {listing.stderr.strip()}", flush=True)
        return []
    return [line for line in listing.stdout.splitlines() if line.strip()]


def run_program(
    binary: Path,
    out: Path,
    flags: list[str],
    pattern: str | None,
    repetitions: int,
    min_time: float,
) -> tuple[Path | None, str]:
    """Runs one program; returns its JSON (None if it hung) and a failure or ''."""
    result = out / f"{binary.name}.json"
    cmd = [
        str(binary),
        *flags,
        f"--benchmark_repetitions={repetitions}",
        f"--benchmark_min_time={min_time}",
        "--benchmark_enable_random_interleaving=true",
        "--benchmark_report_aggregates_only=false",
        f"--benchmark_out={result}",
        "--benchmark_out_format=json",
    ]
    if pattern:
        cmd.append(f"--benchmark_filter={pattern}")
    log = out / f"{binary.name}.log"
    with open(log, "w") as sink:
        status = subprocess.run(cmd, stdout=sink, stderr=subprocess.STDOUT).returncode
    last = (log.read_text().strip().splitlines() or [""])[-1]
    if status == 3:  # a benchmark hung; its JSON is cut short
        return None, last
    if status not in (0, 1) or not result.exists():
        raise UsageError(f"{binary.name} exited with status {status}: {last}")
    return result, "" if status == 0 else f"{binary.name} exited with status 1"


def run_context(mode: str, repetitions: int, min_time: float, pattern: str | None) -> dict:
    """The machine (asio_twin.context, as scripts/compare records it) and this run."""
    context = machine.collect(ROOT, BUILD)
    context.update(
        {
            "google_benchmark": "1.7.1",
            "mode": mode,
            "repetitions": repetitions,
            "min_time_s": min_time,
            "filter": pattern,
            "load_average_before": context.pop("load_average"),
        }
    )
    return context


def load_runs(paths: list[Path]) -> tuple[dict, list[str]]:
    """{(scenario, args): {backend: [repetition entries]}} in registration
    order (scenario by scenario, as the programs list them), and the failures."""
    table: dict = {}
    order: dict = {}
    failures = []
    for program, path in enumerate(paths):
        for entry in json.loads(path.read_text()).get("benchmarks", []):
            if entry.get("run_type") != "iteration":
                continue
            if entry.get("error_occurred"):
                failures.append(f"{entry['name']}: {entry.get('error_message', '')}")
                continue
            m = NAME.match(entry["run_name"])
            if not m:
                continue
            key = (m["scenario"], re.sub(r"/(real|manual)_time$", "", m["args"]))
            rank = (program, entry["family_index"], entry["per_family_instance_index"])
            order[key] = min(order.get(key, rank), rank)
            table.setdefault(key, {}).setdefault(m["backend"], []).append(entry)
    return {key: table[key] for key in sorted(table, key=order.__getitem__)}, failures


def median_of(entries: list[dict] | None, metric) -> float | None:
    values = [v for e in entries or [] if (v := metric(e)) is not None]
    return statistics.median(values) if values else None


def ns_per_op(entry: dict) -> float | None:
    rate = entry.get("items_per_second")
    return 1e9 / rate if rate else None


def ns_per_byte(entry: dict) -> float | None:
    rate = entry.get("bytes_per_second")
    return 1e9 / rate if rate else None


def fmt(value: float | None, width: int, digits: int = 3) -> str:
    if value is None:
        return "-".rjust(width)
    if value == 0:
        return "0".rjust(width)
    if abs(value) >= 10**digits:
        return f"{value:,.0f}".rjust(width)
    return f"{value:.{digits}g}".rjust(width)


def summarize(table: dict) -> None:
    """Prints medians per scenario and backend, and the twin/asio ratio."""
    rows = []
    for (scenario, args), by_backend in table.items():
        present = {k for entries in by_backend.values() for e in entries for k in e}
        time = (
            ("ns/op", ns_per_op)
            if "items_per_second" in present or "bytes_per_second" not in present
            else ("ns/B", ns_per_byte)
        )
        metrics = [time] + [
            (unit, lambda e, c=counter: e.get(c))
            for unit, counter in EXTRA_ROWS
            if counter in present
        ]
        for i, (unit, metric) in enumerate(metrics):
            values = {b: median_of(by_backend.get(b), metric) for b in BACKENDS}
            allocs = (
                {
                    b: median_of(by_backend.get(b), lambda e: e.get("allocs_per_op"))
                    for b in BACKENDS
                }
                if i == 0
                else None
            )
            ratio = (
                values["asio"] / values["twin"]
                if values["asio"] is not None and values["twin"]
                else None
            )
            rows.append((scenario + args if i == 0 else "", unit, values, ratio, allocs))
    width = max([len(r[0]) for r in rows] + [8])
    head = (
        f"{'scenario':<{width}} {'unit':<6}"
        + "".join(f"{b:>11}" for b in BACKENDS)
        + f"{'twin/asio':>10} |"
        + "".join(f"{SHORT.get(b, b):>7}" for b in BACKENDS)
    )
    print("\n" + " " * (len(head) - 28) + "allocs/op".center(28))
    print(head)
    print("-" * len(head))
    for label, unit, values, ratio, allocs in rows:
        line = (
            f"{label:<{width}} {unit:<6}"
            + "".join(fmt(values[b], 11) for b in BACKENDS)
            + (f"{ratio:10.2f}" if ratio is not None else f"{'-':>10}")
            + " |"
        )
        if allocs:
            line += "".join(fmt(allocs[b], 7, 2) for b in BACKENDS)
        print(line)
    print(
        "\nmedians over repetitions; ns/op = 1e9 / items_per_second "
        "(ns/B = 1e9 / bytes_per_second);\n"
        "twin/asio = asio's median / twin's (as in scripts/gate): above 1 twin is "
        "faster (or smaller)"
    )


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    mode = "quick" if args.quick else "full"
    repetitions, min_time, flags = MODES[mode]
    repetitions = args.repetitions or repetitions
    out = output_folder(args.out, ROOT / "reports" / f"perf-{dt.date.today().isoformat()}")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out):
            pass
    except OSError as e:
        raise UsageError(f"cannot write to {out}: {e.strerror}") from None

    build_dir = args.build_dir or BUILD
    try:
        if args.build_dir is None:
            run([str(ROOT / "scripts" / "setup")], cwd=ROOT)
            programs = build()
        else:
            programs = built(build_dir)
    except subprocess.CalledProcessError as e:
        raise UsageError(f"{' '.join(e.cmd)} failed with status {e.returncode}") from None
    selected = {p: matching(build_dir / "perf" / p, flags, args.filter) for p in programs}
    if not any(selected.values()):
        raise UsageError(f"--filter {args.filter!r} matches no benchmark")
    context = run_context(mode, repetitions, min_time, args.filter)

    results, problems = [], []
    for program, names in selected.items():
        if not names:
            continue
        print(
            f"-- {program}: {len(names)} benchmarks x {repetitions} repetitions "
            f"({mode}; log: {out / (program + '.log')})",
            flush=True,
        )
        result, problem = run_program(
            build_dir / "perf" / program, out, flags, args.filter, repetitions, min_time
        )
        results += [result] if result else []
        problems += [problem] if problem else []
    counts = None
    if not args.no_syscalls:
        counts, failed_counts = count_syscalls(build_dir, out, mode, args.filter)
        problems += failed_counts
    context["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    write_atomic(out / "context.json", json.dumps(context, indent=2) + "\n")

    table, failures = load_runs(results)
    summarize(table)
    if counts:
        print_syscalls(counts)
    for f in failures + problems:
        print(f"FAILED {f}")
    for warning in machine.warnings(context, {}, has_perf=True):
        print(f"note: {warning}")
    print(f"\nresults: {out}")
    return EXIT_FAILED if failures or problems else EXIT_OK


if __name__ == "__main__":
    sys.exit(run_main("scripts/perf", main, sys.argv[1:]))
