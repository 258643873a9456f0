"""Rendering validation problems: plain lines, JSON, or GitHub Actions annotations."""

from __future__ import annotations

import json

from ..schema.problems import Problem


def render_problems(problems: list[Problem], files: int, output_format: str) -> str:
    """All `problems` (already sorted) of a run over `files` files, in the chosen format."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if output_format == "json":
        payload = {
            "files": files,
            "errors": errors,
            "warnings": warnings,
            "problems": [
                {"path": p.path, "line": p.line, "column": p.col, "field": p.field, "message": p.message, "severity": p.severity}
                for p in problems
            ],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    summary = f"{files} file{'s' if files != 1 else ''}, {errors} error{'s' if errors != 1 else ''}"
    if warnings:
        summary += f", {warnings} warning{'s' if warnings != 1 else ''}"
    if output_format == "github":
        lines = [
            f"::{'error' if p.severity == 'error' else 'warning'} file={_escape_property(p.path)},line={p.line},col={p.col},"
            f"title={_escape_property(p.field or 'file')}::{_escape_data(p.message)}"
            for p in problems
        ]
        return "".join(line + "\n" for line in lines) + summary + "\n"
    return "".join(f"{p}\n" for p in problems) + summary + "\n"


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping (actions/toolkit: escapeData / escapeProperty).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
