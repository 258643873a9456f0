"""The `frameworks` command (console script and `python -m space_frameworks`), guarded from its first line.

The guard lives here, in a module that imports nothing heavy, because Ctrl-C or SIGTERM can arrive
at any moment: while cli.py is still importing typer or PyYAML, or inside a library's C code, where
Python reports the interrupt as "Exception ignored" and lets a half-built value (a half-imported
module) fail later with a misleading error. Once a signal came, whatever surfaces ends the run with
its exit status (130 or 143) and no traceback; `finally` blocks still remove temporary files.
Characters the terminal's encoding cannot show are written escaped (\\u201c), never a crash.

A standard stream closed before the start (`>&-`, as cron and daemons leave them) is given
/dev/null, so that no file the command opens takes its number (whatever a library writes to fd 2
would land in it): messages to a closed stderr are dropped, and output printed to a closed stdout
ends in one line and exit 1, while a command that writes a file (-o) succeeds.
"""

from __future__ import annotations

import errno
import io
import os
import signal
import sys

# The exit status a signal asked for, once one came: 128 + its number, as status.ExitStatus spells
# out (INTERRUPTED 130, TERMINATED 143). Not imported from there: nothing may run before the handlers.
_received: int | None = None


def _on_signal(signum: int, frame: object) -> None:
    """SIGINT as KeyboardInterrupt, SIGTERM as SystemExit: both unwind, so `finally` blocks run."""
    global _received
    _received = 128 + signum
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise SystemExit(_received)


# Installed on import, before anything else of ours runs: only the interpreter's own start-up (the
# first few hundredths of a second) comes before it.
signal.signal(signal.SIGINT, _on_signal)
signal.signal(signal.SIGTERM, _on_signal)


def _unraisable(hook: object) -> object:
    """sys.unraisablehook that stays quiet about an exception the interrupt caused."""

    def report(unraisable: object) -> None:
        if _received is None:
            hook(unraisable)  # type: ignore[operator]

    return report


class ClosedOutput(io.TextIOBase):
    """sys.stdout when standard output was closed at the start: printing the output fails with one
    clear error (cli.main turns it into one line and exit 1) instead of vanishing."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def _open_closed_streams() -> None:
    """Put /dev/null on each of fds 0-2 that is closed, and give Python streams for them."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                opened = os.open(os.devnull, os.O_RDWR)
            except OSError:
                continue
            if opened != fd:  # lower descriptors were open, so this only happens if one is not
                os.dup2(opened, fd)
                os.close(opened)
    if sys.stdout is None:
        sys.stdout = ClosedOutput()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the life of the process


def main() -> None:
    """Run the command line; exit 130 on Ctrl-C and 143 on SIGTERM at any moment, start-up included."""
    sys.unraisablehook = _unraisable(sys.unraisablehook)  # type: ignore[assignment]
    try:
        _open_closed_streams()
        for stream in (sys.stdout, sys.stderr):
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(errors="backslashreplace")
        from .cli import main as run

        run()
    except BaseException:
        if _received is not None:
            sys.exit(_received)
        raise


if __name__ == "__main__":
    main()
