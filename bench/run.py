"""All benchmarks in one run: whole-process times of `frameworks` commands as ratios against
baselines measured in the same run (absolute times on shared machines are noise).

    .venv/bin/python bench/run.py            # full: 10 runs, 1,000 and 10,000 records; writes docs/benchmarks.md
    .venv/bin/python bench/run.py --quick    # a smoke run: 1-2 runs, small inputs, writes nothing

Sections: start-up (compare, --help, list) against a bare typer "hello" app (here); compare of two
ids with 15 and with 2,000 records, warm record cache, time and peak memory (here: the cache must
make the two cost about the same, within 3x in time and 2x in memory); validate against CSafeLoader
parsing and check-jsonschema (bench/validate.py); brief and pack against a bare WeasyPrint script
(bench/pdf.py). Targets: README.md's Performance table. Every command runs with a record cache
of its own, in the run's temporary folder (never the user's).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
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
    """compare / --help / list against a bare typer "hello" app, as a markdown section: wall and CPU
    time (user + system), the commands run in turn (hello, compare, --help, list, hello, ...) so
    that a machine whose speed drifts, or that other work shares, weighs on all of them alike."""
    hello = work / "hello.py"
    hello.write_text(HELLO, encoding="utf-8")
    frameworks = validate.frameworks_command()
    base = "typer hello (baseline)"
    commands = {
        base: [sys.executable, str(hello)],
        "frameworks compare ost us-eo-2020": [*frameworks, "compare", "ost", "us-eo-2020"],
        "frameworks --help": [*frameworks, "--help"],
        "frameworks list": [*frameworks, "list"],
    }
    wall: dict[str, list[float]] = {label: [] for label in commands}
    cpu: dict[str, list[float]] = {label: [] for label in commands}
    for attempt in range(runs + 1):  # the first round warms the caches, and is not counted
        for label, argv in commands.items():
            seconds, _, cpu_seconds = run_measured(argv, dict(os.environ), work)
            if attempt:
                wall[label].append(seconds)
                cpu[label].append(cpu_seconds)
    median = statistics.median
    lines = ["| command | wall median (s) | CPU median (s) | runs |", "|---|---|---|---|"]
    lines += [f"| {label} | {median(wall[label]):.3f} | {median(cpu[label]):.3f} | {runs} |" for label in commands]
    lines += ["", "| ratio | wall | CPU | target | met (CPU) |", "|---|---|---|---|---|"]
    for label in list(commands)[1:]:
        ratio = validate.Ratio(label.removeprefix("frameworks ") + " / typer hello", median(cpu[label]) / median(cpu[base]), "<= 1.5")
        wall_ratio = median(wall[label]) / median(wall[base])
        lines.append(f"| {ratio.name} | {wall_ratio:.2f} | {ratio.value:.2f} | {ratio.target} | {'yes' if ratio.met else 'NO'} |")
    return "\n".join(lines)


def run_measured(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, peak resident memory (MiB) and CPU seconds (user + system) of one run of
    `argv`; any exit but 0 is an error."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: exit {process.returncode}: {stderr[-500:]}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime  # ru_maxrss is in KiB on Linux


def compare_at_scale(runs: int, work: Path, large: int) -> str:
    """`compare ost us-eo-2020`, `list` and `export -o FILE` with the records in use (15) and with
    `large` records, warm cache: compare must cost about the same (time within 3x, memory 2x), and
    list and export must stream (peak memory within 2x of what the records in use take)."""
    frameworks = validate.frameworks_command()
    rows = []
    measured: dict[tuple[str, int], tuple[float, float]] = {}
    small_root = REPO
    large_root = work / f"n{large}"
    shutil.copytree(REPO / "frameworks", large_root / "frameworks")
    in_use = len(list((REPO / "frameworks").glob("*.yaml")))
    generated = work / "generated"
    validate.generate(generated, max(0, large - in_use))
    for path in (generated / "frameworks").glob("*.yaml"):
        path.rename(large_root / "frameworks" / path.name)
    commands = {"compare": ["compare", "ost", "us-eo-2020"], "list": ["list"], "export": ["export", "-o", str(work / "export.json")]}
    for label, root in ((in_use, small_root), (large, large_root)):
        cache = work / f"cache-{label}"
        env = {**os.environ, "XDG_CACHE_HOME": str(cache), "FRAMEWORKS_NO_CACHE": "", "FRAMEWORKS_ROOT": str(root)}
        count = len(list((root / "frameworks").glob("*.yaml")))
        for name, command in commands.items():
            argv = [*frameworks, *command]
            cold = run_measured(argv, env, work)  # fills the cache (once per root: the first command)
            warm = [run_measured(argv, env, work) for _ in range(runs)]
            median = statistics.median(t for t, _, _ in warm)
            memory = max(m for _, m, _ in warm)
            measured[name, label] = (median, memory)
            rows.append(f"| {name} | {count:,} | {cold[0]:.3f} | {cold[1]:.0f} | {median:.3f} | {memory:.0f} | {runs} |")
    ratio = {
        key: (measured[key, large][0] / measured[key, in_use][0], measured[key, large][1] / measured[key, in_use][1]) for key in commands
    }
    ratios = [
        validate.Ratio(f"compare: warm time {large:,} / {in_use}", ratio["compare"][0], "<= 3"),
        validate.Ratio(f"compare: warm peak memory {large:,} / {in_use}", ratio["compare"][1], "<= 2"),
        validate.Ratio(f"list: warm peak memory {large:,} / {in_use}", ratio["list"][1], "<= 2"),
        validate.Ratio(f"export: warm peak memory {large:,} / {in_use}", ratio["export"][1], "<= 2"),
    ]
    lines = [
        "| command | records | first run (s) | first run peak (MiB) | warm median (s) | warm peak (MiB) | warm runs |",
        "|---|---|---|---|---|---|---|",
        *rows,
    ]
    lines += ["", "| ratio | measured | target | met |", "|---|---|---|---|"]
    lines += [f"| {r.name} | {r.value:.2f} | {r.target} | {'yes' if r.met else 'NO'} |" for r in ratios]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark; print the report and, in full mode, write it to --output."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke test: few runs, small inputs, nothing written")
    parser.add_argument("--runs", type=int, default=None, help="runs per command (default: 2 quick, 10 full)")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "benchmarks.md")
    parser.add_argument("--only", choices=["startup", "scale"], help="run one section only (nothing written)")
    args = parser.parse_args(argv)
    runs = args.runs or (2 if args.quick else 10)
    sizes, checker_sizes = ((50, 200), (50,)) if args.quick else ((1_000, 10_000), (1_000,))
    large = 200 if args.quick else 2_000
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # the measured commands' record cache: ours, warmed by each warm-up run
        os.environ.pop("FRAMEWORKS_NO_CACHE", None)
        # Time the tool as installed, its bytecode compiled (pip compiles it): with PYTHONDONTWRITEBYTECODE
        # set, a checkout would compile every module of ours again on every run (a fifth more CPU at start-up).
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        if args.only:
            print(startup(runs, work) if args.only == "startup" else compare_at_scale(runs, work, large))
            return 0
        sections = [
            ("Start-up: compare, --help and list against a bare typer app", startup(runs, work)),
            (f"compare, list and export with the records in use and {large:,} records (cache warm)", compare_at_scale(runs, work, large)),
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
