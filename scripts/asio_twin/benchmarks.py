"""Benchmarks side by side: one row per scenario and arguments, one column
per backend, and twin against Asio.

The measure of a benchmark is its time per operation in ns, taken from each
repetition: 1e9 / items_per_second (what the scenarios report), else
1e9 / bytes_per_second (ns per byte), else the iteration's real time. Lower
is faster. twin/asio is a *speed* ratio: asio's median time over twin's, so
above 1 twin is faster, below 1 it is slower (0.5: twin takes twice as
long). Whether the difference is real is the Mann-Whitney U test over the
repetitions of both (stats.utest).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import stats
from .results import Benchmark, Results

# Column order: twin, then its oracle (Asio on epoll), then the others by
# name: the other backends the build declares, and the raw baseline.
LEADING = ("twin", "asio")
UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
LATENCY = re.compile(r"^(p\d+|mean)_ns$")
PER_OP = re.compile(r"_per_op$")
# Google Benchmark's own fields: everything else in an entry is a counter.
STANDARD = {
    "name",
    "family_index",
    "per_family_instance_index",
    "run_name",
    "run_type",
    "repetitions",
    "repetition_index",
    "threads",
    "iterations",
    "real_time",
    "cpu_time",
    "time_unit",
    "aggregate_name",
    "aggregate_unit",
    "label",
    "error_occurred",
    "error_message",
    "items_per_second",
    "bytes_per_second",
    "big_o",
    "rms",
}
# Argument names that make a scaling curve even with only two values.
SCALING = {
    "threads",
    "connections",
    "conns",
    "clients",
    "producers",
    "strands",
    "size",
    "bytes",
    "n",
    "timers",
    "armed",
    "sessions",
}


@dataclass
class Measured:
    """One backend's repetitions of one benchmark, summarised."""

    backend: str
    benchmark: Benchmark
    times: list[float]  # ns per op, one per repetition
    unit: str  # "ns/op", "ns/B" or "ns/iter"
    spread: stats.Spread | None
    counters: dict[str, float]  # median over repetitions
    errors: list[str]

    @property
    def median(self) -> float | None:
        return self.spread.median if self.spread else None

    def counter_values(self, name: str) -> list[float]:
        return [
            float(e[name])
            for e in self.benchmark.repetitions
            if isinstance(e.get(name), (int, float))
        ]


@dataclass
class Row:
    """One scenario with one set of arguments, on every backend it ran on."""

    scenario: str
    args: str
    params: dict[str, Any]
    by_backend: dict[str, Measured]
    ratio: float | None = None  # twin/asio speed (asio time / twin time)
    p: float | None = None  # two-sided U test, twin vs asio times
    verdict: str = "n/a"  # faster | slower | within noise | n/a
    uring_ratio: float | None = None  # twin/asio_uring speed
    uring_p: float | None = None
    raw_factor: float | None = None  # twin time / raw time: distance to the floor
    counters: list[str] = field(default_factory=list)  # counter names, sorted

    @property
    def label(self) -> str:
        return self.scenario + self.args

    @property
    def key(self) -> tuple[str, str]:
        return self.scenario, self.args

    def backends(self) -> list[str]:
        return order_backends(self.by_backend)


@dataclass
class Comparison:
    """Every benchmark of a run, grouped by scenario."""

    rows: list[Row]
    families: dict[str, list[Row]]  # scenario -> its rows, in run order
    backends: list[str]
    geomean: float | None  # of twin/asio speed ratios
    geomean_uring: float | None
    repetitions: int  # fewest repetitions of any twin/asio benchmark
    smallest_p: float | None  # the best p-value that many repetitions allow
    noisy: list[tuple[str, float]]  # (benchmark name, cv) above stats.NOISY_CV
    errors: list[tuple[str, str]]  # (benchmark name, error message)

    def counts(self) -> dict[str, int]:
        out = {"faster": 0, "slower": 0, "within noise": 0, "n/a": 0}
        for row in self.rows:
            if row.ratio is not None:
                out[row.verdict] += 1
        return out


def order_backends(names) -> list[str]:
    names = set(names)
    return [b for b in LEADING if b in names] + sorted(names - set(LEADING))


def times_of(bench: Benchmark) -> tuple[list[float], str]:
    """Per-repetition time per op (ns) and its unit label."""
    reps = bench.repetitions
    for key, unit in (("items_per_second", "ns/op"), ("bytes_per_second", "ns/B")):
        rates = [e.get(key) for e in reps]
        if reps and all(isinstance(r, (int, float)) and r > 0 for r in rates):
            return [1e9 / r for r in rates], unit
    return [
        e["real_time"] * UNIT_SECONDS.get(e.get("time_unit", "ns"), 1e-9) * 1e9 for e in reps
    ], "ns/iter"


def counters_of(bench: Benchmark) -> dict[str, float]:
    """Median of every user counter over the repetitions."""
    names = {
        k
        for e in bench.repetitions
        for k, v in e.items()
        if k not in STANDARD and isinstance(v, (int, float)) and not isinstance(v, bool)
    }
    out = {}
    for name in sorted(names):
        values = [
            float(e[name]) for e in bench.repetitions if isinstance(e.get(name), (int, float))
        ]
        if values:
            out[name] = stats.median(values)
    return out


