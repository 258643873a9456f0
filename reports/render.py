"""Renderers of a Comparison: terminal table, markdown, csv and json (html and pdf have modules of
their own because they use Jinja2 and WeasyPrint, which only they should pay to import)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from .comparison import HEADLINE_ORDER, Cell, Column, Comparison, Quote, Row, SourceRef, stance_words
from .listing import csv_text
from .vocabulary import RELATION_BY_ID, colour_stance, relation_mark
from .wrapping import escape_markdown, wrap

# /3: relations are opposed, differ-in-degree, one-side-silent, agree, all-silent, not-comparable
# (/2 had differ, agree, silent, not comparable); counts keyed by those ids; "shown" replaces
# "differences_only"; each cell says what it rests on ("support").
JSON_FORMAT = "frameworks.comparison/3"
CSV_FIELDS = (
    "framework",
    "topic",
    "relation",
    "stance",
    "summary",
    "gist",
    "pinpoints",
    "quotes",
    "sources",
    "note",
    "not_held",
    "support",
)
# Below this many characters per framework column the side-by-side table is unreadable, so the
# terminal renderer stacks the frameworks under each topic instead.
MIN_COLUMN = 18
TOPIC_COLUMN = 18


def render_comparison(comparison: Comparison, output_format: str, *, width: int = 100, colour: bool = False, quotes: bool = False) -> str:
    """`comparison` in one of: table, markdown, csv, json, html."""
    if output_format == "json":
        return json.dumps(comparison_to_dict(comparison), indent=2, ensure_ascii=False) + "\n"
    if output_format == "csv":
        return comparison_to_csv(comparison)
    if output_format == "markdown":
        return comparison_to_markdown(comparison, quotes=quotes)
    if output_format == "html":
        from .templating import render

        return render("comparison.html.j2", c=comparison, title=heading(comparison), subtitle=subtitle(comparison), quotes=quotes)
    return comparison_to_table(comparison, width=width, colour=colour, quotes=quotes)


# A title longer than this (two lines of a narrow terminal) names the frameworks by number only.
HEADING_MAX = 150


def heading(comparison: Comparison) -> str:
    """The title every format uses: 'Outer Space Treaty (ost) vs EO 13914 (us-eo-2020)' for up to
    three frameworks; '5 frameworks compared: ost, us-eo-2020, ...' for more, or, when even the ids
    would run past two lines, '16 frameworks compared' (the table names each)."""
    columns = comparison.columns
    if len(columns) <= 3:
        return " vs ".join(f"{c.short_title} ({c.id})" for c in columns)
    ids = f"{len(columns)} frameworks compared: " + ", ".join(c.id for c in columns)
    return ids if len(ids) <= HEADING_MAX else f"{len(columns)} frameworks compared"


def subtitle(comparison: Comparison) -> str:
    """'as of 2020-01-01 · agree on 6 of 15 topics · showing only the 9 that differ'."""
    parts = [f"as of {comparison.as_of}"] if comparison.as_of else []
    parts.append(comparison.agreement())
    if comparison.shown is not None:
        kinds = " or ".join(RELATION_BY_ID[r].say(len(comparison.columns)) for r in comparison.shown)
        parts.append(f"showing the {len(comparison.rows)} {kinds}")
    return " · ".join(parts)


def _cell_text(cell: Cell, width: int, colour: bool, quotes: bool) -> str:
    lines = [colour_stance(cell.stance, colour) + (f" · {cell.dated}" if cell.dated else ""), wrap(cell.summary, width)]
    if cell.why_not_known:
        lines.append(wrap(cell.why_not_known, width))
    if cell.rests_on:
        lines.append(wrap("[" + cell.rests_on + "]", width))
    if quotes:
        for quote in cell.quotes:
            lines.append(wrap(f"{quote.label}: “{quote.text}”", width))
    return "\n".join(lines)


def comparison_to_table(comparison: Comparison, *, width: int = 100, colour: bool = False, quotes: bool = False) -> str:
    """A tabulate grid sized to `width` columns; stacked blocks when the terminal is too narrow."""
    from tabulate import tabulate

    count = len(comparison.columns)
    # tabulate's grid: "| " + cells joined by " | " + " |" -> 3 characters per column + 1.
    per_column = (width - 3 * (count + 1) - 1 - TOPIC_COLUMN) // max(count, 1)
    out = [wrap(heading(comparison), width), wrap(subtitle(comparison), width), ""]
    if not comparison.rows:
        out.append("No topics to show.")
        return "\n".join(out) + "\n"
    if per_column < MIN_COLUMN:
        return "\n".join(out) + _stacked(comparison, width, colour, quotes)
    # tabulate widens a column to its header's width plus 2 (MIN_PADDING), so headers wrap narrower.
    headers = ["Topic"] + [wrap(f"{c.short_title}\n{c.status}", per_column - 2) for c in comparison.columns]
    rows = [
        [wrap(row.label, TOPIC_COLUMN) + "\n" + _mark(row)] + [_cell_text(cell, per_column, colour, quotes) for cell in row.cells]
        for row in comparison.rows
    ]
    table = tabulate(rows, headers=headers, tablefmt="grid", disable_numparse=True)
    if max(len(line) for line in table.splitlines()) > width:  # a word wider than its column: never break it
        return "\n".join(out) + _stacked(comparison, width, colour, quotes)
    out.append(table)
    return "\n".join(out) + "\n"


def _mark(row: Row) -> str:
    """The row's relation as a word under its topic (the differences stand out in capitals)."""
    return relation_mark(row.relation, len(row.cells)) if len(row.cells) > 1 else ""


