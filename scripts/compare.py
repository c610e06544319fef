"""The main job: conformance on every backend, the benchmarks, the report.

Builds Release, runs the conformance suite on each backend and the perf
suite (scripts/perf, full or --quick), and writes into one results folder,
reports/<date>-<commit>/ (or --out DIR):

  conformance-<backend>.json  GoogleTest JSON, every scenario with its trace
  conformance-<backend>.log   the suite's console output
  perf.json, perf_uring.json  Google Benchmark JSON, every repetition
  perf.log, perf_uring.log    their console output
  syscalls.json               system calls per round trip / wake-up (strace)
  context.json                machine, build, commit, date, perf mode
  index.html                  the report (scripts/report; README "Reading the report")

then points reports/latest at the folder (default folder only) and prints a
summary: pass/fail per category and backend, divergences from Asio, and the
twin/asio speed ratios (above 1: twin is faster).

--filter REGEX selects conformance scenarios by `Category.Scenario` and
benchmarks by name (`scenario<backend>/args`, Google Benchmark's filter);
--backends selects the conformance backends (perf always measures all: the
ratios need them). With --baseline DIR, an earlier run's folder, the report
also shows every benchmark and scenario before vs after.

Takes about a minute with --quick or --no-perf on a 2-core machine after the
first build; the full perf suite adds several minutes.
Exit status: 0 everything passed; 1 a conformance scenario failed or
diverged from Asio (or a benchmark failed its own check, or a suite crashed);
2 bad usage or input, or the build or a tool failed (one line on stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from asio_twin import context as ctx  # noqa: E402
from asio_twin.cli import ArgumentParser, UsageError, run_main  # noqa: E402
from asio_twin.files import check_writable_dir, output_folder, write_atomic  # noqa: E402
from asio_twin.progress import Progress, Ticker  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "release"
REPORTS = ROOT / "reports"
PERF_SCRIPT = ROOT / "scripts" / "perf"
BINARIES = {"twin": "conformance", "asio": "conformance", "asio_uring": "conformance_uring"}
PERF_PROGRAMS = ["perf", "perf_uring"]
# gtest's line per finished test ends with its duration; its summary lines do not.
GTEST_DONE = re.compile(r"^\[\s*(OK|FAILED|SKIPPED)\s*\] .*\(\d+ ms\)$")
# A Google Benchmark console row for one repetition (not an aggregate).
GBENCH_ROW = re.compile(r"^\S+<\w+>\S*\s+\d")
GBENCH_AGGREGATE = re.compile(r"_(mean|median|stddev|cv)\s")
PERF_START = re.compile(r"^-- (?P<program>\S+): (?P<n>\d+) benchmarks x (?P<reps>\d+) repetitions")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = ArgumentParser(
        prog="scripts/compare",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--filter",
        metavar="REGEX",
        default=None,
        help="only conformance scenarios (Category.Scenario) and benchmarks "
        "(scenario<backend>/args) that match REGEX",
    )
    parser.add_argument(
        "--backends",
        default=",".join(BINARIES),
        help="comma-separated conformance backends (default: %(default)s)",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        default=None,
        help="results folder, new or empty (default: reports/<date>-<commit>)",
    )
    parser.add_argument(
        "--baseline",
        metavar="DIR",
        type=Path,
        default=None,
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
    args = parser.parse_args(argv)
    args.backends = [b for b in args.backends.split(",") if b]
    unknown = [b for b in args.backends if b not in BINARIES]
    if unknown or not args.backends:
        raise UsageError(
            f"unknown backend {unknown[0] if unknown else ''!r} " f"(known: {', '.join(BINARIES)})"
        )
    if args.filter is not None:
        try:
            args.pattern = re.compile(args.filter)
        except re.error as e:
            raise UsageError(f"--filter is not a valid regular expression: {e}") from None
    else:
        args.pattern = None
    return args


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


def setup() -> None:
    """Installs what is missing (scripts/setup; its progress on stdout). Its
    error line, if it fails, becomes this command's one line."""
    proc = subprocess.run(
        [str(ROOT / "scripts" / "setup")],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or [""])[-1]
        raise UsageError(f"scripts/setup failed (exit status {proc.returncode}): {last}")


def build(progress: Progress, with_perf: bool) -> None:
    """Installs what is missing, then configures and builds Release: the
    conformance suites, and the perf programs when they will run. The
    build's output goes to a log."""
    setup()
    progress.line("building (Release)" + ("" if with_perf else ", conformance only"))
    log = ROOT / "build" / "compare-build.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as sink:
        status = subprocess.run(
            ["cmake", "--preset", "release"], cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT
        ).returncode
        if status == 0:
            cmd = ["cmake", "--build", "--preset", "release", "-j", str(os.cpu_count() or 1)]
            if not with_perf:
                targets = [
                    t
                    for t in ("conformance", "conformance_uring")
                    if t != "conformance_uring" or io_uring_enabled()
                ]
                cmd += ["--target", *targets]
            status = subprocess.run(cmd, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT).returncode
    if status != 0:
        errors = [l for l in log.read_text(errors="replace").splitlines() if "error" in l.lower()]
        raise UsageError(
            f"build failed ({errors[0].strip() if errors else 'see the log'}); " f"log: {log}"
        )


