"""The conformance results as the report and the gate see them: a matrix of
scenario x backend grouped by category, the totals per category, and every
place where twin's trace differs from Asio's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .benchmarks import order_backends
from .results import Event, Results, Scenario

STATUSES = ("pass", "fail", "skip")


@dataclass
class MatrixRow:
    """One scenario, on every backend (None where it did not run)."""

    category: str
    name: str
    cells: dict[str, Scenario | None]

    @property
    def verdict(self) -> str | None:
        """twin's verdict against Asio, when twin ran."""
        twin = self.cells.get("twin")
        return twin.verdict if twin else None


@dataclass
class Category:
    name: str
    rows: list[MatrixRow]
    totals: dict[str, dict[str, int]]  # backend -> {"pass": n, "fail": n, "skip": n}
    divergences: int = 0  # of its scenarios, where twin's trace differs from Asio's

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
    """twin's trace against the oracle's, aligned event by event."""

    scenario: Scenario
    first: int  # index of the first differing event
    rows: list[tuple[int, str | None, str | None, bool]]  # (index, twin, oracle, differs)


@dataclass
class Matrix:
    backends: list[str]
    categories: list[Category]
    totals: dict[str, dict[str, int]] = field(default_factory=dict)  # over all categories
    divergences: list[Divergence] = field(default_factory=list)

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


def matrix(results: Results) -> Matrix:
    """Builds the matrix; categories and scenarios keep the order the suites
    ran them in (twin's first, then any only other backends have)."""
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
    totals = {b: dict.fromkeys(STATUSES, 0) for b in backends}
    for cat in categories.values():
        cat.totals = {b: dict.fromkeys(STATUSES, 0) for b in backends}
        for row in cat.rows:
            for b, cell in row.cells.items():
                if cell:
                    cat.totals[b][cell.status] += 1
                    totals[b][cell.status] += 1
    divergences = [
        d for b in backends for s in results.conformance[b] if (d := divergence(s)) is not None
    ]
    for d in divergences:
        categories[d.scenario.category].divergences += 1
    return Matrix(backends, list(categories.values()), totals, divergences)


def first_difference(a: list[Event], b: list[Event]) -> int | None:
    """Index of the first event where the traces differ; None when equal."""
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return None if len(a) == len(b) else min(len(a), len(b))


def divergence(s: Scenario) -> Divergence | None:
    """The side-by-side view when `s` was compared with an oracle and its
    trace differs (or its verdict says so); None otherwise."""
    if s.oracle_trace is None or s.trace is None:
        return None
    first = first_difference(s.trace, s.oracle_trace)
    if first is None and s.verdict != "diverged":
        return None
    rows = []
    for i in range(max(len(s.trace), len(s.oracle_trace))):
        left = s.trace[i].describe() if i < len(s.trace) else None
        right = s.oracle_trace[i].describe() if i < len(s.oracle_trace) else None
        rows.append((i, left, right, left != right))
    return Divergence(s, first if first is not None else -1, rows)
