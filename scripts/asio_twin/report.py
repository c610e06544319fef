"""The HTML report: one self-contained file (inline CSS and SVG, no script,
nothing fetched) made from a results folder and, optionally, a baseline.

build() turns the results into the template's model; render() fills in
reports/templates/report.html.j2 with Jinja2, autoescaping on, so every
string that came from a result file — scenario and benchmark names, failure
messages, traces — is HTML-escaped; only the charts (SVG that matplotlib
wrote and escaped) are inserted as markup. generate() does both and writes
the file atomically: an existing report is replaced only by a complete one.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import baseline as baseline_mod
from . import benchmarks as bench_mod
from . import charts, stats
from . import conformance as conf_mod
from . import context as ctx
from . import gate as gate_mod
from . import instructions as instructions_mod
from . import syscalls as syscalls_mod
from .cli import UsageError
from .files import write_atomic
from .results import Results, load

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "reports" / "templates"
TEMPLATE = "report.html.j2"
THRESHOLDS = ROOT / "scripts" / "gate-thresholds.json"
CONTEXT_FIELDS = [  # (key, label) shown in the header, when present
    ("date", "date"),
    ("commit", "commit"),
    ("host", "host"),
    ("cpu", "CPU"),
    ("cores", "cores"),
    ("kernel", "kernel"),
    ("compiler", "compiler"),
    ("boost", "Boost"),
    ("build_type", "build type"),
    ("governors", "CPU governor"),
    ("mode", "perf mode"),
    ("repetitions", "repetitions"),
    ("min_time_s", "min time per repetition (s)"),
    ("load_average_before", "load average before perf"),
    ("load_average", "load average when the job started"),
    ("backends", "backends"),
    ("filter", "filter"),
    ("google_benchmark", "Google Benchmark"),
]


def generate(
    results_dir: Path,
    out: Path,
    baseline_dir: Path | None = None,
    thresholds: Path | None = THRESHOLDS,
    oracle: str | None = None,
) -> Path:
    """Reads `results_dir` (and `baseline_dir`), writes the report to `out`
    atomically and returns `out`; traces are compared with `oracle`'s (None:
    the run's). Raises UsageError on bad input; nothing is written then."""
    results = load(results_dir)
    base = load(baseline_dir) if baseline_dir else None
    limits = (
        gate_mod.load_thresholds(thresholds) if thresholds and Path(thresholds).exists() else None
    )
    html = render(build(results, base, limits, oracle))
    write_atomic(Path(out), html)
    return Path(out)


def render(model: dict) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(num=fmt_num, pct=fmt_pct, ratio=fmt_ratio, pvalue=fmt_p)
    return env.get_template(TEMPLATE).render(**model)


def build(
    results: Results,
    base: Results | None = None,
    thresholds: gate_mod.Thresholds | None = None,
    oracle: str | None = None,
) -> dict[str, Any]:
    """The template's model: plain values, lists and dicts, and the charts
    as Markup."""
    matrix = conf_mod.matrix(results, oracle) if results.has_conformance else None
    comparison = bench_mod.compare(results) if results.has_perf else None
    c = results.context
    warnings = ctx.warnings(c, results.benchmark_contexts, results.has_perf)
    warnings += [str(p) for p in c.get("problems", [])]
    if comparison:
        warnings += perf_warnings(comparison)
    warnings += [f"system calls not counted for {f}" for f in results.syscall_failures]
    warnings += [f"instructions not counted for {f}" for f in results.instruction_failures]
    comparison_base = baseline_mod.compare(base, results) if base else None
    if comparison_base and not comparison_base.same_machine:
        warnings.append(
            f"baseline from a different machine ({comparison_base.machine_difference}): "
            "before vs after compares machines as much as code"
        )
    gate = None
    if thresholds:
        expected = gate_mod.expected_categories(c)
        counted = (results.folder / instructions_mod.FILE).exists()
        gate = gate_mod.evaluate(
            matrix,
            comparison,
            thresholds,
            results.mutants,
            expected,
            (results.instructions, results.instruction_failures) if counted else None,
            committed_baseline() if counted else None,
        )
    name = results.folder.resolve().name  # reports/latest is a symlink: name its target
    return {
        "title": f"asio-twin report — {name}",
        "folder": name,
        "generated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "context": context_rows(c, results),
        "machine": machine_line(c),
        "commit": str(c.get("commit", ""))[:12],
        "dirty": bool(c.get("dirty")),
        "warnings": warnings,
        "notes": results.notes,
        "matrix": matrix,
        "divergences": matrix.divergences if matrix else [],
        "perf": (
            perf_model(comparison, results.syscalls, results.instructions) if comparison else None
        ),
        "instructions": instructions_model(results.instructions, comparison),
        "baseline": baseline_model(comparison_base) if comparison_base else None,
        "mutation": mutation_model(results.mutants) if results.mutants is not None else None,
        "gate": gate,
        "thresholds": thresholds.source if thresholds else None,
        "alpha": stats.ALPHA,
    }


