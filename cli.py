"""The `frameworks` command: parse arguments, call schema/ and reports/, print, set the exit code.

Exit codes: ExitStatus (status.py), one meaning per code. No command prints a traceback for a user mistake. Heavy modules
(pydantic, WeasyPrint, Jinja2) are imported inside the commands that need them, so --help is fast.
No `from __future__ import annotations` here: typer reads every command's annotations when it builds
the command line, and evaluating them from strings cost about a tenth of a compare's start-up.
"""

import datetime as dt
import difflib
import os
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
import typer.core

from . import __version__
from .reports.output import DATA_FORMATS, Format, FormatError, format_for, format_of
from .schema.paths import ROOT_ENV
from .status import ExitStatus

if TYPE_CHECKING:  # the records layer imports pydantic; commands import it when they run, so --help stays fast
    from .schema.dataset import Dataset


ANALYSIS = "Analysis"
CONTRIBUTING = "Contributing"


class PlainArgument(typer.core.TyperArgument):
    """An argument whose help shows its metavar (ID...) and not a Python type (<list[str]>)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class SectionedGroup(typer.core.TyperGroup):
    """Lists analysis commands apart from contributor commands in --help (without rich installed,
    typer ignores rich_help_panel, so the sections are drawn here from it)."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        for param in getattr(command, "params", []):
            if type(param) is typer.core.TyperArgument:
                param.__class__ = PlainArgument
        return command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        sections: dict[str, list[tuple[str, str]]] = {ANALYSIS: [], CONTRIBUTING: []}
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            panel = getattr(command, "rich_help_panel", None) or ANALYSIS
            sections.setdefault(panel, []).append((name, command.get_short_help_str(limit=formatter.width - 16)))
        for title, rows in sections.items():
            if rows:
                with formatter.section(f"{title} commands"):
                    formatter.write_dl(rows)


app = typer.Typer(
    cls=SectionedGroup,
    help="Compare the legal frameworks for space resources, point by point, with the exact words of each text.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@dataclass(frozen=True)
class Settings:
    """What the main options set for every command (built in the callback, kept in the click context)."""

    root: Path | None = None


def settings(ctx: typer.Context) -> Settings:
    """The settings of this run."""
    return ctx.obj if isinstance(ctx.obj, Settings) else Settings()


RootOption = Annotated[
    Path | None,
    typer.Option("--root", envvar=ROOT_ENV, metavar="DIR", help="Folder holding frameworks/ (and seeds/), e.g. a contributor's checkout."),
]
FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format", "-f", metavar="FORMAT", help="table, markdown, csv, json or html (default: from -o FILE's extension, else table)."
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout; .json .csv .md .html .txt pick the format."
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE", help="Answer as of DATE (YYYY-MM-DD): status events, and each position's reading then."),
]
SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="DATE|FILE",
        help="Add what changed since DATE (YYYY-MM-DD), or since an earlier edition exported with: frameworks export -o FILE.json.",
    ),
]
TopicOption = Annotated[
    list[str] | None, typer.Option("--topic", "-t", metavar="TOPIC", help="Only this topic (repeatable; see frameworks topics).")
]


def show_version(value: bool) -> None:
    """--version: print the version and stop."""
    if value:
        typer.echo(f"frameworks {__version__}")
        raise typer.Exit(ExitStatus.SUCCESS)


