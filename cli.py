"""The `frameworks` command: parse arguments, call schema/ and reports/, print, set the exit code.

Exit codes: 0 success; 1 invalid records (or validation failures); 2 a usage mistake (an unknown
id, a bad option value, an unwritable output path). No command prints a traceback for a user
mistake. Heavy modules (WeasyPrint, Jinja2) are imported inside the commands that need them.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:  # the records layer imports pydantic; commands import it when they run, so --help stays fast
    from .schema.records import Dataset

ROOT_ENV = "FRAMEWORKS_ROOT"  # also read by schema.records.data_root

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
    from .schema.cache import load_dataset_cached
    from .schema.records import DataRootError

    try:
        dataset = load_dataset_cached(Settings.root)
    except DataRootError as exc:
        fail(str(exc))
    errors = [p for p in dataset.problems if p.severity == "error"]
    if errors:
        for problem in sorted(errors):
            typer.echo(str(problem), err=True)
        fail(f"{len(errors)} problem(s) in the records; run 'frameworks validate' for details", 1)
    return dataset


def resolve(dataset: Dataset, names: list[str]) -> list[str]:
    """Record ids for the ids or aliases given; exits 2 on an unknown one."""
    from .schema.records import UnknownFramework

    try:
        return list(dict.fromkeys(dataset.resolve(name).id for name in names))
    except UnknownFramework as exc:
        fail(str(exc))


def emit(text: str, output: Path | None) -> None:
    """Print `text`, or write it atomically to `output`."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from .reports.files import write_atomically

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
    """Check records: structure, ids, citations, verbatim quotes, dates. Exit 0 valid, 1 invalid, 2 usage error."""
    from .reports.problems import render_problems
    from .schema.records import DataRootError
    from .schema.validation import validate as run_validation

    for path in paths or []:
        if not path.exists():
            fail(f"{path}: no such file or folder")
    try:
        result = run_validation(list(paths) if paths else None, Settings.root, strict=strict)
    except DataRootError as exc:
        fail(str(exc))
    typer.echo(render_problems(result.problems, result.files, output_format.value), nl=False)
    raise typer.Exit(0 if result.ok else 1)


# --- commands that print data: they share --format and --output -----------------------------


