"""Runs the conformance suite on every backend and records the results.

Results land in reports/<date>-<commit>/ (gtest JSON with traces, plus the
machine context); reports/latest points at the newest run. A terminal summary
shows pass/fail per category and backend.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "release"
BINARIES = {"twin": "conformance", "asio": "conformance", "asio_uring": "conformance_uring"}


class UsageError(Exception):
    """Bad input from the user: reported as one line, exit status 2."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line on stderr, not usage + error."""

    def error(self, message: str):
        raise UsageError(f"{message} (try --help)")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = ArgumentParser(prog="scripts/compare", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--filter", metavar="REGEX", default=None,
                        help="only scenarios whose Category.Name matches REGEX")
    parser.add_argument("--backends", default=",".join(BINARIES),
                        help="comma-separated backends (default: %(default)s)")
    parser.add_argument("--out", metavar="DIR", type=Path, default=None,
                        help="results folder (default: reports/<date>-<commit>)")
    parser.add_argument("--quick", action="store_true",
                        help="short perf run (accepted now; perf arrives later)")
    args = parser.parse_args(argv)
    args.backends = [b for b in args.backends.split(",") if b]
    unknown = [b for b in args.backends if b not in BINARIES]
    if unknown:
        raise UsageError(f"unknown backend {unknown[0]!r} (known: {', '.join(BINARIES)})")
    if args.filter is not None:
        try:
            re.compile(args.filter)
        except re.error as e:
            raise UsageError(f"--filter is not a valid regular expression: {e}") from None
    return args


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, **kw)


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        return "nogit"


def machine_context(commit: str) -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    compiler = subprocess.run(["c++", "--version"], capture_output=True, text=True).stdout
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "commit": commit,
        "cpu": cpu,
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "compiler": compiler.splitlines()[0] if compiler else "unknown",
        "boost": "1.81.0",
        "build_type": "Release",
    }


def tests_matching(binary: Path, backend: str, pattern: re.Pattern | None) -> list[str]:
    """Full gtest names of `backend`'s scenarios in `binary` that match."""
    listing = run([str(binary), "--gtest_list_tests"], capture_output=True, text=True).stdout
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


def run_conformance(backend: str, out: Path, pattern: re.Pattern | None) -> Path | None:
    binary = BUILD / "conformance" / BINARIES[backend]
    names = tests_matching(binary, backend, pattern)
    if not names:
        return None
    result = out / f"conformance-{backend}.json"
    print(f"-- conformance on {backend}: {len(names)} scenarios", flush=True)
    # A failing scenario is a result, not an error of this script.
    subprocess.run([str(binary), f"--gtest_filter={':'.join(names)}",
                    f"--gtest_output=json:{result}"], stdout=subprocess.DEVNULL)
    if not result.exists():
        raise RuntimeError(f"{binary.name} wrote no results for {backend} (crashed?)")
    return result


def summarize(results: list[Path]) -> bool:
    """Prints pass/fail per category and backend; True when all passed."""
    rows: dict[tuple[str, str], list[int]] = {}
    divergences = []
    for path in results:
        data = json.loads(path.read_text())
        for suite in data.get("testsuites", []):
            _, category, backend = suite["name"].split("/")
            cell = rows.setdefault((category, backend), [0, 0, 0])
            for test in suite["testsuite"]:
                if test.get("result") == "SKIPPED":
                    cell[2] += 1
                elif test.get("failures"):
                    cell[1] += 1
                else:
                    cell[0] += 1
                if test.get("verdict") == "diverged":
                    divergences.append(f"{category}.{test['name']} ({backend})")
    print(f"\n{'category':<12}{'backend':<12}{'pass':>6}{'fail':>6}{'skip':>6}")
    for (category, backend), (ok, bad, skip) in sorted(rows.items()):
        print(f"{category:<12}{backend:<12}{ok:>6}{bad:>6}{skip:>6}")
    for d in divergences:
        print(f"diverges from asio: {d}")
    return all(bad == 0 for _, bad, _ in rows.values())


def main(argv: list[str]) -> int:
    try:
        args = parse_args(argv)
        pattern = re.compile(args.filter) if args.filter else None
        commit = git_commit()
        out = args.out or ROOT / "reports" / f"{dt.date.today().isoformat()}-{commit}"
        try:
            out.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=out):
                pass
        except OSError as e:
            raise UsageError(f"cannot write to {out}: {e.strerror}") from None

        print("-- building (Release)", flush=True)
        run(["cmake", "--preset", "release"], cwd=ROOT, stdout=subprocess.DEVNULL)
        run(["cmake", "--build", "--preset", "release", "-j", str(os.cpu_count())],
            cwd=ROOT, stdout=subprocess.DEVNULL)

        results = [r for b in args.backends if (r := run_conformance(b, out, pattern))]
        if not results:
            raise UsageError(f"--filter {args.filter!r} matches no scenario")
        context = out / "context.json"
        context.write_text(json.dumps(machine_context(commit), indent=2))

        if args.out is None:
            latest = ROOT / "reports" / "latest"
            tmp = latest.with_name("latest.tmp")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(out.name)
            tmp.replace(latest)
        passed = summarize(results)
        print(f"\nresults: {out}")
        return 0 if passed else 1
    except UsageError as e:
        print(f"scripts/compare: {e}", file=sys.stderr)
        return 2
    except (subprocess.CalledProcessError, RuntimeError) as e:
        print(f"scripts/compare: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
