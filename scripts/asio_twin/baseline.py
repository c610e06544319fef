"""An earlier run against this one: every benchmark before vs after, and
every conformance scenario whose outcome changed.

For each benchmark present in both runs (same backend, scenario and
arguments) three measures are compared, as Google Benchmark's compare.py
does: the time per iteration (real_time; lower is better) and the counters
items_per_second and bytes_per_second (higher is better) where reported.
The change is the relative change of the medians; the verdict is improved or
regressed when the two-sided Mann-Whitney U test over the repetitions gives
p < 0.05 (stats.ALPHA), within noise otherwise, n/a with too few
repetitions.

Each benchmark's *primary* measure — items_per_second where reported, else
bytes_per_second, else time — is the one the counts, the chart and the
geometric mean use: the time per iteration also moves when a benchmark's
batch size changes, its rate does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import context as ctx
from . import stats
from .benchmarks import UNIT_SECONDS, order_backends
from .results import Benchmark, Results

METRICS = [  # (name, lower is better)
    ("time", True),
    ("items_per_second", False),
    ("bytes_per_second", False),
]


@dataclass
class Change:
    """One measure of one benchmark, before and after."""

    benchmark: str  # name as run (with <backend>)
    label: str  # scenario/args, without backend or timing suffix
    backend: str
    metric: str
    before: stats.Spread
    after: stats.Spread
    change: float  # relative change of the medians
    p: float | None
    verdict: str  # improved | regressed | within noise | n/a
    primary: bool = False  # the benchmark's main measure (module comment)
    speed_change: float = 0.0  # after/before speed - 1 (rates as is, time inverted)


@dataclass
class StatusChange:
    """A conformance scenario whose status or verdict differs between runs."""

    key: str  # Category.Scenario
    backend: str
    before: str  # status (and verdict), or "absent"
    after: str
    better: bool | None  # None: neither better nor worse (added, removed)


@dataclass
class BaselineComparison:
    folder: str
    date: str | None
    commit: str | None
    same_machine: bool
    machine_difference: str
    changes: list[Change]
    status_changes: list[StatusChange]
    only_before: int  # benchmarks the new run lacks
    only_after: int  # benchmarks new in this run
    twin_geomean_change: float | None  # geometric mean of twin's after/before speed - 1

    def primary(self) -> list[Change]:
        return [c for c in self.changes if c.primary]

    def counts(self) -> dict[str, int]:
        """Verdicts of the primary measures."""
        out = {"improved": 0, "regressed": 0, "within noise": 0, "n/a": 0}
        for c in self.primary():
            out[c.verdict] += 1
        return out


def values(bench: Benchmark, metric: str) -> list[float]:
    """Per-repetition values of `metric` (time in ns)."""
    if metric == "time":
        return [
            e["real_time"] * UNIT_SECONDS.get(e.get("time_unit", "ns"), 1e-9) * 1e9
            for e in bench.repetitions
        ]
    return [float(e[metric]) for e in bench.repetitions if isinstance(e.get(metric), (int, float))]


def judge(change: float, p: float | None, lower_is_better: bool, n_a: int, n_b: int) -> str:
    best = stats.smallest_p(n_a, n_b)
    if p is None or best is None or best >= stats.ALPHA:
        return "n/a"  # too few repetitions for the test to reach ALPHA
    if p >= stats.ALPHA or change == 0:
        return "within noise"
    better = change < 0 if lower_is_better else change > 0
    return "improved" if better else "regressed"


def compare(before: Results, after: Results) -> BaselineComparison:
    """`after` (this run) against `before` (the baseline)."""
    old = {(b.backend, b.scenario, b.args): b for b in before.benchmarks}
    new = {(b.backend, b.scenario, b.args): b for b in after.benchmarks}
    changes, speedups = [], []
    for key, bench in new.items():
        if key not in old:
            continue
        measured = []
        for metric, lower in METRICS:
            a, b = values(old[key], metric), values(bench, metric)
            sa, sb = stats.spread(a), stats.spread(b)
            if not sa or not sb or not sa.median or not sb.median:
                continue
            rel = stats.change(sa.median, sb.median)
            p = stats.utest(a, b)
            speed = sa.median / sb.median - 1 if lower else rel
            measured.append(
                Change(
                    bench.name,
                    bench.label,
                    bench.backend,
                    metric,
                    sa,
                    sb,
                    rel,
                    p,
                    judge(rel, p, lower, len(a), len(b)),
                    speed_change=speed,
                )
            )
        if measured:
            main = next((c for c in measured if c.metric != "time"), measured[0])
            main.primary = True
            if bench.backend == "twin":
                speedups.append(1 + main.speed_change)
        changes += measured
    same, why = ctx.same_machine(
        after.context, after.benchmark_contexts, before.context, before.benchmark_contexts
    )
    gm = stats.geometric_mean(speedups)
    return BaselineComparison(
        folder=str(before.folder),
        date=before.context.get("date"),
        commit=before.context.get("commit"),
        same_machine=same,
        machine_difference=why,
        changes=changes,
        status_changes=status_changes(before, after),
        only_before=len(old.keys() - new.keys()),
        only_after=len(new.keys() - old.keys()),
        twin_geomean_change=gm - 1 if gm is not None else None,
    )


def _outcome(s) -> str:
    return s.status + (f" ({s.verdict})" if s.verdict in ("equal", "diverged") else "")


RANK = {"fail": 0, "skip": 1, "pass": 2}


def status_changes(before: Results, after: Results) -> list[StatusChange]:
    """Scenarios whose status or twin verdict changed, were added or removed
    (only on backends both runs include)."""
    out = []
    backends = order_backends(set(before.conformance) & set(after.conformance))
    for backend in backends:
        old = {s.key: s for s in before.conformance[backend]}
        new = {s.key: s for s in after.conformance[backend]}
        for key in list(new) + [k for k in old if k not in new]:
            a, b = old.get(key), new.get(key)
            ao, bo = (_outcome(a) if a else "absent"), (_outcome(b) if b else "absent")
            if ao == bo:
                continue
            better = None
            if a and b:
                ra = (RANK[a.status], a.verdict != "diverged")
                rb = (RANK[b.status], b.verdict != "diverged")
                better = rb > ra if ra != rb else None
            out.append(StatusChange(key, backend, ao, bo, better))
    return out
