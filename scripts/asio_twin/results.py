"""Loading and validating a results folder.

A results folder (what scripts/compare or scripts/perf writes) holds:
  conformance-<backend>.json   GoogleTest JSON; every test carries the
                               properties backend, determinism, trace and,
                               for twin, oracle, oracle_trace and verdict
  perf*.json                   Google Benchmark JSON with every repetition
  context.json                 the machine and the run (optional)
  syscalls.json                system calls per operation (optional; see
                               syscalls.py)
  instructions.json            instructions per operation under callgrind
                               (optional; see instructions.py)

load() reads them into plain records and rejects anything else with one
UsageError line naming the file and what is wrong with it: malformed or
truncated JSON, JSON from another tool, a folder with no results at all.
Fields the records do not need are ignored, so the binaries may add more.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import instructions as instructions_mod
from . import mutation
from . import syscalls as syscalls_mod
from .cli import UsageError
from .measured import Keyed

# conformance/<Category>/<backend>, as the suites' name generator makes them.
SUITE = re.compile(r"^conformance/(?P<category>[^/]+)/(?P<backend>[^/]+)$")
# scenario<backend>/args; greedy, so a scenario name holding '<' still parses.
BENCHMARK = re.compile(r"^(?P<scenario>.*)<(?P<backend>[A-Za-z0-9_]+)>(?P<args>(?:/.*)?)$")
# Name parts Google Benchmark appends that say how, not what, was measured.
TIMING_SUFFIX = re.compile(r"/(real_time|manual_time|process_time)$")


@dataclass(frozen=True)
class Event:
    """One trace event: which handler ran, on which thread slot, with which
    error name and byte count."""

    what: str
    thread: int
    error: str
    bytes: int

    def describe(self) -> str:
        """The event as the conformance log prints it: `h1 @1 [ECANCELED] 42B`."""
        s = f"{self.what} @{self.thread}"
        if self.error:
            s += f" [{self.error}]"
        if self.bytes:
            s += f" {self.bytes}B"
        return s


@dataclass
class Scenario:
    """One conformance test on one backend."""

    category: str
    name: str
    backend: str
    status: str  # "pass", "fail" or "skip"
    failures: list[str]
    determinism: str | None  # "deterministic" / "nondeterministic"
    trace: list[Event] | None
    oracle: str | None = None
    oracle_trace: list[Event] | None = None
    verdict: str | None = None  # "equal" / "diverged" / "properties-only"
    seconds: float | None = None
    skip_reason: str | None = None  # why a skipped scenario cannot run here

    @property
    def key(self) -> str:
        """`Category.Scenario`, what --filter matches."""
        return f"{self.category}.{self.name}"


@dataclass
class Benchmark(Keyed):
    """One benchmark (one backend, one set of arguments) and its repetitions."""

    name: str  # as run: scenario<backend>/args[/real_time]
    scenario: str
    backend: str
    args: str  # "/n:100/threads:2", timing suffix dropped
    program: str  # the result file's stem: perf, perf_uring
    repetitions: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    order: tuple = ()  # (file, family, instance): registration order

    def params(self) -> dict[str, Any]:
        """The named arguments (`n:100/threads:2` -> {'n': 100, 'threads': 2});
        unnamed ones are keyed arg0, arg1, ..."""
        out: dict[str, Any] = {}
        for i, part in enumerate(p for p in self.args.split("/") if p):
            key, sep, value = part.partition(":")
            if not sep:
                key, value = f"arg{i}", part
            out[key] = _number(value)
        return out


@dataclass
class Results:
    """Everything a results folder holds."""

    folder: Path
    context: dict
    conformance: dict[str, list[Scenario]]  # backend -> its scenarios
    benchmarks: list[Benchmark]  # in the order the files list them
    benchmark_contexts: dict[str, dict]  # program -> Google Benchmark context
    notes: list[str]  # oddities worth a line in the report
    syscalls: list[syscalls_mod.Count] = field(default_factory=list)  # per (workload, backend)
    syscall_failures: list[str] = field(default_factory=list)  # workloads not counted
    mutants: list[mutation.Verdict] | None = None  # mutants.json, when scripts/mutate ran
    instructions: list[instructions_mod.Count] = field(default_factory=list)  # per benchmark
    instruction_failures: list[str] = field(default_factory=list)  # benchmarks not counted

    @property
    def has_conformance(self) -> bool:
        return bool(self.conformance)

    @property
    def has_perf(self) -> bool:
        return bool(self.benchmarks)


def load(folder: Path) -> Results:
    """Reads and validates every result file in `folder`. Raises UsageError
    (one line) when the folder, or any file in it, is not what it should be."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such results folder")
    conformance_files = sorted(folder.glob("conformance-*.json"))
    perf_files = sorted(folder.glob("perf*.json"))
    mutants_path = folder / mutation.RESULTS_FILE
    instructions_path = folder / instructions_mod.FILE
    others = mutants_path.exists() or instructions_path.exists()
    if not conformance_files and not perf_files and not others:
        raise UsageError(
            f"{folder} holds no results (no conformance-*.json, perf*.json, "
            f"{instructions_mod.FILE} or mutants.json)"
        )

    notes: list[str] = []
    context_path = folder / "context.json"
    context: dict = {}
    if context_path.exists():
        context = read_json(context_path)
        if not isinstance(context, dict):
            raise UsageError(f"{context_path}: not a context file (expected a JSON object)")
    else:
        notes.append("no context.json: the machine the run was taken on is unknown")

    conformance: dict[str, list[Scenario]] = {}
    for path in conformance_files:
        for scenario in _conformance_file(path):
            conformance.setdefault(scenario.backend, []).append(scenario)

    benchmarks: dict[tuple[str, str], Benchmark] = {}
    contexts: dict[str, dict] = {}
    for index, path in enumerate(perf_files):
        contexts[path.stem] = _perf_file(index, path, benchmarks, notes)
    if not conformance and not benchmarks and not others:
        raise UsageError(
            f"{folder} holds no results (its result files list no test and no benchmark)"
        )
    ordered = sorted(benchmarks.values(), key=lambda b: b.order)
    counts, count_failures = [], []
    if (folder / syscalls_mod.FILE).exists():
        counts, count_failures = syscalls_mod.load(folder / syscalls_mod.FILE)
    mutants = mutation.load_results(mutants_path) if mutants_path.exists() else None
    instructions, instruction_failures = (
        instructions_mod.load(instructions_path) if instructions_path.exists() else ([], [])
    )
    return Results(
        folder,
        context,
        conformance,
        ordered,
        contexts,
        notes,
        counts,
        count_failures,
        mutants,
        instructions,
        instruction_failures,
    )


