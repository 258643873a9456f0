"""Open or update one GitHub issue per changed, moved or unchecked source of a `frameworks sources
check --format json` report (the weekly source-watch workflow runs it).

    python .github/scripts/source_watch_issues.py report.json --dry-run   # print the issue bodies
    python .github/scripts/source_watch_issues.py report.json             # open or update them (gh CLI)

Each issue carries a hidden marker with the source's address, so next week's run updates the same
open issue instead of opening another. If no source at all could be read (the runner had no
network), no issue is opened and the script fails: that is an outage of the check, not of the sources.
The issue text comes from space_frameworks.reports.sources.issue_drafts.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from space_frameworks.reports.sources import issue_drafts, read_report

LABEL = "source-watch"


def gh(*args: str) -> str:
    """Run the GitHub CLI and return what it printed; a failure stops the script with its message."""
    done = subprocess.run(["gh", *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"source-watch: gh {args[0]} {args[1] if len(args) > 1 else ''} failed: {done.stderr.strip()}")
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="the JSON report of frameworks sources check --format json")
    parser.add_argument("--dry-run", action="store_true", help="print the issues instead of opening or updating them")
    args = parser.parse_args(argv)
    try:
        report = read_report(args.report)
    except (OSError, ValueError) as exc:
        print(f"source-watch: {exc}", file=sys.stderr)
        return 2
    drafts = issue_drafts(report)
    sources = report.get("sources", [])
    if sources and all(source.get("outcome") == "unreachable" for source in sources):
        print(
            f"source-watch: none of the {len(sources)} sources could be read: the check itself failed (no network?); no issue opened",
            file=sys.stderr,
        )
        for draft in drafts[:1]:
            print(f"--- example of what would be filed ---\n# {draft.title}\n\n{draft.body}", file=sys.stderr)
        return 1
    if args.dry_run:
        for draft in drafts:
            print(f"=== issue: {draft.title}\n{draft.body}")
        print(f"source-watch: dry run: {len(drafts)} issue(s) would be opened or updated")
        return 0
    existing = json.loads(gh("issue", "list", "--label", LABEL, "--state", "open", "--limit", "500", "--json", "number,body"))
    by_marker = {draft.key: None for draft in drafts}
    for issue in existing:
        for key in by_marker:
            if key in (issue.get("body") or ""):
                by_marker[key] = issue["number"]
    for draft in drafts:
        with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as handle:
            handle.write(draft.body)
        number = by_marker[draft.key]
        if number is None:
            gh("issue", "create", "--title", draft.title, "--body-file", handle.name, "--label", LABEL)
            print(f"source-watch: opened: {draft.title}")
        else:
            gh("issue", "edit", str(number), "--title", draft.title, "--body-file", handle.name)
            print(f"source-watch: updated #{number}: {draft.title}")
        Path(handle.name).unlink()
    print(f"source-watch: {len(drafts)} issue(s) opened or updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
