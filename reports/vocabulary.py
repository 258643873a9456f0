"""The reader's vocabulary of a comparison, in one place: each stance and each relation between
frameworks, with the words a reader sees, what they mean, and how they are coloured.

Every renderer reads these tables (terminal, markdown, csv, json, html, the PDF templates, the
static site, whose compare.js gets them through data/compare.json); none keeps a copy.

Colours: a stance is never told by colour alone (the word is always printed), and the colours do
not read as good or bad (no red/green): blues, an orange and a purple from the Okabe-Ito palette,
safe for the common colour-vision deficiencies, with fills of clearly different lightness so that
they stay apart in greyscale print (dark, mid, light, white, dashed/dotted outlines).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..schema.dates import date_key
from ..schema.models import Kind, Record

NOT_YET = "not yet"
UNRECORDED = "not recorded"


@dataclass(frozen=True)
class StanceWord:
    """How one stance (or cell state) is shown: word, meaning, terminal and CSS colours."""

    stance: str  # the value in records and in JSON: "affirms", "not-known", "not yet"
    words: str  # what a reader sees
    meaning: str
    ansi: str  # SGR code for a terminal
    colour: str  # CSS text colour
    fill: str  # CSS background
    code: str  # two letters, for the stance-only grid (compare --grid): fifteen topics fit in 80 columns
    outline: str = "solid"  # CSS border style


STANCES = (
    StanceWord("affirms", "affirms", "yes: the text says so, or grants it", "1;34", "#ffffff", "#0b3c66", "af"),
    StanceWord("conditional", "conditional", "yes, but only under conditions the text itself sets", "34", "#0b3c66", "#b9d7f0", "co"),
    StanceWord("denies", "denies", "no: the text expressly rejects it", "1;33", "#2b1700", "#e69f00", "de"),
    StanceWord("disputed", "disputed", "two cited readings of the text disagree", "35", "#2e1247", "#c9a6e4", "di", "double"),
    StanceWord("silent", "silent", "a text we hold was read and does not address it", "2", "#3a3f47", "#ffffff", "si"),
    StanceWord(
        "not-known",
        "not known",
        "the deciding passage or statement is not held, or could not be verified",
        "2",
        "#3a3f47",
        "#e4e4e4",
        "nk",
        "dashed",
    ),
    StanceWord(NOT_YET, NOT_YET, "did not exist on the as-of date", "2", "#5b6472", "#ffffff", "ny", "dotted"),
    StanceWord(UNRECORDED, UNRECORDED, "the record takes no position on the topic yet", "2", "#5b6472", "#ffffff", "nr", "dotted"),
)
STANCE_BY_VALUE = {s.stance: s for s in STANCES}


@dataclass(frozen=True)
class Relation:
    """How the frameworks of one topic relate."""

    id: str  # the value in JSON, csv and --relation
    words: str  # headline words ("opposed on 1")
    meaning: str
    difference: bool  # kept by --differences
    mark: str  # one character, for the stance-only grid's relation row
    words_two: str = ""  # the words when exactly two frameworks are compared, if different

    def say(self, frameworks: int) -> str:
        """The headline words for a comparison of `frameworks` frameworks."""
        return self.words_two if frameworks == 2 and self.words_two else self.words


OPPOSED = "opposed"
DEGREE = "differ-in-degree"
ONE_SILENT = "one-side-silent"
AGREE = "agree"
ALL_SILENT = "all-silent"
NOT_COMPARABLE = "not-comparable"

RELATIONS = (
    Relation(OPPOSED, "opposed", "one framework affirms or grants (affirms, conditional) and another denies", True, "×"),
    Relation(
        DEGREE,
        "differ in degree",
        "the frameworks that speak take different stances short of opposition: affirms vs conditional, or disputed vs a stance",
        True,
        "≠",
    ),
    Relation(
        ONE_SILENT,
        "one side silent",
        "the frameworks that speak agree; the others do not address the topic (no departure can be read from silence)",
        True,
        "~",
    ),
    Relation(AGREE, "agree", "every framework takes the same substantive stance", False, "="),
    Relation(ALL_SILENT, "all silent", "no framework's text addresses the topic", False, "–", "both silent"),
    Relation(NOT_COMPARABLE, "not comparable", "a stance is not known, or a framework did not exist yet on the as-of date", False, "?"),
)
RELATION_BY_ID = {r.id: r for r in RELATIONS}
HEADLINE_ORDER = tuple(r.id for r in RELATIONS)
DIFFERENCES = tuple(r.id for r in RELATIONS if r.difference)


def stance_words(stance: str) -> str:
    """How a reader sees a stance: 'not-known' -> 'not known'; others as they are."""
    entry = STANCE_BY_VALUE.get(stance)
    return entry.words if entry else stance


def stance_css() -> str:
    """The CSS rules that colour stance badges and cells (`.s-affirms` ...), for every HTML output."""
    return "\n".join(
        f".s-{s.stance.replace(' ', '-')} {{ color: {s.colour}; background: {s.fill}; border-style: {s.outline}; }}" for s in STANCES
    )


def colour_stance(stance: str, enabled: bool, word: str | None = None) -> str:
    """The stance word (or `word` standing for it, as the grid's two-letter codes), coloured with ANSI
    codes when `enabled` (a TTY without NO_COLOR)."""
    entry = STANCE_BY_VALUE.get(stance)
    word = stance_words(stance) if word is None else word
    return f"\x1b[{entry.ansi}m{word}\x1b[0m" if enabled and entry else word


# The one reading order of frameworks (compare --all, the pack, the site): international instruments
# before national ones, binding before political, then by date.
KIND_ORDER = (
    Kind.treaty,
    Kind.un_resolution,
    Kind.political_accord,
    Kind.statute,
    Kind.executive_order,
    Kind.national_position,
    Kind.soft_law,
    Kind.intergovernmental_process,
)


def reading_order(records: Iterable[Record]) -> list[Record]:
    """`records` in reading order: by kind (KIND_ORDER), then by the date of the framework's first own
    status event (a partial date before a full one of the same year), then by id."""

    def key(record: Record) -> tuple[object, ...]:
        own = [e.date for e in record.status if e.party is None] or [e.date for e in record.status]
        first = min((date_key(d) for d in own), default=(9999, 99, 99))
        rank = KIND_ORDER.index(record.kind) if record.kind in KIND_ORDER else len(KIND_ORDER)
        return rank, first, record.id

    return sorted(records, key=key)


def relation_mark(relation: str, frameworks: int) -> str:
    """A row's relation as a word under its topic: the differences in capitals ('OPPOSED', 'ONE SIDE
    SILENT'), the others as they are ('agree', 'both silent')."""
    entry = RELATION_BY_ID[relation]
    words = entry.say(frameworks)
    return words.upper() if entry.difference else words
