"""Benchmark of `frameworks validate` on generated records, as whole processes.

    .venv/bin/python bench/validate.py                      # 1,000 and 10,000 records, 5 runs each
    .venv/bin/python bench/validate.py --sizes 200 --runs 2 # a quick look
    .venv/bin/python bench/validate.py --json               # the numbers, for bench/run.py and others

For each size N it writes N valid variants of the records in use (distinct ids and aliases) to a
temporary frameworks/ folder, then times, each after one warm-up run:
  - `frameworks validate <folder>` (must exit 0: the benchmark measures the full, successful path);
  - a bare Python process that parses the same files with PyYAML's CSafeLoader (the baseline);
  - check-jsonschema with the exported schema (schema/framework.schema.json), at the sizes asked.
It reports medians and spreads (min-max) and the ratios DESIGN.md sets targets for:
validate / parse <= 2, check-jsonschema / validate >= 10, validate(10,000) / validate(1,000) <= 11.

Importable: ``benchmark(sizes, runs, checker_sizes)`` returns a BenchResult; bench/run.py can call it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCHEMA = REPO / "schema" / "framework.schema.json"

PARSE_ONLY = """
import sys
from pathlib import Path

import yaml

for path in sorted(Path(sys.argv[1]).glob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


@dataclass
class Timing:
    """Seconds taken by several runs of one command."""

    label: str
    times: list[float]

    @property
    def median(self) -> float:
        """The median run."""
        return statistics.median(self.times)

    @property
    def spread(self) -> tuple[float, float]:
        """The fastest and the slowest run."""
        return min(self.times), max(self.times)


@dataclass
class Ratio:
    """A ratio of medians and its target, e.g. ("validate / parse (1,000)", 1.4, "<= 2")."""

    name: str
    value: float
    target: str

    @property
    def met(self) -> bool:
        """Whether the measured value meets the target."""
        bound = float(self.target.split()[1])
        return self.value <= bound if self.target.startswith("<=") else self.value >= bound


@dataclass
class BenchResult:
    """All timings and ratios of one benchmark run."""

    timings: list[Timing] = field(default_factory=list)
    ratios: list[Ratio] = field(default_factory=list)

    def to_json(self) -> str:
        """The result as JSON: timings with median and spread, ratios with target and met."""
        return json.dumps(
            {
                "timings": [{**asdict(t), "median": t.median, "spread": list(t.spread)} for t in self.timings],
                "ratios": [{**asdict(r), "met": r.met} for r in self.ratios],
            },
            indent=2,
        )

    def table(self) -> str:
        """The result as two markdown tables."""
        lines = ["| command | median (s) | spread (s) | runs |", "|---|---|---|---|"]
        lines += [f"| {t.label} | {t.median:.3f} | {t.spread[0]:.3f}-{t.spread[1]:.3f} | {len(t.times)} |" for t in self.timings]
        lines += ["", "| ratio | measured | target | met |", "|---|---|---|---|"]
        lines += [f"| {r.name} | {r.value:.2f} | {r.target} | {'yes' if r.met else 'NO'} |" for r in self.ratios]
        return "\n".join(lines)


def generate(folder: Path, count: int) -> Path:
    """Write `count` valid records to folder/frameworks (variants of the records in use, with
    distinct ids and aliases; seeds/ beside it when the variants need texts the package lacks)."""
    import yaml

    from space_frameworks.schema.dataset import load_dataset

    dataset = load_dataset()
    templates = [record.model_dump(mode="json", exclude_none=True) for record in dataset.records.values()]
    if not templates:  # no valid record in use: fall back to the test corpus' record and its seeds
        templates = [yaml.safe_load((REPO / "tests" / "bad" / "good" / "demo.yaml").read_text(encoding="utf-8"))]
        shutil.copytree(REPO / "tests" / "bad" / "seeds", folder / "seeds", dirs_exist_ok=True)
    target = folder / "frameworks"
    target.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        data = dict(templates[index % len(templates)])
        data["id"] = f"{data['id']}-v{index}"
        data["aliases"] = [f"{alias}-v{index}" for alias in data.get("aliases", [])]
        # The editor modeline (a comment, which safe_dump cannot write): validate is strict by default.
        text = "# yaml-language-server: $schema=../schema/framework.schema.json\n" + yaml.safe_dump(
            data, allow_unicode=True, sort_keys=False, width=120
        )
        (target / f"{data['id']}.yaml").write_text(text, encoding="utf-8")
    return target


def time_command(label: str, argv: list[str], runs: int, cwd: Path) -> Timing:
    """Run `argv` once to warm caches, then `runs` times; any exit but 0 is an error."""
    times = []
    for attempt in range(runs + 1):
        start = time.perf_counter()
        completed = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        elapsed = time.perf_counter() - start
        if completed.returncode != 0:
            raise RuntimeError(f"{label}: exit {completed.returncode}: {completed.stderr.decode(errors='replace')[-500:]}")
        if attempt:
            times.append(elapsed)
    return Timing(label, times)


def frameworks_command() -> list[str]:
    """The installed `frameworks` script beside this Python, else the module."""
    script = BIN / "frameworks"
    return [str(script)] if script.exists() else [sys.executable, "-m", "space_frameworks"]


def benchmark(sizes: tuple[int, ...] = (1_000, 10_000), runs: int = 5, checker_sizes: tuple[int, ...] = (1_000,)) -> BenchResult:
    """Time validate, the CSafeLoader baseline and check-jsonschema on `sizes` generated records."""
    result = BenchResult()
    medians: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as temporary:
        parse_script = Path(temporary) / "parse_only.py"
        parse_script.write_text(PARSE_ONLY, encoding="utf-8")
        for size in sizes:
            root = Path(temporary) / f"n{size}"
            folder = generate(root, size)
            ours = time_command(f"frameworks validate, {size:,} records", [*frameworks_command(), "validate", "frameworks"], runs, root)
            parse = time_command(f"CSafeLoader parse only, {size:,} records", [sys.executable, str(parse_script), "frameworks"], runs, root)
            result.timings += [ours, parse]
            result.ratios.append(Ratio(f"validate / parse only ({size:,})", ours.median / parse.median, "<= 2"))
            medians[size] = ours.median
            if size in checker_sizes:
                files = sorted(f"frameworks/{path.name}" for path in folder.glob("*.yaml"))
                checker_argv = [str(BIN / "check-jsonschema"), "--schemafile", str(SCHEMA), *files]
                checker = time_command(f"check-jsonschema, {size:,} records", checker_argv, max(1, runs // 2), root)
                result.timings.append(checker)
                result.ratios.append(Ratio(f"check-jsonschema / validate ({size:,})", checker.median / ours.median, ">= 10"))
            shutil.rmtree(root)
    small, large = min(sizes), max(sizes)
    if large > small:
        # Linear: at most 10% over proportional (11x for 10,000 against 1,000).
        target = f"<= {1.1 * large / small:g}"
        result.ratios.append(Ratio(f"validate {large:,} / validate {small:,}", medians[large] / medians[small], target))
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its tables (or JSON); exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000], help="numbers of records (default 1000 10000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command, after a warm-up (default 5)")
    parser.add_argument("--checker-sizes", type=int, nargs="*", default=None, help="sizes for check-jsonschema (default: smallest)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    args = parser.parse_args(argv)
    sizes = tuple(sorted(args.sizes))
    checker_sizes = tuple(args.checker_sizes) if args.checker_sizes is not None else sizes[:1]
    result = benchmark(sizes, args.runs, checker_sizes)
    print(result.to_json() if args.json else result.table())
    return 0 if all(ratio.met for ratio in result.ratios) else 1


if __name__ == "__main__":
    sys.exit(main())
