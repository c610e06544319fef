"""What every per-benchmark record shares: the (scenario, args) key that
pairs one benchmark across backends, and the label gate thresholds match.

results.Benchmark (timings), syscalls.Count and instructions.Count (counts
per operation, made from a PerOpCount) are all keyed so; the two count
files also share their layout, read by parse_counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from .cli import UsageError

C = TypeVar("C")


class Keyed:
    """A record with `scenario` and `args` (`/n:100/threads:2`) fields."""

    scenario: str
    args: str

    @property
    def key(self) -> tuple[str, str]:
        """(scenario, args): the same benchmark on another backend shares it."""
        return self.scenario, self.args

    @property
    def label(self) -> str:
        """`scenario/args` without the backend: what gate thresholds match."""
        return self.scenario + self.args


@dataclass
class PerOpCount(Keyed):
    """One benchmark on one backend, counted over `ops` operations of the
    driver `program`."""

    scenario: str
    args: str
    backend: str
    program: str
    ops: int


def parse_counts(
    data: Any, where: str, kind: str, entries: str, lacks: str, make: Callable[[Any], C]
) -> tuple[list[C], list[str]]:
    """The counts and failures of a count file: `make` turns each entry of
    its `entries` list into a count, raising KeyError, TypeError or
    ValueError (or AttributeError) on a bad one. UsageError naming `where`
    when the document is no `kind` file or an entry is bad (one that
    `lacks` what it needs)."""
    if not isinstance(data, dict) or not isinstance(data.get(entries), list):
        raise UsageError(f"{where}: not {kind} file (no '{entries}' list)")
    out = []
    for i, entry in enumerate(data[entries]):
        try:
            out.append(make(entry))
        except (AttributeError, KeyError, TypeError, ValueError):
            raise UsageError(f"{where}: {lacks.format(i=i)}") from None
    failures = [str(f) for f in data.get("failures", []) if f]
    return out, failures