def _stacked(comparison: Comparison, width: int, colour: bool, quotes: bool) -> str:
    names = {c.id: c.short_title for c in comparison.columns}
    lines: list[str] = []
    for row in comparison.rows:
        mark = _mark(row)
        lines += [wrap(row.label.upper() + (f" ({mark})" if mark else ""), width), "-" * min(len(row.label), width)]
        for cell in row.cells:
            if len(f"{names[cell.framework]}: {cell.stance}") <= width:
                lines.append(f"{names[cell.framework]}: {colour_stance(cell.stance, colour)}")
            else:
                lines += [wrap(f"{names[cell.framework]}:", width), "  " + colour_stance(cell.stance, colour)]
            # The cell's text without its first line (the stance, already shown beside the name).
            lines.append(_indent(_cell_text(cell, width - 2, False, quotes).partition("\n")[2]))
        lines.append("")
    return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join("  " + line if line else line for line in text.splitlines())


def comparison_to_markdown(comparison: Comparison, *, quotes: bool = False) -> str:
    """A GitHub-flavoured markdown table (one row per topic), with quotes listed below on request."""
    lines = [f"## {escape_markdown(heading(comparison))}", "", escape_markdown(subtitle(comparison)), ""]
    if not comparison.rows:
        return "\n".join(lines + ["No topics to show."]) + "\n"
    header = ["Topic"] + [f"{escape_markdown(c.short_title)}<br>*{escape_markdown(c.status)}*" for c in comparison.columns]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join("---" for _ in header) + "|")
    for row in comparison.rows:
        mark = _mark(row)
        cells = [f"**{escape_markdown(row.label)}**" + (f"<br>*{mark}*" if mark else "")]
        for cell in row.cells:
            dated = f" · *{cell.dated}*" if cell.dated else ""
            text = f"**{stance_words(cell.stance)}**{dated}<br>{escape_markdown(cell.summary)}"
            if cell.why_not_known:
                text += f"<br>*{escape_markdown(cell.why_not_known)}*"
            if cell.rests_on:
                text += f"<br>*{escape_markdown(cell.rests_on)}*"
            cells.append(text)
        lines.append("| " + " | ".join(cells) + " |")
    if quotes:
        names = {c.id: c.short_title for c in comparison.columns}
        lines += ["", "### Quotes", ""]
        for row in comparison.rows:
            quoted = [(cell, q) for cell in row.cells for q in cell.quotes]
            if not quoted:
                continue
            lines += [f"#### {escape_markdown(row.label)}", ""]
            for cell, quote in quoted:
                flag = " (quoted from a third-party reproduction)" if quote.secondary else ""
                who = escape_markdown(f"{names[cell.framework]}, {quote.label}")
                lines.append(f"- **{who}**{flag}: “{escape_markdown(quote.text)}”")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def comparison_to_csv(comparison: Comparison) -> str:
    """One row per (framework, topic): stance, summary, pinpoints, quotes, sources, note, what a
    not-known cell lacks and what the cell rests on (cells that begin like a spreadsheet formula
    neutralised: listing.csv_text)."""
    rows = (
        (
            cell.framework,
            cell.topic,
            row.relation,
            cell.stance,
            cell.summary,
            cell.gist or "",
            "; ".join(cell.pinpoints),
            "\n".join(f"{q.label}: {q.text}" for q in cell.quotes),
            "; ".join(s.id for s in cell.sources),
            cell.note or "",
            cell.not_held or "",
            cell.support,
        )
        for row in comparison.rows
        for cell in row.cells
    )
    return csv_text(CSV_FIELDS, rows)


