"""Checks that need more than one field, or files beyond the record: the one place for them.

Every id a record cites must exist (topics, provisions, sources, press excerpts); every quote must
stand word for word in the text it cites; status events must be in date order; last_verified is
not in the future. Warnings are the checks a record in progress may fail for a while (stale
verification, a topic with no position, a position citing nothing, a missing editor modeline, the
mechanical parts of the stance rubric in docs/rubric.md, sources a legal reader would not cite,
events dated after today, how much of the text is held): `frameworks validate` counts them as
errors unless run with --draft; data commands load a record that has only warnings. Names (no id or
alias used twice, a file named after its id) need every file at once: see schema.names.

The checks read the parsed YAML of every record file, valid or not, and skip any value of the
wrong shape (the models already report it) or still a template placeholder: a newcomer sees
every mistake of a file in one run, not the structural ones first and the rest after fixing them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator
from functools import cache, partial
from pathlib import Path
from typing import Any

from .dates import JOINING, LEAVING, SIGNING, date_key, last_day, participants
from .language import text_problems
from .models import JOINED_KINDS, OFFICIAL_SOURCES, Article, QuoteBasis, SourceKind, Topic, _check_date
from .problems import Problem, display_path, field_path
from .texts import ELLIPSIS, SourceText, normalise, read_source_text
from .yamlfile import MODELINE_PREFIX, YamlDocument, is_placeholder

STALE_AFTER_DAYS = 365
# Sources that report what was said or done: a reading cannot rest on one dated after it took effect.
STATEMENT_KINDS = frozenset({"press", "official-statement"})
# A publisher a legal reader cannot cite: name it or drop the source.
_UNNAMED = re.compile(r"\b(unnamed|unknown|anonymous|unidentified)\b", re.IGNORECASE)
# How a gist or summary opens when it says the opposite of a stance (the rubric: a gist never
# contradicts its stance). Openings that deny or stay silent do not fit a stance that says yes.
_SAYS_NOTHING = ("not known", "silent", "says nothing", "does not address")
_SAYS_NO = ("no ", "not ", "does not", "neither", "nothing")
_OPENINGS_AGAINST = {
    "affirms": _SAYS_NOTHING + _SAYS_NO,
    "conditional": _SAYS_NOTHING + _SAYS_NO,
    "denies": _SAYS_NOTHING,
    "disputed": _SAYS_NOTHING,
    "silent": ("not known", "affirms", "denies"),
}

Loc = tuple[int | str, ...]


def check_document(context: Context, document: YamlDocument) -> list[Problem]:
    """The problems of one parsed record beyond its structure, except those of names (see
    schema.names): citations, quotes, dates, and the --strict warnings."""
    return list(_check_record(context, _View(document)))


class _View:
    """Typed access to one record's raw data: a value of the wrong type reads as absent."""

    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.data: dict[str, Any] = document.data
        self.path = display_path(document.path)

    def at(self, loc: Loc, message: str, severity: str = "error") -> Problem:
        line, col = self.document.position(loc)
        return Problem(self.path, line, col, field_path(loc, self.data), message, severity)

    def text(self, mapping: Any, key: str) -> str | None:
        value = mapping.get(key) if isinstance(mapping, dict) else None
        return value if isinstance(value, str) and not is_placeholder(value) else None

    def items(self, key: str) -> list[tuple[int, dict[str, Any]]]:
        values = self.data.get(key)
        return [(i, item) for i, item in enumerate(values) if isinstance(item, dict)] if isinstance(values, list) else []

    def texts(self, mapping: Any, key: str) -> list[tuple[int, str]]:
        values = mapping.get(key) if isinstance(mapping, dict) else None
        if not isinstance(values, list):
            return []
        return [(i, v) for i, v in enumerate(values) if isinstance(v, str) and not is_placeholder(v)]