def mutation_model(mutants: list) -> dict[str, Any]:
    """The Mutation section: the score, then every mutant, survivors (and
    mutants that do not compile) first."""
    first = {"survived": 0, "invalid": 1, "timeout": 2, "killed": 3, "equivalent": 4}
    rows = sorted(mutants, key=lambda m: (first[m.verdict], m.name))
    counts: dict[str, int] = {}
    for m in mutants:
        counts[m.verdict] = counts.get(m.verdict, 0) + 1
    run = len(mutants) - counts.get("equivalent", 0)
    caught = counts.get("killed", 0) + counts.get("timeout", 0)
    return {
        "rows": rows,
        "counts": counts,
        "run": run,
        "score": f"{100 * caught / run:.1f}%" if run else "n/a",
        "seconds": sum(m.seconds for m in mutants),
    }


def context_rows(c: dict, results: Results) -> list[tuple[str, str]]:
    rows = []
    for key, label in CONTEXT_FIELDS:
        value = c.get(key)
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        if key == "commit" and c.get("dirty"):
            value = f"{value} (uncommitted changes)"
        rows.append((label, str(value)))
    for program, bc in results.benchmark_contexts.items():
        if bc.get("library_build_type") == "debug":
            rows.append(
                (
                    "Google Benchmark library",
                    f"debug build (as {program} reports it: "
                    "Debian's package; adds a little overhead per iteration, the same "
                    "for every backend)",
                )
            )
            break
    return rows


def machine_line(c: dict) -> str:
    """The machine in one line for the header: CPU, cores, kernel, compiler,
    Boost, build type (what is known of it)."""
    parts = [
        str(c["cpu"]) if c.get("cpu") else None,
        f"{c['cores']} cores" if c.get("cores") else None,
        f"Linux {c['kernel']}" if c.get("kernel") else None,
        str(c["compiler"]) if c.get("compiler") else None,
        f"Boost {c['boost']}" if c.get("boost") else None,
        f"{c['build_type']} build" if c.get("build_type") else None,
    ]
    if c.get("governors"):
        parts.append("governor " + ", ".join(map(str, c["governors"])))
    return " · ".join(p for p in parts if p)


def perf_warnings(comparison: bench_mod.Comparison) -> list[str]:
    out = []
    if comparison.noisy:
        worst = ", ".join(f"{n} ({cv:.0%})" for n, cv in comparison.noisy[:3])
        out.append(
            f"high noise: {len(comparison.noisy)} measurement(s) vary by more than "
            f"{stats.NOISY_CV:.0%} (coefficient of variation) over repetitions; worst: {worst}"
        )
    if comparison.smallest_p is not None and comparison.smallest_p >= stats.ALPHA:
        out.append(
            f"{comparison.repetitions} repetitions: the U test cannot reach "
            f"p < {stats.ALPHA:g} (best possible {comparison.smallest_p:.2g}), so no "
            "difference can be called significant"
        )
    elif comparison.repetitions == 1:
        out.append("1 repetition per benchmark: no significance test possible")
    for name, error in comparison.errors:
        out.append(f"benchmark {name} failed: {error}")
    return out


