"""The benchmark script works end to end (quick mode); it checks that it runs, not the timings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_quick_benchmark_runs_and_reports_every_ratio(tmp_path: Path) -> None:
    output = tmp_path / "benchmarks.md"
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--runs", "1", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for ratio in (
        "compare ost us-eo-2020 / typer hello",
        "validate / parse only",
        "check-jsonschema / validate",
        "brief / bare WeasyPrint",
        "pack peak memory",
        "list: warm peak memory",
        "export: warm peak memory",
    ):
        assert ratio in result.stdout
    assert not output.exists()  # quick mode never overwrites docs/benchmarks.md
