"""The commented template that `frameworks new` writes, and the TODO placeholders in it.

Every value a contributor must supply is written as a string starting with ``TODO``. The
validator reports each such value as "to fill in" (and nothing else about it), so a fresh
template fails validation exactly where something is missing, with a hint of what goes there.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from pathlib import Path

from .json_schema import SCHEMA_FILE
from .load import load_topics
from .models import ID_PATTERN, JOINED_KINDS, Kind, LegalForce, SourceKind, Stance, Topic
from .names import other_names
from .problems import display_path
from .yamlfile import PLACEHOLDER, find_placeholders, parse_yaml
from .yamlfile import is_placeholder as is_placeholder  # re-exported: the template's placeholders are tested with it


def _one_of(words: list[str]) -> str:
    """'a, b or c'."""
    return f"{', '.join(words[:-1])} or {words[-1]}" if len(words) > 1 else "".join(words)


# The vocabularies are the enums of schema.models; only the notes a contributor needs are added here.
_STANCE_NOTES = {Stance.silent: "a text you hold says nothing", Stance.not_known: "basis not held or not verified"}
_FORCE = _one_of([force.value for force in LegalForce])
_STANCES = _one_of([f"{s.value} ({_STANCE_NOTES[s]})" if s in _STANCE_NOTES else s.value for s in Stance])
KINDS = ", ".join(kind.value for kind in Kind)

# The status events a record of each kind usually starts with (oldest first).
_EVENTS: dict[Kind, list[tuple[str, str]]] = {
    Kind.treaty: [
        ("opened-for-signature", "Opened for signature in London, Moscow and Washington"),
        ("entered-into-force", "Entered into force after the required ratifications"),
    ],
    Kind.un_resolution: [("adopted", "Adopted by the UN General Assembly without a vote")],
    Kind.statute: [("enacted", "Signed into law as Public Law 114-90")],
    Kind.executive_order: [("signed", "Signed by the head of government"), ("published", "Published in the official journal")],
    Kind.political_accord: [("signed", "Signed by the first participants")],
    Kind.national_position: [("statement", "Stated by a named official or agency")],
    Kind.soft_law: [("adopted", "Adopted by the issuing body")],
    Kind.intergovernmental_process: [("established", "Established by a decision of the body")],
}


def _todo(hint: str) -> str:
    # JSON strings are valid YAML double-quoted scalars: this quotes any hint safely.
    return json.dumps(f"{PLACEHOLDER}: {hint}", ensure_ascii=False)


def render_template(record_id: str, kind: Kind, topics: list[Topic], schema_ref: str, validate_command: str) -> str:
    """A new record for `record_id` of `kind`, with a position per topic and TODO where data is needed.

    `schema_ref` is the path (relative to the new file) of schema/framework.schema.json, for the
    editor modeline; `validate_command` is the command that checks the new file.
    """
    has_text = kind != Kind.national_position
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# Framework record '{record_id}' ({kind.value}), written by `frameworks new`. See CONTRIBUTING.md.",
        "# Replace every value that starts with TODO, delete example lines you do not need, then run",
        f"#   {validate_command}",
        "# which lists, by line, each place still to fill in and any other mistake.",
        f"id: {record_id}",
        "# Other ids readers may type for it, lower-case words and dashes, e.g. [outer-space-treaty, ost-1967].",
        "aliases: []",
        f"title: {_todo('the full official title')}",
        f"short_title: {_todo('the short name readers know it by')}",
        f"kind: {kind.value}",
        f"issuer: {_todo('who adopted, issued or holds it, e.g. UN General Assembly, Government of Luxembourg')}",
        f"jurisdiction: {_todo('where it applies, e.g. international, United States')}",
        f"legal_force: {_todo(_FORCE)}",
        "# Official citations, e.g. '610 UNTS 205', 'Pub. L. 114-90', 'A/RES/2222 (XXI)'.",
        "identifiers: []",
    ]
    if has_text:
        lines += [
            "# The official text that provisions quote: seeds/texts/<text>.txt (add it there, with its provenance header).",
            f"text: {_todo('id of the official text in seeds/texts/ (file name without .txt)')}",
        ]
    lines += [
        "# How much of the text (for a State's position: of its statements) you hold: complete, partial or none.",
        "# If partial, add `held:` and `missing:`, naming the parts (e.g. 'Arts. 1-2' / 'Arts. 3 onwards').",
        "text_held:",
        f"  extent: {_todo('complete, partial or none')}",
        f"summary: {_todo('two or three sentences: what it is, who is bound, what it does for space resources')}",
        "",
        "# Dated events, oldest first; each cites a source below. A date is YYYY-MM-DD, or '2019-03' / '2019'",
        "# (quoted) when the source gives no more. Add `party: <State>` for one State's signature or withdrawal.",
        "status:",
    ]
    for event, example in _EVENTS[kind]:
        lines += [
            f"  - date: {_todo('YYYY-MM-DD')}",
            f"    event: {event}",
            f"    description: {_todo(f'one sentence, e.g. {example}')}",
            f"    sources: [{_todo('id of a source below')}]",
        ]
    if has_text:
        lines += [
            "",
            "# Pinpoints of the text with their exact words (checked against the text). ' ... ' may skip words.",
            "provisions:",
            f"  - id: {_todo('pinpoint such as art_2, sec_1, art_6__para_2')}",
            f"    label: {_todo('how readers cite it, e.g. Article II')}",
            f"    quote: {_todo('the exact words, copied from the text')}",
        ]
    if kind in JOINED_KINDS:
        lines += [
            "",
            "# How complete the list of parties or signatories (status events with `party`) is: complete, partial",
            "# (with the total a source declares) or not-recorded (with the count a source declares, if any).",
            "participation:",
            f"  coverage: {_todo('complete, partial or not-recorded')}",
            f"  counted: {_todo('parties or signatories')}",
            f"  known_total: {_todo('the number the source declares')}",
            f"  as_of: {_todo('YYYY-MM-DD, the date the count speaks for')}",
            f"  source: {_todo('id of a source below')}",
        ]
    cite = "provisions: [] # pinpoints from provisions above" if has_text else "excerpts: [] # article-id/excerpt-id in seeds/articles.yaml"
    lines += [
        "",
        f"# One position per topic of the vocabulary; stance is one of: {_STANCES}.",
        "# Its fields are the current reading. Where the position moved, date it and keep the earlier readings:",
        "#   since: 'YYYY-MM-DD'  # when the current reading took effect: the date of a status event or a statement it cites",
        "#   earlier:             # oldest first; each from (and, where known, until) a date, with what it rested on then",
        "#     - {from: 'YYYY-MM-DD', stance: ..., summary: ..., excerpts: [...], sources: [...]}",
        "positions:",
    ]
    for topic in topics:
        lines += [
            f"  # {topic.question}",
            f"  - topic: {topic.id}",
            f"    stance: {_todo(_STANCES)}",
            f"    summary: {_todo('one or two sentences, in your words')}",
            f"    {cite}",
            "    sources: [] # ids of sources below",
        ]
    source_kind, source_hint = ("official-text", "e.g. UNOOSA") if has_text else ("press", "e.g. The Moscow Times")
    lines += [
        "",
        "# Documents this record relies on, with where and when you read them.",
        "sources:",
        f"  - id: {_todo('short id such as official-text')}",
        f"    title: {_todo('title of the document')}",
        f"    publisher: {_todo(source_hint)}",
        f"    kind: {source_kind} # {', '.join(k.value for k in SourceKind)}",
        f"    date: {_todo('YYYY-MM-DD of the document')}",
        f"    url: {_todo('https:// address of the document')}",
        f"    retrieved: {_todo('YYYY-MM-DD, the day you read it')}",
    ]
    if not has_text:
        lines.append("    # article: id of the report in seeds/articles.yaml, when the source is one")
    lines += [
        "",
        "# Where a source gets something wrong, record it under corrections (see CONTRIBUTING.md).",
        "corrections: []",
        f"last_verified: {_todo('YYYY-MM-DD, the day you checked every value against the sources')}",
        f"verified_against: [{_todo('ids of the sources you checked')}]",
    ]
    return "\n".join(lines) + "\n"


class NewRecordError(ValueError):
    """A usage mistake in `frameworks new`: a bad id or kind, or a file that already exists."""


def plan_new_record(
    record_id: str, kind: str, output: Path | None = None, root: Path | None = None, *, check_exists: bool = True
) -> tuple[Path, str, int]:
    """Check `record_id` and `kind`, choose the file and render the template: (path, text, places to fill in).

    The file is `output`, else frameworks/<id>.yaml under `root` (else the working directory)
    when that folder exists, else ./<id>.yaml. Raises NewRecordError for a malformed id, an
    unknown kind, an id already used by a record there, or (with `check_exists`, when the file is
    to be written here rather than printed) a file that already exists.
    """
    if not re.fullmatch(ID_PATTERN, record_id):
        raise NewRecordError(f"'{record_id}' is not a valid id: use lower-case letters, digits and dashes, e.g. moon-agreement")
    try:
        chosen = Kind(kind)
    except ValueError:
        close = difflib.get_close_matches(kind, [k.value for k in Kind], n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise NewRecordError(f"unknown kind '{kind}': {hint}choose one of {KINDS}") from None
    base = root or Path(".")
    if output is None:
        folder = base / "frameworks" if (base / "frameworks").is_dir() else base
        output = Path(display_path(folder / f"{record_id}.yaml"))
    if check_exists and output.exists():
        raise NewRecordError(f"{display_path(output)} already exists: edit it, or choose another id")
    used = other_names(base, [] if check_exists else [output])
    if record_id in used:
        raise NewRecordError(f"'{record_id}' is already the id or an alias in {display_path(used[record_id])}")
    local_schema = base / "schema" / SCHEMA_FILE.name
    schema_ref = os.path.relpath(local_schema if local_schema.is_file() else SCHEMA_FILE, output.parent)
    text = render_template(record_id, chosen, load_topics(), schema_ref, f"frameworks validate {display_path(output)}")
    places = sum(1 for _ in find_placeholders(parse_yaml(text.encode(), output).data))
    return output, text, places
