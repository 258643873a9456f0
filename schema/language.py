"""Reader-facing language: record text speaks of the law and its sources, never of our files.

Words about the research process ("stored copy", "seed set") reach readers of every output, the
PDF handed to a ministry included. How a claim is supported belongs in structured fields
(`quote_basis`, a source's `kind`), which the renderers show as a badge or footnote.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

# Each pattern, and what to write instead.
PROCESS_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"\bstored (?:cop(?:y|ies)|texts?|versions?|excerpts?|pages?|sources?|parts?|here)\b|\b(?:in the|not) stored\b", re.I),
        "name the source itself",
    ),
    (re.compile(r"\bseed (?:set|files?|articles?)\b", re.I), "name the publisher or report"),
    (
        re.compile(r"\b(?:section|article|paragraph) (?:number )?unconfirmed\b|\bUNCONFIRMED\b", re.I),
        "cite what is verified, or mark the position not-known",
    ),
    (re.compile(r"\bavailable text\b", re.I), "say which text, or mark the position not-known"),
)
# Keys whose values are identifiers or addresses, not prose.
_NOT_PROSE = {"id", "url", "seed_file", "retrieved", "date", "topic", "stance", "kind", "event", "text", "source", "aliases"}


def process_words(data: Any, loc: tuple[int | str, ...] = ()) -> Iterator[tuple[tuple[int | str, ...], str]]:
    """(location, message) for every prose value of `data` that speaks of our files."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in _NOT_PROSE:
                yield from process_words(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from process_words(value, (*loc, index))
    elif isinstance(data, str):
        for pattern, instead in PROCESS_WORDS:
            if match := pattern.search(data):
                yield loc, f"'{match.group(0)}' speaks of our files, not the law: {instead} (readers see this text)"
                break


def control_characters(data: Any, loc: tuple[int | str, ...] = ()) -> Iterator[tuple[tuple[int | str, ...], str]]:
    """(location, message) for every value holding a character a terminal would act on rather than show:
    C0/C1 controls (escape sequences, bells, carriage returns) and bidirectional overrides. YAML's
    double-quoted escapes ("\\e", "\\a") let them in past the parser."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from control_characters(key, (*loc, key)) if isinstance(key, str) else iter(())
            yield from control_characters(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from control_characters(value, (*loc, index))
    elif isinstance(data, str):
        for char in data:
            if char not in "\n\t" and (unicodedata.category(char) == "Cc" or char in _BIDI):
                yield loc, f"control character U+{ord(char):04X} in the text: remove it (terminals act on it)"
                return


# Bidirectional embedding, override and isolate characters: they reorder what a reader sees.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
