"""Benchmarks: whole-process times of `frameworks` commands as ratios against baselines measured in
the same run (absolute times on shared machines are noise), written to docs/benchmarks.md.

    .venv/bin/python bench/run.py            # full: more runs, 1,000 and 10,000 generated records
    .venv/bin/python bench/run.py --quick    # smoke test (CI): few runs, small record sets, no targets enforced

Each command is run `runs` times (after one warm-up); we report the median and the spread
(min-max) and the child's peak memory (max RSS). Targets come from DESIGN.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FRAMEWORKS = str(BIN / "frameworks")

HELLO = """
import typer

app = typer.Typer()


@app.command()
def main() -> None:
    print("hello")


if __name__ == "__main__":
    app()
"""


@dataclass
class Timing:
    """Times (seconds) of several runs of one command, and the largest peak memory (MiB) seen."""

    label: str
    times: list[float]
    peak_mib: float

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def spread(self) -> str:
        return f"{min(self.times):.3f}-{max(self.times):.3f}"


def run_once(argv: list[str], cwd: Path | None = None, ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Seconds and peak memory (MiB, this child's own max RSS) of one run of `argv`."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        raise RuntimeError(f"{' '.join(argv[:4])} ... exited {code}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def measure(label: str, argv: list[str], runs: int, cwd: Path | None = None, ok: tuple[int, ...] = (0,)) -> Timing:
    """Run `argv` once to warm caches, then `runs` times; output is discarded, failures raise."""
    run_once(argv, cwd, ok)
    samples = [run_once(argv, cwd, ok) for _ in range(runs)]
    return Timing(label, [t for t, _ in samples], max(m for _, m in samples))


@dataclass
class Ratio:
    """A measured ratio against its target ("<= 1.5" or ">= 10")."""

    name: str
    value: float
    target: str

    @property
    def met(self) -> bool:
        bound = float(self.target.split()[1])
        return self.value <= bound if self.target.startswith("<=") else self.value >= bound


def startup(runs: int, work: Path) -> tuple[list[Timing], list[Ratio]]:
    """compare / --help / list against a bare typer "hello" app."""
    hello = work / "hello.py"
    hello.write_text(HELLO, encoding="utf-8")
    base = measure("typer hello (baseline)", [sys.executable, str(hello)], runs)
    compare = measure("frameworks compare ost us-eo-2020", [FRAMEWORKS, "compare", "ost", "us-eo-2020"], runs)
    helps = measure("frameworks --help", [FRAMEWORKS, "--help"], runs)
    listing = measure("frameworks list", [FRAMEWORKS, "list"], runs)
    ratios = [
        Ratio("compare / typer hello", compare.median / base.median, "<= 1.5"),
        Ratio("--help / typer hello", helps.median / base.median, "<= 1.5"),
        Ratio("list / typer hello", listing.median / base.median, "<= 1.5"),
    ]
    return [base, compare, helps, listing], ratios


def report(sections: list[tuple[str, list[Timing], list[Ratio]]], quick: bool) -> str:
    """The markdown table written to docs/benchmarks.md."""
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `bench/run.py{' --quick' if quick else ''}` on {platform.node() or 'this machine'}: "
        f"{platform.machine()}, {platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"{_cpus()} CPUs. Whole processes; median of several runs after a warm-up; ratios are against "
        "baselines measured in the same run.",
        "",
    ]
    for title, timings, ratios in sections:
        lines += [f"## {title}", "", "| command | median (s) | spread (s) | peak RSS (MiB) |", "|---|---|---|---|"]
        lines += [f"| {t.label} | {t.median:.3f} | {t.spread} | {t.peak_mib:.0f} |" for t in timings]
        lines += ["", "| ratio | measured | target | met |", "|---|---|---|---|"]
        lines += [f"| {r.name} | {r.value:.2f} | {r.target} | {'yes' if r.met else 'NO'} |" for r in ratios]
        lines.append("")
    return "\n".join(lines)


def _cpus() -> int:
    return os.cpu_count() or 1


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; print the table and write docs/benchmarks.md (not in --quick mode)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke test: few runs, small inputs")
    parser.add_argument("--runs", type=int, default=None, help="runs per command (default 3 quick, 10 full)")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    runs = args.runs or (2 if args.quick else 10)
    sections: list[tuple[str, list[Timing], list[Ratio]]] = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        timings, ratios = startup(runs, work)
        sections.append(("Start-up: compare, --help, list", timings, ratios))
        sections.extend(_optional_sections(args.quick, runs, work))
    text = report(sections, args.quick)
    print(text)
    if not args.quick:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    return 0


def _optional_sections(quick: bool, runs: int, work: Path) -> list[tuple[str, list[Timing], list[Ratio]]]:
    return [validation(quick, runs, work), pdf(quick, runs, work)]


PARSE_ONLY = """
import sys
from pathlib import Path

