"""The mutant catalogue and its runner (scripts/mutate).

A mutant is one small edit of twin — `find` replaced by `replace` in one
file — listed in conformance/mutants/catalogue.toml. The runner applies each
to a scratch copy of the tree (build/mutate/tree, never the working tree),
rebuilds only what the tests need, and runs twin's tests cheapest and most
likely first, stopping at the first failure:

  killed      a test failed (killed_by names it);
  timeout     a test hung and its watchdog (or ours) ended it;
  survived    every test passed: a hole in the suite;
  equivalent  not run: the catalogue says why no test can tell it apart;
  invalid     the mutant does not compile (a catalogue bug).

The scratch copy and its build persist between runs, so a second run only
recompiles what the mutants touch.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .cli import UsageError

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "conformance" / "mutants" / "catalogue.toml"
SCRATCH = ROOT / "build" / "mutate"

# Per test: the scenario watchdog's limit, and ours on top for a hang the
# watchdog cannot see (a deadlock in teardown).
# twin's slowest scenario takes about a second (Stress at a tenth of its
# sizes), so 10 s is ample, and a mutant that hangs costs this much.
WATCHDOG_SECONDS = 10
# ...except the categories whose threads contend for the cores: on a
# machine busy with another build, Stress.LostWakeupBursts took 11-13 s and
# Fault.SignalStormAtSleepingRunThreads (signals at sleeping run threads,
# mostly kernel time) 16.5 s, and the baseline run failed on the watchdog.
SLOW_CATEGORY_WATCHDOG_SECONDS = {"Stress": 40, "Fault": 40}
SCRATCH_FLAGS = "-O1 -DNDEBUG"
STRESS_DIVISOR = 10  # conformance/include/conformance/stress_support.hpp
TEST_TIMEOUT_SECONDS = 300
RANDOM_SEEDS = 300  # per mutant; ctest runs 1,000 on the real twin
# What CI runs (scripts/test): the mutants of twin's compiled sources,
# which cost a relink each (38 of them: about 16 minutes with the scratch
# build). The timer queue's header mutants (a Timer recompile each, about
# 25 s) left CI when the whole CI run reached 58 minutes of its 60 (four
# categories more, 2026-12-07): they run with the whole catalogue
# (scripts/mutate, scripts/compare --mutants; about 30 minutes on 2 cores,
# README: the last full run).
CI_SUBSET = ("impl/src/",)


@dataclass
class Mutant:
    name: str
    file: str
    description: str
    find: str
    replace: str
    tests: list[str] = field(default_factory=list)
    equivalent: str | None = None
    line: int = 0  # of the first line `find` matches, once validated


@dataclass
class Outcome:
    verdict: str
    killed_by: str | None = None
    seconds: float = 0.0
    detail: str = ""


FIELDS = {"name", "file", "description", "find", "replace", "tests", "equivalent"}


def load_catalogue(path: Path = CATALOGUE, root: Path = ROOT) -> list[Mutant]:
    """Reads and checks the catalogue: every mutant named once, its file
    present, its `find` text there exactly once. Raises UsageError otherwise
    (a stale catalogue must stop the run, not pass it)."""
    try:
        with open(path, "rb") as f:
            entries = tomllib.load(f).get("mutant", [])
    except tomllib.TOMLDecodeError as e:
        raise UsageError(f"{path}: not valid TOML: {e}") from None
    mutants: list[Mutant] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        where = f"{path.name}: mutant {entry.get('name', f'#{i + 1}')}"
        unknown = set(entry) - FIELDS
        missing = {"name", "file", "description", "find", "replace"} - set(entry)
        if unknown or missing:
            raise UsageError(
                f"{where}: unknown {sorted(unknown)} / missing {sorted(missing)} fields"
            )
        m = Mutant(**entry)
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", m.name):
            raise UsageError(f"{where}: a name is lower-case words joined by '-'")
        if m.name in seen:
            raise UsageError(f"{where}: the name is used twice")
        seen.add(m.name)
        source = root / m.file
        if not source.is_file():
            raise UsageError(f"{where}: no file {m.file}")
        text = source.read_text()
        count = text.count(m.find)
        if count != 1:
            raise UsageError(
                f"{where}: its text occurs {count} times in {m.file} (the catalogue is stale)"
            )
        if m.find == m.replace:
            raise UsageError(f"{where}: find and replace are the same")
        m.line = text[: text.index(m.find)].count("\n") + 1
        mutants.append(m)
    if not mutants:
        raise UsageError(f"{path}: no mutants")
    return mutants


def select(mutants: list[Mutant], only: list[str] | None) -> list[Mutant]:
    """The mutants named by --only (all when None); an unknown name is an error."""
    if not only:
        return mutants
    by_name = {m.name: m for m in mutants}
    unknown = [n for n in only if n not in by_name]
    if unknown:
        raise UsageError(f"--only: no mutant named {', '.join(unknown)} (see --list)")
    return [by_name[n] for n in only]


def tracked_files(root: Path) -> list[str]:
    """The files of the working tree that git tracks or would track."""
    out = subprocess.run(
        ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        check=True,
    ).stdout
    return [p for p in out.decode().split("\0") if p and (root / p).is_file()]


def sync_tree(root: Path, tree: Path) -> int:
    """Makes `tree` a copy of the working tree, writing only the files whose
    content differs (so the scratch build stays incremental). Returns how
    many files were written."""
    files = tracked_files(root)
    written = 0
    for rel in files:
        source, target = root / rel, tree / rel
        if target.is_file() and filecmp.cmp(source, target, shallow=False):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)  # a new mtime: make sees the change
        shutil.copymode(source, target)
        written += 1
    keep = set(files)
    for path in list(tree.rglob("*")):
        rel = path.relative_to(tree).as_posix()
        if path.is_file() and rel not in keep:
            path.unlink()
    return written


@dataclass
class TestStep:
    """One test the runner may use against a mutant."""

    name: str  # shown as killed_by, e.g. "conformance/Timer"
    targets: list[str]  # what must be built for it
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)


class Runner:
    """Builds the scratch tree and runs the tests against it."""

    def __init__(self, scratch: Path, jobs: int, log):
        self.tree = scratch / "tree"
        self.build = scratch / "build"
        self.jobs = jobs
        self.log = log

    def prepare(self) -> None:
        self.tree.mkdir(parents=True, exist_ok=True)
        written = sync_tree(ROOT, self.tree)
        self.log(f"scratch copy up to date ({written} files written)")
        self._run_checked(
            [
                "cmake",
                "-S",
                str(self.tree),
                "-B",
                str(self.build),
                "-DCMAKE_BUILD_TYPE=Release",
                # -O1: a category's program compiles in 60% of -O3's time,
                # and a header's mutant recompiles one per test tried.
                f"-DCMAKE_CXX_FLAGS_RELEASE={SCRATCH_FLAGS}",
                "-DASIO_TWIN_IO_URING=OFF",
                "-DASIO_TWIN_ASIO_STANDALONE=OFF",
            ],
            "configure the scratch build",
        )

    def _run_checked(self, command: list[str], what: str) -> None:
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            tail = (result.stdout + result.stderr).strip().splitlines()[-5:]
            raise UsageError(f"cannot {what}: " + " | ".join(tail))

    def categories(self) -> list[str]:
        """The conformance categories, from the tests the build declares."""
        out = subprocess.run(
            ["ctest", "--test-dir", str(self.build), "-N", "-L", "twin"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return re.findall(r"conformance\.(\w+)\.twin$", out, flags=re.M)

    def steps(self) -> dict[str, TestStep]:
        """Every test, by name: one per conformance category (its own
        program, so a mutant rebuilds only what the next test needs), the
        random programs and the compat echo tests (TCP and UDP)."""
        conformance = self.build / "conformance"
        # Stress at a tenth of its sizes (as under a sanitizer): its races
        # show in seconds, and a full-size stress scenario takes longer
        # than the watchdog on a loaded machine.
        env = {
            "CONFORMANCE_TIMEOUT_SECONDS": str(WATCHDOG_SECONDS),
            "ASIO_TWIN_STRESS_DIVISOR": str(STRESS_DIVISOR),
        }
        # Scenarios twin declares UNSUPPORTED are left out, as ctest does.
        # (Imported here: build imports results, which imports this module.)
        from .build import backends as declared_backends

        twin = next((b for b in declared_backends(self.build) if b.name == "twin"), None)
        unsupported = (twin.declaration.get("unsupported") or {}) if twin else {}
        steps = {}
        for category in self.categories():
            target = f"conformance_twin_{category}"
            gtest_filter = f"--gtest_filter=*/{category}/twin.*"
            left_out = [
                f"*/{category}/twin.{what.split('.', 1)[1]}"
                for what in unsupported
                if what.startswith(category + ".")
            ]
            if left_out:
                gtest_filter += ":-" + ":".join(left_out)
            limit = SLOW_CATEGORY_WATCHDOG_SECONDS.get(category, WATCHDOG_SECONDS)
            steps[category] = TestStep(
                f"conformance/{category}",
                [target],
                [str(conformance / target), gtest_filter],
                env | {"CONFORMANCE_TIMEOUT_SECONDS": str(limit)},
            )
        steps["random"] = TestStep(
            "random",
            ["conformance_random"],
            [
                str(conformance / "conformance_random"),
                f"--seeds={RANDOM_SEEDS}",
                "--gtest_filter=Random.*:-Random.Replay",
            ],
            env,
        )
        for name, server, client in [
            ("compat", "compat_echo_twin", "compat_client"),
            ("compat_udp", "compat_udp_echo_twin", "compat_udp_client"),
        ]:
            steps[name] = TestStep(
                name,
                [server, client],
                [str(conformance / client)],
                {"COMPAT_SERVER": str(conformance / server)},
            )
        return steps

    def build_targets(self, targets: list[str]) -> tuple[bool, str]:
        result = subprocess.run(
            ["cmake", "--build", str(self.build), "-j", str(self.jobs), "--target", *targets],
            capture_output=True,
            text=True,
        )
        output = result.stdout + result.stderr
        errors = [line for line in output.splitlines() if "error:" in line]
        return result.returncode == 0, (errors[0] if errors else output.strip()[-300:])

    def run_step(self, step: TestStep) -> Outcome | None:
        """None when the test passes; else how it failed."""
        try:
            result = subprocess.run(
                step.command,
                capture_output=True,
                text=True,
                timeout=TEST_TIMEOUT_SECONDS,
                env={**os.environ, **step.env},
            )
        except subprocess.TimeoutExpired:
            return Outcome("timeout", step.name, detail=f"no end after {TEST_TIMEOUT_SECONDS} s")
        if result.returncode == 0:
            return None
        output = result.stdout + result.stderr
        failed = re.search(r"^\[  FAILED  \] ([^\s,]+)", output, flags=re.M)
        # The watchdog names what hung: "conformance: <scenario> did not
        # finish within N s (hang?)".
        hung = re.search(r"^conformance: (.+?) did not finish within", output, flags=re.M)
        if hung and result.returncode == 3:
            return Outcome(
                "timeout", f"{step.name}: {hung.group(1)}", detail="the watchdog ended it"
            )
        killed_by = f"{step.name}: {failed.group(1)}" if failed else step.name
        if not failed:
            killed_by += f" (exit status {result.returncode})"
        return Outcome("killed", killed_by)

    def baseline(self, order: list[TestStep]) -> None:
        """Every test must pass on twin itself, or no verdict means anything.
        Everything is built first, in one parallel build."""
        ok, error = self.build_targets([t for step in order for t in step.targets])
        if not ok:
            raise UsageError(f"twin itself does not build: {error}")
        for step in order:
            failure = self.run_step(step)
            if failure:
                raise UsageError(f"twin itself fails {failure.killed_by}: fix that first")

    def try_mutant(self, mutant: Mutant, steps: dict[str, TestStep]) -> Outcome:
        start = time.monotonic()
        source = self.tree / mutant.file
        original = source.read_text()
        source.write_text(original.replace(mutant.find, mutant.replace, 1))
        try:
            outcome = self._kill(mutant, steps)
        finally:
            source.write_text(original)
        outcome.seconds = round(time.monotonic() - start, 1)
        return outcome

    def _kill(self, mutant: Mutant, steps: dict[str, TestStep]) -> Outcome:
        for step in order_for(mutant, steps):
            ok, error = self.build_targets(step.targets)
            if not ok:
                return Outcome("invalid", None, detail=error)
            failure = self.run_step(step)
            if failure:
                return failure
        return Outcome("survived")


def order_for(mutant: Mutant, steps: dict[str, TestStep]) -> list[TestStep]:
    """The mutant's own hints first, then the other categories, then the
    random programs and the compat test."""
    hinted = [steps[t] for t in mutant.tests if t in steps]
    rest = [s for key, s in steps.items() if key not in mutant.tests]
    return hinted + rest


VERDICTS = ("killed", "timeout", "survived", "equivalent", "invalid")
RESULTS_FILE = "mutants.json"


@dataclass
class Verdict:
    """One mutant's line of a mutants.json."""

    name: str
    file: str
    line: int
    description: str
    verdict: str
    killed_by: str | None
    seconds: float
    detail: str | None = None


