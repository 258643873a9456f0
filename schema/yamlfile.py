"""Read one YAML file safely, keeping the line and column of every value.

libyaml (PyYAML's C parser) builds the node tree; we turn nodes into Python values ourselves so
that we can (1) record where each value and each key stands, (2) refuse duplicate keys and
aliases (which also makes "billion laughs" impossible: an alias is refused where it is first
used, before anything is expanded), (3) keep `yes`/`no`/`on`/`off` as the strings the author
wrote rather than YAML 1.1 booleans, and (4) bound size and depth.

Two kinds of trouble: a file that cannot be read as YAML at all raises YamlError (one line, one
place). A file that parses but holds something forbidden (a duplicate key, an impossible date, a
too-long value, a tag) is still read, with each such value replaced by INVALID and the trouble
listed in ``YamlDocument.issues``, so that one run reports every error of the file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml
else:

    class _LazyYaml:
        """PyYAML, imported on first use: commands served from the record cache never parse YAML."""

        def __getattr__(self, name: str) -> Any:
            import yaml as module

            globals()["yaml"] = module
            return getattr(module, name)

    yaml = _LazyYaml()

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_SCALAR_CHARS = 20_000
MAX_DEPTH = 20
MODELINE_PREFIX = "# yaml-language-server: $schema="

Loc = tuple[int | str, ...]

_TIMESTAMP = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$")
_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_NULL_TAG = "tag:yaml.org,2002:null"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_BOM = b"\xef\xbb\xbf"
# Positions of the top levels are kept as the file is read (ids, aliases, dates); deeper ones on demand.
_EAGER_DEPTH = 2
# Values a template leaves for the contributor to fill in (see schema.template).
PLACEHOLDER = "TODO"


def is_placeholder(value: object) -> bool:
    """Whether `value` is a template placeholder the contributor has not replaced yet (see schema.template)."""
    return isinstance(value, str) and value.startswith(PLACEHOLDER)


def placeholder_message(value: str) -> str:
    """'TODO: the full title' -> 'to fill in: the full title'."""
    hint = value[len(PLACEHOLDER) :].lstrip(" :")
    return f"to fill in: {hint}" if hint else "to fill in"


def find_placeholders(data: Any, loc: tuple[int | str, ...] = ()) -> Iterator[tuple[tuple[int | str, ...], str]]:
    """Every (field path, value) in `data` whose value is a placeholder, in document order."""
    if is_placeholder(data):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from find_placeholders(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from find_placeholders(value, (*loc, index))


class _Invalid:
    """Stands in for a value the reader refused; its error is already in YamlDocument.issues."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


class YamlError(Exception):
    """Something wrong at a place in a YAML file: line and column are 1-based, loc is the field path."""

    def __init__(self, message: str, line: int = 1, col: int = 1, loc: Loc = ()) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
        self.loc = loc


@dataclass
class YamlDocument:
    """The values of one YAML file, where they stand, and what the reader refused.

    Positions are kept eagerly only for the top two levels (ids, aliases, dates of the record);
    any other is found on demand by reading the file's node tree once more. Problems are rare,
    so validating thousands of valid files never pays for a position index it does not use.
    """

    path: Path
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    issues: list[YamlError] = field(default_factory=list)
    placeholders: list[tuple[Loc, str]] = field(default_factory=list)
    first_line: str = ""
    text: str | None = None
    _index: tuple[dict[Loc, tuple[int, int]], dict[Loc, tuple[int, int]]] | None = field(default=None, repr=False, compare=False)

    def position(self, loc: Loc) -> tuple[int, int]:
        """The position of the value at `loc`, or of its nearest enclosing value that exists."""
        loc = tuple(loc)
        if loc in self.positions:
            return self.positions[loc]
        positions = self._full_index()[0]
        while loc:
            if loc in positions:
                return positions[loc]
            loc = loc[:-1]
        return positions.get((), self.positions.get((), (1, 1)))

    def key_position(self, loc: Loc) -> tuple[int, int]:
        """Where the key of the mapping entry at `loc` is written (else where its value is)."""
        loc = tuple(loc)
        return self.keys.get(loc) or self._full_index()[1].get(loc) or self.position(loc)

    def _full_index(self) -> tuple[dict[Loc, tuple[int, int]], dict[Loc, tuple[int, int]]]:
        if self._index is None:
            try:
                text = self.text if self.text is not None else _decode(self.path.read_bytes(), [])
                self._index = _index_positions(_compose(text))
            except (OSError, YamlError):
                self._index = (self.positions, self.keys)  # the file changed under us: the top levels will do
        return self._index