def io_uring_enabled() -> bool:
    return ctx.cmake_cache(BUILD, "ASIO_TWIN_IO_URING") != "OFF"


def scenarios_matching(backend: str, pattern: re.Pattern | None) -> list[str]:
    """Full gtest names of `backend`'s scenarios that match `pattern`."""
    binary = BUILD / "conformance" / BINARIES[backend]
    if not binary.exists():
        return []
    listing = subprocess.run(
        [str(binary), "--gtest_list_tests"], capture_output=True, text=True
    ).stdout
    names, suite = [], None
    for line in listing.splitlines():
        if not line.startswith(" "):
            suite = line.split()[0].rstrip(".") if line.strip() else None
            continue
        test = line.split()[0]
        if suite and suite.endswith("/" + backend):
            category = suite.split("/")[1]
            if pattern is None or pattern.search(f"{category}.{test}"):
                names.append(f"{suite}.{test}")
    return names


def benchmarks_matching(pattern: str | None, quick: bool) -> int:
    """How many benchmarks the perf programs would run with this filter."""
    count = 0
    for program in PERF_PROGRAMS:
        binary = BUILD / "perf" / program
        if not binary.exists():
            continue
        cmd = [str(binary), "--benchmark_list_tests=true"] + (["--perf_quick"] if quick else [])
        if pattern:
            cmd.append(f"--benchmark_filter={pattern}")
        listing = subprocess.run(cmd, capture_output=True, text=True)
        if listing.returncode == 0:
            count += sum(1 for line in listing.stdout.splitlines() if line.strip())
    return count


def run_conformance(
    backend: str, names: list[str], out: Path, progress: Progress
) -> tuple[dict, str | None]:
    """Runs `names` on `backend`; the JSON lands in out/conformance-<backend>.json
    (atomically). Returns the counts and a problem line when the suite wrote
    no results (it crashed or its watchdog stopped a hung scenario)."""
    binary = BUILD / "conformance" / BINARIES[backend]
    result = out / f"conformance-{backend}.json"
    partial = out / f".conformance-{backend}.json.partial"
    counts = {"OK": 0, "FAILED": 0, "SKIPPED": 0}
    progress.line(f"conformance on {backend}: {len(names)} scenarios")
    started = progress.elapsed()
    with open(out / f"conformance-{backend}.log", "w") as log, subprocess.Popen(
        [str(binary), f"--gtest_filter={':'.join(names)}", f"--gtest_output=json:{partial}"],
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
                    f"conformance on {backend}: {done}/{len(names)}"
                    + (f", {counts['FAILED']} failed" if counts["FAILED"] else "")
                )
        status = proc.wait()
    progress.end_status()
    seconds = progress.elapsed() - started
    if not partial.exists():
        problem = f"conformance on {backend} wrote no results (exit status {status}): {last}"
        progress.line(problem)
        return counts, problem
    os.replace(partial, result)
    progress.line(
        f"conformance on {backend}: {counts['OK']} passed, {counts['FAILED']} failed, "
        f"{counts['SKIPPED']} skipped ({seconds:.1f} s)"
    )
    return counts, None


def run_perf(
    args: argparse.Namespace, out: Path, progress: Progress
) -> tuple[dict, list[str], bool]:
    """Runs scripts/perf into a private folder inside `out`, then moves its
    results in. Returns perf's context, the problems (benchmarks that failed
    their checks or hung), and whether the tool itself failed."""
    staging = Path(tempfile.mkdtemp(dir=out, prefix=".perf-"))
    try:
        cmd = [str(PERF_SCRIPT), "--out", str(staging)]
        cmd += ["--quick"] if args.quick else []
        cmd += ["--filter", args.filter] if args.filter else []
        progress.line(f"perf suite ({'quick' if args.quick else 'full'}): scripts/perf")
        current = {"program": None, "expected": 0, "since": 0.0}

        def tick() -> None:
            # The program's console output reaches its log in buffered
            # chunks, so the count lags and jumps; the seconds do not.
            program = current["program"]
            if not program:
                return
            try:
                lines = (staging / f"{program}.log").read_text(errors="replace").splitlines()
            except OSError:
                lines = []
            done = sum(1 for l in lines if GBENCH_ROW.match(l) and not GBENCH_AGGREGATE.search(l))
            seconds = progress.elapsed() - current["since"]
            progress.status(
                f"{program}: {done or 'running'} of {current['expected']} "
                f"repetitions, {seconds:.0f} s"
            )

        output, problems = [], []
        with Ticker(tick, 1.0 if progress.tty else progress.quiet_interval), subprocess.Popen(
            cmd,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        ) as proc:
            for line in proc.stdout:
                output.append(line)
                text = line.rstrip()
                m = PERF_START.match(text)
                if m:
                    current.update(
                        program=m["program"],
                        expected=int(m["n"]) * int(m["reps"]),
                        since=progress.elapsed(),
                    )
                if text.startswith("-- ") and "building" not in text:
                    # its log moves from the private folder to `out` at the end
                    progress.line("  " + text[3:].replace(str(staging), str(out)))
                elif text.startswith("FAILED"):
                    problems.append(f"perf: {text}")
                    progress.line("  " + text)
                elif text.startswith("note:"):
                    progress.line("  " + text)
            status = proc.wait()
        progress.end_status()
        (out / "perf-run.log").write_text("".join(output))
        if status not in (0, 1):
            last = next((l.strip() for l in reversed(output) if l.strip()), "")
            return {}, [f"scripts/perf failed (exit status {status}): {last}"], True
        if status == 1 and not problems:
            problems.append("perf: a benchmark failed its check or hung (see perf-run.log)")
        for f in staging.iterdir():
            if f.suffix in (".json", ".log") and f.name != "context.json":
                os.replace(f, out / f.name)
        perf_context = {}
        try:
            perf_context = json.loads((staging / "context.json").read_text())
        except (OSError, ValueError):
            pass
        return perf_context if isinstance(perf_context, dict) else {}, problems, False
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def repoint_latest(out: Path) -> None:
    """reports/latest -> out, replaced atomically (a symlink renamed over it)."""
    latest = REPORTS / "latest"
    tmp = REPORTS / f".latest.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(out.name)
    os.replace(tmp, latest)


