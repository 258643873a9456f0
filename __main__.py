"""The `frameworks` command (console script and `python -m space_frameworks`), guarded from its first line.

The guard lives here, in a module that imports nothing heavy, because Ctrl-C or SIGTERM can arrive
at any moment: while cli.py is still importing typer or PyYAML, or inside a library's C code, where
Python reports the interrupt as "Exception ignored" and lets a half-built value (a half-imported
module) fail later with a misleading error. Once a signal came, whatever surfaces ends the run with
its exit status (130 or 143) and no traceback; `finally` blocks still remove temporary files.
Characters the terminal's encoding cannot show are written escaped (\\u201c), never a crash.
"""

from __future__ import annotations

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


def main() -> None:
    """Run the command line; exit 130 on Ctrl-C and 143 on SIGTERM at any moment, start-up included."""
    sys.unraisablehook = _unraisable(sys.unraisablehook)  # type: ignore[assignment]
    try:
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
