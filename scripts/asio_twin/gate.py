"""The CI gate's rules, and its thresholds file.

A results folder fails the gate when
  1. a twin conformance scenario failed, or the folder has conformance
     results for other backends but none for twin, or (a run without
     --filter) a category the build declares has no twin results;
  2. twin's trace diverged from Asio's on a deterministic scenario;
  3. a twin benchmark failed its own check (error_occurred);
  4. a twin scenario was skipped without saying why (a scenario that cannot
     run on this machine records a skip_reason, which the report shows);
  5. (with mutation results, mutants.json) a mutant survived or did not
     compile: the suite has a hole, or the catalogue a stale entry;
  6. (with perf results) twin is slower than Asio by more than a threshold,
     significantly: for a benchmark whose thresholds rule gives a minimum
     twin/asio speed ratio r, the median ratio is below r AND the one-sided
     Mann-Whitney U test says twin's times are larger than Asio's times
     divided by r (p < alpha). "Slower by more than the threshold", not just
     "slower", is what is tested, so noise alone does not fail the gate;
  7. (with instruction counts, instructions.json) twin's instructions per
     operation on a benchmark of the committed baseline
     (scripts/perf-baseline.json) rose by more than `max_rise` (2%), or a
     twin benchmark could not be counted, or on a single-thread scenario
     (the explicit list `not_above_asio`) twin executes more instructions
     per operation than Asio. Counts under callgrind are exact run to run,
     so this rule is tight where rule 6 must be loose.

Thresholds file (JSON):
  {"alpha": 0.05,
   "default_min_ratio": 0.5,
   "rules": [{"match": "REGEX", "min_ratio": 0.25 or null, "why": "..."}],
   "instructions": {"max_rise": 0.02, "not_above_asio": ["post_throughput", ...]}}
`match` is searched in the benchmark's name without its backend
(`scenario/args`, e.g. `post_throughput/n:100000/hint:1`); the first rule
that matches applies; null min_ratio means not gated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import instructions as instructions_mod
from . import stats
from .benchmarks import Comparison, Row
from .cli import UsageError
from .conformance import Matrix
from .mutation import Verdict
from .results import read_json


@dataclass
class Rule:
    pattern: re.Pattern
    min_ratio: float | None
    why: str = ""


@dataclass
class Thresholds:
    alpha: float
    default: float | None
    rules: list[Rule]
    source: str
    max_rise: float = 0.02  # twin's instructions/op over the baseline's, at most
    not_above_asio: list[str] = field(default_factory=list)  # single-thread scenarios

    def for_label(self, label: str) -> float | None:
        """The minimum twin/asio speed ratio for a benchmark, or None."""
        for rule in self.rules:
            if rule.pattern.search(label):
                return rule.min_ratio
        return self.default


def load_thresholds(path: Path) -> Thresholds:
    """Reads and validates a thresholds file; UsageError if it is not one."""
    data = read_json(path)
    where = f"{path}: not a gate thresholds file"
    if not isinstance(data, dict) or "default_min_ratio" not in data:
        raise UsageError(f"{where} (no 'default_min_ratio')")
    alpha = data.get("alpha", stats.ALPHA)
    if not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise UsageError(f"{where} ('alpha' must be between 0 and 1)")
    default = _ratio(data["default_min_ratio"], where)
    rules = []
    for i, r in enumerate(data.get("rules", [])):
        if not isinstance(r, dict) or not isinstance(r.get("match"), str):
            raise UsageError(f"{where} (rule {i} has no 'match' string)")
        try:
            pattern = re.compile(r["match"])
        except re.error as e:
            raise UsageError(f"{path}: rule {i}: bad regex {r['match']!r}: {e}") from None
        rules.append(Rule(pattern, _ratio(r.get("min_ratio"), where), str(r.get("why", ""))))
    counts = data.get("instructions", {})
    rise = counts.get("max_rise", 0.02) if isinstance(counts, dict) else None
    scenarios = counts.get("not_above_asio", []) if isinstance(counts, dict) else None
    if not isinstance(rise, (int, float)) or not 0 <= rise < 1:
        raise UsageError(f"{where} ('instructions.max_rise' must be between 0 and 1)")
    if not isinstance(scenarios, list) or not all(isinstance(x, str) for x in scenarios):
        raise UsageError(f"{where} ('instructions.not_above_asio' must list scenario names)")
    return Thresholds(float(alpha), default, rules, str(path), float(rise), scenarios)


def load_baseline(path: Path) -> list[instructions_mod.Count]:
    """twin's committed instruction counts; UsageError if `path` is not a
    baseline (scripts/perf --instructions --update-baseline writes it)."""
    counts, _ = instructions_mod.load(path)
    return counts


def _ratio(value, where: str) -> float | None:
    if value is None:
        return None
    if not isinstance(value, (int, float)) or value <= 0:
        raise UsageError(f"{where} (a min_ratio must be a positive number or null)")
    return float(value)


@dataclass
class Outcome:
    """What the gate decided: it passes when `reasons` is empty."""

    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    twin_scenarios: int = 0
    ratios_checked: int = 0
    counts_checked: int = 0

    @property
    def passed(self) -> bool:
        return not self.reasons


def first_line(text: str, limit: int = 160) -> str:
    """A message squeezed onto one line: GoogleTest starts each failure with
    a bare `file:line` (dropped) and spreads "Expected equality of these
    values" over several lines (joined)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and re.fullmatch(r"\S+:\d+:?", lines[0]):
        lines = lines[1:]
    line = " ".join(lines)
    return line if len(line) <= limit else line[: limit - 1] + "…"