class Context:
    """What every record is checked against: the topics, the press excerpts, the texts, today."""

    def __init__(self, topics: list[Topic], articles: dict[str, Article], seeds: Path, today: dt.date) -> None:
        self.today = today
        self.topics = {topic.id for topic in topics}
        self.topic_order = [topic.id for topic in topics]
        self.articles = set(articles)
        self.article_dates = {a.id: a.date for a in articles.values()}
        self.excerpts = {f"{a.id}/{e.id}" for a in articles.values() for e in a.excerpts}
        self.seeds = seeds
        self._texts: dict[str, SourceText | None] = {}
        self._faults: dict[str, str | None] = {}

    def text(self, text_id: str) -> SourceText | None:
        """seeds/texts/<text_id>.txt, read once per run; None if missing or unreadable."""
        if text_id not in self._texts:
            try:
                self._texts[text_id] = read_source_text(self.seeds, text_id)
            except (OSError, UnicodeDecodeError, ValueError):
                self._texts[text_id] = None
        return self._texts[text_id]

    def text_fault(self, text_id: str) -> str | None:
        """What is wrong with the text's integrity (its body against the header's SHA-256), or None."""
        if text_id not in self._faults:
            text = self.text(text_id)
            self._faults[text_id] = text.integrity() if text is not None else None
        return self._faults[text_id]

    def text_problems(self, every: bool = False) -> list[Problem]:
        """One problem per text read so far (or, with `every`, per text under seeds/texts/) whose body
        does not match its recorded SHA-256, at the text file itself."""
        if every:
            folder = self.seeds / "texts"
            for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
                self.text_fault(path.stem)
        problems = []
        for text_id in sorted(self._texts):
            fault = self.text_fault(text_id)
            text = self._texts[text_id]
            if fault is not None and text is not None:
                problems.append(Problem(display_path(text.path), 1, 1, "", fault))
        return problems


