"""The stance-only grid of a Comparison (`compare --grid`): one row per framework, one column per
topic, each cell the stance alone, for any number of frameworks, in every output format. It is the
same Comparison the full table renders; only less of it is shown."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .comparison import Comparison, stance_words
from .render import heading, subtitle, summary_dict
from .vocabulary import RELATION_BY_ID, RELATIONS, STANCE_BY_VALUE, STANCES, colour_stance
from .wrapping import escape_markdown, hang

GRID_FORMAT = "frameworks.grid/1"


def render_grid(comparison: Comparison, output_format: str, *, width: int = 100, colour: bool = False) -> str:
    """The stance grid of `comparison` as table, markdown, csv, json or html."""
    if output_format == "json":
        return json.dumps(grid_to_dict(comparison), indent=2, ensure_ascii=False) + "\n"
    if output_format == "csv":
        return _csv(comparison)
    if output_format == "markdown":
        return _markdown(comparison)
    if output_format == "html":
        from .templating import render

        return render("grid.html.j2", c=comparison, title=heading(comparison), subtitle=subtitle(comparison))
    return _terminal(comparison, width, colour)


def _stance(comparison: Comparison, framework: int, topic: int) -> str:
    return comparison.rows[topic].cells[framework].stance


def grid_to_dict(comparison: Comparison) -> dict[str, Any]:
    """The JSON shape: the headline counts, the topics with their relation, and each framework's
    stances in topic order."""
    return {
        "format": GRID_FORMAT,
        "as_of": comparison.as_of,
        "summary": summary_dict(comparison),
        "topics": [{"id": row.topic, "label": row.label, "relation": row.relation} for row in comparison.rows],
        "frameworks": [
            {
                "id": column.id,
                "short_title": column.short_title,
                "status": column.status,
                "stances": [_stance(comparison, f, t) for t in range(len(comparison.rows))],
            }
            for f, column in enumerate(comparison.columns)
        ],
    }


def _csv(comparison: Comparison) -> str:
    """One row per framework, one column per topic id; the last row gives each topic's relation."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["framework", *(row.topic for row in comparison.rows)])
    for f, column in enumerate(comparison.columns):
        writer.writerow([column.id, *(_stance(comparison, f, t) for t in range(len(comparison.rows)))])
    writer.writerow(["(relation)", *(row.relation for row in comparison.rows)])
    return buffer.getvalue()


def _markdown(comparison: Comparison) -> str:
    e = escape_markdown
    lines = [f"## {e(heading(comparison))}", "", e(subtitle(comparison)), ""]
    if not comparison.rows:
        return "\n".join(lines + ["No topics to show."]) + "\n"
    lines.append("| Framework | " + " | ".join(e(row.label) for row in comparison.rows) + " |")
    lines.append("|---|" + "|".join("---" for _ in comparison.rows) + "|")
    for f, column in enumerate(comparison.columns):
        stances = (stance_words(_stance(comparison, f, t)) for t in range(len(comparison.rows)))
        lines.append(f"| {e(column.short_title)} (`{column.id}`) | " + " | ".join(stances) + " |")
    frameworks = len(comparison.columns)
    lines.append("| *relation* | " + " | ".join(f"*{RELATION_BY_ID[row.relation].say(frameworks)}*" for row in comparison.rows) + " |")
    return "\n".join(lines) + "\n"


def _terminal(comparison: Comparison, width: int, colour: bool) -> str:
    """Framework ids down the side, topics numbered across (the key below), two-letter stances."""
    out = [hang(heading(comparison), width, 0), hang(subtitle(comparison), width, 0), ""]
    if not comparison.rows:
        return "\n".join(out + ["No topics to show."]) + "\n"
    side = max([len("relation")] + [len(c.id) for c in comparison.columns])
    numbers = [str(t + 1) for t in range(len(comparison.rows))]
    cell = max(3, *(len(n) + 1 for n in numbers))
    out.append("".ljust(side) + "".join(n.rjust(cell) for n in numbers))
    for f, column in enumerate(comparison.columns):
        cells = []
        for t in range(len(comparison.rows)):
            stance = _stance(comparison, f, t)
            code = STANCE_BY_VALUE[stance].code if stance in STANCE_BY_VALUE else "??"
            cells.append(" " * (cell - len(code)) + colour_stance(stance, colour, code))
        out.append(column.id.ljust(side) + "".join(cells))
    if len(comparison.columns) > 1:
        out.append("relation".ljust(side) + "".join(RELATION_BY_ID[row.relation].mark.rjust(cell) for row in comparison.rows))
    out.append("")
    # A no-break space keeps each number on the line of its topic.
    out.append(hang("Topics: " + "; ".join(f"{n}\u00a0{row.label}" for n, row in zip(numbers, comparison.rows, strict=True)), width, 2))
    out.append(hang("Stances: " + ", ".join(f"{s.code}\u00a0{s.words}" for s in STANCES), width, 2))
    if len(comparison.columns) > 1:
        frameworks = len(comparison.columns)
        out.append(hang("Relation: " + ", ".join(f"{r.mark}\u00a0{r.say(frameworks)}" for r in RELATIONS), width, 2))
    return "\n".join(out) + "\n"