def evaluate(
    matrix: Matrix | None,
    comparison: Comparison | None,
    thresholds: Thresholds,
    mutants: list[Verdict] | None = None,
    expected_categories: list[str] | None = None,
    counts: tuple[list[instructions_mod.Count], list[str]] | None = None,
    baseline: list[instructions_mod.Count] | None = None,
) -> Outcome:
    """Applies the rules to a run's conformance matrix, perf comparison,
    mutation results and instruction counts with their failures (each None
    when the folder has no such results); `expected_categories`: what the
    build declared, for an unfiltered run; `baseline`: twin's committed
    instruction counts."""
    out = Outcome()
    if matrix is not None:
        _conformance(matrix, out)
        for backend in matrix.backends:
            ran = {c.name for c in matrix.categories if any(r.cells.get(backend) for r in c.rows)}
            declared = matrix.unsupported.get(backend, {})
            for missing in [c for c in expected_categories or [] if c not in ran | set(declared)]:
                out.reasons.append(
                    f"{backend} has no results in category {missing}"
                    + ("" if backend == "twin" else " and does not declare it unsupported")
                )
    if mutants is not None:
        _mutants(mutants, out)
    if comparison is not None:
        _perf(comparison, thresholds, out)
    if counts is not None:
        _instructions(counts[0], counts[1], baseline or [], thresholds, out)
    return out


def _instructions(
    counts: list[instructions_mod.Count],
    failures: list[str],
    baseline: list[instructions_mod.Count],
    thresholds: Thresholds,
    out: Outcome,
) -> None:
    for f in failures:
        if "<twin>" in f:
            out.reasons.append(f"twin benchmark not counted: {first_line(f)}")
    table = instructions_mod.by_key(counts)
    unmatched = 0
    for base in (b for b in baseline if b.backend == "twin"):
        now = table.get(base.key, {}).get("twin")
        if now is None:
            unmatched += 1
            continue
        out.counts_checked += 1
        rise = now.instructions / base.instructions - 1 if base.instructions > 0 else 0.0
        if rise > thresholds.max_rise:
            out.reasons.append(
                f"{base.label}: twin's instructions/{now.unit} rose {rise:+.1%} over the "
                f"baseline ({base.instructions:g} -> {now.instructions:g}; at most "
                f"{thresholds.max_rise:+.0%})"
            )
        elif rise < -thresholds.max_rise:
            out.notes.append(
                f"{base.label}: twin's instructions/{now.unit} fell {rise:.1%} below the "
                "baseline: record it (scripts/perf --instructions --update-baseline)"
            )
    if baseline and unmatched == len(baseline):
        out.notes.append("no benchmark of the instruction baseline was counted in this run")
    for (scenario, args), by_backend in table.items():
        twin, asio = by_backend.get("twin"), by_backend.get("asio")
        if scenario in thresholds.not_above_asio and twin and asio:
            out.counts_checked += 1
            if twin.instructions > asio.instructions:
                out.reasons.append(
                    f"{scenario}{args}: twin executes more instructions per {twin.unit} than "
                    f"Asio ({twin.instructions:g} > {asio.instructions:g}), a single-thread "
                    "scenario"
                )