def _date(value: Any) -> str | None:
    """The ISO form of a date value, or None if it is not one (the models report that)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    try:
        return _check_date(value, full=False)
    except ValueError:
        return None


def _check_record(context: Context, view: _View) -> Iterator[Problem]:
    data = view.data
    at = view.at
    if not view.document.first_line.startswith(MODELINE_PREFIX):
        message = f"the first line should be the editor modeline '{MODELINE_PREFIX}../schema/framework.schema.json'"
        yield Problem(view.path, 1, 1, "", message, "warning")

    provisions = {pid for _, p in view.items("provisions") if (pid := view.text(p, "id"))}
    sources = {sid for _, s in view.items("sources") if (sid := view.text(s, "id"))}
    yield from _duplicates(view, "provisions", "id")
    yield from _duplicates(view, "sources", "id")
    yield from _duplicates(view, "positions", "topic")

    record_text = view.text(data, "text")
    if record_text is not None and context.text(record_text) is None:
        yield at(("text",), f"no text '{record_text}' under seeds/texts/ ({record_text}.txt)")
    elif record_text is not None and context.text_fault(record_text):
        yield at(("text",), _fault_message(record_text))

    yield from _check_text_held(context, view, record_text)

    previous: tuple[int, int, int] | None = None
    for index, event in view.items("status"):
        for j, source in view.texts(event, "sources"):
            if source not in sources:
                yield at(("status", index, "sources", j), f"unknown source '{source}'{_hint(source, sources)}")
        date = _date(event.get("date"))
        if date is None:
            continue
        key = date_key(date)
        if key > date_key(context.today.isoformat()):
            message = f"{date} is after today ({context.today.isoformat()}): an event is recorded once it has happened"
            yield at(("status", index, "date"), message, "warning")
        if previous is not None and key < previous:
            yield at(("status", index, "date"), f"status events must be in date order: {date} comes after a later event")
        previous = key

    yield from _check_quotes(context, view, record_text)
    official_sources = {sid for _, s in view.items("sources") if (sid := view.text(s, "id")) and view.text(s, "kind") in OFFICIAL_SOURCES}
    official_provisions = {
        pid for _, p in view.items("provisions") if (pid := view.text(p, "id")) and p.get("quote_basis", "official") == "official"
    }
    yield from _check_positions(context, view, provisions, sources, official_provisions, official_sources)
    yield from _check_participation(view, sources)
    for loc, message, severity in text_problems(data):
        yield at(loc, message, severity)

    kinds = {sid: view.text(source, "kind") for _, source in view.items("sources") if (sid := view.text(source, "id"))}
    for index, source in view.items("sources"):
        publisher = view.text(source, "publisher")
        if publisher is not None and _UNNAMED.search(publisher):
            yield at(
                ("sources", index, "publisher"), "a source a reader can cite names its publisher: name it or drop the source", "warning"
            )
        article = view.text(source, "article")
        if article is not None and article not in context.articles:
            hint = _hint(article, context.articles)
            yield at(("sources", index, "article"), f"unknown article '{article}' (not in seeds/articles.yaml){hint}")

    for index, correction in view.items("corrections"):
        source = view.text(correction, "source")
        if source is not None and source not in sources:
            yield at(("corrections", index, "source"), f"unknown source '{source}'{_hint(source, sources)}")
        for j, evidence in view.texts(correction, "evidence"):
            if evidence not in sources and evidence not in provisions:
                hint = _hint(evidence, sources | provisions)
                yield at(("corrections", index, "evidence", j), f"unknown provision or source '{evidence}'{hint}")

    for index, source in view.texts(data, "verified_against"):
        if source not in sources:
            yield at(("verified_against", index), f"unknown source '{source}'{_hint(source, sources)}")
        elif kinds.get(source) == SourceKind.reference_work.value:
            message = f"'{source}' is a reference work or mirror, which never verifies a record: verify against an official source"
            yield at(("verified_against", index), message, "warning")

    verified = data.get("last_verified")
    if isinstance(verified, dt.date) or (isinstance(verified, str) and _date(verified) and len(verified) == 10):
        day = verified if isinstance(verified, dt.date) else dt.date.fromisoformat(verified)
        for _, source in view.items("sources"):
            retrieved = _date(source.get("retrieved"))
            if retrieved is not None and len(retrieved) == 10 and dt.date.fromisoformat(retrieved) > day:
                sid = view.text(source, "id")
                message = f"last_verified {day.isoformat()} is earlier than source '{sid}' was retrieved ({retrieved})"
                yield at(("last_verified",), message, "warning")
        if day > context.today:
            yield at(("last_verified",), f"{day.isoformat()} is in the future (today is {context.today.isoformat()})")
        elif (context.today - day).days > STALE_AFTER_DAYS:
            days = (context.today - day).days
            message = f"not verified for {days} days (over {STALE_AFTER_DAYS}): check it again and update last_verified"
            yield at(("last_verified",), message, "warning")


def _check_quotes(context: Context, view: _View, record_text: str | None) -> Iterator[Problem]:
    for index, provision in view.items("provisions"):
        own_text = provision.get("text")
        if own_text is not None and not isinstance(own_text, str):
            continue
        text_id = view.text(provision, "text") or record_text
        if text_id is None:
            if not is_placeholder(own_text) and not is_placeholder(view.data.get("text")):
                yield view.at(("provisions", index), "no text to check the quote against: set the record's text or the provision's")
            continue
        text = context.text(text_id)
        if text is None:
            if own_text is not None:
                yield view.at(("provisions", index, "text"), f"no text '{text_id}' under seeds/texts/ ({text_id}.txt)")
            continue
        if context.text_fault(text_id):
            # A text that fails its hash verifies nothing; the record's own text is reported at `text`.
            if own_text is not None and own_text != record_text:
                yield view.at(("provisions", index, "text"), _fault_message(text_id))
            continue
        quote = view.text(provision, "quote")
        if quote is None or not quote.strip():
            continue
        found = text.find(quote)
        if found is None:
            loc = ("provisions", index, "quote")
            word, shown = _first_difference(quote, text)
            line, col = _locate_word(view.document, loc, word)
            message = f"quote not found word for word in seeds/texts/{text_id}.txt: the text has no '{shown}'"
            yield Problem(view.path, line, col, field_path(loc, view.data), message)
        elif found == "secondary" and provision.get("quote_basis", QuoteBasis.official.value) == QuoteBasis.official.value:
            message = f"quote found only in a third-party quotation in {text_id}.txt: set quote_basis: secondary"
            yield view.at(("provisions", index, "quote"), message)


def _fault_message(text_id: str) -> str:
    return f"seeds/texts/{text_id}.txt fails its integrity check (body-sha256), so no quote can be checked against it"


def _first_difference(quote: str, text: SourceText) -> tuple[str, str]:
    """The first word of `quote` that breaks the match, and the few words up to it (for the message)."""
    body = normalise(text.body)
    start = 0
    for part in ELLIPSIS.split(quote):
        words = part.split()
        if not words:
            continue
        whole = body.find(normalise(part), start)
        if whole >= 0:
            start = whole + len(normalise(part))
            continue
        # Matching a prefix is monotone in its length: bisect for the longest prefix found.
        low, high = 0, len(words)
        while low < high:
            middle = (low + high + 1) // 2
            if body.find(normalise(" ".join(words[:middle])), start) >= 0:
                low = middle
            else:
                high = middle - 1
        shown = " ".join(words[max(0, low - 4) : low + 1])
        return words[low], ("..." if low > 4 else "") + shown
    return "", quote[:60]


def _locate_word(document: YamlDocument, loc: Loc, word: str) -> tuple[int, int]:
    """Where `word` is written in the file at or after the value at `loc` (a quote spans lines)."""
    line, col = document.position(loc)
    if not word:
        return line, col
    try:
        lines = document.path.read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        return line, col
    for number in range(line, min(len(lines), line + 200) + 1):
        found = lines[number - 1].find(word, col if number == line else 0)
        if found >= 0:
            return number, found + 1
    return line, col


def _check_positions(
    context: Context, view: _View, provisions: set[str], sources: set[str], official_provisions: set[str], official_sources: set[str]
) -> Iterator[Problem]:
    answered: set[str] = set()
    basis = cache(partial(_reading_basis, context, view))  # made once per record, and only if a reading is dated
    for index, position in view.items("positions"):
        topic = view.text(position, "topic")
        if topic is not None:
            answered.add(topic)
            if topic not in context.topics:
                yield view.at(("positions", index, "topic"), f"unknown topic '{topic}'{_hint(topic, context.topics)}")
        yield from _check_citations(context, view, ("positions", index), position, provisions, sources)
        cited = [position.get(key) for key in ("provisions", "sources", "excerpts")]
        if not any(isinstance(value, list) and value for value in cited):
            yield view.at(("positions", index), "position cites no provision, source or excerpt", "warning")
        official = (official_provisions, official_sources)
        for j, reading in enumerate(position.get("earlier") or []) if isinstance(position.get("earlier"), list) else []:
            if isinstance(reading, dict):
                yield from _check_citations(context, view, ("positions", index, "earlier", j), reading, provisions, sources)
                # The rubric holds for every reading, not only the current one (same evidence, same stance).
                yield from _check_stance(view, ("positions", index, "earlier", j), reading, (provisions, sources), *official)
        yield from _check_readings(view, index, position, basis)
        yield from _check_stance(view, ("positions", index), position, (provisions, sources), *official)
    if "positions" in view.data:
        for topic_id in context.topic_order:
            if topic_id not in answered:
                yield view.at(("positions",), f"no position on topic '{topic_id}' (silent is a position)", "warning")


def _check_citations(
    context: Context, view: _View, loc: Loc, reading: dict[str, Any], provisions: set[str], sources: set[str]
) -> Iterator[Problem]:
    """The provisions, sources and press excerpts a reading (a position or an earlier reading) cites exist."""
    for j, pinpoint in view.texts(reading, "provisions"):
        if pinpoint not in provisions:
            yield view.at((*loc, "provisions", j), f"unknown provision '{pinpoint}'{_hint(pinpoint, provisions)}")
    for j, source in view.texts(reading, "sources"):
        if source not in sources:
            yield view.at((*loc, "sources", j), f"unknown source '{source}'{_hint(source, sources)}")
    for j, excerpt in view.texts(reading, "excerpts"):
        if excerpt not in context.excerpts:
            message = f"unknown excerpt '{excerpt}' (not in seeds/articles.yaml){_hint(excerpt, context.excerpts)}"
            yield view.at((*loc, "excerpts", j), message)


def _statement_dates(context: Context, view: _View) -> dict[str, str]:
    """When what each source (by id) and each press report (by article id) reports was said or done:
    the earliest status event citing the source, else the source's or the report's own date."""
    dates: dict[str, str] = {}
    for _, event in view.items("status"):
        date = _date(event.get("date"))
        for _, source in view.texts(event, "sources") if date else []:
            if source not in dates or date_key(date) < date_key(dates[source]):
                dates[source] = date
    for _, source in view.items("sources"):
        source_id, date, article = view.text(source, "id"), _date(source.get("date")), view.text(source, "article")
        if source_id and source_id not in dates and date:
            dates[source_id] = date
        if source_id and article and source_id in dates:
            dates.setdefault(f"article:{article}", dates[source_id])
    for article, date in context.article_dates.items():
        dates.setdefault(f"article:{article}", date)
    return dates


def _reading_basis(context: Context, view: _View) -> tuple[dict[str, str], set[str], dict[str, Any]]:
    """What a record's dated readings are checked against: when what each source reports was said
    (see _statement_dates), the dates of its status events, and the kind of each source."""
    events = {date for _, e in view.items("status") if (date := _date(e.get("date")))}
    kinds = {source_id: source.get("kind") for _, source in view.items("sources") if (source_id := view.text(source, "id"))}
    return _statement_dates(context, view), events, kinds


def _first_day(value: str) -> dt.date:
    year, month, day = date_key(value)
    return dt.date(year, month or 1, day or 1)


def _check_readings(
    view: _View, index: int, position: dict[str, Any], basis: Callable[[], tuple[dict[str, str], set[str], dict[str, Any]]]
) -> Iterator[Problem]:
    """A position's dated readings: `earlier` needs `since`; readings in date order without overlap;
    each one dated by an event or a source of its start date; none resting on a statement made later."""
    earlier = position.get("earlier")
    earlier = [(j, r) for j, r in enumerate(earlier) if isinstance(r, dict)] if isinstance(earlier, list) else []
    since = _date(position.get("since"))
    if earlier and "since" not in position:
        yield view.at(("positions", index, "earlier"), "earlier readings need `since`: the date the current reading took effect")
    # (loc of the reading, its data, its start)
    dated: list[tuple[Loc, dict[str, Any], str]] = [
        (("positions", index, "earlier", j), r, start) for j, r in earlier if (start := _date(r.get("from")))
    ]
    if since:
        dated.append((("positions", index), position, since))
    if not dated:
        return
    statements, events, kinds = basis()
    for number, (loc, reading, start) in enumerate(dated):
        start_loc = (*loc, "from") if "earlier" in loc else (*loc, "since")
        following = dated[number + 1][2] if number + 1 < len(dated) else None
        if following is not None and date_key(start) >= date_key(following):
            yield view.at(start_loc, f"readings must be in date order, oldest first: {start} is not before the next reading's {following}")
        until = _date(reading.get("until")) if "earlier" in loc else None
        if until is not None:
            if date_key(until) <= date_key(start):
                yield view.at((*loc, "until"), f"a reading must end after it begins: until {until} is not after from {start}")
            elif following is not None and date_key(until) > date_key(following):
                yield view.at((*loc, "until"), f"readings overlap: this one lasts until {until}, but the next takes effect on {following}")
        cited = [(("sources", j), s, statements.get(s)) for j, s in view.texts(reading, "sources")]
        cited += [(("excerpts", j), ref, statements.get(f"article:{ref.partition('/')[0]}")) for j, ref in view.texts(reading, "excerpts")]
        for where, ref, said in cited:
            # Only statements move a position: a later official record or reproduction of an earlier text does not.
            statement = where[0] == "excerpts" or kinds.get(ref) in STATEMENT_KINDS
            if statement and said is not None and _first_day(said) > last_day(start):
                message = f"rests on '{ref}' of {said}, later than the date this reading took effect ({start}): never on a later statement"
                yield view.at((*loc, *where), message)
        if start not in events and start not in {said for _, _, said in cited}:
            message = f"{start} is not the date of a status event of this record or of a source or excerpt this reading cites"
            yield view.at(start_loc, message)


def _check_stance(
    view: _View,
    loc: Loc,
    position: dict[str, Any],
    known: tuple[set[str], set[str]],
    official_provisions: set[str],
    official_sources: set[str],
) -> Iterator[Problem]:
    """The mechanical parts of the stance rubric (docs/rubric.md): a gist or summary that does not
    contradict the stance; 'denies' on the framework's own words; 'disputed' on two cited readings;
    'not known' naming what is not held (a current reading: an earlier one has no not_held)."""
    stance = view.text(position, "stance")
    if stance is None:
        return
    for key in ("gist", "summary"):
        words = (view.text(position, key) or "").strip().lower()
        against = next((o for o in _OPENINGS_AGAINST.get(stance, ()) if words.startswith(o)), None)
        if against is not None:
            opening = words[: len(against)].strip()
            message = f"the {key} opens with '{opening}', which contradicts the stance '{stance}': reword it or change the stance"
            yield view.at((*loc, key), message, "warning")
    provisions = [p for _, p in view.texts(position, "provisions")]
    sources = [s for _, s in view.texts(position, "sources")]
    excerpts = [e for _, e in view.texts(position, "excerpts")]
    # An unknown id is reported where it is cited; judge the basis only of a position whose citations all exist.
    resolved = set(provisions) <= known[0] and set(sources) <= known[1]
    if stance == "denies" and resolved and not (set(provisions) & official_provisions or set(sources) & official_sources):
        message = "'denies' needs the framework's own words (express rejection): cite a provision of its text or an official statement"
        yield view.at((*loc, "stance"), message, "warning")
    if stance == "disputed" and len(provisions) + len(sources) + len(excerpts) < 2:
        yield view.at((*loc, "stance"), "'disputed' needs at least two cited readings", "warning")
    if stance == "not-known" and len(loc) == 2 and view.text(position, "not_held") is None:
        message = "say which passage or statement, not held, would decide it: add not_held (e.g. 'Sec. 10(4)')"
        yield view.at(loc, message, "warning")


def _check_text_held(context: Context, view: _View, record_text: str | None) -> Iterator[Problem]:
    """The record says how much of its text is held, and a text whose header says PARTIAL is not held complete."""
    held = view.data.get("text_held")
    if held is None:
        yield view.at((), "say how much of the text is held: add text_held (extent: complete, partial or none)", "warning")
        return
    if not isinstance(held, dict):
        return
    extent = held.get("extent")
    if extent == "partial" and (view.text(held, "held") is None or view.text(held, "missing") is None):
        yield view.at(("text_held",), "a partial text names the parts held and the parts missing (held, missing)", "warning")
    text = context.text(record_text) if record_text else None
    status = text.header.get("status", "") if text is not None else ""
    if extent == "complete" and status.upper().startswith("PARTIAL"):
        yield view.at(("text_held", "extent"), f"seeds/texts/{record_text}.txt is PARTIAL: the extent is partial", "warning")


def _check_participation(view: _View, sources: set[str]) -> Iterator[Problem]:
    """A list of parties states its coverage, and the coverage agrees with the list recorded."""
    data = view.data
    cover = data.get("participation")
    joining = {SIGNING, LEAVING, *JOINING}
    parties = [e for _, e in view.items("status") if isinstance(e.get("party"), str) and e.get("event") in joining]
    if cover is None:
        if parties or (isinstance(data.get("kind"), str) and data.get("kind") in JOINED_KINDS):  # a list here: the models say so
            message = "say how complete the party/signatory list is: add participation (coverage, counted, known_total, as_of, source)"
            yield view.at(("participation",) if "participation" in data else (), message)
        return
    if not isinstance(cover, dict):
        return
    source = view.text(cover, "source")
    if source is not None and source not in sources:
        yield view.at(("participation", "source"), f"unknown source '{source}'{_hint(source, sources)}")
    coverage, total = cover.get("coverage"), cover.get("known_total")
    as_of = _date(cover.get("as_of"))
    if total is None and coverage in ("complete", "partial"):
        yield view.at(("participation",), f"coverage {coverage} needs known_total: the count the source declares")
    if isinstance(total, int) and (as_of is None or source is None):
        yield view.at(("participation",), "a known_total needs its as_of date and its source")
    if not isinstance(total, int) or isinstance(total, bool) or as_of is None:
        return
    acts = [(e["party"], e.get("event"), d) for e in parties if (d := _date(e.get("date"))) is not None]
    standing = participants(acts, dt.date.fromisoformat(as_of) if len(as_of) == 10 else last_day(as_of))
    wanted = ("party",) if cover.get("counted") == "parties" else ("party", "signatory")
    recorded = sum(1 for s in standing.values() if s in wanted)
    if coverage == "complete" and recorded != total:
        yield view.at(("participation", "known_total"), f"coverage complete, but the list holds {recorded} by {as_of}, not {total}")
    elif coverage == "partial" and recorded >= total:
        yield view.at(
            ("participation", "coverage"), f"the list holds {recorded} by {as_of}, as many as known_total {total}: is it complete?"
        )


def _duplicates(view: _View, list_name: str, key: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, item in view.items(list_name):
        value = view.text(item, key)
        if value is None:
            continue
        if value in seen:
            yield view.at((list_name, index, key), f"'{value}' is given twice in {list_name}")
        seen.add(value)


def _hint(value: str, known: set[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