@app.callback()
def main_options(
    ctx: typer.Context,
    root: RootOption = None,
    version: Annotated[bool, typer.Option("--version", callback=show_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Compare the legal frameworks for space resources."""
    ctx.obj = Settings(root=root)


def say(message: str) -> None:
    """Print one line to stderr, with any control character from a path or a record made visible.
    A message that cannot be shown (stderr closed, or a pipe nobody reads) is dropped quietly."""
    from .schema.problems import printable

    try:
        typer.echo(printable(message), err=True)
    except (OSError, ValueError):
        # From now on to /dev/null: the interpreter's last flush of stderr must not fail either.
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the life of the process


def fail(message: str, code: ExitStatus = ExitStatus.USAGE) -> NoReturn:
    """Print a one-line error to stderr and exit."""
    say(f"frameworks: {message}")
    raise typer.Exit(code)


def choose_format(given: str | None, output: Path | None, allowed: tuple[Format, ...] = DATA_FORMATS) -> Format:
    """The output format (reports.output.format_for: --format, else -o FILE's extension, else the
    first allowed); exits 2 when the command cannot write what is asked for."""
    try:
        return format_for(given, output, allowed)
    except FormatError as exc:
        fail(str(exc))


def load(ctx: typer.Context) -> "Dataset":
    """The records in use, loaded as validate checks them; invalid ones are left out, one stderr line each."""
    from .schema.cache import enabled
    from .schema.dataset import load_dataset
    from .schema.paths import DataRootError

    try:
        dataset = load_dataset(settings(ctx).root, cached=enabled())
    except DataRootError as exc:
        fail(str(exc))
    for left_out in dataset.left_out:
        say(f"frameworks: {left_out}")
    return dataset


def load_as_of(ctx: typer.Context, date: dt.date | None) -> "Dataset":
    """The records in use (load) as they stood on `date`: each position the reading then in force
    (schema.readings), status events up to that date; all of them when `date` is None."""
    from .schema.readings import dataset_as_of

    return dataset_as_of(load(ctx), date)


def resolve(dataset: "Dataset", names: list[str]) -> list[str]:
    """Record ids for the ids or aliases given; exits 1 on a left-out (invalid) record, 2 on an unknown one."""
    from .schema.dataset import UnknownFramework
    from .schema.problems import display_path

    ids = []
    for name in names:
        try:
            ids.append(dataset.resolve(name).id)
        except UnknownFramework as exc:
            left_out = dataset.left_out_named(name)
            if left_out is not None:
                fail(f"'{name}' is left out as invalid: fix {display_path(left_out.path)} first", ExitStatus.ERROR)
            fail(str(exc))
    return list(dict.fromkeys(ids))


def emit(text: str | Iterable[str], output: Path | None) -> None:
    """Print `text` (or its pieces, in turn), or write it atomically to `output` (the one writer of every output)."""
    pieces = [text if text.endswith("\n") else text + "\n"] if isinstance(text, str) else text
    if output is None:
        for piece in pieces:
            sys.stdout.write(piece)
        return
    write_file((piece.encode("utf-8") for piece in pieces), output)
    say(f"wrote {output}")


def write_file(data: bytes | Iterable[bytes], output: Path, sidecars: tuple[str, ...] = (), *, overwrite: bool = True) -> None:
    """Write `data` atomically to `output` with reports.output's one writer; a refusal or failure
    exits 4 (ExitStatus.OUTPUT). Without `overwrite`, an existing `output` raises FileExistsError."""
    from .reports.output import OutputRefused, write_atomically

    try:
        write_atomically(output, data, sidecars=sidecars, overwrite=overwrite)
    except OutputRefused as exc:
        fail(f"cannot write {output}: {exc.strerror}", ExitStatus.OUTPUT)
    except FileExistsError:
        raise
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}", ExitStatus.OUTPUT)


def check_writable(output: Path) -> None:
    """Exit 4 at once if `output` cannot be written, before work that takes seconds (a PDF's layout)."""
    from .reports.output import OutputRefused
    from .reports.output import check_writable as refuse_unwritable

    try:
        refuse_unwritable(output)
    except OutputRefused as exc:
        fail(f"cannot write {output}: {exc.strerror}", ExitStatus.OUTPUT)


@app.command(rich_help_panel=CONTRIBUTING, epilog="Example: frameworks validate frameworks/my-id.yaml (--draft while writing it)")
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None, typer.Argument(metavar="[FILE...]", help="Record files or folders (default: the records in use).")
    ] = None,
    output_format: Annotated[
        str | None, typer.Option("--format", "-f", metavar="FORMAT", help="text, json, or github annotations.")
    ] = None,
    draft: Annotated[
        bool, typer.Option("--draft", help="A record in progress: report the rubric's and sources' checks as warnings, not errors.")
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", hidden=True, help="The default; kept for old scripts.")] = False,
) -> None:
    """Check records: structure, ids, citations, verbatim quotes, the texts' SHA-256, dates. Exit 0 valid, 1 invalid, 2 usage error."""
    from .reports.validation_report import render_problems
    from .schema.paths import DataRootError
    from .schema.validation import validate as run_validation

    chosen = choose_format(output_format, None, (Format.text, Format.json, Format.github))
    for path in paths or []:
        if not path.exists() and not path.is_symlink():
            fail(f"{path}: no such file or folder")
    try:
        result = run_validation(list(paths) if paths else None, settings(ctx).root, strict=strict or not draft)
    except DataRootError as exc:
        fail(str(exc))
    typer.echo(render_problems(result.problems, result.files, chosen.value), nl=False)
    raise typer.Exit(ExitStatus.SUCCESS if result.ok else ExitStatus.ERROR)


@app.command("text-hash", rich_help_panel=CONTRIBUTING, epilog="Example: frameworks text-hash seeds/texts/ost-1967.txt")
def text_hash(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Texts under seeds/texts/.")],
) -> None:
    """Print the '# body-sha256:' header line of each text (the SHA-256 of its body), and whether the header has it."""
    from .schema.texts import read_source_text

    for path in files:
        try:
            text = read_source_text(path.parent.parent, path.stem) if path.suffix == ".txt" else None
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}")
        if text is None:
            fail(f"{path}: a text is a .txt file under seeds/texts/")
        state = (
            "matches its header"
            if text.recorded_hash == text.actual_hash
            else ("header has none" if text.recorded_hash is None else "header differs")
        )
        typer.echo(f"{path}: # body-sha256: {text.actual_hash}  ({state})")


# --- commands that print data: they share --format and --output -----------------------------


def as_of_date(value: str | None, option: str = "--as-of") -> dt.date | None:
    """Parse a date option (--as-of, --since, --until); exits 2 on a malformed or impossible date."""
    if value is None:
        return None
    parts = value.strip().split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        fail(f"{option} '{value}': give a date as YYYY-MM-DD, e.g. 2020-10-13")
    try:
        return dt.date(*(int(p) for p in parts))
    except ValueError:
        fail(f"{option} '{value}': {value} is not a real date")


def terminal_width() -> int:
    """Columns of the terminal (or $COLUMNS), 100 when output is not a terminal."""
    return shutil.get_terminal_size((100, 24)).columns


def use_colour(output: Path | None) -> bool:
    """Colour stances only on a terminal, and never when NO_COLOR is set."""
    return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@app.command("list", rich_help_panel=ANALYSIS, epilog="Example: frameworks list --format csv -o frameworks.csv")
def list_frameworks(ctx: typer.Context, output_format: FormatOption = None, output: OutputOption = None) -> None:
    """List the frameworks: id, title, kind, legal force, status."""
    chosen = choose_format(output_format, output)
    from .reports.listing import frameworks_listing, render_listing

    emit(render_listing(frameworks_listing(load(ctx).records.stream()), chosen, terminal_width()), output)


@app.command(rich_help_panel=ANALYSIS, epilog="Example: frameworks topics --format markdown")
def topics(output_format: FormatOption = None, output: OutputOption = None) -> None:
    """List the topics every framework takes a position on."""
    chosen = choose_format(output_format, output)
    from .reports.listing import render_listing, topics_listing
    from .schema.load import load_topics

    emit(render_listing(topics_listing(load_topics()), chosen, terminal_width()), output)


@app.command(rich_help_panel=ANALYSIS, epilog="Example: frameworks show eo-13914 --format markdown")
def show(
    ctx: typer.Context,
    framework: Annotated[str, typer.Argument(metavar="ID", help="Id or alias.")],
    as_of: AsOfOption = None,
    output_format: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Show one framework in full: status, positions with quotes, sources, corrections."""
    chosen = choose_format(output_format, output)
    date = as_of_date(as_of)
    from .reports.show import record_report, render_record

    dataset = load_as_of(ctx, date)
    [record_id] = resolve(dataset, [framework])
    emit(render_record(record_report(dataset, record_id, as_of=date), chosen, terminal_width()), output)


@app.command(rich_help_panel=ANALYSIS, epilog="Example: frameworks compare ost us-eo-2020 lux-2017 --differences --as-of 2020-10-01")
def compare(
    ctx: typer.Context,
    frameworks: Annotated[list[str] | None, typer.Argument(metavar="ID...", help="Ids or aliases of the frameworks to compare.")] = None,
    topic: TopicOption = None,
    all_frameworks: Annotated[bool, typer.Option("--all", help="Compare every framework.")] = False,
    differences: Annotated[
        bool,
        typer.Option(
            "--differences", "-d", help="Only the topics where the frameworks differ: opposed, differ in degree, one side silent."
        ),
    ] = False,
    relation: Annotated[
        list[str] | None,
        typer.Option(
            "--relation",
            "-r",
            metavar="KIND",
            help="Only the topics in this relation (repeatable): opposed, differ-in-degree, one-side-silent, agree, ...",
        ),
    ] = None,
    as_of: AsOfOption = None,
    quotes: Annotated[bool, typer.Option("--quotes", "-q", help="Show the verbatim text under each cell.")] = False,
    grid: Annotated[
        bool, typer.Option("--grid", "--stances-only", help="Only the stances: one row per framework, one column per topic.")
    ] = False,
    output_format: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Compare frameworks side by side, one row per topic (--grid: the stances alone, for any number of frameworks)."""
    chosen = choose_format(output_format, output)
    date = as_of_date(as_of)
    from .reports.comparison import HEADLINE_ORDER, build_comparison
    from .reports.render import render_comparison
    from .schema.dataset import UnknownTopic

    dataset = load(ctx)
    if all_frameworks:  # in the one reading order, as the pack and the site list them
        from .reports.vocabulary import reading_order

        ids = [r.id for r in reading_order(dataset.records.values())]
    else:
        ids = resolve(dataset, frameworks or [])
    if not ids:
        fail("name at least one framework (see 'frameworks list'), or use --all")
    try:
        wanted = dataset.topic_ids(topic)
    except UnknownTopic as exc:
        fail(str(exc))
    unknown = [r for r in relation or [] if r not in HEADLINE_ORDER]
    if unknown:
        fail(f"unknown relation '{unknown[0]}': choose from {', '.join(HEADLINE_ORDER)}")
    comparison = build_comparison(dataset, ids, topics=wanted, as_of=date, differences_only=differences, relations=relation)
    if grid:
        from .reports.grid import render_grid

        emit(render_grid(comparison, chosen, width=terminal_width(), colour=use_colour(output)), output)
        return
    text = render_comparison(comparison, chosen, width=terminal_width(), colour=use_colour(output), quotes=quotes)
    emit(text, output)


@app.command(rich_help_panel=ANALYSIS, epilog="Example: frameworks timeline ost artemis-accords --since 2020-01-01 --kind signed")
def timeline(
    ctx: typer.Context,
    frameworks: Annotated[list[str] | None, typer.Argument(metavar="[ID...]", help="Ids or aliases (default: all).")] = None,
    as_of: AsOfOption = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help="Only events from DATE (YYYY-MM-DD) on.")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="DATE", help="Only events up to DATE (YYYY-MM-DD).")] = None,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", "-k", metavar="EVENT", help="Only this kind of event, e.g. signed, in-force (repeatable).")
    ] = None,
    signatures: Annotated[
        bool, typer.Option("--signatures", help="List each State's signature, ratification or accession (default: one line per act).")
    ] = False,
    output_format: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """The dated events of the chosen frameworks, merged in date order; the acts of States grouped unless --signatures."""
    chosen = choose_format(output_format, output)
    dates = [d for d in (as_of_date(as_of), as_of_date(until, "--until")) if d is not None]
    start = as_of_date(since, "--since")
    kinds = event_kinds(kind)
    from .reports.listing import render_listing
    from .reports.timeline import timeline as build_timeline

    dataset = load(ctx)
    ids = resolve(dataset, frameworks) if frameworks else list(dataset.records)
    listing = build_timeline([dataset.records[i] for i in ids], min(dates, default=None), since=start, kinds=kinds, signatures=signatures)
    emit(render_listing(listing, chosen, terminal_width()), output)


