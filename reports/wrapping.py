"""Plain text for terminals and markdown: wrapping to a width, hanging indents, markdown escaping."""

from __future__ import annotations

import textwrap

__all__ = ["wrap", "wrap_cells", "hang", "escape_markdown"]


class _Wrapper(textwrap.TextWrapper):
    """textwrap that breaks lines at spaces and after a word's hyphens, but never inside a word or
    a web address (a piece wider than the line keeps its line, wider)."""

    def _split(self, text: str) -> list[str]:
        chunks: list[str] = []
        for chunk in self.wordsep_simple_re.split(text):
            # Only a hyphen gives textwrap's word pattern a place to break: a word without one stays whole.
            whole = "://" in chunk or "-" not in chunk
            chunks.extend([chunk] if whole else (c for c in self.wordsep_re.split(chunk) if c))
        return [c for c in chunks if c]


def _wrapper(width: int, indent: int = 0) -> _Wrapper:
    return _Wrapper(max(width, 4), subsequent_indent=" " * indent, break_long_words=False)


def wrap(text: str, width: int) -> str:
    """Wrap `text` to `width` columns, keeping its own line breaks; lines break at spaces and after
    hyphens, never inside a word or a web address (those wider than the column keep a line, wider)."""
    wrapper = _wrapper(width)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(wrapper.wrap(paragraph) or [""])
    return "\n".join(lines)


def longest_word(text: str) -> int:
    """The width of the widest piece `wrap` never breaks (a word, or part of a hyphenated word)."""
    return max((len(line) for line in wrap(text, 1).splitlines()), default=0)


def wrap_cells(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...], width: int) -> list[list[str]] | None:
    """Wrap the cells of a 'simple' tabulate table so that the whole table fits in `width`; None
    when it cannot fit without breaking a word (the caller then lays the rows out one under another).

    Narrow columns keep their natural width; the widest give way first, the first (ids) never.
    """
    count = len(columns)
    budget = width - 2 * (count - 1)
    natural = [max([len(columns[i])] + [max((len(x) for x in row[i].splitlines()), default=0) for row in rows]) for i in range(count)]
    minimum = [natural[0]] + [max([len(columns[i])] + [longest_word(row[i]) for row in rows]) for i in range(1, count)]
    if sum(minimum) > budget:
        return None
    widths = list(natural)
    while sum(widths) > budget:
        shrinkable = [i for i in range(count) if widths[i] > minimum[i]]
        widths[max(shrinkable, key=widths.__getitem__)] -= 1
    return [[wrap(cell, widths[i]) for i, cell in enumerate(row)] for row in rows]


def hang(text: str, width: int, indent: int) -> str:
    """Wrap `text` to `width` with every line after the first indented by `indent` spaces, breaking
    only at spaces and after hyphens."""
    return "\n".join(_wrapper(width, indent).wrap(text)) or text


def escape_markdown(text: str) -> str:
    """Make untrusted text safe inside a markdown table cell: no HTML, no cell breaks."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")