def as_of_date(value: str | None) -> dt.date | None:
    """Parse --as-of; exits 2 on a malformed date."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--as-of {value!r}: give a date as YYYY-MM-DD")


def terminal_width() -> int:
    """Columns of the terminal (or $COLUMNS), 100 when output is not a terminal."""
    return shutil.get_terminal_size((100, 24)).columns


def use_colour(output: Path | None) -> bool:
    """Colour stances only on a terminal, and never when NO_COLOR is set."""
    return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


AsOfOption = Annotated[str | None, typer.Option("--as-of", help="Answer as of this date (YYYY-MM-DD), from the dated status events.")]


@app.command("list")
def list_frameworks(output_format: FormatOption = Format.table, output: OutputOption = None) -> None:
    """List the frameworks: id, title, kind, legal force, status."""
    from .reports.comparison import framework_status
    from .reports.listing import Listing, render_listing

    dataset = load()
    rows = tuple(
        (r.id, r.short_title, r.kind.value, r.legal_force.value, framework_status(r, None)[0], ", ".join(r.aliases))
        for r in dataset.records.values()
    )
    listing = Listing(
        title="Frameworks",
        columns=("Id", "Title", "Kind", "Force", "Status", "Aliases"),
        keys=("id", "short_title", "kind", "legal_force", "status", "aliases"),
        rows=rows,
        footer=f"{len(rows)} frameworks (aliases: --format markdown, or frameworks show ID); compare with: frameworks compare ID ID",
        terminal_keys=("id", "short_title", "kind", "legal_force", "status"),
    )
    emit(render_listing(listing, output_format.value, terminal_width()), output)


@app.command()
def topics(output_format: FormatOption = Format.table, output: OutputOption = None) -> None:
    """List the topics every framework takes a position on."""
    from .reports.listing import Listing, render_listing
    from .schema.records import load_topics

    vocabulary = load_topics()
    listing = Listing(
        title="Topics",
        columns=("Id", "Label", "Question"),
        keys=("id", "label", "question"),
        rows=tuple((t.id, t.label, t.question) for t in vocabulary),
        footer="stances: affirms, conditional, denies, silent, disputed",
    )
    emit(render_listing(listing, output_format.value, terminal_width()), output)


@app.command()
def show(
    framework: Annotated[str, typer.Argument(help="Id or alias.")],
    output_format: FormatOption = Format.table,
    output: OutputOption = None,
) -> None:
    """Show one framework in full: status, positions with quotes, sources, corrections."""
    from .reports.comparison import build_comparison
    from .reports.record import RecordReport, render_record

    dataset = load()
    [record_id] = resolve(dataset, [framework])
    report = RecordReport(dataset.records[record_id], build_comparison(dataset, [record_id]))
    emit(render_record(report, output_format.value, terminal_width()), output)


@app.command()
def compare(
    frameworks: Annotated[list[str] | None, typer.Argument(help="Ids or aliases of the frameworks to compare.")] = None,
    topic: Annotated[list[str] | None, typer.Option("--topic", "-t", help="Only this topic (repeatable).")] = None,
    all_frameworks: Annotated[bool, typer.Option("--all", help="Compare every framework.")] = False,
    differences: Annotated[bool, typer.Option("--differences", "-d", help="Only the topics where stances differ.")] = False,
    as_of: AsOfOption = None,
    quotes: Annotated[bool, typer.Option("--quotes", "-q", help="Show the verbatim text under each cell.")] = False,
    output_format: FormatOption = Format.table,
    output: OutputOption = None,
) -> None:
    """Compare frameworks side by side, one row per topic."""
    from .reports.comparison import build_comparison
    from .reports.render import render_comparison
    from .schema.records import UnknownTopic

    dataset = load()
    ids = list(dataset.records) if all_frameworks else resolve(dataset, frameworks or [])
    if not ids:
        fail("name at least one framework (see 'frameworks list'), or use --all")
    try:
        wanted = dataset.topic_ids(topic)
    except UnknownTopic as exc:
        fail(str(exc))
    comparison = build_comparison(dataset, ids, topics=wanted, as_of=as_of_date(as_of), differences_only=differences)
    text = render_comparison(comparison, output_format.value, width=terminal_width(), colour=use_colour(output), quotes=quotes)
    emit(text, output)


@app.command()
def timeline(
    frameworks: Annotated[list[str] | None, typer.Argument(help="Ids or aliases (default: all).")] = None,
    as_of: AsOfOption = None,
    output_format: FormatOption = Format.table,
    output: OutputOption = None,
) -> None:
    """The dated events of the chosen frameworks, merged in date order."""
    from .reports.listing import render_listing
    from .reports.timeline import timeline as build_timeline

    dataset = load()
    ids = resolve(dataset, frameworks) if frameworks else list(dataset.records)
    listing = build_timeline([dataset.records[i] for i in ids], as_of_date(as_of))
    emit(render_listing(listing, output_format.value, terminal_width()), output)


@app.command()
def signatories(
    framework: Annotated[str, typer.Argument(help="Id or alias.")],
    as_of: AsOfOption = None,
    output_format: FormatOption = Format.table,
    output: OutputOption = None,
) -> None:
    """The States that had signed, ratified or acceded to a framework (by --as-of)."""
    from .reports.listing import render_listing
    from .reports.timeline import signatories as build_signatories

    dataset = load()
    [record_id] = resolve(dataset, [framework])
    listing = build_signatories(dataset.records[record_id], as_of_date(as_of))
    emit(render_listing(listing, output_format.value, terminal_width()), output)


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"


@app.command()
def export(
    output_format: Annotated[ExportFormat, typer.Option("--format", "-f", help="json (records) or csv (positions).")] = ExportFormat.json,
    output: OutputOption = None,
) -> None:
    """The whole dataset, for spreadsheets and other tools."""
    from .reports.comparison import build_comparison
    from .reports.export import dataset_to_json
    from .reports.render import comparison_to_csv

    dataset = load()
    if output_format == ExportFormat.csv:
        text = comparison_to_csv(build_comparison(dataset, list(dataset.records)))
    else:
        text = dataset_to_json(dataset)
    emit(text, output)


# --- contributor commands: the record schema and new-record templates -----------------------


@app.command("schema")
def schema_command(output: OutputOption = None) -> None:
    """Print the JSON Schema of a framework record (committed as schema/framework.schema.json)."""
    from .schema.record_schema import schema_text

    emit(schema_text(), output)


@app.command("new")
def new_command(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="Id of the new record: lower-case words and dashes, e.g. moon-agreement.")],
    kind: Annotated[
        str,
        typer.Option("--kind", "-k", help="treaty, un-resolution, statute, executive-order, political-accord, national-position, ..."),
    ],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of frameworks/ID.yaml.")] = None,
) -> None:
    """Write a commented template record; `frameworks validate` then lists what is left to fill in."""
    from .schema.template import NewRecordError, plan_new_record

    try:
        path, text, places = plan_new_record(record_id, kind, output, Settings.root)
    except NewRecordError as exc:
        fail(str(exc))
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite a contributor's file
            handle.write(text)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    typer.echo(f"wrote {path}: fill in the {places} values marked TODO, then run: frameworks validate {path}", err=True)


# --- PDF: the brief and the briefing pack (WeasyPrint is imported only here) ------------------


def write_pdf(dataset: Dataset, ids: list[str], output: Path, **options: Any) -> None:
    """Render and write the brief or pack (reports.pdf.write_pdf), with the records' YAML attached."""
    from .reports import pdf

    try:
        sources = {i: dataset.files[i].read_bytes() for i in ids}
        result = pdf.write_pdf(dataset, ids, output, sources=sources, **options)
    except pdf.BriefError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot read {exc.filename}: {exc.strerror or exc}")
    for warning in result.warnings:
        typer.echo(f"frameworks: warning: {warning}", err=True)
    typer.echo(f"wrote {output} ({result.pages} pages)", err=True)


