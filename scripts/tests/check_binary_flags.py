"""Bad arguments to the C++ programs: one line on stderr, exit status 2,
nothing run and nothing written (ctest: `ctest -L cli`).

  check_binary_flags.py KIND BINARY

KIND says which command line BINARY has: `gtest` (conformance,
conformance_uring, compat_client, compat_udp_client, compat_strand_client:
GoogleTest's flags only), `random` (conformance_random: its own options
too), `perf` (perf, perf_uring: --perf_quick and Google Benchmark's
flags), `echo_server` (PORT SESSIONS), `udp_echo_server` (PORT DATAGRAMS)
or `strand_server` (PORT THREADS). Each bad command
line is run in a fresh temporary folder; the check fails on any exit
status but 2, any stderr but one line naming the program, a file left
behind in the folder, or a file given as output that changed. A few good
command lines prove the output is still written (by rename, nothing left
beside it). Prints one line per case and the count.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

OLD = "previous results\n"

# Command lines every GoogleTest program here must refuse. {tmp} is the
# case's folder; {blocker} a regular file in it (so {blocker}/x cannot be
# created even by root); {old} a file holding OLD that must survive.
GTEST_BAD = [
    ["--bogus"],
    ["positional"],
    ["-x"],
    ["--gtest_bogus"],
    ["--gtest_filter"],
    ["--gtest_repeat=abc"],
    ["--gtest_repeat=99999999999"],
    ["--gtest_random_seed="],
    ["--gtest_shuffle=no"],
    ["--gtest_color=purple"],
    ["--gtest_death_test_style=slow"],
    ["--gtest_output"],
    ["--gtest_output=html:{tmp}/x.html"],
    ["--gtest_output=json:"],
    ["--gtest_output=json:{blocker}/out.json"],
    ["--gtest_output=json:{tmp}/missing/out.json"],
    ["--gtest_output=json:{tmp}"],
    ["--gtest_output=json:{old}", "--bogus"],
    ["--gtest_filter=*", "--gtest_list_tests", "--no-such-flag"],
    ["--gtest_filter=<script>alert(1)</script>\"'", "--'\"<b>"],
]
RANDOM_BAD = GTEST_BAD + [
    ["--seed=abc"],
    ["--seed=-1"],
    ["--seed="],
    ["--seed"],
    ["--seed=99999999999999999999999"],
    ["--seed= 5"],
    ["--seeds=1e3"],
    ["--seed-base=x"],
    ["--keep=3-1"],
    ["--keep=x"],
    ["--timer-spacing-ms=0"],
    ["--seedz=1"],
]
PERF_BAD = [
    ["--bogus"],
    ["positional"],
    ["--perf_quick=1"],
    ["--perf_slow"],
    ["--perf_iterations=0"],
    ["--perf_iterations=x"],
    ["--perf_iterations="],
    ["--perf_iterations"],
    ["--perf_callgrind=1"],
    ["--benchmark_bogus=1"],
    ["--benchmark_repetitions=abc"],
    ["--benchmark_repetitions=0"],
    ["--benchmark_repetitions=99999999999"],
    ["--benchmark_min_time=fast"],
    ["--benchmark_min_time=-1"],
    ["--benchmark_min_time=nan"],
    ["--benchmark_format=xml"],
    ["--benchmark_out_format=html"],
    ["--benchmark_time_unit=h"],
    ["--benchmark_list_tests=maybe"],
    ["--benchmark_filter=("],
    ["--benchmark_filter=[z-a]"],
    ["--v=loud"],
    ["--benchmark_out="],
    ["--benchmark_out={blocker}/out.json"],
    ["--benchmark_out={tmp}/missing/out.json"],
    ["--benchmark_out={tmp}"],
    ["--benchmark_out={old}", "--benchmark_repetitions=x"],
    ["--perf_quick", "--benchmark_filter=<script>alert(1)</script>", "--'\"<b>"],
]
ECHO_BAD = [
    [],
    ["0"],
    ["0", "1", "2"],
    ["abc", "1"],
    ["0", "abc"],
    ["-1", "1"],
    ["65536", "1"],
    ["0", "0"],
    ["0", "-3"],
    ["99999999999999999999", "1"],
    ["1x", "1"],
]
BAD = {
    "gtest": GTEST_BAD,
    "random": RANDOM_BAD,
    "perf": PERF_BAD,
    "echo_server": ECHO_BAD,
    "udp_echo_server": ECHO_BAD,
    "strand_server": ECHO_BAD,
}

# Good command lines that write an output file: {old}, replaced by rename.
# The perf filter picks one cheap benchmark on every backend of the program
# (twin, Asio and raw in perf; the one backend of perf_uring, perf_standalone).
GOOD = {
    "gtest": [["--gtest_filter=NoSuchTest.*", "--gtest_output=json:{old}"]],
    "random": [["--gtest_filter=Random.KeepListsRoundTrip", "--gtest_output=json:{old}"]],
    "perf": [
        [
            "--perf_quick",
            "--benchmark_filter=^post_throughput<[A-Za-z0-9_]+>/n:10000/hint:1$",
            "--benchmark_repetitions=1",
            "--benchmark_min_time=0.001",
            "--benchmark_out={old}",
            "--benchmark_out_format=json",
        ]
    ],
    "echo_server": [],
    "udp_echo_server": [],
    "strand_server": [],
}
# 77: this machine cannot run the program's backends (io_uring refused).
SKIPPED = 77


def run(binary: str, argv: list[str], folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [binary, *argv],
        cwd=folder,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def prepare(folder: Path, argv: list[str]) -> tuple[list[str], Path]:
    (folder / "blocker").write_text("")
    old = folder / "old.json"
    old.write_text(OLD)
    fill = {"tmp": str(folder), "blocker": str(folder / "blocker"), "old": str(old)}
    return [a.format(**fill) for a in argv], old


def check_bad(kind: str, binary: str, argv: list[str]) -> str | None:
    """Why this bad command line was not refused properly, or None."""
    with tempfile.TemporaryDirectory(prefix="asio-twin-flags-") as tmp:
        folder = Path(tmp)
        args, old = prepare(folder, argv)
        proc = run(binary, args, folder)
        if proc.returncode == SKIPPED and kind == "perf":
            return None
        lines = proc.stderr.strip().splitlines()
        name = Path(binary).name
        prefix = f"usage: {kind}" if kind.endswith("_server") else f"{name}: "
        if proc.returncode != 2:
            return f"exit status {proc.returncode}, not 2; stderr: {proc.stderr.strip()[:300]}"
        if len(lines) != 1:
            return f"{len(lines)} lines on stderr, not 1:\n{proc.stderr}"
        if not lines[0].startswith(prefix):
            return f"stderr does not start with {prefix!r}: {lines[0]}"
        if len(proc.stdout.splitlines()) > 1:
            return f"printed {len(proc.stdout.splitlines())} lines on stdout (help?)"
        if old.read_text() != OLD:
            return "overwrote an existing output file"
        left = sorted(p.name for p in folder.iterdir())
        if left != ["blocker", "old.json"]:
            return f"left files behind: {left}"
    return None


def check_good(binary: str, argv: list[str]) -> str | None:
    """Why this good command line did not write its output cleanly, or None."""
    with tempfile.TemporaryDirectory(prefix="asio-twin-flags-") as tmp:
        folder = Path(tmp)
        args, old = prepare(folder, argv)
        proc = run(binary, args, folder)
        if proc.returncode == SKIPPED:
            return None
        if proc.returncode != 0:
            return f"exit status {proc.returncode}: {proc.stderr.strip()[:300]}"
        try:
            json.loads(old.read_text())
        except ValueError:
            return f"the output is not the new JSON: {old.read_text()[:100]!r}"
        left = sorted(p.name for p in folder.iterdir())
        if left != ["blocker", "old.json"]:
            return f"left files behind: {left}"
    return None


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in BAD:
        print(f"usage: check_binary_flags.py {{{','.join(BAD)}}} BINARY", file=sys.stderr)
        return 2
    kind, binary = argv[0], str(Path(argv[1]).resolve())
    failures = 0
    cases = [("bad", a) for a in BAD[kind]] + [("good", a) for a in GOOD[kind]]
    for what, args in cases:
        problem = check_bad(kind, binary, args) if what == "bad" else check_good(binary, args)
        shown = " ".join(args) or "(no arguments)"
        print(
            f"{'FAIL' if problem else 'ok  '} {what} {shown}" + (f": {problem}" if problem else "")
        )
        failures += bool(problem)
    print(
        f"{len(cases) - failures} of {len(cases)} command lines handled "
        f"({len(BAD[kind])} bad, {len(GOOD[kind])} good) by {Path(binary).name}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    for variable in (
        "GTEST_OUTPUT",
        "RANDOM_PROGRAMS",
        "RANDOM_SEED_BASE",
        "RANDOM_SEED",
        "RANDOM_KEEP",
        "RANDOM_TIMER_SPACING_MS",
    ):
        os.environ.pop(variable, None)
    sys.exit(main(sys.argv[1:]))
