"""The main job: conformance on every backend, the benchmarks, the report.

Builds Release, runs the conformance suite on each backend the build
declares and the perf suite (full or --quick, run as scripts/perf runs it:
asio_twin/perf_run.py), and writes into one results folder,
reports/<date>-<commit>/ (or --out DIR):

  conformance-<backend>.json  GoogleTest JSON, every scenario with its trace
  conformance-<backend>.log   the suite's console output
  perf.json, perf_<x>.json    Google Benchmark JSON, every repetition, of each
                              perf program (perf_uring, perf_standalone, ...)
  perf.log, perf_<x>.log      their console output
  syscalls.json               system calls per round trip / wake-up (strace)
  instructions.json           instructions per operation under callgrind
                              (asio_twin/instructions.py): every selected
                              benchmark, or with --quick and no --filter the
                              fixed subset CI counts; --no-instructions skips it
  context.json                machine, build, commit, date, perf mode, the
                              oracle and each backend's declaration
  mutants.json                with --mutants: every mutant's verdict (scripts/mutate)
  index.html                  the report (scripts/report; README "Reading the report")

then points reports/latest at the folder (default folder only) and prints a
summary: pass/fail per category and backend, twin's divergences from the
oracle (--oracle NAME, default asio) and the reference backends' (findings,
not failures), and the twin/asio speed ratios (above 1: twin is faster).

--filter REGEX selects conformance scenarios by `Category.Scenario` and
benchmarks by name (`scenario<backend>/args`, Google Benchmark's filter);
--backends selects the conformance backends (perf always measures all: the
ratios need them); the build declares which there are (<build>/backends.json),
so on a build never configured an unknown one is refused only once CMake has
configured it. With --baseline DIR, an earlier run's folder, the report
also shows every benchmark and scenario before vs after. With --mutants
the mutant catalogue runs too (scripts/mutate) and the report gets its
Mutation section; a surviving mutant makes the run fail.

Takes about a minute with --no-perf on a 2-core machine after the first
build, a few more with --quick (the CI subset's instruction counts take 1-2
minutes of it); the full perf suite adds several minutes, and counting
every benchmark's instructions at full sizes about 25 more
(--no-instructions skips that).
Exit status: 0 everything passed; 1 a conformance scenario failed or twin
diverged from the oracle (or a benchmark failed its own check, or a suite crashed);
2 bad usage or input, or the build or a tool failed (one line on stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from asio_twin import build, perf_run  # noqa: E402
from asio_twin import context as ctx  # noqa: E402
from asio_twin.build import Backend  # noqa: E402
from asio_twin.cli import UsageError, command_parser, regex, run_main  # noqa: E402
from asio_twin.files import check_writable_dir, output_folder, write_atomic  # noqa: E402
from asio_twin.progress import Progress  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUILD = build.RELEASE
REPORTS = ROOT / "reports"
# gtest's line per finished test ends with its duration; its summary lines do not.
GTEST_DONE = re.compile(r"^\[\s*(OK|FAILED|SKIPPED)\s*\] .*\(\d+ ms\)$")
BACKEND_NAME = re.compile(r"^[A-Za-z0-9_]+$")  # as in conformance/<Category>/<backend>


def backend_names(text: str) -> list[str]:
    """An argparse type: comma-separated backend names (which exist, the
    build says: chosen())."""
    names = [b for b in text.split(",") if b]
    bad = next((b for b in names if not BACKEND_NAME.match(b)), None)
    if bad is not None or not names:
        raise argparse.ArgumentTypeError(f"unknown backend {bad or ''!r}")
    return names


def backend_name(text: str) -> str:
    """An argparse type: one backend name."""
    if not BACKEND_NAME.match(text):
        raise argparse.ArgumentTypeError(f"unknown backend {text!r}")
    return text


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = command_parser("scripts/compare", __doc__)
    parser.add_argument(
        "--filter",
        metavar="REGEX",
        type=regex,
        help="only conformance scenarios (Category.Scenario) and benchmarks "
        "(scenario<backend>/args) that match REGEX",
    )
    parser.add_argument(
        "--backends",
        metavar="LIST",
        type=backend_names,
        help="comma-separated conformance backends (default: every backend the build declares)",
    )
    parser.add_argument(
        "--oracle",
        metavar="NAME",
        type=backend_name,
        help="the backend every other one's deterministic traces are compared with "
        "(default: the one the build declares, asio)",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        help="results folder, new or empty (default: reports/<date>-<commit>)",
    )
    parser.add_argument(
        "--baseline",
        metavar="DIR",
        type=Path,
        help="an earlier run's folder: the report also shows before vs after",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="short perf run (3 short repetitions, a tenth of the sizes)",
    )
    parser.add_argument(
        "--no-perf", action="store_true", help="conformance only (no benchmarks): what CI needs"
    )
    parser.add_argument(
        "--no-instructions",
        action="store_true",
        help="skip counting instructions per operation under callgrind",
    )
    parser.add_argument(
        "--mutants",
        action="store_true",
        help="also run the mutant catalogue (scripts/mutate, about 20 minutes): the report "
        "gets its Mutation section",
    )
    return parser.parse_args(argv)


def chosen(requested: list[str] | None, declared: list[Backend]) -> list[Backend]:
    """The backends --backends names (every declared one when None);
    UsageError for a name the build does not declare."""
    known = {b.name: b for b in declared}
    unknown = [b for b in requested or [] if b not in known]
    if unknown:
        raise UsageError(f"unknown backend {unknown[0]!r} (known: {', '.join(known)})")
    return declared if requested is None else [known[b] for b in requested]


def chosen_oracle(args: argparse.Namespace, backends: list[Backend]) -> str:
    """--oracle, or the build's: it must be among the backends run, unless
    it is the one twin's own suite compares with in-process."""
    oracle = args.oracle or build.default_oracle(backends)
    run = [b.name for b in backends]
    in_suite = any(b.declaration.get("checked_against") == oracle for b in backends)
    if oracle not in run and not in_suite:
        raise UsageError(
            f"--oracle {oracle}: not among the backends run ({', '.join(run)}); "
            "add it to --backends"
        )
    return oracle