def committed_baseline() -> list[instructions_mod.Count] | None:
    """twin's committed instruction counts, for the gate's verdict; None
    when the file is missing or unreadable (the report still renders)."""
    try:
        return gate_mod.load_baseline(instructions_mod.BASELINE)
    except UsageError:
        return None


def instructions_model(
    counts: list[instructions_mod.Count], comparison: bench_mod.Comparison | None
) -> dict[str, Any] | None:
    """The Instructions section: per benchmark each backend's instructions
    per operation (with cache misses and mispredicted branches), the
    twin/asio instruction ratio, and the median time beside them."""
    if not counts:
        return None
    rows_by_key = {r.key: r for r in comparison.rows} if comparison else {}
    backends = bench_mod.order_backends({c.backend for c in counts})
    rows = []
    for key, by_backend in instructions_mod.by_key(counts).items():
        row = rows_by_key.get(key)
        cells = {}
        for b, c in by_backend.items():
            m = row.by_backend.get(b) if row else None
            cells[b] = {
                "per_op": c.instructions,
                "unit": c.unit,
                "d1": c.per_op.get("d1_misses_per_op"),
                "ll": c.per_op.get("ll_misses_per_op"),
                "mispredicts": c.per_op.get("branch_mispredicts_per_op"),
                "time": m.median if m else None,
                "time_unit": m.unit if m else "",
            }
        rows.append(
            {"label": key[0] + key[1], "cells": cells, "ratio": instructions_mod.ratio(by_backend)}
        )
    return {"backends": backends, "rows": rows}


def perf_model(
    comparison: bench_mod.Comparison,
    counts: list[syscalls_mod.Count] | None = None,
    instruction_counts: list[instructions_mod.Count] | None = None,
) -> dict[str, Any]:
    counted = syscalls_mod.by_key(counts or [])
    instructed = instructions_mod.by_key(instruction_counts or [])
    rows = [r for r in comparison.rows if r.ratio is not None]
    ratio_chart = None
    if rows:
        ratio_chart = Markup(
            charts.ratios(
                "twin/asio speed per benchmark (green: twin significantly faster, red: slower, "
                "grey: within noise, light grey: too few repetitions to tell)",
                [r.label for r in rows],
                [r.ratio for r in rows],
                [r.verdict for r in rows],
            )
        )
    families = []
    for scenario, members in comparison.families.items():
        families.append(
            {
                "name": scenario,
                "anchor": f"perf-{len(families)}",
                "rows": members,
                "backends": bench_mod.order_backends({b for r in members for b in r.by_backend}),
                "counters": sorted(
                    {c for r in members for c in r.counters if not bench_mod.LATENCY.match(c)}
                ),
                "latency": sorted(
                    {c for r in members for c in r.counters if bench_mod.LATENCY.match(c)},
                    key=_percentile_order,
                ),
                "chart": Markup(family_chart(scenario, members)),
                "latency_charts": [Markup(s) for s in latency_charts(scenario, members)],
                "unit": next((m.unit for r in members for m in r.by_backend.values()), "ns/op"),
                # args -> {backend: system calls per operation}, where counted
                "syscalls": {
                    r.args: {b: c.syscalls_per_op for b, c in counted[r.key].items()}
                    for r in members
                    if r.key in counted
                },
                # args -> {backend: instructions per operation}, where counted
                "instructions": {
                    r.args: {b: c.instructions for b, c in instructed[r.key].items()}
                    for r in members
                    if r.key in instructed
                },
            }
        )
    curves = [
        {
            "title": f"{c.scenario} over {c.key}",
            "chart": Markup(
                charts.curve(
                    f"{c.scenario}: throughput over {c.key}",
                    c.key,
                    c.lines,
                    "million operations / s",
                )
            ),
        }
        for c in bench_mod.scaling_curves(comparison)
    ]
    return {
        "rows": comparison.rows,
        "has_uring": any(r.uring_ratio is not None for r in comparison.rows),
        "has_raw": any(r.raw_factor is not None for r in comparison.rows),
        "families": families,
        "backends": comparison.backends,
        "geomean": comparison.geomean,
        "geomean_uring": comparison.geomean_uring,
        "counts": comparison.counts(),
        "repetitions": comparison.repetitions,
        "ratio_chart": ratio_chart,
        "curves": curves,
        "errors": comparison.errors,
        "syscalls": syscall_rows(comparison, counted),
        # (scenario, args) -> the twin/asio instruction ratio, where counted
        "instruction_ratios": {
            key: instructions_mod.ratio(by_backend) for key, by_backend in instructed.items()
        },
    }


