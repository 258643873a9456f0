"""Benchmark of the PDF commands as whole processes, against a bare WeasyPrint script.

    .venv/bin/python bench/pdf.py            # 5 runs each (after a warm-up), prints a markdown table
    .venv/bin/python bench/pdf.py --runs 3

Measured: `frameworks brief ost us-eo-2020 -o ...`, `frameworks pack -o ...`, and a bare script that
imports WeasyPrint and renders two pages of plain text (the baseline: WeasyPrint's import alone is
about half a second). For each: median and spread (min-max) of the wall time, the peak memory of the
process (max RSS), and the page count. Targets (DESIGN.md): brief within 1.8x of the baseline, pack
within 6x and under 200 MiB.

Each run goes through a small wrapper process that starts the command and reads
resource.getrusage(RUSAGE_CHILDREN): the wrapper's only child is the command, so its max RSS is the
command's own, not the largest of all the runs so far. Importable: `measure_all(runs, work)` returns
the measurements for bench/run.py or anything else to report.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
FRAMEWORKS = str(BIN / "frameworks")
TARGETS = {"brief": 1.8, "pack": 6.0}
PACK_PEAK_MIB = 200

BARE_WEASYPRINT = """
import sys

from weasyprint import HTML

paragraphs = "".join(f"<p>Paragraph {i}: " + "plain text " * 40 + "</p>" for i in range(13))
document = HTML(string=f"<html><body>{paragraphs}</body></html>").render()
document.write_pdf(sys.argv[1])
print(f"({len(document.pages)} pages)", file=sys.stderr)
"""


@dataclass(frozen=True)
class Measurement:
    """Wall times (s) of several runs of one command, its largest peak memory (MiB) and pages."""

    label: str
    times: tuple[float, ...]
    peak_mib: float
    pages: int

    @property
    def median(self) -> float:
        """The median wall time, in seconds."""
        return statistics.median(self.times)

    @property
    def spread(self) -> str:
        """'min-max' of the wall times, in seconds."""
        return f"{min(self.times):.2f}-{max(self.times):.2f}"


def run_child(argv: list[str]) -> tuple[float, float, int]:
    """Wall time (s), max RSS (MiB) and pages of one run of `argv`, measured by a fresh wrapper process."""
    result = subprocess.run([sys.executable, __file__, "--child", "--", *argv], capture_output=True, text=True, check=True)
    data = json.loads(result.stdout)
    return data["seconds"], data["max_rss_mib"], data["pages"]


def _child(argv: list[str]) -> int:
    """Run `argv` once; print its wall time and peak memory as JSON (the wrapper side of run_child)."""
    start = time.perf_counter()
    completed = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        return completed.returncode
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    # `frameworks brief|pack` report "wrote FILE (N pages)"; the bare script prints "(N pages)".
    pages = re.search(r"\((\d+) pages\)", completed.stderr)
    print(json.dumps({"seconds": seconds, "max_rss_mib": peak_kib / 1024, "pages": int(pages[1]) if pages else 0}))
    return 0


def measure(label: str, argv: list[str], runs: int) -> Measurement:
    """One warm-up run (disk cache, .pyc files), then `runs` measured ones."""
    run_child(argv)
    samples = [run_child(argv) for _ in range(runs)]
    return Measurement(label, tuple(s for s, _, _ in samples), max(m for _, m, _ in samples), samples[-1][2])


def measure_all(runs: int, work: Path) -> list[Measurement]:
    """The baseline, the brief and the pack, in that order."""
    script = work / "bare_weasyprint.py"
    script.write_text(BARE_WEASYPRINT, encoding="utf-8")
    return [
        measure("bare WeasyPrint, two pages of text", [sys.executable, str(script), str(work / "bare.pdf")], runs),
        measure("frameworks brief ost us-eo-2020", [FRAMEWORKS, "brief", "ost", "us-eo-2020", "-o", str(work / "brief.pdf")], runs),
        measure("frameworks pack (every framework)", [FRAMEWORKS, "pack", "-o", str(work / "pack.pdf")], runs),
    ]


def report(measurements: list[Measurement]) -> str:
    """A markdown table of the measurements and the ratios against their targets."""
    bare, brief, pack = measurements
    lines = [
        "| command | pages | median (s) | spread (s) | peak RSS (MiB) |",
        "|---|---|---|---|---|",
        *(f"| {m.label} | {m.pages} | {m.median:.2f} | {m.spread} | {m.peak_mib:.0f} |" for m in measurements),
        "",
        "| ratio | measured | target |",
        "|---|---|---|",
        f"| brief / bare WeasyPrint | {brief.median / bare.median:.2f} | <= {TARGETS['brief']} |",
        f"| pack / bare WeasyPrint | {pack.median / bare.median:.2f} | <= {TARGETS['pack']} |",
        f"| pack peak memory (MiB) | {pack.peak_mib:.0f} | <= {PACK_PEAK_MIB} |",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Measure and print the table."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:2] == ["--child", "--"]:
        return _child(args[2:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="measured runs per command (default 5)")
    options = parser.parse_args(args)
    with tempfile.TemporaryDirectory() as folder:
        print(report(measure_all(options.runs, Path(folder))), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