def short_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except (subprocess.CalledProcessError, OSError):
        return "nogit"


def results_folder(args: argparse.Namespace) -> Path:
    """The folder this run writes: --out (new or without results, so no
    earlier report is overwritten) or a fresh reports/<date>-<commit>[-n]."""
    return output_folder(args.out, REPORTS / f"{dt.date.today().isoformat()}-{short_commit()}")


def build_programs(progress: Progress, with_perf: bool) -> list[Backend]:
    """Installs what is missing, then configures and builds Release:
    everything, or the conformance suites alone without perf. Returns the
    backends the build declares."""
    progress.line("building (Release)" + ("" if with_perf else ", conformance only"))
    kinds = None if with_perf else ("conformance",)
    return build.release(kinds, ROOT / "build" / "compare-build.log")


def scenarios_matching(backend: Backend, pattern: str | None) -> list[str]:
    """Full gtest names of `backend`'s scenarios that match `pattern`,
    without those it declares unsupported (the report says why)."""
    if not backend.conformance.exists():
        return []
    unsupported = backend.declaration.get("unsupported") or {}
    regex = re.compile(pattern) if pattern is not None else None
    listing = subprocess.run(
        [str(backend.conformance.file), "--gtest_list_tests"], capture_output=True, text=True
    ).stdout
    names, suite = [], None
    for line in listing.splitlines():
        if not line.startswith(" "):
            suite = line.split()[0].rstrip(".") if line.strip() else None
            continue
        test = line.split()[0]
        if suite and suite.endswith("/" + backend.name):
            category = suite.split("/")[1]
            if f"{category}.{test}" in unsupported:
                continue
            if regex is None or regex.search(f"{category}.{test}"):
                names.append(f"{suite}.{test}")
    return names


