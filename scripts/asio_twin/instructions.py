"""Instructions per operation: counting them under callgrind, the
instructions.json a results folder holds, and the committed baseline of
twin's counts that scripts/gate holds CI to.

Wall-clock times on a shared VM drift by ±20%; the number of instructions the
same binary executes for the same work does not. measure() runs every
selected benchmark alone, twice, under

  valgrind --tool=callgrind --instr-atstart=no --cache-sim=yes --branch-sim=yes

with the perf program's --perf_callgrind (perf/include/perf/counted.hpp:
the benchmark body is counted, every thread summed, and dumped on its own)
and --perf_iterations=N, then 2N. Both runs do the same set-up, warm-up
batch and teardown, so the difference of the two counts is N iterations of
steady state; divided by the difference of the operations they reported it
is the cost per operation. callgrind also simulates the caches and the
branch predictors: D1 and last-level misses and mispredicted branches per
operation come with it. The counts ignore what is not an instruction: cache
misses' cost, contention, the time a system call takes and waits; for the
multi-thread scenarios they depend on how the threads met (valgrind runs one
thread at a time) and are only indicative.

instructions.json:
  {"method": "...", "iterations": [1, 2], "mode": "quick",
   "benchmarks": [{"name": "post_throughput/n:10000/hint:1", "backend": "twin",
                   "program": "perf", "ops": 10000, "unit": "op",
                   "instructions_per_op": 213.05, "d1_misses_per_op": 2.47,
                   "ll_misses_per_op": 0.0, "branch_mispredicts_per_op": 0.0}],
   "failures": ["tcp_stream/bytes:1024 <asio>: why", ...]}
`name` is the benchmark's without its backend (scenario/args, the report's
rows); `unit` is "byte" for scenarios that report bytes only (tcp_stream, pipe_stream).

The baseline (scripts/perf-baseline.json, written only by
`scripts/perf --instructions --update-baseline`) has the same shape, for
the fixed subset CI_SUBSET at quick sizes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from . import results as results_mod  # results imports this module: use it at call time
from .cli import UsageError
from .files import write_json
from .measured import PerOpCount, parse_counts
from .syscalls import by_key  # noqa: F401  (generic: any counts with a key and backend)

if TYPE_CHECKING:  # build imports results, which imports this module
    from .build import Program

FILE = "instructions.json"
BASELINE = Path(__file__).resolve().parents[1] / "perf-baseline.json"
ITERATIONS = 1  # N: the runs do N and 2N iterations
# Seconds one run may take: the slowest benchmark takes about 20 s at quick
# sizes, about 70 s at full ones (timer_armed: 1M timers). A run that waits
# forever — Asio on io_uring waking a thread blocked in io_uring_enter,
# which valgrind's one-thread-at-a-time scheduling can leave asleep — is
# cut off then.
TIMEOUT_S = {"quick": 120, "full": 300}
METHOD = (
    "callgrind (--cache-sim=yes --branch-sim=yes) over the benchmark body alone, every "
    "thread: the count with 2N iterations minus the count with N (set-up, warm-up and "
    "teardown cancel out), divided by the operations of N iterations"
)
# The fixed, representative subset CI counts (scripts/compare --quick) and
# the baseline holds: the scheduler's post, the strand's, timers, a TCP
# round trip; every backend of each. 80-135 s under callgrind on 2 cores.
CI_SUBSET = (
    r"^(post_throughput|post_chain|strand_post|timer_arm_fire|timer_schedule_cancel)<"
    r"|^tcp_pingpong<[A-Za-z0-9_]+>/bytes:64(/|$)"
)
# callgrind's events, and what each per-operation figure sums.
METRICS = {
    "instructions_per_op": ("Ir",),
    "d1_misses_per_op": ("D1mr", "D1mw"),
    "ll_misses_per_op": ("ILmr", "DLmr", "DLmw"),
    "branch_mispredicts_per_op": ("Bcm", "Bim"),
}
DESCRIPTION = re.compile(r"^desc: Trigger: Client Request: (?P<name>\S+) ops=(?P<ops>-?\d+)"
                         r" bytes=(?P<bytes>-?\d+)\s*$", re.M)  # fmt: skip
EVENTS = re.compile(r"^events:(?P<names>.*)$", re.M)
TOTALS = re.compile(r"^totals:(?P<values>.*)$", re.M)
BACKEND = re.compile(r"^[A-Za-z0-9_]+$")
EXIT_FAILED, EXIT_HUNG = 1, 3  # perf/src/main.cpp


@dataclass(frozen=True)
class Dump:
    """One callgrind dump of one benchmark body."""

    name: str  # scenario<backend>
    ops: int
    bytes: int
    events: dict[str, int]


@dataclass
class Count(PerOpCount):
    """One benchmark on one backend: cost per operation."""

    unit: str
    per_op: dict[str, float]  # METRICS' keys

    @property
    def instructions(self) -> float:
        return self.per_op["instructions_per_op"]

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.label,
            "backend": self.backend,
            "program": self.program,
            "ops": self.ops,
            "unit": self.unit,
            **self.per_op,
        }


def parse_dump(text: str) -> Dump:
    """A callgrind output file written by perf's --perf_callgrind.
    ValueError when it is not one."""
    desc, events, totals = DESCRIPTION.search(text), EVENTS.search(text), TOTALS.search(text)
    if not desc or not events or not totals:
        raise ValueError("not a callgrind dump of a benchmark (no description, events or totals)")
    names, values = events["names"].split(), totals["values"].split()
    if len(values) > len(names) or not all(v.isdigit() for v in values):
        raise ValueError("callgrind totals do not match its events line")
    counts = {n: int(v) for n, v in zip(names, values)}
    counts.update({n: 0 for n in names[len(values) :]})  # trailing zeros may be left out
    return Dump(desc["name"], int(desc["ops"]), int(desc["bytes"]), counts)


def difference(first: Dump, second: Dump) -> tuple[int, str, dict[str, float]]:
    """The operations, their unit and the cost per operation between two
    dumps of one benchmark, `second` having run more iterations. ValueError
    when they are not two such dumps."""
    if first.name != second.name:
        raise ValueError(f"dumps of two benchmarks: {first.name} and {second.name}")
    ops, unit = second.ops - first.ops, "op"
    if ops == 0 and first.ops == 0:
        ops, unit = second.bytes - first.bytes, "byte"
    if ops <= 0:
        raise ValueError(f"no more operations with more iterations ({first.ops} then {second.ops})")
    if "Ir" not in first.events or "Ir" not in second.events:
        raise ValueError("callgrind counted no instructions (no Ir event)")
    per = {}
    for metric, events in METRICS.items():
        if all(e in first.events and e in second.events for e in events):
            delta = sum(second.events[e] - first.events[e] for e in events)
            per[metric] = round(delta / ops, 3)
    return ops, unit, per


def exact_filter(name: str) -> str:
    """Google Benchmark's filter (POSIX extended regex) for one listed
    benchmark, as named when run with --perf_iterations (which adds
    /iterations:N before any timing suffix)."""
    base = results_mod.TIMING_SUFFIX.sub("", name)
    escaped = re.sub(r"([.\[\]{}()\\*+?^$|])", r"\\\1", base)
    return f"^{escaped}/iterations:[0-9]+(/[a-z_]+)?$"


def counted(
    program: Path,
    name: str,
    iterations: int,
    flags: tuple[str, ...],
    runner: Callable[..., subprocess.CompletedProcess] = subprocess.run,
) -> tuple[Dump | None, str]:
    """One run of one benchmark under callgrind: its dump, or None and why
    the benchmark failed (its check, a hang, a timeout). UsageError when
    the tool itself fails."""
    with tempfile.TemporaryDirectory(prefix="callgrind-") as folder:
        cmd = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            "--cache-sim=yes",
            "--branch-sim=yes",
            f"--callgrind-out-file={folder}/callgrind.%p",
            str(program),
            *flags,
            "--perf_callgrind",
            f"--perf_iterations={iterations}",
            f"--benchmark_filter={exact_filter(name)}",
        ]
        timeout = TIMEOUT_S["quick" if "--perf_quick" in flags else "full"]
        try:
            result = runner(cmd, capture_output=True, text=True, errors="replace", timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, f"did not finish within {timeout} s under callgrind (hung?)"
        last = (result.stderr.strip().splitlines() or [""])[-1]
        if result.returncode in (EXIT_FAILED, EXIT_HUNG):
            return None, f"exit status {result.returncode} under callgrind: {last}"
        if result.returncode != 0:
            raise UsageError(
                f"callgrind on {program.name} exited with status {result.returncode}: {last}"
            )
        dumps = []
        for path in sorted(Path(folder).glob("callgrind.*.*")):
            try:
                dumps.append(parse_dump(path.read_text(errors="replace")))
            except ValueError as e:
                raise UsageError(f"callgrind on {program.name}: {path.name}: {e}") from None
        if len(dumps) != 1:
            raise UsageError(
                f"callgrind on {program.name} {name}: {len(dumps)} counted benchmark bodies, "
                "expected 1 (is the program built with --perf_callgrind?)"
            )
        return dumps[0], ""


def measure(
    selected: dict[Program, list[str]],
    flags: tuple[str, ...],
    progress: Callable[[str], None] = lambda line: print(line, flush=True),
    runner: Callable[..., subprocess.CompletedProcess] = subprocess.run,
    iterations: int = ITERATIONS,
) -> dict[str, Any]:
    """Counts every listed benchmark (scenario<backend>/args, as the
    programs list them) of `selected`; the instructions.json document."""
    if shutil.which("valgrind") is None and runner is subprocess.run:
        raise UsageError("valgrind is not installed (scripts/setup installs it)")
    results, failures = [], []
    for program, names in selected.items():
        if names:
            progress(f"{program.name}: {len(names)} benchmarks x 2 runs under callgrind")
        for name in names:
            m = results_mod.BENCHMARK.match(results_mod.TIMING_SUFFIX.sub("", name))
            if not m:
                raise UsageError(f"{program.name} lists {name!r}: not scenario<backend>/args")
            label = f"{m['scenario']}{m['args']} <{m['backend']}>"
            first, why = counted(program.file, name, iterations, flags, runner)
            second, why2 = (
                counted(program.file, name, 2 * iterations, flags, runner) if first else (None, "")
            )
            if first is None or second is None:
                failures.append(f"{label}: {why or why2}")
                continue
            try:
                ops, unit, per = difference(first, second)
            except ValueError as e:
                failures.append(f"{label}: {e}")
                continue
            count = Count(m["scenario"], m["args"], m["backend"], program.name, ops, unit, per)
            results.append(count.as_json())
            progress(f"  {label}: {count.instructions:g} instructions/{unit}")
    return {
        "method": METHOD,
        "iterations": [iterations, 2 * iterations],
        "mode": "quick" if "--perf_quick" in flags else "full",
        "benchmarks": results,
        "failures": failures,
    }


def load(path: Path) -> tuple[list[Count], list[str]]:
    """Reads an instructions.json (or the baseline); UsageError naming the
    file when it is not one."""
    return parse(results_mod.read_json(path), str(path))


def parse(data: Any, where: str) -> tuple[list[Count], list[str]]:
    """The counts and failures of an instructions document."""
    return parse_counts(
        data,
        where,
        "an instruction count",
        "benchmarks",
        "benchmark #{i} lacks a name, a backend or a numeric instructions_per_op",
        _count,
    )


def _count(r: Any) -> Count:
    scenario, sep, args = str(r["name"]).partition("/")
    backend = str(r["backend"])
    per = {k: float(r[k]) for k in METRICS if k in r}
    if not scenario or not BACKEND.match(backend) or "instructions_per_op" not in per:
        raise ValueError
    return Count(
        scenario,
        sep + args,
        backend,
        str(r.get("program", "")),
        int(r.get("ops", 0)),
        str(r.get("unit", "op")),
        per,
    )


def ratio(by_backend: dict[str, Count]) -> float | None:
    """The twin/asio instruction ratio, as the project's ratios read: Asio's
    count over twin's (above 1 twin executes fewer); None without both."""
    twin, asio = by_backend.get("twin"), by_backend.get("asio")
    if twin is None or asio is None or twin.instructions <= 0:
        return None
    return asio.instructions / twin.instructions


def write(path: Path, document: dict[str, Any]) -> None:
    write_json(path, document)


def baseline_document(document: dict[str, Any]) -> dict[str, Any]:
    """The baseline from a count of CI_SUBSET: twin's counts only, and how
    they were taken."""
    twin = [b for b in document["benchmarks"] if b["backend"] == "twin"]
    return {
        "about": "twin's instructions per operation on CI's subset (scripts/gate fails a rise "
        "of more than 2%); written only by `scripts/perf --instructions --update-baseline`",
        "method": document["method"],
        "iterations": document["iterations"],
        "mode": document["mode"],
        "subset": CI_SUBSET,
        "benchmarks": twin,
    }
