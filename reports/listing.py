"""Listing: a plain titled table (frameworks, topics, timeline, signatories) in every output format."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..schema.models import Record, Stance, Topic
from .comparison import framework_status
from .wrapping import escape_markdown, hang, wrap_cells


@dataclass(frozen=True)
class Listing:
    """Rows of strings under named columns; `keys` are the machine names used in csv and json."""

    title: str
    columns: tuple[str, ...]
    keys: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    footer: str = ""
    terminal_keys: tuple[str, ...] | None = None  # the columns a terminal table shows (default: all)
    # Shorter words for long values in a terminal table ('intergovernmental-process' -> 'intergov. process').
    terminal_words: Mapping[str, str] = field(default_factory=dict)
    # In a terminal, one entry per row (the first column, then the rest, the last wrapped under it)
    # rather than a table: for rows whose last column is prose (the timeline's descriptions).
    terminal_entries: bool = False
    # Keys whose values say nothing without their column's name ('partial', '9 of 15'): one entry per
    # row shows them as 'text held: partial'.
    labelled: tuple[str, ...] = ()


# Kinds in the words an 80-column table can hold without breaking a word (csv and json keep the values).
TERMINAL_KINDS = {"intergovernmental-process": "intergov. process", "un-resolution": "UN resolution"}


def frameworks_listing(records: Iterable[Record]) -> Listing:
    """`frameworks list`: each framework's id, title, kind, legal force, status today, how much of its
    text is held, how many of its positions are not known, and its aliases."""
    rows = tuple(
        (
            r.id,
            r.short_title,
            r.kind.value,
            r.legal_force.value,
            framework_status(r, None)[0],
            r.text_held.extent.value if r.text_held else "not stated",
            f"{sum(p.stance == 'not-known' for p in r.positions)} of {len(r.positions)}",
            ", ".join(r.aliases),
        )
        for r in records
    )
    return Listing(
        title="Frameworks",
        columns=("Id", "Title", "Kind", "Force", "Status", "Text held", "Not known", "Aliases"),
        keys=("id", "short_title", "kind", "legal_force", "status", "text_held", "not_known", "aliases"),
        rows=rows,
        footer=f"{len(rows)} frameworks. Text held: how much of the text the positions rest on (parts held and missing: "
        "frameworks show ID). Not known: positions whose deciding passage or statement is not held. Compare: frameworks compare ID ID",
        terminal_keys=("id", "short_title", "kind", "legal_force", "status", "text_held", "not_known"),
        terminal_words=TERMINAL_KINDS,
        labelled=("text_held", "not_known"),
    )


def topics_listing(topics: Iterable[Topic]) -> Listing:
    """`frameworks topics`: the vocabulary's questions, and the stances a position takes on each."""
    return Listing(
        title="Topics",
        columns=("Id", "Label", "Question"),
        keys=("id", "label", "question"),
        rows=tuple((t.id, t.label, t.question) for t in topics),
        footer=f"stances: {', '.join(s.value for s in Stance)}",
    )


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(cell: str) -> str:
    """`cell` as a spreadsheet shows it as text: one that begins like a formula gets an apostrophe
    in front (OWASP's advice; the apostrophe is how spreadsheets mark text, and is not shown)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def csv_text(keys: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """CSV: a header line of `keys`, then one line per row. Record text is untrusted, so every data
    cell is quoted (a ";" or "," in it never starts a new cell, whatever separator the spreadsheet
    assumes) and neutralised by spreadsheet_text, as OWASP's CSV injection guidance says."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(keys)
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows([spreadsheet_text(c) for c in row] for row in rows)
    return buffer.getvalue()


def render_listing(listing: Listing, output_format: str, width: int = 100) -> str:
    """`listing` as table, markdown, csv, json or html."""
    if output_format == "json":
        return json.dumps([dict(zip(listing.keys, row, strict=True)) for row in listing.rows], indent=2, ensure_ascii=False) + "\n"
    if output_format == "csv":
        return csv_text(listing.keys, listing.rows)
    if output_format == "markdown":
        lines = [f"## {escape_markdown(listing.title)}", ""]
        lines.append("| " + " | ".join(listing.columns) + " |")
        lines.append("|" + "|".join("---" for _ in listing.columns) + "|")
        lines.extend("| " + " | ".join(escape_markdown(cell) for cell in row) + " |" for row in listing.rows)
        if listing.footer:
            lines += ["", escape_markdown(listing.footer)]
        return "\n".join(lines) + "\n"
    if output_format == "html":
        from .templating import render

        return render("listing.html.j2", listing=listing)
    return terminal_listing(listing, width)


def terminal_listing(listing: Listing, width: int) -> str:
    """The listing for a terminal of `width` columns: a table when it fits without breaking a word,
    else (or when the listing asks for it) one entry per row."""
    from tabulate import tabulate

    shown = [i for i, key in enumerate(listing.keys) if listing.terminal_keys is None or key in listing.terminal_keys]
    columns = tuple(listing.columns[i] for i in shown)
    words = listing.terminal_words
    values = tuple(tuple(words.get(row[i], row[i]) for i in shown) for row in listing.rows)
    rows = None if listing.terminal_entries else wrap_cells(columns, values, width)
    if rows is None:
        # The text hangs under the second column when the first is short (dates), else 4 spaces in.
        indent = max((len(row[0]) for row in values), default=0) + 2
        indent = indent if indent <= 14 else 4
        names = [columns[j].lower() if listing.keys[i] in listing.labelled else "" for j, i in enumerate(shown)]
        labelled = [tuple(f"{n}: {v}" if n and v else v for n, v in zip(names, row, strict=True)) for row in values]
        body = "\n".join(_entry(row, width, indent) for row in labelled) if values else "(none)"
    else:
        body = tabulate(rows, headers=columns, tablefmt="simple", disable_numparse=True)
    footer = f"\n{hang(listing.footer, width, 0)}\n" if listing.footer else ""
    return f"{hang(listing.title, width, 0)}\n\n{body}\n{footer}"


def _entry(row: tuple[str, ...], width: int, indent: int) -> str:
    """'19 Dec 1966  Outer Space Treaty (1967) · adopted' and, indented under it, the last column."""
    first, *middle, last = row if len(row) > 1 else (*row, "")
    head = first + " " * max(2, indent - len(first)) + " · ".join(cell for cell in middle if cell) if any(middle) else first
    lines = [hang(head, width, indent)]
    if last:
        lines.append(hang(" " * indent + last, width, indent))
    return "\n".join(lines)
