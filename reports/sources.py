"""`frameworks sources check`: re-read every page the records rest on and say whether it still
says what we hold, and who must re-verify if not.

What is watched (``watch_list``): the address in each official text's ``# source-url:`` header,
each record source with a URL, and each press report in seeds/articles.yaml with a URL, one check
per address. What we hold of a page is compared (``compare``): the passages of the held text (its
paragraphs, without editorial marker lines or third-party sections) and the quotes and excerpts
records cite from it. A page is:

- unchanged: every held passage is still on the page, word for word (typography folded);
- changed: some held passage is not, with a short word diff and the records and positions whose
  quotes are no longer found;
- moved: a permanent redirect (301/308) sent the check to another address, and the held words
  are still there (a moved page whose words differ is reported as changed, and moved);
- reachable: the page answered, but we hold none of its words, so only its address was checked;
- unreachable: it could not be read (refused, not found, timed out, too large, not a page):
  "not checked", never a pass.

Nothing here writes a file: a check never modifies a record.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .. import __version__
from ..schema.dataset import Dataset
from ..schema.problems import display_path
from ..schema.texts import normalise, quote_found, read_source_text, text_path, text_sections
from ..status import ExitStatus
from .fetch import USER_AGENT, FetchFailed, FetchLimits, Page, fetch_page, make_client

_URL = re.compile(r"https?://[^\s)>\]]+")
_MARKUP = re.compile(r"\*\*|^#+\s+", re.MULTILINE)  # Markdown emphasis and heading marks of a rendering
_HYPHEN = re.compile(r"\s*[-\u2010\u2011\u2012\u2013\u2014]\s*")  # co-operation/cooperation, line-end "Inter- national"
MIN_PASSAGE_WORDS = 4  # shorter lines (headings, "Section 1.") say too little to compare alone
SHOWN_DIFFS = 3


class Outcome(StrEnum):
    """What one check found."""

    unchanged = "unchanged"
    changed = "changed"
    moved = "moved"
    reachable = "reachable"
    unreachable = "unreachable"


# Outcomes that ask someone to re-verify records, and the order a report lists them in.
ACTION_OUTCOMES = frozenset({Outcome.changed, Outcome.moved, Outcome.unreachable})
_ORDER = [Outcome.changed, Outcome.moved, Outcome.unreachable, Outcome.reachable, Outcome.unchanged]


@dataclass(frozen=True)
class Quote:
    """Words a record cites from a watched page: a provision's quote or a press excerpt."""

    record: str
    ref: str  # provision pinpoint, or article-id/excerpt-id
    label: str
    text: str
    positions: tuple[str, ...]  # topics whose positions rest on it


@dataclass
class Watched:
    """One address to check, what we hold of it, and what rests on it."""

    url: str
    names: list[str] = field(default_factory=list)  # "text ost-1967", "source ost/unoosa-ost", "article mt-..."
    text_id: str | None = None
    file: str | None = None  # the file a GitHub annotation points to
    passages: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    relying: dict[str, set[str]] = field(default_factory=dict)  # record -> what of it rests on the page

    def rely(self, record: str, what: str) -> None:
        self.relying.setdefault(record, set()).add(what)


@dataclass(frozen=True)
class Result:
    """The outcome of one check, with what a reader needs to act on it."""

    watched: Watched
    outcome: Outcome
    reason: str = ""
    status: int | None = None
    final_url: str | None = None
    redirects: tuple[tuple[int, str], ...] = ()
    attempts: int = 0
    held: int = 0  # passages compared
    missing: tuple[str, ...] = ()  # held passages not found on the page
    diffs: tuple[str, ...] = ()
    lost_quotes: tuple[Quote, ...] = ()  # cited words no longer found

    @property
    def to_reverify(self) -> dict[str, list[str]]:
        """Records and what of each to re-verify: the positions whose quotes were lost, else all that rests on the page."""
        if self.lost_quotes:
            wanted: dict[str, set[str]] = {}
            for quote in self.lost_quotes:
                wanted.setdefault(quote.record, set()).update(
                    [f"provision {quote.ref} ({quote.label})" if "/" not in quote.ref else f"excerpt {quote.ref}"]
                    + [f"position {topic}" for topic in quote.positions]
                )
            return {record: sorted(things) for record, things in sorted(wanted.items())}
        return {record: sorted(things) for record, things in sorted(self.watched.relying.items())}


