"""`frameworks show`: one framework in full (identity, status, positions with quotes, sources,
corrections, verification), built on the same Comparison cells as every other report."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from ..schema.dataset import Dataset
from ..schema.dates import format_date
from ..schema.models import Record, Source
from ..schema.readings import readings
from .comparison import Cell, Comparison, build_comparison, event_words, stance_words
from .render import comparison_to_csv
from .timeline import participation_line
from .wrapping import escape_markdown, hang, wrap


@dataclass(frozen=True)
class RecordReport:
    """A record and its one-column Comparison (the cells with quotes and sources resolved)."""

    record: Record
    comparison: Comparison

    def positions(self) -> list[tuple[str, Cell]]:
        """(topic label, cell) in vocabulary order."""
        return [(row.label, row.cells[0]) for row in self.comparison.rows]

    def earlier(self, topic: str) -> str:
        """'Mar 2019 to 7 Apr 2020: conditional; ...': the readings before the one shown (`frameworks history` has them in full)."""
        position = next((p for p in self.record.positions if p.topic == topic), None)
        if position is None:
            return ""
        shown = [r for r in readings(position) if not r.current]
        return "; ".join(f"{format_date(r.start or '')} to {format_date(r.end) if r.end else '?'}: {stance_words(r.stance)}" for r in shown)


def record_report(dataset: Dataset, record_id: str, as_of: dt.date | None = None) -> RecordReport:
    """The record `record_id` of `dataset` and its one-column Comparison, as of a date (None: today)."""
    return RecordReport(dataset.records[record_id], build_comparison(dataset, [record_id], as_of=as_of))


def render_record(report: RecordReport, output_format: str, width: int = 100) -> str:
    """`report` as table (plain text), markdown, csv (positions), json or html."""
    if output_format == "json":
        return json.dumps(report.record.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    if output_format == "csv":
        return comparison_to_csv(report.comparison)
    if output_format == "html":
        from .templating import render

        return render(
            "record.html.j2", r=report.record, report=report, column=report.comparison.columns[0], parties=participation_line(report.record)
        )
    if output_format == "markdown":
        return _markdown(report)
    return _text(report, width)


def _text(report: RecordReport, width: int) -> str:
    r = report.record
    column = report.comparison.columns[0]
    out = [f"{r.short_title} ({r.id})", wrap(r.title, width), ""]
    facts = [
        ("Kind", r.kind.value),
        ("Legal force", r.legal_force.value),
        ("Jurisdiction", r.jurisdiction),
        ("Issuer", r.issuer),
        ("Status", column.status),
        ("Parties", participation_line(r) or ""),
        ("Aliases", ", ".join(r.aliases)),
        ("Identifiers", "; ".join(r.identifiers)),
        ("Text held", column.coverage.removeprefix("text held: ")),
        ("Last verified", f"{r.last_verified} against {', '.join(r.verified_against)}"),
    ]
    out += [wrap(f"{label}: {value}", width) for label, value in facts if value]
    out += ["", wrap(r.summary, width), "", "STATUS"]
    for event in r.status:
        party = f" [{event.party}]" if event.party else ""
        out.append(hang(f"{format_date(event.date):>12}  {event_words(event.event)}{party}: {event.description}", width, 14))
    out += ["", "POSITIONS"]
    for label, cell in report.positions():
        dated = f" ({cell.dated})" if cell.dated else ""
        rests = f" (rests on: {cell.support})" if cell.positioned else ""
        out.append(hang(f"{label}: {stance_words(cell.stance).upper()}{dated}{rests}", width, 2))
        out.append(hang("  " + cell.summary, width, 2))
        if cell.why_not_known:
            out.append(hang(f"  {cell.why_not_known}", width, 4))
        if earlier := report.earlier(cell.topic):
            out.append(hang("  Earlier readings: " + earlier, width, 4))
        for quote in cell.quotes:
            flag = " (quoted from a third-party reproduction)" if quote.secondary else ""
            out.append(hang(f"  {quote.label}{flag}: “{quote.text}”", width, 4))
        if cell.sources:
            out.append(hang("  Sources: " + "; ".join(s.id for s in cell.sources), width, 4))
        if cell.note:
            out.append(hang(f"  Note: {cell.note}", width, 4))
    out += ["", "SOURCES"]
    for s in r.sources:
        out.append(hang(f"[{s.id}] {_source_line(s)}", width, 2))
    if r.corrections:
        out += ["", "CORRECTIONS OF SOURCES"]
        for c in r.corrections:
            out.append(hang(f"[{c.source}] claims: “{c.claim}”", width, 2))
            out.append(hang(f"  Correct: {c.correction} (evidence: {', '.join(c.evidence)})", width, 4))
    return "\n".join(out) + "\n"


def _source_line(s: Source) -> str:
    parts = [f"{s.title}.", f"{s.publisher} ({s.kind.value})"]
    if s.date:
        parts.append(format_date(s.date))
    if s.url:
        parts.append(s.url)
    if s.retrieved:
        parts.append(f"retrieved {s.retrieved}")
    return " ".join(parts[:2]) + (", " + ", ".join(parts[2:]) if parts[2:] else "")


def _markdown(report: RecordReport) -> str:
    r = report.record
    e = escape_markdown
    column = report.comparison.columns[0]
    out = [f"# {e(r.short_title)} (`{r.id}`)", "", f"*{e(r.title)}*", ""]
    out += [
        f"- **Kind:** {e(r.kind.value)} · **Legal force:** {e(r.legal_force.value)} · **Jurisdiction:** {e(r.jurisdiction)}",
        f"- **Issuer:** {e(r.issuer)}",
        f"- **Status:** {e(column.status)}",
        *([f"- **Parties:** {e(line)}"] if (line := participation_line(r)) else []),
        f"- **Aliases:** {e(', '.join(r.aliases)) or '—'}",
        f"- **Identifiers:** {e('; '.join(r.identifiers)) or '—'}",
        f"- **Text held:** {e(column.coverage.removeprefix('text held: '))}",
        f"- **Last verified:** {r.last_verified} against {e(', '.join(r.verified_against))}",
        "",
        e(r.summary),
        "",
        "## Status",
        "",
        "| Date | Event | Party | Description |",
        "|---|---|---|---|",
    ]
    out += [f"| {format_date(ev.date)} | {event_words(ev.event)} | {e(ev.party or '')} | {e(ev.description)} |" for ev in r.status]
    out += ["", "## Positions", ""]
    for label, cell in report.positions():
        dated = f" *({cell.dated})*" if cell.dated else ""
        out += [f"### {e(label)}: **{stance_words(cell.stance)}**{dated}", ""]
        out += [f"*Rests on: {cell.support}*", ""] if cell.positioned else []
        out += [e(cell.summary), ""]
        if cell.why_not_known:
            out += [f"*{e(cell.why_not_known)}*", ""]
        if earlier := report.earlier(cell.topic):
            out += [f"*Earlier readings:* {e(earlier)}", ""]
        for quote in cell.quotes:
            flag = " *(quoted from a third-party reproduction)*" if quote.secondary else ""
            out.append(f"> “{e(quote.text)}” — {e(quote.label)}{flag}")
            out.append("")
        if cell.sources:
            out += ["Sources: " + e("; ".join(s.id for s in cell.sources)), ""]
        if cell.note:
            out += [f"*Note:* {e(cell.note)}", ""]
    out += ["## Sources", ""]
    out += [f"- `{s.id}`: {e(_source_line(s))}" for s in r.sources]
    if r.corrections:
        out += ["", "## Corrections of sources", ""]
        for c in r.corrections:
            out.append(f"- `{c.source}` claims “{e(c.claim)}”. **Correct:** {e(c.correction)} (evidence: {e(', '.join(c.evidence))})")
    return "\n".join(out) + "\n"