def run_conformance(
    backend: Backend, names: list[str], out: Path, progress: Progress
) -> tuple[dict, str | None]:
    """Runs `names` on `backend`; the JSON lands in out/conformance-<backend>.json
    (atomically). Returns the counts and a problem line when the suite wrote
    no results (it crashed or its watchdog stopped a hung scenario)."""
    result = out / f"conformance-{backend.name}.json"
    partial = out / f".conformance-{backend.name}.json.partial"
    counts = {"OK": 0, "FAILED": 0, "SKIPPED": 0}
    progress.line(f"conformance on {backend.name}: {len(names)} scenarios")
    started = progress.elapsed()
    with open(out / f"conformance-{backend.name}.log", "w") as log, subprocess.Popen(
        [
            str(backend.conformance.file),
            f"--gtest_filter={':'.join(names)}",
            f"--gtest_output=json:{partial}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    ) as proc:
        last = ""
        for line in proc.stdout:
            log.write(line)
            last = line.strip() or last
            m = GTEST_DONE.match(line.strip())
            if m:
                counts[m[1]] += 1
                done = sum(counts.values())
                progress.status(
                    f"conformance on {backend.name}: {done}/{len(names)}"
                    + (f", {counts['FAILED']} failed" if counts["FAILED"] else "")
                )
        status = proc.wait()
    progress.end_status()
    seconds = progress.elapsed() - started
    if not partial.exists():
        problem = f"conformance on {backend.name} wrote no results (exit status {status}): {last}"
        progress.line(problem)
        return counts, problem
    os.replace(partial, result)
    progress.line(
        f"conformance on {backend.name}: {counts['OK']} passed, {counts['FAILED']} failed, "
        f"{counts['SKIPPED']} skipped ({seconds:.1f} s)"
    )
    return counts, None


def repoint_latest(out: Path) -> None:
    """reports/latest -> out, replaced atomically (a symlink renamed over it)."""
    latest = REPORTS / "latest"
    tmp = REPORTS / f".latest.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(out.name)
    os.replace(tmp, latest)


def print_summary(out: Path) -> bool:
    """Prints conformance per category and backend, divergences and the
    benchmarks; True when every scenario passed and none diverged."""
    from asio_twin import benchmarks, conformance, results, summary

    run = results.load(out)
    passed = True
    if run.has_conformance:
        matrix = conformance.matrix(run)
        summary.conformance(matrix)
        passed = not matrix.failures() and not matrix.bugs
    if run.has_perf:
        summary.benchmarks(benchmarks.compare(run))
    return passed


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if (BUILD / build.FILE).exists():  # configured: refuse bad backends before anything runs
        chosen_oracle(args, chosen(args.backends, build.backends(BUILD)))
    progress = Progress()
    load_at_start = perf_run.load_average()
    if args.baseline is not None:
        from asio_twin import results

        results.load(args.baseline)  # now, not after minutes of running
    mode = perf_run.MODES["quick" if args.quick else "full"]
    out = results_folder(args)
    created = not out.exists()
    check_writable_dir(out)
    try:
        declared = build_programs(progress, with_perf=not args.no_perf)
        backends = chosen(args.backends, declared)
        oracle = chosen_oracle(args, backends)
        selected = {b: scenarios_matching(b, args.filter) for b in backends}
        benches = {}
        if not args.no_perf:
            benches = perf_run.select(build.programs(declared, "perf"), mode, args.filter, progress)
        if not any(selected.values()) and not any(benches.values()):
            raise UsageError(
                f"--filter {args.filter!r} matches no scenario"
                + ("" if args.no_perf else " and no benchmark")
            )
    except BaseException:
        if created and not any(out.iterdir()):
            out.rmdir()
        raise
    progress.line(f"results: {out}")

    problems, failed = [], False
    for backend, names in selected.items():
        if not names:
            progress.line(f"conformance on {backend.name}: no scenario matches, skipped")
            continue
        _, problem = run_conformance(backend, names, out, progress)
        failed |= problem is not None
        problems += [problem] if problem else []

    perf_context, tool_failure = {}, None
    if any(benches.values()):
        progress.line(f"perf suite ({mode.name})")
        try:
            run = perf_run.run(
                benches,
                build.programs(declared, "syscalls"),
                out,
                mode,
                args.filter,
                progress,
                count_instructions=not args.no_instructions,
            )
            perf_context = run.context
            problems += run.problems
            failed |= bool(run.problems)
        except UsageError as e:  # the report still shows the conformance results
            tool_failure = str(e)
            problems.append(tool_failure)
    elif not args.no_perf:
        progress.line("perf: --filter matches no benchmark, skipped")

    if args.mutants:
        progress.line("mutant catalogue (scripts/mutate)")
        status = subprocess.run([str(ROOT / "scripts" / "mutate"), "--out", str(out)]).returncode
        if status == 2:
            problems.append("scripts/mutate could not run (see above)")
        failed |= status != 0

    context = {
        **perf_context,
        **ctx.collect(ROOT, BUILD),
        "load_average": load_at_start,
        "backends": [b.name for b in backends],
        "oracle": oracle,
        "declarations": {b.name: b.declaration for b in declared},
        "filter": args.filter,
        "categories": build.categories(BUILD),
        "perf": mode.name if any(benches.values()) else "skipped",
    }
    if problems:
        context["problems"] = problems
    write_atomic(out / "context.json", json.dumps(context, indent=2) + "\n")

    progress.line("writing the report")
    from asio_twin import report

    report.generate(out, out / "index.html", args.baseline)
    if args.out is None:
        repoint_latest(out)
    failed |= not print_summary(out)  # from the results, not the console
    for p in problems:
        print(p)
    print(f"\nreport: {out / 'index.html'}")
    print(f"results: {out}  ({progress.elapsed():.0f} s)")
    if tool_failure:
        raise UsageError(tool_failure)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run_main("scripts/compare", main, sys.argv[1:]))