@app.command(rich_help_panel=ANALYSIS, epilog="Example: frameworks history russia --topic resource-ownership")
def history(
    ctx: typer.Context,
    frameworks: Annotated[list[str], typer.Argument(metavar="ID [ID...]", help="Ids or aliases (several: their readings merged by date).")],
    topic: TopicOption = None,
    output_format: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """How each position moved: its readings in date order, with what each rests on."""
    chosen = choose_format(output_format, output)
    from .reports.history import history as build_history
    from .reports.listing import render_listing
    from .schema.dataset import UnknownTopic

    dataset = load(ctx)
    ids = resolve(dataset, frameworks)
    try:
        wanted = dataset.topic_ids(topic)
    except UnknownTopic as exc:
        fail(str(exc))
    topics = [t for t in dataset.topics if wanted is None or t.id in wanted]
    emit(render_listing(build_history([dataset.records[i] for i in ids], topics), chosen, terminal_width()), output)


@app.command(rich_help_panel=ANALYSIS, epilog="Example: frameworks diff 62089ca HEAD --format markdown")
def diff(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(metavar="OLD", help="An export (frameworks export -o FILE.json) or a git revision of the records.")],
    new: Annotated[
        str | None, typer.Argument(metavar="[NEW]", help="Another export or git revision (default: the records in use).")
    ] = None,
    output_format: Annotated[
        str | None, typer.Option("--format", "-f", metavar="FORMAT", help="table (text), markdown or json (default: from -o FILE).")
    ] = None,
    output: OutputOption = None,
) -> None:
    """What changed between two editions of the data: frameworks, stances, summaries, readings, parties, sources."""
    chosen = choose_format(output_format, output, (Format.table, Format.text, Format.markdown, Format.json))
    from .reports.diff import diff_editions, render_changes
    from .schema.editions import EditionError, edition_of_records, load_edition

    dataset = load(ctx)
    try:
        before = load_edition(old, dataset.root)
        after = edition_of_records(dataset.records.stream(), "the records in use") if new is None else load_edition(new, dataset.root)
    except EditionError as exc:
        fail(str(exc))
    emit(render_changes(diff_editions(before, after), chosen.value, terminal_width()), output)