def expected_categories(context: dict) -> list[str] | None:
    """The categories a run should have twin results in: those its build
    declared (context.json), unless --filter chose some scenarios only."""
    declared = context.get("categories")
    if context.get("filter") or not isinstance(declared, list):
        return None
    return [str(c) for c in declared]


def _mutants(mutants: list[Verdict], out: Outcome) -> None:
    for m in mutants:
        if m.verdict == "survived":
            out.reasons.append(f"mutant {m.name} survived ({m.file}:{m.line}: {m.description})")
        elif m.verdict == "invalid":
            out.reasons.append(f"mutant {m.name} does not compile: the catalogue is stale")


def _conformance(matrix: Matrix, out: Outcome) -> None:
    if "twin" not in matrix.backends:
        out.reasons.append("no conformance results for twin")
        return
    diverged = {d.scenario.key: d for d in matrix.bugs if d.scenario.determinism == "deterministic"}
    for cat in matrix.categories:
        for row in cat.rows:
            s = row.cells.get("twin")
            if s is None:
                continue
            out.twin_scenarios += 1
            if s.key in diverged:
                d = diverged[s.key]
                out.reasons.append(f"twin diverges from {d.oracle} on {s.key} at event {d.first}")
            elif s.status == "skip" and not s.skip_reason:
                out.reasons.append(f"twin skips {s.key} without saying why")
            elif s.status == "fail":
                message = first_line(s.failures[0]) if s.failures else ""
                out.reasons.append(f"twin fails {s.key}" + (f": {message}" if message else ""))
    if matrix.findings:
        pairs = sorted({(d.scenario.backend, d.between or "") for d in matrix.findings})
        out.notes.append(
            f"not gated: {len(matrix.findings)} divergence(s) of reference backends from "
            f"{matrix.oracle} ("
            + "; ".join(f"{b}" + (f": {between}" if between else "") for b, between in pairs)
            + "), findings shown in the report"
        )
    others = [f"{s.key} ({s.backend})" for s in matrix.failures() if s.backend != "twin"]
    if others:
        out.notes.append(
            f"not gated: {len(others)} failure(s) on reference backends: "
            + ", ".join(others[:5])
            + (" ..." if len(others) > 5 else "")
        )


def _perf(comparison: Comparison, thresholds: Thresholds, out: Outcome) -> None:
    for name, error in comparison.errors:
        if "<twin>" in name:
            out.reasons.append(f"twin benchmark {name} failed: {first_line(error)}")
    untestable = 0
    for row in comparison.rows:
        minimum = thresholds.for_label(row.label)
        if row.ratio is None or minimum is None:
            continue
        out.ratios_checked += 1
        p = slower_than(row, minimum)
        if p is None:
            untestable += 1
        elif row.ratio < minimum and p < thresholds.alpha:
            twin, asio = row.by_backend["twin"], row.by_backend["asio"]
            out.reasons.append(
                f"{row.label}: twin/asio speed {row.ratio:.2f} < {minimum:g} "
                f"(p={p:.3g}, {len(twin.times)} vs {len(asio.times)} repetitions)"
            )
    if untestable:
        out.notes.append(
            f"{untestable} ratio(s) not gated: fewer than {stats.MIN_REPETITIONS} repetitions"
        )
    reps = comparison.repetitions
    if reps >= stats.MIN_REPETITIONS:
        best = stats.utest_less(
            [float(i) for i in range(reps)], [float(reps + i) for i in range(reps)]
        )
        if best is not None and best >= thresholds.alpha:
            out.notes.append(
                f"{reps} repetitions cannot reach p < {thresholds.alpha:g} "
                "(best possible: {:.3g}): no ratio can fail the gate; "
                "run the full perf suite to gate on it".format(best)
            )


def slower_than(row: Row, minimum: float) -> float | None:
    """One-sided U test p-value for "twin's times exceed asio's / minimum",
    i.e. twin is slower than Asio by more than the threshold allows."""
    twin, asio = row.by_backend["twin"], row.by_backend["asio"]
    return stats.utest_less([t / minimum for t in asio.times], twin.times)
