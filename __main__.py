"""The `frameworks` command (console script and `python -m space_frameworks`), guarded from its first line.

The guard lives here, in a module that imports nothing heavy, because Ctrl-C can arrive at any
moment: while cli.py is still importing typer, or inside a library's C code, where Python reports
the interrupt as "Exception ignored" and lets a half-built value fail later with a misleading error.
Once Ctrl-C was pressed, whatever surfaces ends the run with exit status 130 and no traceback
(`finally` blocks still remove temporary files). Characters the terminal's encoding cannot show
are written escaped (\\u201c), never a crash.
"""

from __future__ import annotations

import signal
import sys

_interrupted = False


def _on_interrupt(signum: int, frame: object) -> None:
    global _interrupted
    _interrupted = True
    raise KeyboardInterrupt


# Installed on import, before anything else of ours runs: only the interpreter's own start-up (the
# first few hundredths of a second) comes before it.
signal.signal(signal.SIGINT, _on_interrupt)


def _unraisable(hook: object) -> object:
    """sys.unraisablehook that stays quiet about an exception the interrupt caused."""

    def report(unraisable: object) -> None:
        if not _interrupted:
            hook(unraisable)  # type: ignore[operator]

    return report


def main() -> None:
    """Run the command line; exit 130 on Ctrl-C at any moment, start-up included."""
    sys.unraisablehook = _unraisable(sys.unraisablehook)  # type: ignore[assignment]
    try:
        for stream in (sys.stdout, sys.stderr):
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(errors="backslashreplace")
        from .cli import main as run

        run()
    except KeyboardInterrupt:
        sys.exit(130)
    except BaseException:
        if _interrupted:
            sys.exit(130)
        raise


if __name__ == "__main__":
    main()
