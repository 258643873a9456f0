"""Benchmark of `frameworks site` as whole processes, as ratios against `frameworks export` in the same run.

    .venv/bin/python bench/site.py                       # the records in use, then 100 and 1,000 generated
    .venv/bin/python bench/site.py --sizes 50 --runs 1   # a quick look
    .venv/bin/python bench/site.py --json

It times, each after one warm-up run (which also fills the record cache, as a user's second run
would): `frameworks export --format json -o FILE` (the baseline: load every record and write them
all) and `frameworks site -o DIR`, on the records in use and on N generated records (variants of
the records in use, as bench/validate.py makes them). The targets (DESIGN.md): the site within 5x
of the export, and linear in the number of records (the largest size within 10% of proportional
to the smallest).

Importable: ``benchmark(sizes, runs)`` returns a BenchResult (bench/validate.py's), for bench/run.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from validate import BenchResult, Ratio, frameworks_command, generate, time_command  # noqa: E402  (bench/validate.py)

REPO = Path(__file__).resolve().parent.parent


def _pair(label: str, root: Path | None, work: Path, runs: int, result: BenchResult) -> float:
    """Time export and site on the records of `root` (None: those in use); the site's median."""
    base = [*frameworks_command(), *(["--root", str(root)] if root else [])]
    export = time_command(f"export --format json, {label}", [*base, "export", "--format", "json", "-o", str(work / "out.json")], runs, work)
    site = time_command(f"site, {label}", [*base, "site", "-o", str(work / "site")], runs, work)
    result.timings += [export, site]
    result.ratios.append(Ratio(f"site / export json ({label})", site.median / export.median, "<= 5"))
    pages = sum(1 for _ in (work / "site").rglob("*.html"))
    result.timings[-1].label += f" ({pages:,} pages)"
    return site.median


def benchmark(sizes: tuple[int, ...] = (100, 1_000), runs: int = 5) -> BenchResult:
    """Time `frameworks site` against `frameworks export` on the records in use and on `sizes` generated records."""
    result = BenchResult()
    medians: dict[int, float] = {}
    saved = os.environ.get("XDG_CACHE_HOME")
    with tempfile.TemporaryDirectory(prefix="bench-site-") as temporary:
        os.environ["XDG_CACHE_HOME"] = str(Path(temporary) / "cache")  # a private record cache, never the user's
        try:
            work = Path(temporary) / "in-use"
            work.mkdir()
            _pair("the records in use", None, work, runs, result)
            for size in sizes:
                root = Path(temporary) / f"n{size}"
                generate(root, size)
                medians[size] = _pair(f"{size:,} records", root, root, runs, result)
                shutil.rmtree(root)
        finally:
            if saved is None:
                os.environ.pop("XDG_CACHE_HOME", None)
            else:
                os.environ["XDG_CACHE_HOME"] = saved
    small, large = min(sizes, default=0), max(sizes, default=0)
    if large > small:
        target = f"<= {1.1 * large / small:g}"
        result.ratios.append(Ratio(f"site {large:,} / site {small:,} records", medians[large] / medians[small], target))
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its tables (or JSON); exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1_000], help="numbers of generated records (default 100 1000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command, after a warm-up (default 5)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    args = parser.parse_args(argv)
    result = benchmark(tuple(sorted(args.sizes)), args.runs)
    print(result.to_json() if args.json else result.table())
    return 0 if all(ratio.met for ratio in result.ratios) else 1


if __name__ == "__main__":
    sys.exit(main())
