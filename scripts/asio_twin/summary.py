"""What scripts/compare and scripts/perf print at the end: a results folder
as console tables — conformance per category and backend, every benchmark's
medians with the twin/asio ratio, the system calls and the instructions per
operation. The
numbers are the report's (conformance.matrix, benchmarks.compare); the
columns are the backends the results hold, twin first.
"""

from __future__ import annotations

from . import instructions as instructions_mod
from .benchmarks import Comparison, Row, order_backends
from .conformance import Matrix
from .report import fmt_num, fmt_p, fmt_ratio
from .syscalls import Count, by_key

# Counters shown as rows of their own under a benchmark: label, counter.
COUNTER_ROWS = [("p50 ns", "p50_ns"), ("p99 ns", "p99_ns"), ("heap B", "heap_bytes_per_timer")]
ALLOCS = "allocs_per_op"


def conformance(matrix: Matrix) -> None:
    """Pass / fail / skip per category and backend, then each divergence
    and each failure on a line of its own."""
    print(f"\n{'category':<14}" + "".join(f"{b:>22}" for b in matrix.backends))
    for cat in matrix.categories:
        cells = [
            f"{t['pass']} pass {t['fail']} fail {t['skip']} skip"
            for t in (cat.totals[b] for b in matrix.backends)
        ]
        print(f"{cat.name:<14}" + "".join(f"{c:>22}" for c in cells))
    for cat in matrix.categories:
        for backend, why in cat.unsupported.items():
            print(f"{cat.name} not supported by {backend}: {why}")
        for row in cat.rows:
            for backend, why in row.unsupported.items():
                print(f"{cat.name}.{row.name} not supported by {backend}: {why}")
    for d in matrix.bugs:
        print(f"twin diverges from {d.oracle}: {d.scenario.key} at event {d.first}")
    for d in matrix.findings:
        between = f" (a difference between {d.between})" if d.between else ""
        print(
            f"finding: {d.scenario.backend} differs from {d.oracle}{between}: "
            f"{d.scenario.key} at event {d.first}"
        )
    for s in matrix.failures():
        print(f"FAILED {s.key} on {s.backend}")


def benchmarks(comparison: Comparison) -> None:
    """One row per benchmark: each backend's median time per operation,
    the twin/asio speed ratio, its p-value and verdict, and allocations per
    operation; latency and heap counters as rows of their own."""
    cols = comparison.backends
    width = max([len(r.label) for r in comparison.rows] + [9])
    time_w = {b: max(11, len(b) + 2) for b in cols}
    alloc_w = {b: max(8, len(b) + 1) for b in cols}

    def cells(values: dict, widths: dict, digits: int = 3) -> str:
        return "".join(f"{fmt_num(values.get(b), digits):>{widths[b]}}" for b in cols)

    head = (
        f"{'benchmark':<{width}}"
        + "".join(f"{b:>{time_w[b]}}" for b in cols)
        + f"{'unit':>7}{'twin/asio':>10}{'p':>7}  {'verdict':<13}|"
        + "".join(f"{b:>{alloc_w[b]}}" for b in cols)
    )
    print("\n" + " " * (head.index("|") + 1) + "allocs/op".center(sum(alloc_w.values())))
    print(head)
    print("-" * len(head))
    for r in comparison.rows:
        medians = {b: m.median for b, m in r.by_backend.items()}
        allocs = {b: m.counters.get(ALLOCS) for b, m in r.by_backend.items()}
        verdict = r.verdict if r.ratio is not None else ""
        print(
            f"{r.label:<{width}}{cells(medians, time_w)}{_unit(r):>7}{fmt_ratio(r.ratio):>10}"
            f"{fmt_p(r.p):>7}  {verdict:<13}|{cells(allocs, alloc_w, 2)}"
        )
        for label, counter in COUNTER_ROWS:
            values = {b: m.counters.get(counter) for b, m in r.by_backend.items()}
            if any(v is not None for v in values.values()):
                twin, asio = values.get("twin"), values.get("asio")
                ratio = asio / twin if twin and asio is not None else None
                print(
                    f"{'  ' + label:<{width}}{cells(values, time_w)}{'':>7}"
                    f"{fmt_ratio(ratio):>10}"
                )
    if comparison.geomean:
        print(f"geometric mean of twin/asio: {comparison.geomean:.2f}")
    print(
        "medians over repetitions; ns/op = 1e9 / items_per_second (ns/B: bytes_per_second);\n"
        "twin/asio is a speed ratio, asio's median over twin's (above 1: twin is faster, "
        "or smaller); p: Mann-Whitney U over repetitions"
    )


def _unit(row: Row) -> str:
    return next((m.unit for m in row.by_backend.values() if m.spread), "")


def syscalls(counts: list[Count]) -> None:
    """System calls per operation, one row per workload, and twin's calls."""

    def calls(by_backend: dict) -> str:
        twin = by_backend.get("twin")
        return ", ".join(f"{n} {v:g}" for n, v in twin.per_syscall.items()) if twin else ""

    if per_op_table("system calls per operation", counts, "syscalls_per_op", 9, 3,
                    "   (twin's calls)", calls):  # fmt: skip
        print(f"({counts[0].ops} operations under strace -f -c, minus a run of none)")


def instructions(counts: list[instructions_mod.Count]) -> None:
    """Instructions per operation, one row per benchmark, and the twin/asio
    instruction ratio (asio's count over twin's: above 1 twin does less)."""

    def ratio(by_backend: dict) -> str:
        return f"{fmt_ratio(instructions_mod.ratio(by_backend)):>10}"

    if per_op_table("instructions per operation", counts, "instructions", 11, 4,
                    f"{'twin/asio':>10}", ratio):  # fmt: skip
        print(
            "(callgrind: 2N iterations' count minus N's, per operation;"
            " per byte for the stream scenarios)"
        )


def per_op_table(
    title: str, counts: list, field: str, width: int, digits: int, tail_head: str, tail
) -> bool:
    """A table of per-operation counts (system calls, instructions): one row
    per benchmark, a column per backend with each count's `field`, then
    `tail(by_backend)`. False when there is nothing to show."""
    table = by_key(counts)
    if not table:
        return False
    cols = order_backends({c.backend for c in counts})
    widths = {b: max(width, len(b) + 2) for b in cols}
    first = max([len(s + a) for s, a in table] + [len(title)]) + 2
    print(f"\n{title:<{first}}" + "".join(f"{b:>{widths[b]}}" for b in cols) + tail_head)
    for (scenario, args), by_backend in table.items():
        values = {b: getattr(c, field) for b, c in by_backend.items()}
        print(
            f"{scenario + args:<{first}}"
            + "".join(f"{fmt_num(values.get(b), digits):>{widths[b]}}" for b in cols)
            + tail(by_backend)
        )
    return True
