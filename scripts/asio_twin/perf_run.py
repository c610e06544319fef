"""Running the benchmarks: the one runner behind scripts/perf and
scripts/compare.

The perf programs are those the build declares (build.backends(): `perf`
holds twin, Asio on epoll and the raw baselines, `perf_uring` Asio on
io_uring). select() lists the benchmarks a filter picks in each; run() runs
them with repetitions and random interleaving and writes, into the results
folder:

  <program>.json   Google Benchmark JSON, every repetition (the program
                   writes it under a temporary name and renames it)
  <program>.log    the program's console output
  syscalls.json    system calls per operation (syscalls.py), unless skipped
  instructions.json  instructions per operation under callgrind
                   (instructions.py), when asked for: every selected
                   benchmark, or in a quick run without --filter the fixed
                   subset CI counts

While a program runs, one status line (progress.Progress) counts the
repetitions it has reported and the seconds. The count comes in bursts:
with random interleaving a benchmark reports only once its last repetition
is done, and the program's output is buffered; the seconds move steadily.
What the commands print afterwards is read back from the JSON like any
results folder (results.load, benchmarks.compare), so they show the
report's medians and ratios.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from . import instructions, syscalls
from .build import Program
from .cli import UsageError
from .progress import Progress, Ticker

GOOGLE_BENCHMARK = "1.7.1"  # Debian bookworm's libbenchmark-dev
EXIT_HUNG = 3  # perf/src/main.cpp: a benchmark hung; its JSON is not written
EXIT_CANNOT_RUN = 77  # the kernel cannot run the program's backend (io_uring refused)
# A console row of one repetition, `scenario<backend>/args  12.3 ns ...`, and
# the rows of aggregates (which --benchmark_report_aggregates_only=false adds).
REPETITION_ROW = re.compile(r"^\S+<\w+>\S*\s+\d")
AGGREGATE_ROW = re.compile(r"_(mean|median|stddev|cv)\s")


@dataclass(frozen=True)
class Mode:
    """How long and how much to measure."""

    name: str
    repetitions: int
    min_time: float  # --benchmark_min_time: seconds per repetition
    flags: tuple[str, ...]  # the programs' own flags
    syscall_ops: int  # operations per system-call count


MODES = {
    "full": Mode("full", 5, 0.2, (), 2000),
    "quick": Mode("quick", 3, 0.01, ("--perf_quick",), 200),  # batches a tenth of the size
}


@dataclass
class Run:
    """What a run adds to context.json, and what went wrong in it."""

    context: dict
    problems: list[str] = field(default_factory=list)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def select(
    programs: list[Program], mode: Mode, pattern: str | None, progress: Progress
) -> dict[Program, list[str]]:
    """The names of the benchmarks `pattern` picks in each program that is
    built (`scenario<backend>/args`, Google Benchmark's filter). UsageError
    when a program cannot even list them."""
    selected = {}
    for program in programs:
        if not program.exists():
            continue
        cmd = [str(program.file), *mode.flags, "--benchmark_list_tests=true"]
        cmd += [f"--benchmark_filter={pattern}"] if pattern else []
        listing = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
        if listing.returncode == EXIT_CANNOT_RUN:
            progress.line(listing.stderr.strip() or f"{program.name}: skipped")
            continue
        if listing.returncode not in (0, 1):  # 1: the filter matched none
            last = (listing.stderr.strip().splitlines() or [""])[-1]
            raise UsageError(
                f"{program.name} exited with status {listing.returncode} "
                f"listing its benchmarks: {last}"
            )
        selected[program] = [line for line in listing.stdout.splitlines() if line.strip()]
    return selected


def run(
    selected: dict[Program, list[str]],
    drivers: list[Program],
    out: Path,
    mode: Mode,
    pattern: str | None,
    progress: Progress,
    repetitions: int | None = None,
    count_syscalls: bool = True,
    count_instructions: bool = False,
) -> Run:
    """Runs the selected benchmarks (and counts system calls with the
    `drivers`) into `out`. UsageError when a program fails as a tool (a bad
    exit status, no results written)."""
    repetitions = repetitions or mode.repetitions
    result = Run(
        {
            "google_benchmark": GOOGLE_BENCHMARK,
            "mode": mode.name,
            "repetitions": repetitions,
            "min_time_s": mode.min_time,
            "filter": pattern,
            "load_average_before": load_average(),
        }
    )
    for program, names in selected.items():
        if names:
            problem = run_program(program, len(names), out, mode, repetitions, pattern, progress)
            result.problems += [problem] if problem else []
    if count_syscalls:
        result.problems += count(drivers, out, mode, pattern, progress)
    if count_instructions:
        result.problems += count_instructions_per_op(selected, out, mode, pattern, progress)
    result.context["load_average_after"] = load_average()
    return result


def run_program(
    program: Program,
    benchmarks: int,
    out: Path,
    mode: Mode,
    repetitions: int,
    pattern: str | None,
    progress: Progress,
) -> str | None:
    """Runs one program into out/<program>.json and .log; returns a problem
    line (a benchmark failed its check or hung) or None."""
    result, log = out / f"{program.name}.json", out / f"{program.name}.log"
    cmd = [
        str(program.file),
        *mode.flags,
        f"--benchmark_repetitions={repetitions}",
        f"--benchmark_min_time={mode.min_time}",
        "--benchmark_enable_random_interleaving=true",
        "--benchmark_report_aggregates_only=false",
        f"--benchmark_out={result}",
        "--benchmark_out_format=json",
    ]
    cmd += [f"--benchmark_filter={pattern}"] if pattern else []
    expected = benchmarks * repetitions
    progress.line(
        f"{program.name}: {benchmarks} benchmarks x {repetitions} repetitions "
        f"({mode.name}; log: {log})"
    )
    started, done, last = progress.elapsed(), [0], ""

    def tick() -> None:
        seconds = progress.elapsed() - started
        reported = done[0] or "running"
        progress.status(f"{program.name}: {reported} of {expected} repetitions, {seconds:.0f} s")

    with (
        open(log, "w") as sink,
        Ticker(tick, 1.0 if progress.tty else progress.quiet_interval),
        subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
        ) as proc,
    ):
        for line in proc.stdout:
            sink.write(line)
            last = line.strip() or last
            if REPETITION_ROW.match(line) and not AGGREGATE_ROW.search(line):
                done[0] += 1
        status = proc.wait()
    progress.end_status()
    seconds = progress.elapsed() - started
    if status == EXIT_HUNG:
        problem = f"{program.name}: a benchmark hung: {last}"
    elif status not in (0, 1) or not result.exists():
        raise UsageError(f"{program.name} exited with status {status}: {last}")
    elif status == 1:
        problem = f"{program.name}: a benchmark failed its check (exit status 1; log: {log})"
    else:
        problem = None
    progress.line(problem or f"{program.name}: done ({seconds:.0f} s)")
    return problem


def count(
    drivers: list[Program], out: Path, mode: Mode, pattern: str | None, progress: Progress
) -> list[str]:
    """Counts system calls per operation for the workloads whose benchmark
    name `pattern` selects into out/syscalls.json; returns the failures."""
    if shutil.which("strace") is None:
        progress.line(
            "note: strace is not installed (scripts/setup installs it): no system-call counts"
        )
        return []
    built = [d.file for d in drivers if d.exists()]
    if not built:
        progress.line("note: no system-call driver built: no system-call counts")
        return []
    regex = re.compile(pattern) if pattern else None

    def selected(workload: str, backend: str) -> bool:
        scenario, args = syscalls.split_name(workload)
        return regex is None or bool(regex.search(f"{scenario}<{backend}>{args}"))

    document = syscalls.measure(built, mode.syscall_ops, select=selected, progress=progress.line)
    if not document["results"] and not document["failures"]:
        return []
    syscalls.write(out / syscalls.FILE, document)
    return [f"system calls: {f}" for f in document["failures"]]


def instruction_subset(
    selected: dict[Program, list[str]], mode: Mode, pattern: str | None
) -> dict[Program, list[str]]:
    """What a run counts instructions for: every selected benchmark, or in
    a quick run without --filter those of the fixed subset CI counts
    (instructions.CI_SUBSET)."""
    if mode.name != "quick" or pattern is not None:
        return selected
    subset = re.compile(instructions.CI_SUBSET)
    return {p: [n for n in names if subset.search(n)] for p, names in selected.items()}


def count_instructions_per_op(
    selected: dict[Program, list[str]],
    out: Path,
    mode: Mode,
    pattern: str | None,
    progress: Progress,
) -> list[str]:
    """Counts instructions per operation under callgrind for
    instruction_subset(selected, mode, pattern) into out/instructions.json;
    returns twin's failures (the other backends' are printed as notes:
    Asio on io_uring can hang under valgrind, which says nothing of the
    code under test). UsageError when callgrind itself fails."""
    chosen = instruction_subset(selected, mode, pattern)
    if not any(chosen.values()):
        progress.line("instructions: no selected benchmark is counted, skipped")
        return []
    started = progress.elapsed()
    document = instructions.measure(chosen, mode.flags, progress.line)
    instructions.write(out / instructions.FILE, document)
    progress.line(f"instructions: done ({progress.elapsed() - started:.0f} s)")
    for f in document["failures"]:
        if "<twin>" not in f:
            progress.line(f"note: instructions not counted for {f}")
    return [f"instructions: {f}" for f in document["failures"] if "<twin>" in f]