@dataclass(frozen=True)
class Report:
    """Every check of a run."""

    results: list[Result]
    checked_at: str
    user_agent: str = USER_AGENT

    def count(self, outcome: Outcome) -> int:
        return sum(r.outcome == outcome for r in self.results)

    @property
    def exit_code(self) -> ExitStatus:
        if any(r.outcome in (Outcome.changed, Outcome.moved) for r in self.results):
            return ExitStatus.ERROR
        if any(r.outcome == Outcome.unreachable for r in self.results):
            return ExitStatus.NOT_CHECKED
        return ExitStatus.SUCCESS


class UnknownSource(ValueError):
    """A name given to `sources check` that is neither a record, an alias, nor a text id."""


# --- what to watch -----------------------------------------------------------------------------


def first_url(value: str) -> str | None:
    """The first web address in a header value ("https://... (UNOOSA, ...)")."""
    found = _URL.search(value or "")
    return found.group(0).rstrip(".,;") if found else None


def _key(url: str) -> str:
    return url.split("#", 1)[0]


def watch_list(dataset: Dataset, names: list[str] | None = None) -> list[Watched]:
    """Every address the records rest on, each once (or only those of the records or texts named)."""
    by_url: dict[str, Watched] = {}
    text_ids: set[str] = set()

    def watched(url: str) -> Watched:
        return by_url.setdefault(_key(url), Watched(_key(url)))

    positions_citing: dict[tuple[str, str], set[str]] = {}  # (record, provision or excerpt or source) -> topics
    for record in dataset.records.stream():
        for position in record.positions:
            for ref in [*position.provisions, *position.excerpts, *(f"source:{s}" for s in position.sources)]:
                positions_citing.setdefault((record.id, ref), set()).add(position.topic)
        for provision in record.provisions:
            text_id = provision.text or record.text
            if text_id:
                text_ids.add(text_id)
        for source in record.sources:
            if source.url:
                item = watched(source.url)
                item.names.append(f"source {record.id}/{source.id}")
                item.file = item.file or display_path(dataset.files[record.id])
                topics = positions_citing.get((record.id, f"source:{source.id}"), set())
                item.rely(record.id, f"source {source.id}")
                for topic in topics:
                    item.rely(record.id, f"position {topic}")
        if record.text:
            text_ids.add(record.text)

    quotes_by_text: dict[str, list[Quote]] = {}
    for record in dataset.records.stream():
        for provision in record.provisions:
            text_id = provision.text or record.text
            if text_id and provision.quote_basis.value == "official":
                topics = tuple(sorted(positions_citing.get((record.id, provision.id), ())))
                quotes_by_text.setdefault(text_id, []).append(Quote(record.id, provision.id, provision.label, provision.quote, topics))

    for text_id in sorted(text_ids):
        try:
            text = read_source_text(dataset.seeds, text_id)
        except (OSError, UnicodeDecodeError):
            continue  # validate reports a missing text; nothing here to watch
        url = first_url(text.header.get("source-url", ""))
        if url is None:
            continue
        item = watched(url)
        item.names.insert(0, f"text {text_id}")
        item.text_id = text_id
        item.file = display_path(text_path(dataset.seeds, text_id))
        item.passages.extend(held_passages(text.body))
        item.quotes.extend(quotes_by_text.get(text_id, []))
        for quote in quotes_by_text.get(text_id, []):
            item.rely(quote.record, f"provision {quote.ref} ({quote.label})")
            for topic in quote.positions:
                item.rely(quote.record, f"position {topic}")

    for article in dataset.articles.values():
        if not article.url:
            continue
        item = watched(article.url)
        item.names.append(f"article {article.id}")
        item.file = item.file or "seeds/articles.yaml"
        for excerpt in article.excerpts:
            ref = f"{article.id}/{excerpt.id}"
            users = [(record_id, topics) for (record_id, cited), topics in positions_citing.items() if cited == ref]
            for record_id, topics in users:
                item.quotes.append(Quote(record_id, ref, excerpt.speaker or article.outlet, excerpt.text, tuple(sorted(topics))))
                for topic in topics:
                    item.rely(record_id, f"position {topic}")
            if not users:
                item.passages.append(excerpt.text)
    items = sorted(by_url.values(), key=lambda w: (w.names[0] if w.names else "", w.url))
    if not names:
        return items
    return _select(dataset, items, names, text_ids)


