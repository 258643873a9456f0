"""Shared presentation helpers: relation marks, text wrapping to a width, markdown escaping."""

from __future__ import annotations

import textwrap

from .vocabulary import RELATION_BY_ID, colour_stance

__all__ = ["colour_stance", "relation_mark", "wrap", "wrap_cells", "escape_markdown"]


def relation_mark(relation: str, frameworks: int) -> str:
    """A row's relation as a word under its topic: the differences in capitals ('OPPOSED', 'ONE SIDE
    SILENT'), the others as they are ('agree', 'both silent')."""
    entry = RELATION_BY_ID[relation]
    words = entry.say(frameworks)
    return words.upper() if entry.difference else words


def wrap(text: str, width: int) -> str:
    """Wrap `text` to `width` columns, keeping its own line breaks; never breaks a word in two
    unless the word alone is wider than the column."""
    width = max(width, 4)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(textwrap.wrap(paragraph, width, break_on_hyphens=False) or [""])
    return "\n".join(lines)


def wrap_cells(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...], width: int) -> list[list[str]]:
    """Wrap the cells of a 'simple' tabulate table so that the whole table fits in `width`.

    Narrow columns keep their natural width; the widest give way first, the first never.
    """
    count = len(columns)
    budget = max(width - 2 * (count - 1), 10 * count)
    natural = [max([len(columns[i])] + [max((len(x) for x in row[i].splitlines()), default=0) for row in rows]) for i in range(count)]
    # The first column holds ids, which must stay whole; the others wrap down to 8 characters.
    minimum = [natural[0]] + [min(natural[i], max(len(columns[i]), 8)) for i in range(1, count)]
    widths = list(natural)
    while sum(widths) > budget:
        shrinkable = [i for i in range(count) if widths[i] > minimum[i]]
        if not shrinkable:
            break
        widths[max(shrinkable, key=widths.__getitem__)] -= 1
    return [[wrap(cell, widths[i]) for i, cell in enumerate(row)] for row in rows]


def escape_markdown(text: str) -> str:
    """Make untrusted text safe inside a markdown table cell: no HTML, no cell breaks."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")
