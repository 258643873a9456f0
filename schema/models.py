"""Pydantic models of a framework record: the shape every file in frameworks/ must have.

The models check structure only (types, closed enums, formats, no unknown keys). Whether an id a
record cites exists, whether a quote is verbatim, whether dates are in order: those checks need
more than one field or more than one file, and live in ``schema.checks`` so that every problem is
reported the same way, with the line of the offending value.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
PINPOINT_PATTERN = r"^[a-z0-9]+(_[a-z0-9]+)*(__[a-z0-9]+(_[a-z0-9]+)*)*$"
PARTIAL_DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
FULL_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
URL_PATTERN = r"^https?://[^\s]+$"
EXCERPT_REF_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$"

_PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


def _check_date(value: Any, *, full: bool) -> str:
    """Normalise a YAML date (a `date`, or a 'YYYY[-MM[-DD]]' string) to an ISO string."""
    if isinstance(value, dt.datetime):
        raise ValueError("give a date without a time of day")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (bool, int, float)):
        raise ValueError(f"a date must be written as text, not the number {value!r}: quote it, e.g. '2019' or '2019-03'")
    if not isinstance(value, str):
        raise ValueError("a date must be 'YYYY', 'YYYY-MM' or YYYY-MM-DD")
    match = _PARTIAL_DATE.match(value)
    if not match or (full and match.group(3) is None):
        wanted = "YYYY-MM-DD" if full else "'YYYY', 'YYYY-MM' or YYYY-MM-DD"
        raise ValueError(f"{value!r} is not a date of the form {wanted}")
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a real date ({exc})") from None
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(lambda v: _check_date(v, full=False)),
    WithJsonSchema({"type": "string", "pattern": PARTIAL_DATE_PATTERN, "description": "YYYY, YYYY-MM or YYYY-MM-DD"}),
]
FullDate = Annotated[
    str,
    BeforeValidator(lambda v: _check_date(v, full=True)),
    WithJsonSchema({"type": "string", "pattern": FULL_DATE_PATTERN, "description": "YYYY-MM-DD"}),
]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
Pinpoint = Annotated[str, StringConstraints(pattern=PINPOINT_PATTERN, max_length=80)]
GIST_MAX = 90
Line = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
Url = Annotated[str, StringConstraints(pattern=URL_PATTERN, max_length=1000)]
# "<source-id>" of this record, or "<article-id>/<excerpt-id>" in seeds/articles.yaml.
ExcerptRef = Annotated[str, StringConstraints(pattern=EXCERPT_REF_PATTERN)]


class Kind(StrEnum):
    """What sort of instrument or position a record is."""

    treaty = "treaty"
    un_resolution = "un-resolution"
    statute = "statute"
    executive_order = "executive-order"
    political_accord = "political-accord"
    national_position = "national-position"
    soft_law = "soft-law"
    intergovernmental_process = "intergovernmental-process"


# Kinds of instrument that States join: their records say how complete their party list is.
JOINED_KINDS = frozenset({Kind.treaty, Kind.political_accord})


class LegalForce(StrEnum):
    """How far the instrument binds: law, a political commitment, government policy, or nothing."""

    binding = "binding"
    political = "political"
    policy = "policy"
    non_binding = "non-binding"


class EventType(StrEnum):
    """Dated steps in the life of an instrument (or, with `party`, of one State's participation)."""

    drafted = "drafted"
    adopted = "adopted"
    enacted = "enacted"
    opened_for_signature = "opened-for-signature"
    signed = "signed"
    ratified = "ratified"
    acceded = "acceded"
    published = "published"
    entered_into_force = "entered-into-force"
    amended = "amended"
    established = "established"
    renamed = "renamed"
    statement = "statement"
    withdrawal_notified = "withdrawal-notified"
    withdrawal_effective = "withdrawal-effective"
    superseded = "superseded"
    repealed = "repealed"


class Stance(StrEnum):
    """The answer a record gives to a topic's question."""

    affirms = "affirms"
    conditional = "conditional"
    denies = "denies"
    silent = "silent"  # a text we hold was read and says nothing on the question
    disputed = "disputed"
    not_known = "not-known"  # we do not hold the basis (the text, a statement) or could not verify it


# Stances that say what the framework holds: two frameworks agree only on one of these.
SUBSTANTIVE_STANCES = frozenset({Stance.affirms, Stance.conditional, Stance.denies, Stance.disputed})
# What a reader sees for each stance where the value alone is not plain English.
STANCE_WORDS = {Stance.not_known: "not known"}


class Coverage(StrEnum):
    """How much of a party or signatory list the record holds."""

    complete = "complete"  # every participant as of `as_of`, checked against `source`
    partial = "partial"  # some participants; `known_total` says how many there are
    not_recorded = "not-recorded"  # no list; `known_total` is the count a source declares


class Counted(StrEnum):
    """What a participation count counts: States bound (ratified or acceded), or States that signed."""

    parties = "parties"
    signatories = "signatories"


class SourceKind(StrEnum):
    """What a source is, so readers can weigh it. The first three are official: the instrument's own
    text, an official record of it (treaty collection, gazette), a government's or agency's statement."""

    official_text = "official-text"
    official_record = "official-record"
    official_statement = "official-statement"
    intergovernmental = "intergovernmental"  # a document of an intergovernmental body other than the text
    parliament_court = "parliament-court"  # a parliamentary record or report, a court's decision
    press = "press"
    academic = "academic"
    law_firm = "law-firm"
    reference_work = "reference-work"  # encyclopedias, legal databases, mirrors and transcriptions: never verify a record


OFFICIAL_SOURCES = frozenset({SourceKind.official_text, SourceKind.official_record, SourceKind.official_statement})


class Extent(StrEnum):
    """How much of a record's text (or, for a State's position, of its statements) is held."""

    complete = "complete"
    partial = "partial"  # `held` and `missing` name the parts
    none = "none"  # no text is held: positions rest on descriptions or statements


class Support(StrEnum):
    """What a position rests on, strongest first (derived from what it cites; see schema.support)."""

    official_text = "official text"
    official_statement = "official statement"
    secondary_reproduction = "secondary reproduction"
    press_report = "press report"
    nothing = "nothing cited"


class QuoteBasis(StrEnum):
    """Where the words of a quote were verified: the official text, or a third-party reproduction."""

    official = "official"
    secondary = "secondary"


class Strict(BaseModel):
    """Base of all record models: unknown keys are errors, values are not silently coerced."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class StatusEvent(Strict):
    """One dated step: adoption, a signature, entry into force, a withdrawal, a statement."""

    date: PartialDate
    event: EventType
    description: Text
    party: Line | None = Field(None, description="the State or body concerned, when the event is one party's")
    sources: list[Id] = Field(min_length=1, description="ids of this record's sources that show the event")


class Provision(Strict):
    """A pinpoint of the record's text with the verbatim words it says."""

    id: Pinpoint = Field(description="Akoma-Ntoso-like pinpoint: art_2, sec_1, art_6__para_2")
    label: Line = Field(description="how a reader cites it: 'Article II', 'Sec. 10(2)'")
    quote: Text = Field(description="verbatim words of the text; ' ... ' marks an omission, each part must be found in order")
    text: Id | None = Field(None, description="id of the text under seeds/texts/ if not the record's own")
    quote_basis: QuoteBasis = QuoteBasis.official


Gist = Annotated[str, StringConstraints(min_length=1, max_length=GIST_MAX)]


class Answer(Strict):
    """A stance on a topic's question and what it rests on: what a position (its current reading)
    and each of its earlier readings say alike."""

    stance: Stance
    summary: Text
    gist: Gist | None = Field(None, description=f"the answer in a line of at most {GIST_MAX} characters, for matrices and overviews")
    provisions: list[Pinpoint] = Field(default_factory=list)
    excerpts: list[ExcerptRef] = Field(default_factory=list, description="article-id/excerpt-id in seeds/articles.yaml")
    sources: list[Id] = Field(default_factory=list)
    note: Text | None = None


class Reading(Answer):
    """An earlier reading of a position: what the framework said on the topic from one date until
    another, and what that rests on. The position's own fields are its current reading."""

    model_config = ConfigDict(serialize_by_alias=True)

    start: PartialDate = Field(alias="from", description="the date it took effect: the date of a statement, act or source it cites")
    until: PartialDate | None = Field(
        None, description="the date it ceased to hold (the first day it no longer did); default: when the next reading took effect"
    )


class Position(Answer):
    """The record's answer to one topic, and what it rests on; with `since` and `earlier`, how the
    answer moved over time (the top-level fields are always the current reading)."""

    topic: Id
    not_held: Line | None = Field(
        None, description="for a not-known stance: the passage or statement, not held, that would decide it ('Sec. 10(4)')"
    )
    since: PartialDate | None = Field(
        None,
        description=(
            "the date the current reading took effect (the date of a statement, act or source it cites); "
            "omitted: it holds for as long as the framework exists"
        ),
    )
    earlier: list[Reading] = Field(default_factory=list, description="earlier readings, oldest first; needs `since`")


class Source(Strict):
    """A document a record relies on, with where and when it was read."""

    id: Id
    title: Line
    publisher: Line
    kind: SourceKind
    date: PartialDate | None = None
    url: Url | None = None
    retrieved: FullDate | None = None
    article: Id | None = Field(None, description="id of the press report in seeds/articles.yaml, if it is one")
    note: Text | None = None


class TextHeld(Strict):
    """How much of the record's text is held: complete, or partial with the parts held and missing."""

    extent: Extent
    held: Text | None = Field(None, description="the parts held, e.g. 'Preamble (part), Sections 1, 8-9, 10(1)-(2) (part), 11 (part)'")
    missing: Text | None = Field(None, description="the parts not held, e.g. 'Sections 3-7, 10(3)-(4), 12-13'")
    note: Text | None = None


class Participation(Strict):
    """How complete the record's list of parties or signatories (status events with `party`) is."""

    coverage: Coverage
    counted: Counted = Field(description="parties (ratified or acceded) or signatories (signed, whether or not also ratified)")
    known_total: int | None = Field(
        None, ge=0, description="the number the source declares on as_of; omitted only when not-recorded and no count is verified"
    )
    as_of: PartialDate | None = Field(None, description="the date the source's list or count speaks for")
    source: Id | None = Field(None, description="id of this record's source that gives the list or count")
    note: Text | None = None


class Correction(Strict):
    """A claim in a source that is wrong, and what is right, with the evidence."""

    source: Id
    claim: Text
    correction: Text
    evidence: list[str] = Field(min_length=1, description="ids of provisions or sources that show the correction")


class Record(Strict):
    """One framework: an instrument or a national position, with a position on every topic."""

    id: Id
    aliases: list[Id] = Field(default_factory=list)
    title: Text
    short_title: Line
    kind: Kind
    issuer: Line
    jurisdiction: Line
    legal_force: LegalForce
    identifiers: list[Line] = Field(default_factory=list)
    text: Id | None = Field(None, description="id of the official text under seeds/texts/ that provisions quote")
    text_held: TextHeld | None = Field(None, description="how much of the text (or of a State's statements) is held")
    summary: Text
    status: list[StatusEvent] = Field(min_length=1)
    provisions: list[Provision] = Field(default_factory=list)
    participation: Participation | None = Field(None, description="coverage of the party/signatory list, for instruments States join")
    positions: list[Position] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)
    corrections: list[Correction] = Field(default_factory=list)
    last_verified: FullDate
    verified_against: list[Id] = Field(min_length=1, description="ids of the sources checked on last_verified")


class Topic(Strict):
    """One question of the vocabulary (schema/topics.yaml) that every record answers."""

    id: Id
    label: Line
    question: Text


class Excerpt(Strict):
    """A short verbatim passage of a press report that a record cites."""

    id: Id
    text: Text
    speaker: Line | None = Field(None, description="who is quoted or paraphrased, if anyone")


class KnownError(Strict):
    """A claim in a press report that is wrong, and what the official sources show instead."""

    claim: Text
    correction: Text
    evidence: Text


class Article(Strict):
    """A press report kept in seeds/articles.yaml: citation, the excerpts records cite, its errors."""

    id: Id
    outlet: Line
    title: Line
    date: PartialDate
    url: Url | None = None
    retrieved: FullDate | None = None
    seed_file: Line | None = Field(None, description="the file of the full report in the project's seed set")
    excerpts: list[Excerpt] = Field(default_factory=list)
    errors: list[KnownError] = Field(default_factory=list)
