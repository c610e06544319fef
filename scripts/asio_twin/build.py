"""The build the commands run: installing what it needs, configuring and
building it, and what it declares — the backends and the programs that hold
each.

The backends are declared once, by the build: each is a folder under
reference/ (reference/<name>/backend.cmake), reference/CMakeLists.txt lists
the folders, and scripts/CMakeLists.txt writes <build>/backends.json
whenever CMake configures:

  {"backends": [
    {"name": "twin",
     "label": "twin (epoll)",
     "checked_against": "asio",
     "unsupported": {},
     "conformance": {"target": "conformance", "file": "<build>/conformance/conformance"},
     "perf": {"target": "perf", "file": "<build>/perf/perf"},
     "syscalls": {"target": "perf_syscalls", "file": "<build>/perf/syscalls/perf_syscalls"}},
    {"name": "asio", "label": "Boost.Asio 1.81 (epoll)", "asio_version": "1.26.0",
     "oracle": true, ...},
    ...]}

backends() is its one reader: no script names the backends itself.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .cli import UsageError
from .results import read_json

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "build" / "release"  # the `release` preset's folder
FILE = "backends.json"
KINDS = ("conformance", "perf", "syscalls")  # the programs each backend has


@dataclass(frozen=True)
class Program:
    """One program of the build: its CMake target and its file."""

    target: str
    file: Path

    @property
    def name(self) -> str:
        return self.file.name

    def exists(self) -> bool:
        return self.file.exists()


@dataclass(frozen=True)
class Backend:
    """A backend and the programs that hold it (several backends share one)."""

    name: str
    conformance: Program
    perf: Program
    syscalls: Program
    # What its folder declares: label, asio_version, oracle, checked_against,
    # unsupported ({category: why}); what results' context.json records.
    declaration: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_oracle(self) -> bool:
        return bool(self.declaration.get("oracle"))


def default_oracle(declared: list[Backend]) -> str:
    """The backend the build declares as the oracle (the first, if several)."""
    return next((b.name for b in declared if b.is_oracle), "asio")


def backends(build: Path = RELEASE) -> list[Backend]:
    """The backends `build` declares, in the order tables show them.
    UsageError when it is not a configured build folder."""
    path = Path(build) / FILE
    if not path.exists():
        raise UsageError(f"{build} is not a configured build folder (no {FILE} in it)")
    data = read_json(path)
    try:
        return [
            Backend(
                str(b["name"]),
                *(Program(str(b[k]["target"]), Path(b[k]["file"])) for k in KINDS),
                declaration={k: v for k, v in b.items() if k not in KINDS and k != "name"},
            )
            for b in data["backends"]
        ]
    except (KeyError, TypeError):
        raise UsageError(
            f"{path}: not a backends file (each backend needs a name and "
            f"the target and file of its {', '.join(KINDS)} programs)"
        ) from None


def categories(build: Path = RELEASE) -> list[str]:
    """The conformance categories `build` declares ([] for a backends file
    that predates them)."""
    data = read_json(Path(build) / FILE)
    found = data.get("categories", []) if isinstance(data, dict) else []
    return [str(c) for c in found] if isinstance(found, list) else []


def programs(declared: list[Backend], kind: str) -> list[Program]:
    """The distinct programs of one kind ("conformance", "perf",
    "syscalls"), in the order of the backends they hold."""
    return list(dict.fromkeys(getattr(b, kind) for b in declared))


def setup() -> None:
    """Installs what is missing (scripts/setup; its progress on stdout). Its
    error line, if it fails, becomes the command's one line."""
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


def release(kinds: tuple[str, ...] | None, log: Path) -> list[Backend]:
    """Installs what is missing, configures the Release build and builds the
    programs of `kinds` (every target when None); CMake's output goes to
    `log`. Returns the backends the build declares. UsageError, naming the
    first error and the log, when a step fails."""
    setup()
    log.parent.mkdir(parents=True, exist_ok=True)
    declared: list[Backend] = []
    with open(log, "w") as sink:

        def step(cmd: list[str]) -> int:
            return subprocess.run(cmd, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT).returncode

        status = step(["cmake", "--preset", "release"])
        if status == 0:
            declared = backends(RELEASE)
            cmd = ["cmake", "--build", "--preset", "release", "-j", str(os.cpu_count() or 1)]
            if kinds is not None:
                targets = [p.target for kind in kinds for p in programs(declared, kind)]
                cmd += ["--target", *dict.fromkeys(targets)]
            status = step(cmd)
    if status != 0:
        errors = [
            line for line in log.read_text(errors="replace").splitlines() if "error" in line.lower()
        ]
        raise UsageError(
            f"build failed ({errors[0].strip() if errors else 'see the log'}); log: {log}"
        )
    return declared