def changes_since(dataset: "Dataset", ids: list[str], since: str | None, as_of: dt.date | None) -> Any:
    """--since DATE|FILE: what changed in `ids` since a date (the records' own history) or since an
    earlier export (a diff of editions); None without --since. Exits 2 when neither can be read."""
    if since is None:
        return None
    from .reports.diff import changes_in_history, changes_since_export
    from .schema.editions import EditionError

    records = [dataset.records[i] for i in ids]
    if not Path(since).is_file():
        return changes_in_history(records, as_of_date(since, "--since"), as_of)
    try:
        return changes_since_export(Path(since), records)
    except EditionError as exc:
        fail(str(exc))


def event_kinds(given: list[str] | None) -> frozenset[str] | None:
    """--kind values as event types ('in force' and 'in-force' are 'entered-into-force'); exits 2 on an unknown one."""
    if not given:
        return None
    from .schema.models import EventType

    names = {e.value: e.value for e in EventType} | {"in-force": EventType.entered_into_force.value, "withdrew": "withdrawal-effective"}
    kinds = set()
    for value in given:
        wanted = "-".join(value.strip().lower().split())
        if wanted not in names:
            close = difflib.get_close_matches(wanted, list(names), n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            fail(f"--kind '{value}': unknown kind of event; {hint}choose one of {', '.join(sorted(names))}")
        kinds.add(names[wanted])
    return frozenset(kinds)


@app.command(rich_help_panel=ANALYSIS, epilog="Example: frameworks signatories artemis-accords --as-of 2022-01-01")
def signatories(
    ctx: typer.Context,
    framework: Annotated[str, typer.Argument(metavar="ID", help="Id or alias.")],
    as_of: AsOfOption = None,
    output_format: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """The States that had signed, ratified or acceded to a framework (by --as-of)."""
    chosen = choose_format(output_format, output)
    date = as_of_date(as_of)
    from .reports.listing import render_listing
    from .reports.timeline import signatories as build_signatories

    dataset = load(ctx)
    [record_id] = resolve(dataset, [framework])
    listing = build_signatories(dataset.records[record_id], date)
    emit(render_listing(listing, chosen, terminal_width()), output)


@app.command(rich_help_panel=ANALYSIS, epilog="Example: frameworks participation Japan")
def participation(
    ctx: typer.Context,
    state: Annotated[str, typer.Argument(metavar="STATE", help="A State's name as the records spell it, e.g. Japan, 'United Kingdom'.")],
    as_of: AsOfOption = None,
    output_format: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """The instruments a State has signed, ratified or joined, with the dates and how complete each list is."""
    chosen = choose_format(output_format, output)
    date = as_of_date(as_of)
    from .reports.listing import render_listing
    from .reports.timeline import participation as build_participation
    from .reports.timeline import party_names_like

    records = list(load(ctx).records.stream())
    close = party_names_like(records, state)
    if close:
        fail(f"no act of '{state}' is recorded; did you mean {' or '.join(close)}?")
    if close is not None:
        say(f"frameworks: no act of '{state}' is recorded in any framework (names as the records spell them: frameworks signatories ID)")
    emit(render_listing(build_participation(records, state, date), chosen, terminal_width()), output)


@app.command(rich_help_panel=ANALYSIS, epilog="Example: frameworks export -o positions.csv")
def export(
    ctx: typer.Context,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="json (records), csv (positions) or sqlite (a database, needs -o); default: from -o FILE, else json.",
        ),
    ] = None,
    output: OutputOption = None,
    as_of: AsOfOption = None,
) -> None:
    """The whole dataset, for spreadsheets and other tools (--as-of: as it stood on that date)."""
    chosen = choose_format(output_format, output, (Format.json, Format.csv, Format.sqlite))
    date = as_of_date(as_of)
    from .reports.export import dataset_csv, dataset_json_chunks

    dataset = load_as_of(ctx, date)
    if chosen == Format.sqlite:
        export_sqlite(dataset, output, date)
        return
    if chosen == Format.csv:
        emit(dataset_csv(dataset, as_of=date), output)
    else:
        emit(dataset_json_chunks(dataset, as_of=date), output)


def export_sqlite(dataset: "Dataset", output: Path | None, as_of: dt.date | None = None) -> None:
    """`export --format sqlite -o FILE`: the dataset as an SQLite database (reports.sqlite)."""
    from .reports.sqlite import SIDECARS, sqlite_bytes

    if output is None:
        fail("an SQLite database is a file: give it with -o FILE, e.g. -o frameworks.db")
    try:
        data, counts = sqlite_bytes(dataset, as_of=as_of)
    except OSError as exc:
        fail(f"cannot build the database: {exc}", ExitStatus.OUTPUT)
    write_file(data, output, SIDECARS)
    say(f"wrote {output} ({counts['frameworks']} frameworks, {counts['positions']} positions); browse it with: datasette {output}")


@app.command(rich_help_panel=ANALYSIS, epilog="Example: frameworks site -o site/ && python3 -m http.server -d site/")
def site(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="DIR", help="The folder to write the website to (replaced whole, atomically).")
    ],
    as_of: AsOfOption = None,
    since: SinceOption = None,
) -> None:
    """Build a static, self-contained website of the whole dataset: overview grid, framework, topic and compare pages."""
    from .reports.site import SiteError, write_site

    date = as_of_date(as_of)
    dataset = load_as_of(ctx, date)
    changes = changes_since(dataset, list(dataset.records), since, date)
    try:
        result = write_site(dataset, output, day=date, changes=changes)
    except SiteError as exc:
        fail(str(exc), ExitStatus.OUTPUT)
    except OSError as exc:
        fail(f"cannot write the site to {output}: {exc.strerror or exc}", ExitStatus.OUTPUT)
    say(f"wrote {output}/ ({result.pages} pages, {result.files} files); to look at it: python3 -m http.server -d {output}")


