"""The `frameworks` command: parse arguments, call schema/ and reports/, print, set the exit code.

Exit codes: 0 success; 1 invalid records (or validation failures); 2 a usage mistake (an unknown
id, a bad option value, an unwritable output path). No command prints a traceback for a user
mistake. Heavy modules (WeasyPrint, Jinja2) are imported inside the commands that need them.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from space_frameworks.schema.records import ROOT_ENV, DataRootError, Dataset, UnknownFramework, load_dataset

app = typer.Typer(
    help="Compare the legal frameworks for space resources, point by point, with the exact words of each text.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Format(StrEnum):
    """The one output option shared by every command that prints data."""

    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    html = "html"


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


class Settings:
    root: Path | None = None


RootOption = Annotated[
    Path | None,
    typer.Option("--root", envvar=ROOT_ENV, help="Folder holding frameworks/ (and seeds/), e.g. a contributor's checkout."),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout.")]


@app.callback()
def main_options(root: RootOption = None) -> None:
    """Compare the legal frameworks for space resources."""
    Settings.root = root


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a one-line error to stderr and exit."""
    typer.echo(f"frameworks: {message}", err=True)
    raise typer.Exit(code)


def load() -> Dataset:
    """The records in use; exits 1 (with every problem) if any record is invalid."""
    try:
        dataset = load_dataset(Settings.root)
    except DataRootError as exc:
        fail(str(exc))
    if dataset.problems:
        for problem in sorted(dataset.problems):
            typer.echo(str(problem), err=True)
        fail(f"{len(dataset.problems)} problem(s) in the records; run 'frameworks validate' for details", 1)
    return dataset


def resolve(dataset: Dataset, names: list[str]) -> list[str]:
    """Record ids for the ids or aliases given; exits 2 on an unknown one."""
    try:
        return list(dict.fromkeys(dataset.resolve(name).id for name in names))
    except UnknownFramework as exc:
        fail(str(exc))


def emit(text: str, output: Path | None) -> None:
    """Print `text`, or write it atomically to `output`."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from space_frameworks.reports.files import write_atomically

    try:
        write_atomically(output, text.encode("utf-8"))
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    typer.echo(f"wrote {output}", err=True)


@app.command()
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="Record files or folders (default: the records in use).")] = None,
    output_format: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="text, json, or github annotations.")
    ] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Count warnings (stale, missing topics, uncited positions) as errors.")] = False,
) -> None:
    """Check records: structure, ids, citations, verbatim quotes, dates. Exit 0 valid, 1 invalid."""
    from space_frameworks.reports.problems import render_problems
    from space_frameworks.schema.checks import check_dataset
    from space_frameworks.schema.records import record_files

    for path in paths or []:
        if not path.exists():
            fail(f"{path}: no such file or folder")
    try:
        dataset = load_dataset(Settings.root, paths=list(paths) if paths else None)
    except DataRootError as exc:
        fail(str(exc))
    problems = dataset.problems + check_dataset(dataset)
    if strict:
        shown = [replace(p, severity="error") for p in problems]
    else:
        shown = [p for p in problems if p.severity == "error"]
    files = len(record_files(list(paths))) if paths else len(record_files([dataset.root / "frameworks"]))
    typer.echo(render_problems(sorted(shown), files, output_format.value), nl=False)
    raise typer.Exit(1 if shown else 0)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    main()