def measure(bench: Benchmark) -> Measured:
    times, unit = times_of(bench)
    return Measured(
        bench.backend,
        bench,
        times,
        unit,
        stats.spread(times),
        counters_of(bench),
        list(bench.errors),
    )


def compare(results: Results) -> Comparison:
    """Rows for every (scenario, args) in `results`, with twin/asio ratios."""
    rows: dict[tuple[str, str], Row] = {}
    for bench in sorted(results.benchmarks, key=lambda b: b.order):  # first backend first
        row = rows.setdefault(bench.key, Row(bench.scenario, bench.args, bench.params(), {}))
        row.by_backend[bench.backend] = measure(bench)
    noisy, errors, reps = [], [], []
    for row in rows.values():
        _judge(row)
        row.counters = sorted({c for m in row.by_backend.values() for c in m.counters})
        for m in row.by_backend.values():
            if m.spread and m.spread.noisy:
                noisy.append((m.benchmark.name, m.spread.cv))
            errors += [(m.benchmark.name, e) for e in m.errors]
        if row.ratio is not None:
            reps.append(min(len(row.by_backend["twin"].times), len(row.by_backend["asio"].times)))
    families: dict[str, list[Row]] = {}
    for row in rows.values():
        families.setdefault(row.scenario, []).append(row)
    fewest = min(reps) if reps else 0
    return Comparison(
        rows=list(rows.values()),
        families=families,
        backends=order_backends({b for r in rows.values() for b in r.by_backend}),
        geomean=stats.geometric_mean([r.ratio for r in rows.values() if r.ratio]),
        geomean_uring=stats.geometric_mean([r.uring_ratio for r in rows.values() if r.uring_ratio]),
        repetitions=fewest,
        smallest_p=stats.smallest_p(fewest, fewest) if fewest else None,
        noisy=sorted(noisy, key=lambda x: -x[1]),
        errors=errors,
    )


def _judge(row: Row) -> None:
    """Fills in the ratios and the verdict of twin against the others."""
    twin = row.by_backend.get("twin")
    if not twin or not twin.median:
        return
    asio = row.by_backend.get("asio")
    if asio and asio.median:
        row.ratio = asio.median / twin.median
        row.p = stats.utest(twin.times, asio.times)
        row.verdict = verdict(row.ratio, row.p, len(twin.times), len(asio.times))
    uring = row.by_backend.get("asio_uring")
    if uring and uring.median:
        row.uring_ratio = uring.median / twin.median
        row.uring_p = stats.utest(twin.times, uring.times)
    raw = row.by_backend.get("raw")
    if raw and raw.median:
        row.raw_factor = twin.median / raw.median


def verdict(speed_ratio: float, p: float | None, n_a: int, n_b: int) -> str:
    """faster / slower (significant at stats.ALPHA), within noise, or n/a:
    too few repetitions for the test to ever reach stats.ALPHA (3 a side,
    as in quick runs, cannot: the smallest possible p is 0.1)."""
    best = stats.smallest_p(n_a, n_b)
    if p is None or best is None or best >= stats.ALPHA:
        return "n/a"
    if p >= stats.ALPHA:
        return "within noise"
    return "faster" if speed_ratio > 1 else "slower"


@dataclass
class Curve:
    """Throughput against one varying argument of one scenario."""

    scenario: str
    key: str
    lines: list[tuple[str, str, list[float], list[float]]]  # (label, backend, xs, Mops/s)


def scaling_curves(comparison: Comparison) -> list[Curve]:
    """A curve per scenario and numeric argument that takes several values
    (threads, connections, sizes...), one line per backend and per setting
    of the other arguments."""
    curves = []
    for scenario, rows in comparison.families.items():
        keys = {k for r in rows for k in r.params}
        for key in sorted(keys):
            values = {r.params.get(key) for r in rows}
            if not all(isinstance(v, (int, float)) for v in values):
                continue
            if len(values) < 2 or (len(values) < 3 and key not in SCALING):
                continue
            groups: dict[tuple, list[Row]] = {}
            for r in rows:
                rest = tuple(sorted((k, str(v)) for k, v in r.params.items() if k != key))
                groups.setdefault(rest, []).append(r)
            lines = []
            for rest, members in groups.items():
                if len({r.params[key] for r in members}) < 2:
                    continue
                suffix = " ".join(f"{k}:{v}" for k, v in rest)
                for backend in order_backends({b for r in members for b in r.by_backend}):
                    pts = sorted(
                        (r.params[key], 1e3 / r.by_backend[backend].median)
                        for r in members
                        if backend in r.by_backend and r.by_backend[backend].median
                    )
                    if len(pts) >= 2:
                        label = f"{backend} {suffix}".strip()
                        lines.append((label, backend, [x for x, _ in pts], [y for _, y in pts]))
            if lines:
                curves.append(Curve(scenario, key, lines))
    return curves
