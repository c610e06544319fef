"""System calls per operation: counting them with strace, and the
syscalls.json file a results folder holds.

The drivers (perf/syscalls/: perf_syscalls, perf_syscalls_uring) run a
fixed number of operations of a benchmark's own fixture on one backend —
64 B TCP round trips, cross-thread wake-ups — and exit. measure() runs each
(workload, backend) twice under `strace -f -c` (every thread, a count per
system call): once with COUNT operations and once with 0. Set-up, a
warm-up both runs do, and teardown cancel out in the difference; divided
by COUNT it is the system calls per operation, in all and per call.

syscalls.json:
  {"method": "...", "count": 2000,
   "results": [{"scenario": "tcp_pingpong", "args": "/bytes:64",
                "backend": "twin", "program": "perf_syscalls", "ops": 2000,
                "syscalls_per_op": 8.0,
                "per_syscall": {"epoll_wait": 2.0, "recvmsg": 4.0, ...},
                "errors_per_op": 2.0}],
   "failures": ["tcp_pingpong/bytes:64 <asio>: why", ...]}
`scenario` and `args` are those of the benchmark the count belongs to
(tcp_pingpong<twin>/bytes:64), so the report puts them side by side.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar

from .cli import UsageError
from .files import write_json
from .measured import PerOpCount, parse_counts

FILE = "syscalls.json"
METHOD = (
    "strace -f -c over the driver running COUNT operations, minus the same with 0 "
    "(set-up, warm-up and teardown cancel out), divided by COUNT"
)
TIMEOUT_S = 120
C = TypeVar("C")  # a per-operation count: Count, instructions.Count
# A row of `strace -c -U name,calls,errors`: name, calls, errors (maybe blank).
ROW = re.compile(r"^(?P<name>[a-z_0-9]+)\s+(?P<calls>\d+)(?:\s+(?P<errors>\d+))?\s*$")


@dataclass
class Count(PerOpCount):
    """One (workload, backend): system calls per operation."""

    syscalls_per_op: float
    per_syscall: dict[str, float] = field(default_factory=dict)
    errors_per_op: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "args": self.args,
            "backend": self.backend,
            "program": self.program,
            "ops": self.ops,
            "syscalls_per_op": self.syscalls_per_op,
            "per_syscall": self.per_syscall,
            "errors_per_op": self.errors_per_op,
        }


def parse_summary(text: str) -> tuple[dict[str, int], int]:
    """The calls per system call, and the failed calls in all, from
    `strace -c -U name,calls,errors` output (the `total` row left out)."""
    calls: dict[str, int] = {}
    errors = 0
    for line in text.splitlines():
        m = ROW.match(line.strip())
        if not m or m["name"] in ("total", "syscall"):
            continue
        calls[m["name"]] = calls.get(m["name"], 0) + int(m["calls"])
        errors += int(m["errors"] or 0)
    return calls, errors


def split_name(workload: str) -> tuple[str, str]:
    """`tcp_pingpong/bytes:64` -> ("tcp_pingpong", "/bytes:64")."""
    scenario, sep, args = workload.partition("/")
    return scenario, sep + args


def difference(
    with_ops: tuple[dict[str, int], int], without: tuple[dict[str, int], int], ops: int
) -> tuple[float, dict[str, float], float]:
    """Per operation: all calls, each call (those that changed), failed calls."""
    calls, errors = with_ops
    base, base_errors = without
    per = {
        name: (calls.get(name, 0) - base.get(name, 0)) / ops
        for name in sorted(set(calls) | set(base))
    }
    per = {name: round(v, 3) for name, v in per.items() if abs(v) >= 0.0005}
    total = (sum(calls.values()) - sum(base.values())) / ops
    return round(total, 3), per, round((errors - base_errors) / ops, 3)


def listing(driver: Path) -> list[tuple[str, str]] | None:
    """(workload, backend) pairs the driver runs; None when the machine
    cannot run it (exit status 77: io_uring refused)."""
    result = subprocess.run(
        [str(driver), "--list"], capture_output=True, text=True, timeout=TIMEOUT_S
    )
    if result.returncode == 77:
        return None
    if result.returncode != 0:
        raise UsageError(
            f"{driver.name} --list exited with status {result.returncode}: "
            f"{result.stderr.strip()}"
        )
    return [
        tuple(line.split(None, 1))
        for line in result.stdout.splitlines()  # type: ignore
        if len(line.split(None, 1)) == 2
    ]


def traced(
    driver: Path,
    workload: str,
    backend: str,
    ops: int,
    runner: Callable[..., subprocess.CompletedProcess] = subprocess.run,
) -> tuple[tuple[dict[str, int], int] | None, str]:
    """One run under strace: the summary, or None and why it failed."""
    with tempfile.NamedTemporaryFile(prefix="strace-", suffix=".txt") as summary:
        cmd = [
            "strace",
            "-f",
            "-c",
            "-U",
            "name,calls,errors",
            "-o",
            summary.name,
            str(driver),
            workload,
            backend,
            str(ops),
        ]
        try:
            result = runner(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return None, f"did not finish within {TIMEOUT_S} s under strace"
        if result.returncode != 0:
            last = (result.stderr.strip().splitlines() or [""])[-1]
            return None, f"exit status {result.returncode}: {last}"
        return parse_summary(Path(summary.name).read_text()), ""


def measure(
    drivers: list[Path],
    count: int,
    select: Callable[[str, str], bool] = lambda workload, backend: True,
    progress: Callable[[str], None] = lambda line: print(line, flush=True),
) -> dict[str, Any]:
    """Counts the workloads of `drivers` that `select(workload, backend)`
    keeps; the syscalls.json document."""
    results, failures = [], []
    for driver in drivers:
        pairs = listing(driver)
        if pairs is None:
            progress(f"{driver.name}: skipped (the kernel cannot run its backend)")
            continue
        pairs = [(w, b) for w, b in pairs if select(w, b)]
        if not pairs:
            continue
        progress(
            f"{driver.name}: {len(pairs)} workloads x 2 runs under strace ({count} operations)"
        )
        for workload, backend in pairs:
            with_ops, why = traced(driver, workload, backend, count)
            without, why0 = traced(driver, workload, backend, 0) if with_ops else (None, "")
            if with_ops is None or without is None:
                failures.append(f"{workload} <{backend}>: {why or why0}")
                continue
            total, per, errors = difference(with_ops, without, count)
            scenario, args = split_name(workload)
            results.append(
                Count(scenario, args, backend, driver.name, count, total, per, errors).as_json()
            )
    return {"method": METHOD, "count": count, "results": results, "failures": failures}


def load(path: Path) -> tuple[list[Count], list[str]]:
    """Reads syscalls.json; UsageError (naming the file) when it is not one."""
    from .results import read_json  # here: results imports this module

    return _parse(read_json(path), str(path))


def load_document(document: dict[str, Any]) -> list[Count]:
    """The counts of a document measure() returned."""
    return _parse(document, "system-call counts")[0]


def _parse(data: Any, path: str) -> tuple[list[Count], list[str]]:
    return parse_counts(
        data,
        path,
        "a system-call count",
        "results",
        "result #{i} lacks a scenario, backend or numeric syscalls_per_op",
        _count,
    )


def _count(r: Any) -> Count:
    return Count(
        str(r["scenario"]),
        str(r.get("args", "")),
        str(r["backend"]),
        str(r.get("program", "")),
        int(r.get("ops", 0)),
        float(r["syscalls_per_op"]),
        {str(k): float(v) for k, v in (r.get("per_syscall") or {}).items()},
        float(r.get("errors_per_op", 0.0)),
    )


def by_key(counts: list[C]) -> dict[tuple[str, str], dict[str, C]]:
    """{(scenario, args): {backend: count}} in file order, for any counts
    with a key and a backend (these, and instructions.Count)."""
    out: dict[tuple[str, str], dict[str, C]] = {}
    for c in counts:
        out.setdefault(c.key, {})[c.backend] = c
    return out


def write(path: Path, document: dict[str, Any]) -> None:
    write_json(path, document)
