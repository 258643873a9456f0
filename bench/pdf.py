"""Benchmark of the PDF commands as whole processes, against a bare WeasyPrint script.

    .venv/bin/python bench/pdf.py            # 5 runs each (after a warm-up), prints a markdown table
    .venv/bin/python bench/pdf.py --runs 3

Measured, all in one run: a bare script that imports WeasyPrint and renders two pages of plain text
(the time baseline: WeasyPrint's import alone is about half a second), `frameworks brief ost
us-eo-2020` as users run it, `frameworks brief --full ost us-eo-2020`, `frameworks pack`, and a bare script that renders ~40
pages of dense tables (the memory-per-page baseline). For each: median and spread (min-max) of the
wall time, the median CPU time (user + system, every process of the command), the peak memory of
the largest process (max RSS), and the page count.

Targets (DESIGN.md): the brief within 2.2x of the two-page baseline in CPU time (user + system, all
processes); the pack under 170 MiB peak (goal 150 MiB) and no more memory per page than the dense tables. Memory per page is
(peak - the two-page baseline's peak) / pages: what the pages cost beyond WeasyPrint itself.

Each run goes through a small wrapper process that starts the command and reads
resource.getrusage(RUSAGE_CHILDREN): the wrapper's only child is the command, so its max RSS is the
command's own, not the largest of all the runs so far. Importable: `measure_all(runs, work)` returns
the measurements for bench/run.py or anything else to report.
"""

from __future__ import annotations

import argparse
import json
import os
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
BRIEF_CPU_TARGET = 2.2
PACK_PEAK_MIB = 170
PACK_PEAK_GOAL_MIB = 150

BARE_WEASYPRINT = """
import sys

from weasyprint import HTML

paragraphs = "".join(f"<p>Paragraph {i}: " + "plain text " * 40 + "</p>" for i in range(13))
document = HTML(string=f"<html><body>{paragraphs}</body></html>").render()
document.write_pdf(sys.argv[1])
print(f"({len(document.pages)} pages)", file=sys.stderr)
"""

# Dense tables: six columns of short text, ~40 A4 pages, tagged like the pack (PDF/UA-1).
BARE_TABLES = """
import sys

from weasyprint import HTML

cells = "".join(f"<td>cell {j} with some words of plain text in it</td>" for j in range(5))
rows = "".join(f"<tr><th scope='row'>Row {i}</th>{cells}</tr>" for i in range(400))
head = "<tr><th scope='col'>Row</th>" + "<th scope='col'>Column</th>" * 5 + "</tr>"
body = f"<table><thead>{head}</thead><tbody>{rows}</tbody></table>"
html = f"<html lang='en'><head><title>Tables</title></head><body>{body}</body></html>"
document = HTML(string=html).render()
document.write_pdf(sys.argv[1], pdf_variant="pdf/ua-1")
print(f"({len(document.pages)} pages)", file=sys.stderr)
"""


@dataclass(frozen=True)
class Measurement:
    """Wall times (s) of several runs of one command, its largest peak memory (MiB) and pages."""

    label: str
    times: tuple[float, ...]
    cpu: tuple[float, ...]
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


def run_child(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float, int]:
    """Wall time (s), CPU time (s), max RSS (MiB) and pages of one run of `argv`, measured by a fresh wrapper process."""
    command = [sys.executable, __file__, "--child", "--", *argv]
    result = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    data = json.loads(result.stdout)
    return data["seconds"], data["cpu_seconds"], data["max_rss_mib"], data["pages"]


def _child(argv: list[str]) -> int:
    """Run `argv` once; print its wall time and peak memory as JSON (the wrapper side of run_child)."""
    start = time.perf_counter()
    completed = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        return completed.returncode
    # The command and every process it waited for: CPU summed, RSS the largest.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    # `frameworks brief|pack` report "wrote FILE (N pages)"; the bare script prints "(N pages)".
    pages = re.search(r"\((\d+) pages\)", completed.stderr)
    result = {"seconds": seconds, "cpu_seconds": cpu, "max_rss_mib": usage.ru_maxrss / 1024, "pages": int(pages[1]) if pages else 0}
    print(json.dumps(result))
    return 0