@app.command(rich_help_panel=ANALYSIS, epilog="Example: frameworks cite ost --provision art_2 --style bluebook")
def cite(
    ctx: typer.Context,
    framework: Annotated[str, typer.Argument(metavar="ID", help="Id or alias.")],
    topic: Annotated[
        str | None, typer.Option("--topic", "-t", metavar="TOPIC", help="Cite the position on this topic, with its pinpoints.")
    ] = None,
    provision: Annotated[str | None, typer.Option("--provision", "-p", metavar="PINPOINT", help="Cite one provision, e.g. art_2.")] = None,
    style: Annotated[str, typer.Option("--style", "-s", metavar="STYLE", help="oscola, bluebook, bibtex or csl-json.")] = "oscola",
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (atomically).")] = None,
) -> None:
    """Cite a framework, one provision, or one position, as lawyers do (UNTS, Fed. Reg., Stat., U.S.C. where the
    record holds them), with the dataset version it was read in."""
    from .reports.citation import CitationError, Style, make_citation, render_citation

    names = [s.value for s in Style]
    if style.strip().lower() not in names:
        close = difflib.get_close_matches(style.strip().lower(), names, n=1)
        fail(f"--style '{style}': unknown style; {f'did you mean {close[0]}? ' if close else ''}choose one of {', '.join(names)}")
    if topic is not None and provision is not None:
        fail("give --topic or --provision, not both")
    dataset = load(ctx)
    [record_id] = resolve(dataset, [framework])
    label = None
    if topic is not None:
        from .schema.dataset import UnknownTopic

        try:
            dataset.topic_ids([topic])
        except UnknownTopic as exc:
            fail(str(exc))
        label = next(t.label for t in dataset.topics if t.id == topic)
    try:
        citation = make_citation(dataset.records[record_id], provision=provision, topic=topic, topic_label=label)
    except CitationError as exc:
        fail(str(exc))
    emit(render_citation(citation, Style(style.strip().lower())), output)