@app.command()
def brief(
    frameworks: Annotated[list[str], typer.Argument(metavar="ID ID [ID...]", help="Ids or aliases of the frameworks (two or more).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The PDF file to write (atomically).")],
    topic: Annotated[list[str] | None, typer.Option("--topic", "-t", help="Only this topic (repeatable).")] = None,
    as_of: AsOfOption = None,
    full: Annotated[bool, typer.Option("--full", help="The detailed edition: every quote, and a timeline.")] = False,
) -> None:
    """Write a PDF brief: key differences, a one-page matrix, what each cell rests on, sources (--full: every quote)."""
    dataset = load()
    ids = resolve(dataset, frameworks)
    if len(ids) < 2:
        fail("a brief compares two or more frameworks; for one, use: frameworks pack ID -o FILE")
    write_pdf(dataset, ids, output, topics=topic, as_of=as_of_date(as_of), full=full)


@app.command()
def pack(
    frameworks: Annotated[list[str] | None, typer.Argument(metavar="[ID...]", help="Ids or aliases (default: every framework).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The PDF file to write (atomically). Required.")] = None,
) -> None:
    """Write the briefing pack: an overview grid of every framework (or those named), then one chapter each."""
    if output is None:
        fail("give the PDF file to write with -o FILE")
    dataset = load()
    ids = resolve(dataset, frameworks) if frameworks else list(dataset.records)
    if not ids:
        fail("no frameworks to put in the pack")
    write_pdf(dataset, ids, output, pack=True)


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
