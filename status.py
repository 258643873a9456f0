"""Exit statuses of the `frameworks` command: one meaning per code, used by __main__.py, cli.py and `sources check`.

Kept in a module of its own that imports nothing, so that the entry point can use it before the
command line (typer, pydantic) is even imported.
"""

from __future__ import annotations

import signal
from enum import IntEnum


class ExitStatus(IntEnum):
    """What the exit code says (documented in the README)."""

    SUCCESS = 0
    # The records need a person: invalid (validate's findings, or a record asked for that is left
    # out as invalid), or to re-verify (`sources check`: a source changed or moved).
    ERROR = 1
    USAGE = 2  # a usage mistake: unknown id or topic, bad option or date, an unreadable edition, a PDF not named .pdf
    NOT_CHECKED = 3  # `sources check`: nothing changed, but some sources could not be checked
    # The output could not be written: -o (a folder, a device, no such folder, no permission, a
    # full disk) or standard output (full, closed).
    OUTPUT = 4
    INTERRUPTED = 128 + signal.SIGINT  # 130: Ctrl-C
    TERMINATED = 128 + signal.SIGTERM  # 143: SIGTERM (a service manager, `timeout`)