def load_results(path: Path) -> list[Verdict]:
    """Reads a mutants.json (scripts/mutate's output); UsageError when it
    is not one."""
    from .results import read_json  # results imports this module's reader lazily

    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("mutants"), list):
        raise UsageError(f"{path}: not a mutation results file (no 'mutants' list)")
    out = []
    for i, m in enumerate(data["mutants"]):
        if not isinstance(m, dict) or m.get("verdict") not in VERDICTS:
            raise UsageError(f"{path}: mutant {i + 1} has no known verdict")
        try:
            out.append(
                Verdict(
                    name=str(m["name"]),
                    file=str(m["file"]),
                    line=int(m.get("line") or 0),
                    description=str(m.get("description", "")),
                    verdict=m["verdict"],
                    killed_by=None if m.get("killed_by") is None else str(m["killed_by"]),
                    seconds=float(m.get("seconds") or 0),
                    detail=None if m.get("detail") is None else str(m["detail"]),
                )
            )
        except (KeyError, TypeError, ValueError):
            raise UsageError(f"{path}: mutant {i + 1} is missing its name or file") from None
    return out


def score(results: list[dict]) -> dict:
    """Killed or timed out, over everything that was run."""
    counts: dict[str, int] = {}
    for r in results:
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    run = sum(n for v, n in counts.items() if v != "equivalent")
    caught = counts.get("killed", 0) + counts.get("timeout", 0)
    return {
        "counts": counts,
        "score": round(caught / run, 4) if run else None,
    }
