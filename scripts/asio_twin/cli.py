"""One error policy for every command (compare, perf, report, gate), and
their command lines.

Bad usage or bad input is one line on stderr and exit status 2; nothing is
printed as a traceback. Exit status 1 belongs to each command's own notion of
"failed" (a conformance failure, a gate rule broken).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Callable

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad usage or bad input (a missing or malformed results file, an
    unwritable folder): reported as one line, exit status 2."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line on stderr, not usage + error."""

    def error(self, message: str):
        raise UsageError(f"{message} (try --help)")


def command_parser(prog: str, doc: str | None) -> ArgumentParser:
    """The parser of a command: its module docstring, as written, for --help."""
    return ArgumentParser(
        prog=prog, description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )


def add_results_dir(parser: argparse.ArgumentParser, default: Path | None = None) -> None:
    """The RESULTS_DIR argument (report, gate): a results folder; optional
    when there is a `default`."""
    shown = f" (default: {default.parent.name}/{default.name})" if default else ""
    parser.add_argument(
        "results",
        metavar="RESULTS_DIR",
        type=Path,
        nargs="?" if default else None,
        default=default,
        help=f"a folder written by scripts/compare or scripts/perf{shown}",
    )


def regex(text: str) -> str:
    """An argparse type: `text`, when it compiles as a regular expression."""
    try:
        re.compile(text)
    except re.error as e:
        raise argparse.ArgumentTypeError(f"not a valid regular expression: {e}") from None
    return text


def run_main(prog: str, main: Callable[[list[str]], int], argv: list[str]) -> int:
    """Runs `main(argv)`, turning a UsageError (or an OSError that escaped)
    into one line `prog: message` on stderr and exit status 2."""
    try:
        return main(argv)
    except UsageError as e:
        print(f"{prog}: {e}", file=sys.stderr)
    except OSError as e:
        where = f" {e.filename}" if e.filename else ""
        print(f"{prog}: cannot access{where}: {e.strerror or e}", file=sys.stderr)
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
    return EXIT_USAGE