def print_summary(out: Path) -> bool:
    """Prints conformance per category and backend, divergences and perf
    ratios; True when every scenario passed and none diverged."""
    from asio_twin import benchmarks, conformance, results
    from asio_twin.report import fmt_num, fmt_p

    run = results.load(out)
    passed = True
    if run.has_conformance:
        matrix = conformance.matrix(run)
        print(f"\n{'category':<14}" + "".join(f"{b:>22}" for b in matrix.backends))
        for cat in matrix.categories:
            cells = []
            for b in matrix.backends:
                t = cat.totals[b]
                cells.append(f"{t['pass']} pass {t['fail']} fail {t['skip']} skip")
            print(f"{cat.name:<14}" + "".join(f"{c:>22}" for c in cells))
        for d in matrix.divergences:
            print(f"twin diverges from asio: {d.scenario.key} at event {d.first}")
        for s in matrix.failures():
            print(f"FAILED {s.key} on {s.backend}")
        passed = not matrix.failures() and not matrix.divergences
    if run.has_perf:
        comparison = benchmarks.compare(run)
        rows = comparison.rows
        width = max([len(r.label) for r in rows] + [9])
        cols = comparison.backends
        print(
            f"\n{'benchmark':<{width}}"
            + "".join(f"{b:>11}" for b in cols)
            + f"{'twin/asio':>10}{'p':>7}  verdict"
        )
        for r in rows:
            times = "".join(
                f"{fmt_num(r.by_backend[b].median) if b in r.by_backend else '-':>11}" for b in cols
            )
            ratio = f"{r.ratio:10.2f}" if r.ratio is not None else f"{'-':>10}"
            print(
                f"{r.label:<{width}}{times}{ratio}{fmt_p(r.p):>7}  "
                f"{r.verdict if r.ratio is not None else ''}"
            )
        if comparison.geomean:
            print(f"geometric mean of twin/asio: {comparison.geomean:.2f}")
        print(
            "median ns per operation; twin/asio is a speed ratio (above 1: twin is faster); "
            "p: Mann-Whitney U over repetitions"
        )
    return passed


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    progress = Progress()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    if args.baseline is not None:
        from asio_twin import results

        results.load(args.baseline)  # now, not after minutes of running
    out = results_folder(args)
    created = not out.exists()
    check_writable_dir(out)
    try:
        build(progress, with_perf=not args.no_perf)
        selected = {b: scenarios_matching(b, args.pattern) for b in args.backends}
        benches = 0 if args.no_perf else benchmarks_matching(args.filter, args.quick)
        if not any(selected.values()) and not benches:
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
            progress.line(f"conformance on {backend}: no scenario matches, skipped")
            continue
        _, problem = run_conformance(backend, names, out, progress)
        failed |= problem is not None
        problems += [problem] if problem else []

    perf_context, tool_failed = {}, False
    if benches:
        perf_context, perf_problems, tool_failed = run_perf(args, out, progress)
        problems += perf_problems
        failed |= bool(perf_problems) and not tool_failed
    elif not args.no_perf:
        progress.line("perf: --filter matches no benchmark, skipped")

    context = {
        **perf_context,
        **ctx.collect(ROOT, BUILD),
        "load_average": load_at_start,
        "backends": args.backends,
        "filter": args.filter,
        "perf": "skipped" if not benches else ("quick" if args.quick else "full"),
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
    if tool_failed:
        raise UsageError(problems[-1])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run_main("scripts/compare", main, sys.argv[1:]))