def measure(label: str, argv: list[str], runs: int, env: dict[str, str] | None = None) -> Measurement:
    """One warm-up run (disk cache, .pyc files, the record cache), then `runs` measured ones."""
    run_child(argv, env)
    samples = [run_child(argv, env) for _ in range(runs)]
    return Measurement(label, tuple(s[0] for s in samples), tuple(s[1] for s in samples), max(s[2] for s in samples), samples[-1][3])


def measure_all(runs: int, work: Path) -> list[Measurement]:
    """The baseline, the brief, the full brief, the pack and the dense tables, in that order."""
    script = work / "bare_weasyprint.py"
    script.write_text(BARE_WEASYPRINT, encoding="utf-8")
    tables = work / "bare_tables.py"
    tables.write_text(BARE_TABLES, encoding="utf-8")
    brief = [FRAMEWORKS, "brief", "ost", "us-eo-2020"]
    # The commands as a user runs them: with the record cache (schema/cache.py), in a folder of
    # this run's own, filled by each warm-up run.
    env = {k: v for k, v in os.environ.items() if k != "FRAMEWORKS_NO_CACHE"} | {"XDG_CACHE_HOME": str(work / "cache")}
    return [
        measure("bare WeasyPrint, two pages of text", [sys.executable, str(script), str(work / "bare.pdf")], runs),
        measure("frameworks brief ost us-eo-2020", [*brief, "-o", str(work / "brief.pdf")], runs, env),
        measure("frameworks brief --full ost us-eo-2020", [*brief, "--full", "-o", str(work / "full.pdf")], runs, env),
        measure("frameworks pack (every framework)", [FRAMEWORKS, "pack", "-o", str(work / "pack.pdf")], runs, env),
        measure("bare WeasyPrint, dense tables (PDF/UA-1)", [sys.executable, str(tables), str(work / "tables.pdf")], runs),
    ]


def per_page(measurement: Measurement, base: Measurement) -> float:
    """MiB of peak memory per page beyond the two-page baseline's peak."""
    return (measurement.peak_mib - base.peak_mib) / max(measurement.pages, 1)


def report(measurements: list[Measurement]) -> str:
    """A markdown table of the measurements and the ratios against their targets."""
    bare, brief, full, pack, tables = measurements
    lines = [
        "| command | pages | median (s) | spread (s) | CPU median (s) | peak RSS (MiB) |",
        "|---|---|---|---|---|---|",
        *(
            f"| {m.label} | {m.pages} | {m.median:.2f} | {m.spread} | {statistics.median(m.cpu):.2f} | {m.peak_mib:.0f} |"
            for m in measurements
        ),
        "",
        "| ratio | measured | target |",
        "|---|---|---|",
        f"| brief / bare WeasyPrint (CPU, all processes) | {statistics.median(brief.cpu) / statistics.median(bare.cpu):.2f}"
        f" | <= {BRIEF_CPU_TARGET} |",
        f"| brief / bare WeasyPrint (wall) | {brief.median / bare.median:.2f} | (none) |",
        f"| brief --full / bare WeasyPrint | {full.median / bare.median:.2f} | (none) |",
        f"| pack / bare WeasyPrint | {pack.median / bare.median:.2f} | (none) |",
        f"| pack peak memory (MiB) | {pack.peak_mib:.0f} | <= {PACK_PEAK_MIB} (goal {PACK_PEAK_GOAL_MIB}) |",
        f"| pack MiB per page / dense tables MiB per page | {per_page(pack, bare):.2f} / {per_page(tables, bare):.2f}"
        f" = {per_page(pack, bare) / max(per_page(tables, bare), 1e-9):.2f} | <= 1 |",
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
