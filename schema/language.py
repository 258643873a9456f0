"""Reader-facing language: record text speaks of the law and its sources, never of our files.

Words about the research process ("stored copy", "seed set") reach readers of every output, the
PDF handed to a ministry included. How a claim is supported belongs in structured fields
(`quote_basis`, a source's `kind`), which the renderers show as a badge or footnote.
"""

from __future__ import annotations

import re
from typing import Any

# Each pattern, the word (in lower case) that every match of it contains, and what to write instead.
PROCESS_WORDS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"\bstored (?:cop(?:y|ies)|texts?|versions?|excerpts?|pages?|sources?|parts?|here)\b|\b(?:in the|not) stored\b", re.I),
        "stored",
        "name the source itself",
    ),
    (re.compile(r"\bseed (?:set|files?|articles?)\b", re.I), "seed", "name the publisher or report"),
    (
        re.compile(r"\b(?:section|article|paragraph) (?:number )?unconfirmed\b|\bUNCONFIRMED\b", re.I),
        "unconfirmed",
        "cite what is verified, or mark the position not-known",
    ),
    (re.compile(r"\bavailable text\b", re.I), "available text", "say which text, or mark the position not-known"),
)
# Keys whose values are identifiers or addresses, not prose.
_NOT_PROSE = {"id", "url", "seed_file", "retrieved", "date", "topic", "stance", "kind", "event", "text", "source", "aliases"}


# Characters a terminal acts on rather than shows: C0/C1 controls but tab and newline (escape
# sequences, bells, carriage returns) and bidirectional embeddings, overrides and isolates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

Loc = tuple[int | str, ...]


def text_problems(data: Any) -> list[tuple[Loc, str, str]]:
    """(location, message, severity) for every value of a parsed file that a reader should not see:
    a control character (an error: YAML's double-quoted escapes such as "\\e" and "\\a" let them
    past the parser, and terminals act on them) or words about our files in prose (a warning,
    an error under --strict). One pass over the values."""
    found: list[tuple[Loc, str, str]] = []
    stack: list[tuple[Loc, Any, bool]] = [((), data, True)]
    while stack:
        loc, value, prose = stack.pop()
        if isinstance(value, str):
            if match := _CONTROL.search(value):
                found.append((loc, f"control character U+{ord(match.group(0)):04X} in the text: remove it (terminals act on it)", "error"))
            if prose and (words := _process_words(value)):
                word, instead = words
                found.append((loc, f"'{word}' speaks of our files, not the law: {instead} (readers see this text)", "warning"))
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and (match := _CONTROL.search(key)):
                    found.append(((*loc, key), f"control character U+{ord(match.group(0)):04X} in a key: remove it", "error"))
                stack.append(((*loc, key), item, prose and key not in _NOT_PROSE))
        elif isinstance(value, list):
            stack.extend(((*loc, index), item, prose) for index, item in enumerate(value))
    return found


def _process_words(text: str) -> tuple[str, str] | None:
    """The first words about our files in `text` and what to write instead, or None."""
    # The case-insensitive patterns are the slowest check of validate, run on nearly every value.
    # For ASCII text, lower() folds case exactly as their re.I does, so a value without any of
    # their words in lower case needs no search at all.
    if text.isascii():
        lowered = text.lower()
        if not any(word in lowered for _, word, _ in PROCESS_WORDS):
            return None
    for pattern, _, instead in PROCESS_WORDS:
        if match := pattern.search(text):
            return match.group(0), instead
    return None
