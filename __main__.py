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


def _writes_brief(args: list[str]) -> bool:
    """Whether the command line asks for `brief` (not its --help).

    Only the brief gets the worker: it saves ~0.3 s of a one-second command. The pack takes ~9 s and
    is bound by memory, which one process keeps lower than a worker beside a waiting parent."""
    options_with_values = {"--root"}
    words = iter(args)
    for word in words:
        if word in options_with_values:
            next(words, None)
        elif not word.startswith("-"):
            return word == "brief" and not {"--help", "-h"} & set(args)
    return False


def main() -> None:
    """Run the command line; exit 130 on Ctrl-C at any moment, start-up included."""
    sys.unraisablehook = _unraisable(sys.unraisablehook)  # type: ignore[assignment]
    try:
        if _writes_brief(sys.argv[1:]):
            # WeasyPrint's import (~0.3 s) starts now on the other core, while typer, the records
            # and the templates load here (reports/typeset.py).
            from .reports.typeset import start_worker

            start_worker()
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
