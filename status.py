"""Exit statuses of the `frameworks` command: one meaning per code, used by __main__.py and cli.py.

Kept in a module of its own that imports nothing, so that the entry point can use it before the
command line (typer, pydantic) is even imported.
"""

from __future__ import annotations

import signal
from enum import IntEnum


class ExitStatus(IntEnum):
    """What the exit code says (documented in the README)."""

    SUCCESS = 0
    ERROR = 1  # invalid records: validate's findings, or a requested record left out as invalid
    USAGE = 2  # a usage mistake: unknown id, bad option, an output path that cannot be written
    INTERRUPTED = 128 + signal.SIGINT  # 130: Ctrl-C
    TERMINATED = 128 + signal.SIGTERM  # 143: SIGTERM (a service manager, `timeout`)