def read_json(path: Path) -> Any:
    """Parses one JSON file; UsageError (naming the file) when it cannot."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not a text file (not UTF-8)") from None
    except OSError as e:
        raise UsageError(f"{path}: cannot read: {e.strerror or e}") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise UsageError(f"{path}: malformed JSON: nested too deeply") from None
    except json.JSONDecodeError as e:
        # An error at the very end, or a string never closed, is what a
        # file cut short (a crashed or interrupted writer) looks like.
        cut = e.pos >= len(text.rstrip()) - 1 or e.msg.startswith("Unterminated")
        raise UsageError(
            f"{path}: {'truncated' if cut else 'malformed'} JSON: {e.msg} "
            f"(line {e.lineno}, column {e.colno})"
        ) from None


def _conformance_file(path: Path) -> list[Scenario]:
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("testsuites"), list):
        raise UsageError(f"{path}: not GoogleTest JSON (no 'testsuites' list)")
    out = []
    for suite in data["testsuites"]:
        if not isinstance(suite, dict) or not isinstance(suite.get("testsuite"), list):
            raise UsageError(f"{path}: not GoogleTest JSON (a suite without a 'testsuite' list)")
        m = SUITE.match(str(suite.get("name", "")))
        if not m:
            raise UsageError(
                f"{path}: suite {str(suite.get('name'))!r} is not a conformance "
                "suite (expected conformance/<Category>/<backend>)"
            )
        for test in suite["testsuite"]:
            out.append(_scenario(path, m["category"], m["backend"], test))
    return out


def _scenario(path: Path, category: str, backend: str, test: Any) -> Scenario:
    if not isinstance(test, dict) or not isinstance(test.get("name"), str):
        raise UsageError(f"{path}: a test in {category}/{backend} has no name")
    where = f"{path}: {category}/{backend}.{test['name']}"
    failures = test.get("failures") or []
    if not isinstance(failures, list):
        raise UsageError(f"{where}: 'failures' is not a list")
    messages = [str(f.get("failure", f)) if isinstance(f, dict) else str(f) for f in failures]
    skip_reason = _opt_str(test.get("skip_reason"))
    if test.get("result") == "SKIPPED" or test.get("status") == "NOTRUN":
        status = "skip"
        # Shown beside the cell in the report, as a failure's message is.
        messages = messages or ([skip_reason] if skip_reason else [])
    elif messages:
        status = "fail"
    else:
        status = "pass"
    return Scenario(
        category=category,
        name=test["name"],
        backend=str(test.get("backend", backend)),
        status=status,
        failures=messages,
        determinism=_opt_str(test.get("determinism")),
        trace=_trace(where, "trace", test.get("trace")),
        oracle=_opt_str(test.get("oracle")),
        oracle_trace=_trace(where, "oracle_trace", test.get("oracle_trace")),
        verdict=_opt_str(test.get("verdict")),
        seconds=_seconds(test.get("time")),
        skip_reason=skip_reason,
    )


def _trace(where: str, key: str, value: Any) -> list[Event] | None:
    """A trace property: a JSON string holding a list of events."""
    if value is None:
        return None
    try:
        events = json.loads(value) if isinstance(value, str) else value
    except json.JSONDecodeError as e:
        raise UsageError(f"{where}: '{key}' is not valid JSON ({e.msg})") from None
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise UsageError(f"{where}: '{key}' is not a list of events")
    try:
        return [
            Event(
                str(e.get("what", "")),
                int(e.get("thread", 0)),
                str(e.get("error", "") or ""),
                int(e.get("bytes", 0) or 0),
            )
            for e in events
        ]
    except (TypeError, ValueError):
        raise UsageError(
            f"{where}: '{key}' has an event with a non-numeric thread or bytes"
        ) from None


def _perf_file(index: int, path: Path, benchmarks: dict, notes: list[str]) -> dict:
    """Adds the file's benchmarks to `benchmarks`; returns its context.
    Repetitions run interleaved at random, so the order of the entries
    means nothing; `order` keeps the order the program registered them in."""
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"), list):
        raise UsageError(f"{path}: not Google Benchmark JSON (no 'benchmarks' list)")
    entries = data["benchmarks"]
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise UsageError(f"{path}: not Google Benchmark JSON (benchmark #{i} is not an object)")
    iterations = [e for e in entries if e.get("run_type", "iteration") == "iteration"]
    if entries and not iterations:
        # Written with --benchmark_report_aggregates_only: one median each.
        iterations = [
            e for e in entries if isinstance(e, dict) and e.get("aggregate_name") == "median"
        ]
        notes.append(f"{path.name} holds aggregates only: no repetitions to test significance")
    unparsed = 0
    for i, entry in enumerate(iterations):
        name = entry.get("run_name", entry.get("name"))
        if not isinstance(name, str):
            raise UsageError(f"{path}: benchmark #{i} has no name")
        if entry.get("aggregate_name") == "median":
            name = TIMING_SUFFIX.sub("", re.sub(r"_median$", "", name))
        m = BENCHMARK.match(name)
        if m:
            scenario, backend, args = m["scenario"], m["backend"], m["args"]
        else:
            unparsed += 1
            scenario, _, rest = name.partition("/")
            backend, args = "unknown", "/" + rest if rest else ""
        args = TIMING_SUFFIX.sub("", args)
        bench = benchmarks.setdefault(
            (path.stem, name),
            Benchmark(
                name=name,
                scenario=scenario,
                backend=backend,
                args=args,
                program=path.stem,
                order=(
                    index,
                    _int(entry.get("family_index"), i),
                    _int(entry.get("per_family_instance_index"), 0),
                ),
            ),
        )
        if entry.get("error_occurred"):
            bench.errors.append(str(entry.get("error_message", "error")))
            continue
        for key in ("real_time", "cpu_time"):
            if not _measure(entry.get(key)):
                raise UsageError(
                    f"{path}: benchmark {name!r} has no numeric '{key}' "
                    "(a finite number, 0 or more)"
                )
        for key in ("items_per_second", "bytes_per_second", "iterations"):
            if key in entry and not _measure(entry[key]):
                raise UsageError(
                    f"{path}: benchmark {name!r} has a bad '{key}' "
                    f"({str(entry[key])[:40]!r}: not a finite number, 0 or more)"
                )
        bench.repetitions.append(entry)
    if unparsed:
        notes.append(f"{path.name}: {unparsed} benchmark names without a <backend>")
    context = data.get("context", {})
    return context if isinstance(context, dict) else {}


def _measure(value: Any) -> bool:
    """A time, a rate or a count: a finite number, 0 or more (Python's json
    reads NaN and Infinity, which no real measurement is)."""
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _seconds(value: Any) -> float | None:
    try:
        return float(str(value).rstrip("s"))
    except ValueError:
        return None


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) else default


def _number(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text
