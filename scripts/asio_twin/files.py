"""Atomic writes: a file this harness writes is either complete or absent.

Every output goes to a temporary file in the destination's own folder (same
file system, so the final rename is atomic) and is moved over the target
with os.replace only once it is complete. A failure on the way leaves the
previous file untouched and no temporary file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .cli import UsageError


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