def _select(dataset: Dataset, items: list[Watched], names: list[str], text_ids: set[str]) -> list[Watched]:
    records: set[str] = set()
    texts: set[str] = set()
    for name in names:
        key = name.strip().lower()
        if key in dataset.aliases:
            records.add(dataset.aliases[key])
        elif key in text_ids:
            texts.add(key)
        else:
            close = difflib.get_close_matches(key, [*dataset.aliases, *text_ids], n=3, cutoff=0.5)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise UnknownSource(f"'{name}': no record or text has this id{hint}; see frameworks list")
    return [w for w in items if (w.text_id in texts) or records & set(w.relying)]


def held_passages(body: str) -> list[str]:
    """The paragraphs of a held text that a page should still show: official sections only, no
    editorial marker lines, at least MIN_PASSAGE_WORDS words each."""
    passages = []
    for secondary, section in text_sections(body):
        if secondary:
            continue
        for line in section:
            cleaned = normalise(_MARKUP.sub("", line))
            if len(cleaned.split()) >= MIN_PASSAGE_WORDS:
                passages.append(cleaned)
    return passages


# --- comparing a page with what we hold --------------------------------------------------------


def comparison_key(text: str) -> str:
    """Text folded for comparison: typography (schema.texts.normalise), Markdown marks, and hyphens
    and dashes with the spaces around them (line-end hyphenation, "co-operation"/"cooperation")."""
    return _HYPHEN.sub("", normalise(_MARKUP.sub("", text)))


def compare(item: Watched, page: Page) -> Result:
    """The outcome of a fetched page against what we hold of it."""
    moved = page.permanently_moved and _key(page.final_url) != item.url
    common = {
        "status": page.status,
        "final_url": page.final_url,
        "redirects": tuple((r.status, r.url) for r in page.redirects),
        "attempts": page.attempts,
    }
    if not item.passages and not item.quotes:
        outcome = Outcome.moved if moved else Outcome.reachable
        reason = "we hold none of its words: only the address was checked"
        return Result(item, outcome, reason + (f"; it now answers at {page.final_url}" if moved else ""), **common)
    page_key = comparison_key(page.text)
    missing = tuple(p for p in item.passages if comparison_key(p) not in page_key)
    lost = tuple(q for q in item.quotes if not quote_found(q.text, page_key, comparison_key))
    held = len(item.passages) + len(item.quotes)
    if missing or lost:
        gone = [*missing, *(q.text for q in lost)]
        reason = f"{len(gone)} of {held} held passages and quotes are no longer on the page word for word"
        if len(gone) == held:
            reason = (
                f"none of the {held} held passages and quotes is on the page "
                "(the text may have moved elsewhere, or be laid out differently)"
            )
        if moved:
            reason += f"; it also moved to {page.final_url}"
        diffs = tuple(word_diff(passage, page.text) for passage in gone[:SHOWN_DIFFS])
        return Result(item, Outcome.changed, reason, held=held, missing=missing, diffs=diffs, lost_quotes=lost, **common)
    if moved:
        return Result(item, Outcome.moved, f"permanently redirected to {page.final_url}; the held words are all there", held=held, **common)
    return Result(item, Outcome.unchanged, f"all {held} held passages and quotes found word for word", held=held, **common)


def word_diff(held: str, page_text: str, context: int = 6) -> str:
    """A short word diff of a held passage against the closest stretch of the page:
    [-held words-]{+page words+} around what differs, or a note that nothing close is there."""
    held_words = normalise(held).split()
    page_words = normalise(_MARKUP.sub("", page_text)).split()
    anchor = _closest_start(held_words, page_words)
    if anchor is None:
        return "not on the page: " + _clip(" ".join(held_words), 160)
    window = page_words[anchor : anchor + len(held_words) + 8]
    matcher = difflib.SequenceMatcher(a=held_words, b=window, autojunk=False)
    opcodes = matcher.get_opcodes()
    while opcodes and opcodes[-1][0] in ("insert", "delete") and opcodes[-1][0] == "insert":
        opcodes.pop()  # page words after the held passage ends
    pieces: list[str] = []
    for tag, a0, a1, b0, b1 in opcodes:
        if tag == "equal":
            words = held_words[a0:a1]
            if len(words) > 2 * context:
                words = (words[:context] if pieces else []) + ["..."] + words[-context:]
            pieces.append(" ".join(words))
        else:
            if a1 > a0:
                pieces.append("[-" + " ".join(held_words[a0:a1]) + "-]")
            if b1 > b0:
                pieces.append("{+" + " ".join(window[b0:b1]) + "+}")
    return _clip(" ".join(pieces), 400)


