"""The machine and build a run was taken on: what scripts/compare records in
context.json, and which of it should make a reader distrust the numbers.

collect() gathers it (CPU, cores, kernel, compiler, Boost version, build
type, git commit, date, host, CPU frequency governor); warnings() and
same_machine() read it back. Both tolerate missing keys: a folder written
by scripts/perf alone, or by an older harness, still reads.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import subprocess
from pathlib import Path

GOVERNORS = Path("/sys/devices/system/cpu")
BOOST_VERSION = Path("/usr/include/boost/version.hpp")


def _capture(cmd: list[str], cwd: Path | None = None) -> str | None:
    try:
        return subprocess.run(
            cmd, cwd=cwd, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (subprocess.CalledProcessError, OSError):
        return None


def cmake_cache(build: Path, key: str) -> str | None:
    """A value from `build`/CMakeCache.txt, or None."""
    try:
        for line in (build / "CMakeCache.txt").read_text().splitlines():
            if line.startswith(key + ":"):
                return line.split("=", 1)[1]
    except OSError:
        pass
    return None


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def governors() -> list[str] | None:
    """The distinct cpufreq scaling governors of the CPUs, or None where the
    kernel does not expose them (virtual machines often do not)."""
    found = set()
    for path in GOVERNORS.glob("cpu[0-9]*/cpufreq/scaling_governor"):
        try:
            found.add(path.read_text().strip())
        except OSError:
            pass
    return sorted(found) or None


def boost_version() -> str:
    try:
        m = re.search(r"#define BOOST_VERSION (\d+)", BOOST_VERSION.read_text())
        if m:
            v = int(m[1])
            return f"{v // 100000}.{v // 100 % 1000}.{v % 100}"
    except OSError:
        pass
    return "unknown"


def collect(root: Path, build: Path) -> dict:
    """The context of a run about to be taken from `build` (a CMake build
    folder) of the repository at `root`."""
    compiler = cmake_cache(build, "CMAKE_CXX_COMPILER") or "c++"
    commit = _capture(["git", "rev-parse", "HEAD"], root)
    status = _capture(["git", "status", "--porcelain"], root)
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "commit": commit or "unknown",
        "dirty": bool(status) if status is not None else None,
        "host": platform.node(),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "compiler": ((_capture([compiler, "--version"]) or "unknown").splitlines() or ["?"])[0],
        "boost": boost_version(),
        "build_type": cmake_cache(build, "CMAKE_BUILD_TYPE") or "unknown",
        "governors": governors(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def host_of(context: dict, benchmark_contexts: dict) -> str | None:
    """The host name: recorded by compare, else by Google Benchmark."""
    if context.get("host"):
        return str(context["host"])
    for c in benchmark_contexts.values():
        if c.get("host_name"):
            return str(c["host_name"])
    return None


def same_machine(a: dict, a_bench: dict, b: dict, b_bench: dict) -> tuple[bool, str]:
    """Whether two runs' contexts describe the same machine, and if not, how
    they differ (host, CPU model or core count)."""
    pairs = [
        ("host", host_of(a, a_bench), host_of(b, b_bench)),
        ("CPU", a.get("cpu"), b.get("cpu")),
        ("cores", a.get("cores"), b.get("cores")),
    ]
    for what, x, y in pairs:
        if x is not None and y is not None and str(x) != str(y):
            return False, f"{what} {y} vs {x}"
    return True, ""


def warnings(context: dict, benchmark_contexts: dict, has_perf: bool) -> list[str]:
    """What about the machine or build makes the numbers less trustworthy."""
    out = []
    build_type = str(context.get("build_type", "")).lower()
    if build_type and build_type not in ("release", "unknown"):
        out.append(
            f"{context['build_type']} build: timings do not represent an optimised build"
            if has_perf
            else f"{context['build_type']} build"
        )
    if has_perf:
        govs = context.get("governors")
        if govs and any(g != "performance" for g in govs):
            out.append(
                f"CPU frequency scaling governor is {', '.join(govs)}, not 'performance': "
                "clock changes add noise to timings"
            )
        elif any(c.get("cpu_scaling_enabled") for c in benchmark_contexts.values()):
            out.append(
                "Google Benchmark reports CPU frequency scaling enabled: timings are noisier"
            )
        load = context.get("load_average_before") or context.get("load_average")
        cores = context.get("cores") or 1
        if (
            isinstance(load, list)
            and load
            and isinstance(load[0], (int, float))
            and load[0] > 0.5 * cores
        ):
            out.append(
                f"load average was {load[0]:.1f} on {cores} cores when the run "
                "started: other work competed with the benchmarks"
            )
        if context.get("mode") == "quick":
            out.append(
                "quick perf run (short repetitions, a tenth of the sizes): "
                "numbers are only indicative"
            )
    return out