# --- sources: is what the records quote still what the official pages say? ------------------

sources_app = typer.Typer(
    cls=SectionedGroup,
    help="Watch the sources the records rest on: re-read them and say what changed.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(sources_app, name="sources", rich_help_panel=CONTRIBUTING)


def progress_bar(total: int) -> Any:
    """A callback drawing `[####....] n/total` on stderr when stderr is a terminal; else one that does nothing."""
    if not sys.stderr.isatty() or total == 0:
        return None
    done = [0]

    def advance(result: Any) -> None:
        done[0] += 1
        filled = 30 * done[0] // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done[0]}/{total} sources")
        if done[0] == total:
            sys.stderr.write("\r" + " " * 60 + "\r")
        sys.stderr.flush()

    return advance


@sources_app.command(
    "check",
    epilog="Exit codes: 0 every source checked and nothing to re-verify; 1 a source changed or moved (records to re-verify); "
    "2 a usage mistake; 3 nothing changed but some sources could not be checked. Example: frameworks sources check ost --format json",
)
def sources_check(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None, typer.Argument(metavar="[ID...]", help="Records (ids or aliases) or text ids; default: every source.")
    ] = None,
    output_format: Annotated[
        str | None, typer.Option("--format", "-f", metavar="FORMAT", help="text, json, or github annotations.")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write the report to FILE (atomically).")] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, max=16, help="Sources fetched at once.")] = 4,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, metavar="SECONDS", help="Longest wait for a connection or a piece of an answer.")
    ] = 20.0,
    deadline: Annotated[float, typer.Option("--deadline", min=0.1, metavar="SECONDS", help="Longest time for one whole answer.")] = 60.0,
    max_size: Annotated[float, typer.Option("--max-size", min=0.01, metavar="MIB", help="Largest answer read, in MiB.")] = 25.0,
    retries: Annotated[
        int, typer.Option("--retries", min=0, max=5, help="Further tries (with back-off) after a timeout, a failed connection, 429 or 5xx.")
    ] = 2,
) -> None:
    """Re-read each official text's page and each source with a URL; report unchanged, changed (with a diff and the
    records to re-verify), moved, or unreachable (not checked: never a pass). Never modifies a record."""
    chosen = choose_format(output_format, output, (Format.text, Format.json, Format.github))
    from .reports.fetch import FetchLimits
    from .reports.sources import UnknownSource, check_sources, render_report, watch_list

    dataset = load(ctx)
    try:
        items = watch_list(dataset, names)
    except UnknownSource as exc:
        fail(str(exc))
    limits = FetchLimits(
        connect_timeout=timeout, read_timeout=timeout, deadline=deadline, max_bytes=int(max_size * 1024 * 1024), retries=retries
    )
    report = check_sources(items, limits, concurrency, on_result=progress_bar(len(items)))
    emit(render_report(report, chosen.value), output)
    raise typer.Exit(report.exit_code)


