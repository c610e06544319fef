"""Atomic writes: a file this harness writes is either complete or absent.

Every output goes to a temporary file in the destination's own folder (same
file system, so the final rename is atomic) and is moved over the target
with os.replace only once it is complete. A failure on the way leaves the
previous file untouched and no temporary file behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .cli import UsageError

# What a results folder holds (reports/README.md): a folder with any of these
# is an earlier run's, never written into again.
RESULT_FILES = (
    "conformance-*.json",
    "perf*.json",
    "instructions.json",
    "context.json",
    "index.html",
)


def write_atomic(path: Path, text: str) -> None:
    """Writes `text` (UTF-8) to `path` atomically. Raises UsageError when the
    folder cannot be written."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise UsageError(f"cannot write to {path.parent}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise UsageError(f"cannot write {path}: {e.strerror or e}") from None
        raise


def write_json(path: Path, document: object) -> None:
    """Writes `document` as indented JSON to `path` atomically (write_atomic)."""
    write_atomic(path, json.dumps(document, indent=2) + "\n")


def check_writable_dir(folder: Path, create: bool = True) -> None:
    """Raises UsageError unless files can be created in `folder` (created,
    with its parents, when `create`)."""
    folder = Path(folder)
    try:
        if create:
            folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe."):
            pass
    except OSError as e:
        raise UsageError(f"cannot write to {folder}: {e.strerror or e}") from None


def holds_results(folder: Path) -> bool:
    """True when `folder` is a folder holding an earlier run's results."""
    folder = Path(folder)
    return folder.is_dir() and any(any(folder.glob(g)) for g in RESULT_FILES)


def output_folder(out: Path | None, default: Path) -> Path:
    """The folder a run writes: `out` (--out), which must be new or hold no
    results, so that no earlier report is overwritten; else `default`, or
    `default`-2, -3, ... when that one is already in use."""
    if out is not None:
        if out.exists() and not out.is_dir():
            raise UsageError(f"--out {out} is a file, not a folder")
        if holds_results(out):
            raise UsageError(f"--out {out} already holds results; give a new or empty folder")
        return out
    folder, n = default, 2
    while folder.exists() and any(folder.iterdir()):
        folder, n = default.with_name(f"{default.name}-{n}"), n + 1
    return folder
