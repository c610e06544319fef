"""Progress for the main job: every line starts with the seconds elapsed
since the job started, and a long step keeps one status line up to date.

On a terminal the status line is rewritten in place (at most a few times a
second); when the output is a log (CI) a status is printed as a line of its
own, at most every `quiet_interval` seconds, so logs stay short.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Callable, TextIO


class Progress:
    """Prefixed progress lines and a status line. Safe to call from a
    ticker thread and the main thread (one lock around the output)."""

    def __init__(self, stream: TextIO | None = None, quiet_interval: float = 30.0):
        self.stream = stream or sys.stdout
        self.start = time.monotonic()
        self.tty = self.stream.isatty()
        self.quiet_interval = quiet_interval
        self._lock = threading.Lock()
        self._status_shown = False
        self._last_status = self.start  # in a log: a status only after quiet_interval of silence

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def _prefix(self) -> str:
        return f"[{self.elapsed():5.0f}s] "

    def line(self, text: str) -> None:
        """Prints `text` as a line of its own (clearing the status line)."""
        with self._lock:
            self._clear()
            self.stream.write(self._prefix() + text + "\n")
            self.stream.flush()
            self._last_status = time.monotonic()

    def status(self, text: str, force: bool = False) -> None:
        """Shows `text` as the current status (see the module comment)."""
        with self._lock:
            now = time.monotonic()
            if self.tty:
                self.stream.write("\r\033[K" + self._prefix() + text)
                self._status_shown = True
            elif force or now - self._last_status >= self.quiet_interval:
                self.stream.write(self._prefix() + text + "\n")
                self._last_status = now
            self.stream.flush()

    def _clear(self) -> None:
        if self._status_shown:
            self.stream.write("\r\033[K")
            self._status_shown = False

    def end_status(self) -> None:
        with self._lock:
            self._clear()
            self.stream.flush()


class Ticker:
    """Calls `tick()` every `period` seconds on a thread until stopped; for
    a status line while a child process runs. Use as a context manager."""

    def __init__(self, tick: Callable[[], None], period: float = 1.0):
        self._tick = tick
        self._period = period
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self._period):
            self._tick()

    def __enter__(self) -> "Ticker":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