def read_yaml(path: Path) -> YamlDocument:
    """Read and parse `path`; raise YamlError with a one-line message for anything unreadable.

    The size is checked before reading and the read is bounded, so a huge file (or one that
    grows while we read) never lands in memory; anything but a regular file (a FIFO, a device)
    is refused before it is opened, since opening it could block.
    """
    return parse_yaml(read_bytes(path), path, keep_text=False)


def _missing(path: Path) -> str:
    """Why a listed file cannot be opened: an editor's lock, a dangling symlink, or gone."""
    if path.is_symlink():
        target = os.readlink(path)
        if path.name.startswith(".#"):
            return f"an editor's lock file (a symlink to {target!r}), not a record: save and close the file, or remove the lock"
        return f"a symlink to {target!r}, which does not exist"
    return "no such file"


def _kind_of(mode: int) -> str:
    for test, words in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return words
    return "a special file"


def read_bytes(path: Path) -> bytes:
    """The bytes of a record file, read as read_yaml does (regular files only, bounded); YamlError otherwise.

    Opened without blocking (a FIFO has no writer) and checked on the open file, so that what is
    checked is what is read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise YamlError(_missing(path)) from None
    except OSError as exc:
        raise YamlError(f"cannot read file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise YamlError(f"not a regular file but {_kind_of(info.st_mode)}: a record is a plain YAML file")
        if info.st_size > MAX_FILE_BYTES:
            raise YamlError(_too_big(info.st_size))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise YamlError(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:
        raise YamlError(_too_big(len(raw)))
    return raw


def _too_big(size: int) -> str:
    return f"file is {size / 1024 / 1024:.1f} MiB; a record may be at most {MAX_FILE_BYTES // 1024 // 1024} MiB"


def parse_yaml(raw: bytes, path: Path, *, keep_text: bool = True) -> YamlDocument:
    """Parse YAML bytes (see read_yaml); `keep_text` keeps the text for finding positions later
    (read_yaml does not: the file can be read again, and thousands of texts would fill memory)."""
    issues: list[YamlError] = []
    text = _decode(raw, issues)
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise YamlError("file is empty: a record is a YAML mapping of fields, starting with id")
    node = _compose(text)
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG):
        raise YamlError("file is empty: a record is a YAML mapping of fields, starting with id")
    doc = YamlDocument(path=path, data=None, issues=issues, first_line=text.split("\n", 1)[0], text=text if keep_text else None)
    # Without a '*' in the text there is no alias, and no need to watch for nodes seen twice.
    doc.data = _Builder(doc, text, aliases="*" in text).build(node)
    return doc


def _decode(raw: bytes, issues: list[YamlError]) -> str:
    """UTF-8 text of `raw` (a byte-order mark is dropped and reported in `issues`)."""
    if raw.startswith(_BOM):
        # Legal YAML, but it hides the modeline from editors and shows up in diffs: ask for plain UTF-8.
        issues.append(YamlError("the file begins with a byte-order mark (BOM): save it as UTF-8 without BOM"))
        raw = raw[len(_BOM) :]
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise YamlError("file is binary (it contains NUL bytes), not YAML text", line)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - raw.rfind(b"\n", 0, exc.start)
        raise YamlError(f"file is not UTF-8 text (invalid byte 0x{raw[exc.start]:02x}): save it as UTF-8", line, col) from None


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        lines = text.split("\n")
        at = lines[line - 1][col - 1 : col] if line <= len(lines) else ""
        opened = _unclosed_quote(text, exc, line)
        if opened is not None:
            start_line, start_col, quote = opened
            problem = f"the {quote} quote that starts here is not closed where the value ends (YAML gave up at line {line}, column {col})"
            raise YamlError(f"not valid YAML: {problem}", start_line, start_col) from None
        if at == "\t" or "tab" in problem:
            problem = "a tab character: YAML indentation must use spaces, not tabs"
        elif "mapping values are not allowed" in problem:
            problem = "a value holding ': ' must be quoted, e.g. summary: \"Note: ...\" (or use > and write it on the next lines)"
        elif "single document" in (exc.context or ""):
            problem = "a record file holds one YAML document, but a second one starts here ('---')"
        elif "nesting depth" in problem:
            problem = f"nesting is too deep (a record needs at most {MAX_DEPTH} levels)"
        elif exc.context and exc.context != problem:
            problem = f"{problem} ({exc.context})"
        raise YamlError(f"not valid YAML: {problem}", line, col) from None
    except yaml.reader.ReaderError as exc:
        # libyaml's reader reports a character offset, not a line: find the line ourselves.
        position = max(0, min(exc.position, len(text)))
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
        character = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise YamlError(f"not valid YAML: {exc.reason} ({character})", line, col) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"not valid YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise YamlError(f"nesting is too deep (a record needs at most {MAX_DEPTH} levels)") from None


def _unclosed_quote(text: str, exc: Any, line: int) -> tuple[int, int, str] | None:
    """Where a quoted value starts that ran on to the line YAML gave up on, if one did: the usual
    cause is a missing closing quote, and the place to fix is where the quote opens."""
    if "quoted scalar" in (exc.context or "") and exc.context_mark is not None:
        mark = exc.context_mark
        return mark.line + 1, mark.column + 1, "double" if text[mark.index : mark.index + 1] == '"' else "single"
    found = None
    try:
        for token in yaml.scan(text, Loader=yaml.CSafeLoader):
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") and token.start_mark.line != token.end_mark.line:
                found = token
    except yaml.YAMLError:
        pass
    if found is None or found.end_mark.line + 1 < line - 1:
        return None  # a quoted value over several lines that ended well before the trouble is not its cause
    return found.start_mark.line + 1, found.start_mark.column + 1, "double" if found.style == '"' else "single"


class _Builder:
    """Turns a node tree into Python values, refusing what we forbid.

    The hot path of validation: it runs once per node of every file, so it keeps the field path
    as one list (a tuple is made only for an issue, a placeholder or a top-level position).
    """

    def __init__(self, doc: YamlDocument, text: str, *, aliases: bool) -> None:
        self.doc = doc
        self.text = text
        self.path: list[int | str] = []
        self.seen: set[int] | None = set() if aliases else None

    def refuse(self, message: str, node: yaml.Node) -> Any:
        self.doc.issues.append(YamlError(message, *_pos(node), tuple(self.path)))
        return INVALID

    def build(self, node: yaml.Node) -> Any:
        path = self.path
        if self.seen is not None:
            if id(node) in self.seen:
                # An alias yields a node already built. Refusing it here is what keeps an alias
                # bomb linear: no alias is ever expanded, and the whole file stops at the first one.
                # The node carries the anchor's position; the alias's own is found by re-reading the
                # events up to the first alias (only on this error path).
                message = "anchors and aliases (&name, *name) are not allowed in records: write the value out"
                raise YamlError(message, *_first_alias(self.text, node), tuple(path))
            self.seen.add(id(node))
        if len(path) > MAX_DEPTH:
            raise YamlError(f"nesting is too deep (a record needs at most {MAX_DEPTH} levels)", *_pos(node), tuple(path))
        if len(path) <= _EAGER_DEPTH:
            self.doc.positions[tuple(path)] = _pos(node)
        cls = type(node)
        if cls is yaml.ScalarNode:
            tag = node.tag
            if tag == _STR_TAG:
                value = node.value
                if len(value) > MAX_SCALAR_CHARS:
                    return self.refuse(f"a value of {len(value):,} characters is too long (at most {MAX_SCALAR_CHARS:,})", node)
                if value.startswith(PLACEHOLDER):
                    self.doc.placeholders.append((tuple(path), value))
                return value
            try:
                return _scalar(node, tag)
            except YamlError as exc:
                exc.loc = tuple(path)
                self.doc.issues.append(exc)
                return INVALID
        if cls is yaml.MappingNode:
            if node.tag != _MAP_TAG:
                return self.refuse(f"tags such as {_short_tag(node.tag)} are not allowed in records", node)
            return self._mapping(node)
        if node.tag != _SEQ_TAG:
            return self.refuse(f"tags such as {_short_tag(node.tag)} are not allowed in records", node)
        result = []
        for index, item in enumerate(node.value):
            path.append(index)
            result.append(self.build(item))
            path.pop()
        return result

    def _mapping(self, node: yaml.MappingNode) -> dict[str, Any]:
        path = self.path
        result: dict[str, Any] = {}
        first_lines: dict[str, int] = {}
        eager = len(path) < _EAGER_DEPTH
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode or key_node.tag == "tag:yaml.org,2002:merge":
                path.append(key_node.value if isinstance(key_node, yaml.ScalarNode) else "?")
                self.refuse("a key must be a plain word (no merge keys '<<' or complex keys)", key_node)
                path.pop()
                continue
            key = key_node.value
            path.append(key)
            if key in result:
                self.refuse(f"duplicate key '{key}' (first given on line {first_lines[key]}); give each field once", key_node)
            else:
                first_lines[key] = key_node.start_mark.line + 1
                result[key] = self.build(value_node)
                if eager:
                    here = tuple(path)
                    self.doc.keys[here] = _pos(key_node)
                    if type(value_node) is not yaml.ScalarNode and value_node.start_mark.line != key_node.start_mark.line:
                        self.doc.positions[here] = _pos(key_node)
            path.pop()
        return result


def _index_positions(node: yaml.Node) -> tuple[dict[Loc, tuple[int, int]], dict[Loc, tuple[int, int]]]:
    """The position of every value (and of every key) of a node tree, by field path.

    A block collection under a key starts on the next line; its position is its key's, which
    names it. Only called for files with problems, on trees the builder already accepted.
    """
    positions: dict[Loc, tuple[int, int]] = {}
    keys: dict[Loc, tuple[int, int]] = {}

    def walk(node: yaml.Node, loc: Loc) -> None:
        positions.setdefault(loc, _pos(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or (*loc, key_node.value) in keys:
                    continue
                here = (*loc, key_node.value)
                keys[here] = _pos(key_node)
                walk(value_node, here)
                if not isinstance(value_node, yaml.ScalarNode) and value_node.start_mark.line != key_node.start_mark.line:
                    positions[here] = _pos(key_node)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*loc, index))

    walk(node, ())
    return positions, keys


def _first_alias(text: str, fallback: yaml.Node) -> tuple[int, int]:
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1, event.start_mark.column + 1
    return _pos(fallback)


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def _scalar(node: yaml.ScalarNode, tag: str) -> Any:
    """The value of a scalar that YAML did not resolve to a string (the builder handles those)."""
    value: str = node.value
    if len(value) > MAX_SCALAR_CHARS:
        raise YamlError(f"a value of {len(value):,} characters is too long (at most {MAX_SCALAR_CHARS:,})", *_pos(node))
    if tag == _NULL_TAG:
        return None
    if tag == _BOOL_TAG:
        # YAML 1.1 reads yes/no/on/off as booleans; a record means the word it wrote.
        lowered = value.lower()
        return lowered == "true" if lowered in ("true", "false") else value
    if tag == _INT_TAG:
        try:
            return int(value.replace("_", ""), 0) if value.lower().startswith(("0x", "0o")) else int(value.replace("_", ""))
        except ValueError:
            return value
    if tag == _FLOAT_TAG:
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    if tag == _TIMESTAMP_TAG:
        if not _TIMESTAMP.match(value):
            raise YamlError(f"'{value}' is not a date: give a date as YYYY-MM-DD, without a time", *_pos(node))
        year, month, day = (int(part) for part in value.split("-"))
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            raise YamlError(f"'{value}' is not a real date ({exc})", *_pos(node)) from None
    raise YamlError(f"tags such as {_short_tag(tag)} are not allowed in records", *_pos(node))