def summary_dict(comparison: Comparison) -> dict[str, Any]:
    """The headline of the JSON shapes (the comparison's and the grid's): topics, counts, text."""
    return {
        "topics_compared": comparison.topics_compared,
        "counts": {relation: comparison.count(relation) for relation in HEADLINE_ORDER},
        "shown": list(comparison.shown) if comparison.shown is not None else None,
        "text": comparison.agreement(),
    }


def comparison_to_dict(comparison: Comparison) -> dict[str, Any]:
    """The stable JSON shape (documented in the README under "JSON output")."""
    return {
        "format": JSON_FORMAT,
        "as_of": comparison.as_of,
        "summary": summary_dict(comparison),
        "frameworks": [asdict(c) for c in comparison.columns],
        "topics": [
            {
                "id": row.topic,
                "label": row.label,
                "question": row.question,
                "relation": row.relation,
                "cells": [
                    {
                        "framework": cell.framework,
                        "stance": cell.stance,
                        "summary": cell.summary,
                        "gist": cell.gist,
                        "pinpoints": list(cell.pinpoints),
                        "quotes": [asdict(q) for q in cell.quotes],
                        "sources": [asdict(s) for s in cell.sources],
                        "note": cell.note,
                        "not_held": cell.not_held,
                        "support": cell.support,
                        "rests_on_secondary": cell.rests_on_secondary,
                        "since": cell.since,
                        "before": cell.before,
                    }
                    for cell in row.cells
                ],
            }
            for row in comparison.rows
        ],
    }


def comparison_from_dict(data: dict[str, Any]) -> Comparison:
    """Rebuild a Comparison from its JSON shape (the inverse of comparison_to_dict)."""
    if data.get("format") != JSON_FORMAT:
        raise ValueError(f"not a {JSON_FORMAT} document")
    rows = tuple(
        Row(
            topic=topic["id"],
            label=topic["label"],
            question=topic["question"],
            cells=tuple(
                Cell(
                    framework=cell["framework"],
                    topic=topic["id"],
                    stance=cell["stance"],
                    summary=cell["summary"],
                    gist=cell["gist"],
                    quotes=tuple(Quote(**q) for q in cell["quotes"]),
                    sources=tuple(SourceRef(**s) for s in cell["sources"]),
                    note=cell["note"],
                    not_held=cell.get("not_held"),
                    since=cell.get("since"),
                    before=cell.get("before"),
                )
                for cell in topic["cells"]
            ),
        )
        for topic in data["topics"]
    )
    summary = data["summary"]
    return Comparison(
        columns=tuple(Column(**c) for c in data["frameworks"]),
        rows=rows,
        as_of=data["as_of"],
        topics_compared=summary["topics_compared"],
        counts=tuple((relation, summary["counts"][relation]) for relation in HEADLINE_ORDER),
        shown=tuple(summary["shown"]) if summary["shown"] is not None else None,
    )