import yaml

for path in sorted(Path(sys.argv[1]).glob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


def generate_records(folder: Path, count: int) -> Path:
    """`count` valid variants of the real records (distinct ids, no aliases) in folder/frameworks."""
    import yaml

    from space_frameworks.schema.records import load_dataset

    records = list(load_dataset().records.values())
    target = folder / f"records-{count}" / "frameworks"
    target.mkdir(parents=True)
    for index in range(count):
        data = records[index % len(records)].model_dump(mode="json", exclude_none=True)
        data["id"] = f"{data['id']}-v{index}"
        data["aliases"] = []
        (target / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def validation(quick: bool, runs: int, work: Path) -> tuple[str, list[Timing], list[Ratio]]:
    """validate on N generated records vs CSafeLoader parsing alone and vs check-jsonschema."""
    small, large = (50, 200) if quick else (1_000, 10_000)
    parse_script = work / "parse_only.py"
    parse_script.write_text(PARSE_ONLY, encoding="utf-8")
    schema = REPO / "schema" / "framework.schema.json"
    timings, ratios = [], []
    medians = {}
    for count in (small, large):
        folder = generate_records(work, count)
        ours = measure(f"frameworks validate, {count:,} records", [FRAMEWORKS, "validate", str(folder)], runs)
        parse = measure(f"CSafeLoader parse only, {count:,} records", [sys.executable, str(parse_script), str(folder)], runs)
        timings += [ours, parse]
        medians[count] = ours.median
        ratios.append(Ratio(f"validate / parse only ({count:,})", ours.median / parse.median, "<= 2"))
        if count == small:
            files = sorted(str(p) for p in folder.glob("*.yaml"))
            checker = measure(
                f"check-jsonschema, {count:,} records",
                [str(BIN / "check-jsonschema"), "--schemafile", str(schema), *files],
                max(1, runs // 3),
            )
            timings.append(checker)
            ratios.append(Ratio(f"check-jsonschema / validate ({count:,})", checker.median / ours.median, ">= 10"))
    ratios.append(Ratio(f"validate {large:,} / validate {small:,}", medians[large] / medians[small], "<= 11"))
    return "validate", timings, ratios


BARE_WEASYPRINT = """
import sys

from weasyprint import HTML

paragraphs = "".join(f"<p>Paragraph {i}: " + "plain text " * 40 + "</p>" for i in range(13))
HTML(string=f"<html><body>{paragraphs}</body></html>").write_pdf(sys.argv[1])
"""


def pdf(quick: bool, runs: int, work: Path) -> tuple[str, list[Timing], list[Ratio]]:
    """brief and pack against a bare script that imports WeasyPrint and renders two pages."""
    bare_script = work / "bare_weasyprint.py"
    bare_script.write_text(BARE_WEASYPRINT, encoding="utf-8")
    pdf_runs = max(1, runs // 2)
    bare = measure("bare WeasyPrint, two pages of text", [sys.executable, str(bare_script), str(work / "bare.pdf")], pdf_runs)
    brief = measure("frameworks brief ost us-eo-2020", [FRAMEWORKS, "brief", "ost", "us-eo-2020", "-o", str(work / "brief.pdf")], pdf_runs)
    pack = measure("frameworks pack (all records)", [FRAMEWORKS, "pack", "-o", str(work / "pack.pdf")], pdf_runs)
    ratios = [
        Ratio("brief / bare WeasyPrint", brief.median / bare.median, "<= 1.8"),
        Ratio("pack / bare WeasyPrint", pack.median / bare.median, "<= 6"),
        Ratio("pack peak memory (MiB)", pack.peak_mib, "<= 200"),
    ]
    return "PDF", [bare, brief, pack], ratios


if __name__ == "__main__":
    sys.exit(main())