# --- contributor commands: the record schema and new-record templates -----------------------


@app.command("schema", rich_help_panel=CONTRIBUTING, epilog="Example: frameworks schema -o schema/framework.schema.json")
def schema_command(output: OutputOption = None) -> None:
    """Print the JSON Schema of a framework record (committed as schema/framework.schema.json)."""
    choose_format(None, output, (Format.json,))
    from .schema.json_schema import schema_text

    emit(schema_text(), output)


def stdout_redirected() -> bool:
    """Whether standard output is a real file or pipe rather than a terminal (`> file`, `| less`)."""
    try:
        return not os.isatty(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError and a ValueError
        return False


@app.command("new", rich_help_panel=CONTRIBUTING, epilog="Example: frameworks new moon-agreement --kind treaty")
def new_command(
    ctx: typer.Context,
    record_id: Annotated[str, typer.Argument(metavar="ID", help="Id of the new record: lower-case words and dashes, e.g. moon-agreement.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            "-k",
            metavar="KIND",
            help="The sort of instrument, e.g. treaty, statute, political-accord, national-position (a wrong one lists them all).",
        ),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write here instead of frameworks/ID.yaml; '-' prints it.")
    ] = None,
) -> None:
    """Write a commented template record to frameworks/ID.yaml (or print it when stdout is redirected:
    frameworks new ID --kind KIND > frameworks/ID.yaml); `frameworks validate` then lists what is left to fill in."""
    from .schema.template import NewRecordError, plan_new_record

    to_stdout = output == Path("-") or (output is None and stdout_redirected())
    try:
        path, text, places = plan_new_record(record_id, kind, None if to_stdout else output, settings(ctx).root, check_exists=not to_stdout)
    except NewRecordError as exc:
        fail(str(exc))
    if to_stdout:
        sys.stdout.write(text)
        # Where standard output goes is not ours to know: name no file.
        say(f"printed a template for {record_id} on standard output, no file written: fill in its {places} values marked TODO,")
        say("then run frameworks validate on the file you keep it in")
        return
    try:
        write_file(text.encode("utf-8"), path, overwrite=False)  # never over a contributor's file
    except FileExistsError:
        fail(f"{path} already exists: edit it, or choose another id")
    say(f"wrote {path}: fill in the {places} values marked TODO, then run: frameworks validate {path}")


# --- PDF: the brief and the briefing pack (WeasyPrint is imported only here) ------------------


def check_pdf_output(output: Path) -> None:
    """Exit 2 unless `output` is named .pdf (brief.html or x.docx would hold a PDF under a false
    name), 4 if it cannot be written: both before seconds of layout."""
    if output.suffix.lower() != ".pdf":
        implied = format_of(output)
        other = f" (for {implied.value}, use frameworks compare or show with -o)" if implied is not None else ""
        fail(f"{output}: brief and pack write PDF: name the file .pdf{other}")
    check_writable(output)


def write_pdf(dataset: "Dataset", ids: list[str], output: Path, **options: Any) -> None:
    """Build and render the brief or pack (reports.pdf), with the records' YAML attached, and write it as
    bytes with the one writer of outputs."""
    from .reports import pdf

    try:
        record_files = {i: dataset.files[i].read_bytes() for i in ids}  # attached to the PDF
    except OSError as exc:
        fail(f"cannot read {exc.filename}: {exc.strerror or exc}")
    try:
        result = pdf.render_pdf(pdf.build_brief(dataset, ids, sources=record_files, **options))
    except pdf.BriefError as exc:
        fail(str(exc))
    except OSError as exc:  # WeasyPrint writes its fonts to temporary files: a full disk, a file-size limit
        fail(f"cannot make {output}: {exc.strerror or exc}", ExitStatus.OUTPUT)
    write_file(result.data, output)
    for warning in result.warnings:
        say(f"frameworks: warning: {warning}")
    say(f"wrote {output} ({result.pages} pages)")


@app.command(rich_help_panel=ANALYSIS, epilog="Example: frameworks brief ost us-eo-2020 -o brief.pdf")
def brief(
    ctx: typer.Context,
    frameworks: Annotated[list[str], typer.Argument(metavar="ID ID [ID...]", help="Ids or aliases of the frameworks (two or more).")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE", help="The PDF file to write (atomically).")],
    topic: TopicOption = None,
    as_of: AsOfOption = None,
    full: Annotated[bool, typer.Option("--full", help="The detailed edition: every quote, and a timeline.")] = False,
    since: SinceOption = None,
) -> None:
    """Write a PDF brief: key differences, a one-page matrix, what each cell rests on, sources (--full: every quote)."""
    check_pdf_output(output)
    date = as_of_date(as_of)
    dataset = load_as_of(ctx, date)
    ids = resolve(dataset, frameworks)
    if len(ids) < 2:
        fail("a brief compares two or more frameworks; for one, use: frameworks pack ID -o FILE")
    changes = changes_since(dataset, ids, since, date)
    write_pdf(dataset, ids, output, topics=topic, as_of=date, full=full, changes=changes)


@app.command(rich_help_panel=ANALYSIS, epilog="Example: frameworks pack -o pack.pdf")
def pack(
    ctx: typer.Context,
    frameworks: Annotated[list[str] | None, typer.Argument(metavar="[ID...]", help="Ids or aliases (default: every framework).")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="The PDF file to write (atomically). Required.")
    ] = None,
    as_of: AsOfOption = None,
    since: SinceOption = None,
) -> None:
    """Write the briefing pack: an overview grid of every framework (or those named), then one chapter each."""
    if output is None:
        fail("give the PDF file to write with -o FILE")
    check_pdf_output(output)
    date = as_of_date(as_of)
    dataset = load_as_of(ctx, date)
    ids = resolve(dataset, frameworks) if frameworks else list(dataset.records)
    if not ids:
        fail("no frameworks to put in the pack")
    write_pdf(dataset, ids, output, pack=True, as_of=date, changes=changes_since(dataset, ids, since, date))


def main() -> None:
    """Run the typer app and turn what surfaces (a broken pipe, a full disk) into an exit status.

    Signals are __main__.py's: it is the console script and `python -m space_frameworks`."""
    try:
        try:
            app()
        finally:
            sys.stdout.flush()  # here, not at exit, so that a full disk is reported as one line
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly.
        _silence_stdout()
        sys.exit(ExitStatus.SUCCESS)
    except OSError as exc:  # writing to stdout failed (a full disk: `> /dev/full`; stdout closed)
        _silence_stdout()
        say(f"frameworks: cannot write the output: {exc.strerror or exc}")
        sys.exit(ExitStatus.OUTPUT)
    except Exception as exc:
        from .schema.dataset import RecordUnavailable

        if not isinstance(exc, RecordUnavailable):
            raise
        say(f"frameworks: {exc}")
        sys.exit(ExitStatus.ERROR)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush has nothing to fail on."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
