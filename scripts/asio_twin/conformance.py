"""The conformance results as the report and the gate see them: a matrix of
scenario x backend grouped by category, the totals per category, and every
place where a backend's deterministic trace differs from the oracle's.

The oracle is a choice (`--oracle NAME`; by default the backend the build
declares as one, Asio on epoll). twin's traces are compared with Asio's
in-process by its own suite; every other comparison is made here, trace
against trace, from the two backends' results. A divergence of twin is a
bug the gate fails on; one of a reference backend (another Asio version or
configuration) is a finding: the report shows it, marked as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .benchmarks import order_backends
from .cli import UsageError
from .results import Event, Results, Scenario

STATUSES = ("pass", "fail", "skip")


DEFAULT_ORACLE = "asio"
UNDER_TEST = "twin"  # the backend the gate judges; the others are references


@dataclass
class MatrixRow:
    """One scenario, on every backend (None where it did not run)."""

    category: str
    name: str
    cells: dict[str, Scenario | None]
    verdict: str | None = None  # twin's against the oracle: equal / diverged / properties-only
    unsupported: dict[str, str] = field(default_factory=dict)  # backend -> why it cannot run it


@dataclass
class Category:
    name: str
    rows: list[MatrixRow]
    totals: dict[str, dict[str, int]]  # backend -> {"pass": n, "fail": n, "skip": n}
    divergences: int = 0  # of its scenarios, where twin's trace differs from the oracle's
    findings: int = 0  # where a reference backend's trace differs from the oracle's
    unsupported: dict[str, str] = field(default_factory=dict)  # backend -> why it cannot run it

    def count(self, status: str) -> int:
        """Cells with `status` ("pass", "fail", "skip"), over every backend."""
        return sum(t[status] for t in self.totals.values())

    @property
    def failures(self) -> int:
        return self.count("fail")

    @property
    def clean(self) -> bool:
        """Nothing to look at: no failure and no divergence (skips are not
        problems: the report names them in the category's line)."""
        return not self.failures and not self.divergences


@dataclass
class Divergence:
    """A backend's trace against the oracle's, aligned event by event."""

    scenario: Scenario  # on the backend
    oracle: str
    first: int  # index of the first differing event
    rows: list[tuple[int, str | None, str | None, bool]]  # (index, backend, oracle, differs)
    between: str | None = None  # for a finding: "Asio 1.22.1 and Asio 1.26.0", say

    @property
    def gated(self) -> bool:
        """twin's: a bug. A reference backend's: a finding."""
        return self.scenario.backend == UNDER_TEST


@dataclass
class Matrix:
    backends: list[str]
    categories: list[Category]
    totals: dict[str, dict[str, int]] = field(default_factory=dict)  # over all categories
    divergences: list[Divergence] = field(default_factory=list)  # twin's, then the findings
    oracle: str = DEFAULT_ORACLE
    labels: dict[str, str] = field(default_factory=dict)  # backend -> what the build calls it
    # backend -> category -> why it cannot run it
    unsupported: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def bugs(self) -> list[Divergence]:
        """The divergences the gate fails on: twin's."""
        return [d for d in self.divergences if d.gated]

    @property
    def findings(self) -> list[Divergence]:
        """Reference backends' divergences from the oracle."""
        return [d for d in self.divergences if not d.gated]

    def count(self, status: str) -> int:
        """Cells with `status` ("pass", "fail", "skip"), over every backend."""
        return sum(t[status] for t in self.totals.values())

    @property
    def scenarios(self) -> int:
        return sum(len(cat.rows) for cat in self.categories)

    def by_attention(self) -> list[Category]:
        """The categories with a failure or a divergence first, then the
        clean ones; each group in run order."""
        return sorted(self.categories, key=lambda c: c.clean)

    def failures(self, backend: str | None = None) -> list[Scenario]:
        return [
            c
            for cat in self.categories
            for row in cat.rows
            for b, c in row.cells.items()
            if c and c.status == "fail" and (backend is None or b == backend)
        ]


def declarations(results: Results) -> dict[str, dict]:
    """What the build declared of each backend (context.json's
    `declarations`, from <build>/backends.json): label, unsupported
    categories, Asio version. {} for a folder that predates them."""
    found = results.context.get("declarations")
    return (
        {str(k): v for k, v in found.items() if isinstance(v, dict)}
        if isinstance(found, dict)
        else {}
    )


def oracle_of(results: Results, requested: str | None = None) -> str:
    """The oracle: `requested`, else the run's (context.json), else Asio on epoll."""
    return requested or str(results.context.get("oracle") or DEFAULT_ORACLE)


def matrix(results: Results, oracle: str | None = None) -> Matrix:
    """Builds the matrix against `oracle` (see oracle_of); categories and
    scenarios keep the order the suites ran them in (twin's first, then any
    only other backends have)."""
    oracle = oracle_of(results, oracle)
    compared_in_suite = any(s.oracle == oracle for run in results.conformance.values() for s in run)
    if oracle not in results.conformance and not compared_in_suite:
        raise UsageError(
            f"{results.folder}: no conformance results of the oracle {oracle!r} "
            f"(the folder has: {', '.join(results.conformance) or 'none'})"
        )
    declared = declarations(results)
    backends = order_backends(results.conformance)
    by_key: dict[tuple[str, str], MatrixRow] = {}
    for backend in backends:
        for s in results.conformance[backend]:
            row = by_key.setdefault((s.category, s.name), MatrixRow(s.category, s.name, {}))
            row.cells[backend] = s
    categories: dict[str, Category] = {}
    for row in by_key.values():
        cat = categories.setdefault(row.category, Category(row.category, [], {}))
        for b in backends:
            row.cells.setdefault(b, None)
        cat.rows.append(row)
    for name in backends:
        for what, why in (declared.get(name, {}).get("unsupported") or {}).items():
            category, _, scenario = str(what).partition(".")
            if category not in categories:
                continue
            if not scenario:
                categories[category].unsupported[name] = str(why)
            elif (row := by_key.get((category, scenario))) is not None:
                row.unsupported[name] = str(why)
    totals = {b: dict.fromkeys(STATUSES, 0) for b in backends}
    for cat in categories.values():
        cat.totals = {b: dict.fromkeys(STATUSES, 0) for b in backends}
        for row in cat.rows:
            for b, cell in row.cells.items():
                if cell:
                    cat.totals[b][cell.status] += 1
                    totals[b][cell.status] += 1
    divergences = []
    for row in (r for cat in categories.values() for r in cat.rows):
        for b in backends:
            d = against_oracle(row, b, oracle, declared)
            if d is not None:
                divergences.append(d)
                if d.gated:
                    categories[row.category].divergences += 1
                else:
                    categories[row.category].findings += 1
        row.verdict = _verdict(row, oracle, divergences)
    divergences.sort(key=lambda d: not d.gated)
    labels = {b: str(declared[b]["label"]) for b in backends if declared.get(b, {}).get("label")}
    unsupported = {
        b: {str(c): str(w) for c, w in (declared.get(b, {}).get("unsupported") or {}).items()}
        for b in backends
    }
    return Matrix(
        backends, list(categories.values()), totals, divergences, oracle, labels, unsupported
    )


def against_oracle(
    row: MatrixRow, backend: str, oracle: str, declared: dict[str, dict]
) -> Divergence | None:
    """`backend`'s trace in `row` against `oracle`'s: from its own suite's
    in-process comparison when it made one with that oracle, else from the
    two backends' results when both traced a deterministic run."""
    s = row.cells.get(backend)
    if s is None or backend == oracle or s.trace is None:
        return None
    if s.oracle == oracle and s.oracle_trace is not None:
        return divergence(s)
    o = row.cells.get(oracle)
    if s.determinism != "deterministic" or o is None or o.trace is None:
        return None
    if s.status == "skip" or o.status == "skip":
        return None
    d = _aligned(s, s.trace, oracle, o.trace, diverged=False)
    if d is not None and not d.gated:
        d.between = _between(declared.get(backend, {}), declared.get(oracle, {}))
    return d


def _between(a: dict, b: dict) -> str | None:
    """What a reference backend's divergence is a difference between: two
    Asio versions, or two configurations of one."""
    va, vb = a.get("asio_version"), b.get("asio_version")
    if not va or not vb:
        return None
    if va == vb:
        return f"two configurations of Asio {va}"
    return f"Asio {va} and Asio {vb}"


def _verdict(row: MatrixRow, oracle: str, divergences: list[Divergence]) -> str | None:
    """twin's verdict in `row` against the oracle, when twin ran."""
    twin = row.cells.get(UNDER_TEST)
    if twin is None:
        return None
    if any(d.scenario is twin for d in divergences):
        return "diverged"
    if twin.determinism == "nondeterministic":
        return "properties-only"
    if twin.oracle == oracle and twin.verdict:
        return twin.verdict
    o = row.cells.get(oracle)
    if twin.trace is not None and o is not None and o.trace is not None:
        return "equal"
    return None


def first_difference(a: list[Event], b: list[Event]) -> int | None:
    """Index of the first event where the traces differ; None when equal."""
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return None if len(a) == len(b) else min(len(a), len(b))


def divergence(s: Scenario) -> Divergence | None:
    """The side-by-side view when `s` was compared with an oracle in its own
    suite and its trace differs (or its verdict says so); None otherwise."""
    if s.oracle_trace is None or s.trace is None:
        return None
    return _aligned(s, s.trace, s.oracle or DEFAULT_ORACLE, s.oracle_trace, s.verdict == "diverged")


def _aligned(
    s: Scenario, trace: list[Event], oracle: str, expected: list[Event], diverged: bool
) -> Divergence | None:
    first = first_difference(trace, expected)
    if first is None and not diverged:
        return None
    rows = []
    for i in range(max(len(trace), len(expected))):
        left = trace[i].describe() if i < len(trace) else None
        right = expected[i].describe() if i < len(expected) else None
        rows.append((i, left, right, left != right))
    return Divergence(s, oracle, first if first is not None else -1, rows)