def _closest_start(held: list[str], page: list[str]) -> int | None:
    """Where on the page the held passage most likely starts: its first, then its last words."""
    if not held or not page:
        return None
    for size in (6, 4, 3):
        head = held[:size]
        for index in range(len(page) - size + 1):
            if page[index : index + size] == head:
                return index
        tail = held[-size:]
        for index in range(len(page) - size + 1):
            if page[index : index + size] == tail:
                return max(0, index - (len(held) - size))
    return None


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- running the checks ------------------------------------------------------------------------


def check_sources(
    items: list[Watched],
    limits: FetchLimits | None = None,
    concurrency: int = 4,
    on_result: Callable[[Result], None] | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """Fetch every watched address (at most `concurrency` at once) and compare it with what we hold."""
    limits = limits or FetchLimits()
    checked_at = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    with make_client(limits) as client, ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:

        def check_one(item: Watched) -> Result:
            try:
                page = fetch_page(client, item.url, limits)
            except FetchFailed as exc:
                result = Result(
                    item,
                    Outcome.unreachable,
                    exc.reason,
                    status=exc.status,
                    final_url=exc.final_url,
                    redirects=tuple((r.status, r.url) for r in exc.redirects),
                    attempts=exc.attempts,
                )
            else:
                result = compare(item, page)
            if on_result is not None:
                on_result(result)
            return result

        results = list(pool.map(check_one, items))
    results.sort(key=lambda r: (_ORDER.index(r.outcome), r.watched.names[0] if r.watched.names else "", r.watched.url))
    return Report(results, checked_at)


# --- rendering ---------------------------------------------------------------------------------

_WORDS = {
    Outcome.unchanged: "unchanged",
    Outcome.changed: "CHANGED",
    Outcome.moved: "MOVED",
    Outcome.reachable: "reachable, nothing held to compare",
    Outcome.unreachable: "unreachable, not checked",
}


def summary_line(report: Report) -> str:
    """One line: how many sources of each outcome, and what the exit code will say."""
    counts = ", ".join(f"{report.count(o)} {o.value}" for o in _ORDER if report.count(o))
    total = len(report.results)
    verdict = {
        ExitStatus.SUCCESS: "nothing to re-verify",
        ExitStatus.ERROR: "records to re-verify",
        ExitStatus.NOT_CHECKED: "some sources were NOT checked",
    }[report.exit_code]
    return f"{total} source{'s' if total != 1 else ''} checked on {report.checked_at}: {counts or 'none'} ({verdict})"


def render_text(report: Report) -> str:
    """One block per source: outcome, address, why; for a change the diff and what to re-verify."""
    lines: list[str] = []
    for result in report.results:
        item = result.watched
        lines.append(f"{_WORDS[result.outcome]}: {item.url}")
        lines.append(f"  {'; '.join(item.names)}")
        if result.reason:
            lines.append(f"  {result.reason}")
        for status, url in result.redirects:
            lines.append(f"  redirect: {url} answered {status}")
        if result.redirects and result.final_url:
            lines.append(f"  now at: {result.final_url}")
        for diff in result.diffs:
            lines.append(f"  diff: {diff}")
        if result.outcome in ACTION_OUTCOMES:
            # An unchecked page asks nobody to re-verify yet: it says what would be at stake.
            label = "rests on it:" if result.outcome == Outcome.unreachable else "re-verify"
            for record, things in result.to_reverify.items():
                lines.append(f"  {label} {record}: {', '.join(things)}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def report_to_dict(report: Report) -> dict:
    """The report as JSON-ready data (the format `sources issues` and the weekly workflow read)."""
    return {
        "format": "frameworks.source-check/1",
        "tool_version": __version__,
        "checked_at": report.checked_at,
        "user_agent": report.user_agent,
        "exit_code": int(report.exit_code),
        "counts": {o.value: report.count(o) for o in Outcome},
        "sources": [
            {
                "url": r.watched.url,
                "names": r.watched.names,
                "text": r.watched.text_id,
                "file": r.watched.file,
                "outcome": r.outcome.value,
                "checked": r.outcome != Outcome.unreachable,
                "reason": r.reason,
                "status": r.status,
                "final_url": r.final_url,
                "redirects": [{"status": s, "url": u} for s, u in r.redirects],
                "attempts": r.attempts,
                "held": r.held,
                "missing": list(r.missing),
                "diffs": list(r.diffs),
                "lost_quotes": [
                    {"record": q.record, "ref": q.ref, "label": q.label, "positions": list(q.positions)} for q in r.lost_quotes
                ],
                "reverify": r.to_reverify if r.outcome in ACTION_OUTCOMES else {},
                "relying": {record: sorted(things) for record, things in sorted(r.watched.relying.items())},
            }
            for r in report.results
        ],
    }


def render_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"


def render_github(report: Report) -> str:
    """GitHub Actions annotations: an error per changed source, a warning per moved or unchecked one."""
    from .validation_report import _escape_data, _escape_property

    lines = []
    for result in report.results:
        if result.outcome not in ACTION_OUTCOMES:
            continue
        level = "error" if result.outcome == Outcome.changed else "warning"
        reverify = "; ".join(f"{record}: {', '.join(things)}" for record, things in result.to_reverify.items())
        lead = "Rests on it:" if result.outcome == Outcome.unreachable else "Re-verify"
        message = f"{result.watched.url}: {result.reason}" + (f". {lead} {reverify}" if reverify else "")
        where = f"file={_escape_property(result.watched.file)}," if result.watched.file else ""
        title = f"source {_WORDS[result.outcome]}"
        lines.append(f"::{level} {where}title={_escape_property(title)}::{_escape_data(message)}")
    return "".join(line + "\n" for line in lines) + summary_line(report) + "\n"


def render_report(report: Report, output_format: str) -> str:
    """The report in `output_format`: text, json or github."""
    if output_format == "json":
        return render_json(report)
    if output_format == "github":
        return render_github(report)
    return render_text(report)


# --- issues for the weekly workflow ------------------------------------------------------------

ISSUE_MARKER = "<!-- source-watch: {url} -->"


@dataclass(frozen=True)
class IssueDraft:
    """One issue the weekly source watch opens or updates: a changed, moved or unchecked source."""

    key: str  # the marker that finds the issue again
    title: str
    body: str


def issue_drafts(report_data: dict) -> list[IssueDraft]:
    """One issue per source that is changed, moved or unreachable, from `report_to_dict`'s data."""
    drafts = []
    for source in report_data.get("sources", []):
        if source.get("outcome") not in {o.value for o in ACTION_OUTCOMES}:
            continue
        url = source["url"]
        names = source.get("names") or [url]
        title = f"Source {source['outcome']}: {names[0]}"
        lines = [
            ISSUE_MARKER.format(url=url),
            f"The weekly source check of {report_data.get('checked_at', 'this week')} found this source **{source['outcome']}**"
            + (" (it could not look at it: this is not a pass)." if source["outcome"] == "unreachable" else "."),
            "",
            f"- Address: {url}",
            f"- Cited as: {', '.join(names)}",
            f"- Finding: {source.get('reason', '')}",
        ]
        if source.get("final_url") and source.get("final_url") != url:
            lines.append(f"- Now answers at: {source['final_url']}")
        for redirect in source.get("redirects", []):
            lines.append(f"- Redirect: {redirect['url']} answered {redirect['status']}")
        if source.get("diffs"):
            lines += ["", "Held words against the page ([-held-] {+page+}):", ""]
            lines += [f"    {diff}" for diff in source["diffs"]]
        lines += ["", "Records and positions to re-verify:", ""]
        for record, things in (source.get("reverify") or source.get("relying") or {}).items():
            lines.append(f"- [ ] `{record}`: {', '.join(things)}")
        lines += [
            "",
            "Re-read the page; if the official text changed, update the held text and its body-sha256, the quotes and the "
            "positions that rest on them, and each record's last_verified. If the address moved, update the URL. "
            "Close this issue when done; the next check reopens nothing that passes.",
        ]
        drafts.append(IssueDraft(ISSUE_MARKER.format(url=url), title[:250], "\n".join(lines) + "\n"))
    return drafts


def read_report(path: Path) -> dict:
    """A report written by `sources check --format json`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != "frameworks.source-check/1":
        raise ValueError(f"{path} is not a report of frameworks sources check --format json")
    return data