def syscall_rows(
    comparison: bench_mod.Comparison, counted: dict[tuple[str, str], dict[str, syscalls_mod.Count]]
) -> list[dict[str, Any]]:
    """One row per counted workload: per backend its system calls per
    operation, which calls, and the benchmark's median time beside them."""
    rows_by_key = {r.key: r for r in comparison.rows}
    out = []
    for key, by_backend in counted.items():
        row = rows_by_key.get(key)
        cells = {}
        for b in bench_mod.order_backends(by_backend):
            c = by_backend[b]
            m = row.by_backend.get(b) if row else None
            cells[b] = {
                "per_op": c.syscalls_per_op,
                "calls": ", ".join(f"{n} {v:g}" for n, v in c.per_syscall.items()),
                "time": m.median if m else None,
                "unit": m.unit if m else "",
            }
        out.append({"label": key[0] + key[1], "cells": cells})
    return out


def family_chart(scenario: str, rows: list[bench_mod.Row]) -> str:
    backends = bench_mod.order_backends({b for r in rows for b in r.by_backend})
    series = {}
    for b in backends:
        vals = []
        for r in rows:
            m = r.by_backend.get(b)
            vals.append(
                (m.spread.median, m.spread.minimum, m.spread.maximum) if m and m.spread else None
            )
        series[b] = vals
    unit = next((m.unit for r in rows for m in r.by_backend.values()), "ns/op")
    return charts.bars(
        f"{scenario}: median {unit}, whiskers min–max (lower is faster)",
        [r.args.lstrip("/") or scenario for r in rows],
        series,
        unit,
    )


def latency_charts(scenario: str, rows: list[bench_mod.Row]) -> list[str]:
    out = []
    for r in rows:
        names = sorted(
            {c for c in r.counters if bench_mod.LATENCY.match(c) and c != "mean_ns"},
            key=_percentile_order,
        )
        if not names:
            continue
        series = {
            b: [m.counters.get(n) for n in names]
            for b in r.backends()
            if (m := r.by_backend[b]).counters
        }
        out.append(
            charts.percentiles(
                f"{r.label}: latency percentiles (median over repetitions)",
                [n.removesuffix("_ns") for n in names],
                series,
            )
        )
    return out


def _percentile_order(name: str) -> float:
    digits = name[1:].split("_")[0]
    if name.startswith("p") and digits.isdigit():
        return float("0." + digits) if len(digits) > 2 else int(digits) / 100
    return 2.0


def baseline_model(b: baseline_mod.BaselineComparison) -> dict[str, Any]:
    primary = [c for c in b.primary() if c.backend in ("twin", "asio")]
    chart = None
    if primary:
        labels = list(dict.fromkeys(c.label for c in primary))
        series: dict[str, list] = {}
        for c in primary:
            vals = series.setdefault(c.backend, [None] * len(labels))
            vals[labels.index(c.label)] = (c.speed_change, c.verdict)
        chart = Markup(
            charts.changes(
                "speed after vs before (fill: verdict; Asio's code did "
                "not change, so its bars show the machine's drift)",
                labels,
                series,
            )
        )
    significant = [c for c in b.primary() if c.verdict in ("improved", "regressed")]
    return {"comparison": b, "counts": b.counts(), "chart": chart, "significant": significant}


def fmt_num(value: Any, digits: int = 3) -> str:
    """Numbers for tables: 3 significant digits, thousands separated."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if not isinstance(value, (int, float)):
        return str(value)
    if value == 0:
        return "0"
    if abs(value) >= 10**digits:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def fmt_pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:+.1f}%"


def fmt_ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def fmt_p(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}" if value >= 0.001 else "<0.001"
