"""All benchmarks in one run: whole-process times of `frameworks` commands as ratios against
baselines measured in the same run (absolute times on shared machines are noise).

    .venv/bin/python bench/run.py            # full: 10 runs, 1,000 and 10,000 records; writes docs/benchmarks.md
    .venv/bin/python bench/run.py --quick    # smoke test (CI runs it): 1-2 runs, small inputs, writes nothing

Sections: start-up (compare, --help, list) against a bare typer "hello" app (here); validate
against CSafeLoader parsing and check-jsonschema (bench/validate.py); brief and pack against a
bare WeasyPrint script (bench/pdf.py). Targets come from DESIGN.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pdf  # noqa: E402  (bench/pdf.py)
import validate  # noqa: E402  (bench/validate.py)

REPO = Path(__file__).resolve().parent.parent

HELLO = """
import typer

app = typer.Typer()


@app.command()
def main() -> None:
    print("hello")


if __name__ == "__main__":
    app()
"""


def startup(runs: int, work: Path) -> str:
    """compare / --help / list against a bare typer "hello" app, as a markdown section."""
    hello = work / "hello.py"
    hello.write_text(HELLO, encoding="utf-8")
    frameworks = validate.frameworks_command()
    base = validate.time_command("typer hello (baseline)", [sys.executable, str(hello)], runs, work)
    timings = [
        base,
        validate.time_command("frameworks compare ost us-eo-2020", [*frameworks, "compare", "ost", "us-eo-2020"], runs, work),
        validate.time_command("frameworks --help", [*frameworks, "--help"], runs, work),
        validate.time_command("frameworks list", [*frameworks, "list"], runs, work),
    ]
    result = validate.BenchResult(
        timings=timings,
        ratios=[
            validate.Ratio(f"{t.label.removeprefix('frameworks ')} / typer hello", t.median / base.median, "<= 1.5") for t in timings[1:]
        ],
    )
    return result.table()


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark; print the report and, in full mode, write it to --output."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke test: few runs, small inputs, nothing written")
    parser.add_argument("--runs", type=int, default=None, help="runs per command (default: 2 quick, 10 full)")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    runs = args.runs or (2 if args.quick else 10)
    sizes, checker_sizes = ((50, 200), (50,)) if args.quick else ((1_000, 10_000), (1_000,))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        sections = [
            ("Start-up: compare, --help and list against a bare typer app", startup(runs, work)),
            ("validate: generated records", validate.benchmark(sizes, max(1, runs // 2), checker_sizes).table()),
            ("PDF: brief and pack against a bare WeasyPrint script", pdf.report(pdf.measure_all(max(1, runs // 2), work))),
        ]
    text = "\n".join(
        [
            "# Benchmarks",
            "",
            f"Measured by `bench/run.py{' --quick' if args.quick else ''}` on {platform.machine()} {platform.system()} "
            f"{platform.release()}, {os.cpu_count()} CPUs, Python {platform.python_version()}. Whole processes, median of "
            "several runs after a warm-up; every ratio is against a baseline measured in the same run.",
            "",
        ]
        + [f"## {title}\n\n{table.rstrip()}\n" for title, table in sections]
    )
    print(text)
    if not args.quick:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
