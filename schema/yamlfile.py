"""Read one YAML file safely, keeping the line and column of every value.

libyaml (PyYAML's C parser) builds the node tree; we turn nodes into Python values ourselves so
that we can (1) record where each value stands, (2) refuse duplicate keys, anchors and aliases
(which also makes "billion laughs" impossible), (3) keep `yes`/`no`/`on`/`off` as the strings
the author wrote rather than YAML 1.1 booleans, and (4) bound size and depth.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_SCALAR_CHARS = 20_000
MAX_DEPTH = 20

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


class YamlError(Exception):
    """A file that cannot be read as a YAML document; carries the line and column (1-based)."""

    def __init__(self, message: str, line: int = 1, col: int = 1, loc: Loc = ()) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
        self.loc = loc


@dataclass
class YamlDocument:
    """The values of one YAML file and the position (line, column) of each, by path."""

    path: Path
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc) -> tuple[int, int]:
        """The position of the value at `loc`, or of its nearest enclosing value that exists."""
        loc = tuple(loc)
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (1, 1))


def read_yaml(path: Path) -> YamlDocument:
    """Read and parse `path`; raise YamlError with a one-line message for anything unreadable."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlError(f"file is {size / 1024 / 1024:.1f} MiB; a record may be at most {MAX_FILE_BYTES // 1024 // 1024} MiB")
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlError(f"cannot read file: {exc.strerror or exc}") from None
    return parse_yaml(raw, path)


def parse_yaml(raw: bytes, path: Path) -> YamlDocument:
    """Parse YAML bytes (see read_yaml)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw:
        raise YamlError("file is binary (it contains NUL bytes), not YAML text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(f"file is not UTF-8 text (invalid byte 0x{raw[exc.start]:02x})", line) from None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise YamlError("file is empty: a record is a YAML mapping with an id")
    try:
        node = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if "\t" in problem or "tab" in problem.lower():
            problem += " (YAML indentation must use spaces, not tabs)"
        raise YamlError(f"not valid YAML: {problem}", line, col) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"not valid YAML: {exc}") from None
    except RecursionError:
        raise YamlError(f"nesting is too deep (more than {MAX_DEPTH} levels)") from None
    if node is None:
        raise YamlError("file is empty: a record is a YAML mapping with an id")
    doc = YamlDocument(path=path, data=None)
    doc.data = _Builder(doc.positions).build(node)
    return doc


class _Builder:
    """Turns a node tree into Python values, recording positions and refusing what we forbid."""

    def __init__(self, positions: dict[Loc, tuple[int, int]]) -> None:
        self.positions = positions
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, loc: Loc = ()) -> Any:
        if len(loc) > MAX_DEPTH:
            raise YamlError(f"nesting is too deep (more than {MAX_DEPTH} levels)", *_pos(node), loc)
        if id(node) in self.seen:
            raise YamlError("anchors and aliases (&name, *name) are not allowed in records", *_pos(node), loc)
        self.seen.add(id(node))
        self.positions[loc] = _pos(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                raise YamlError(f"unsupported tag {node.tag}", *_pos(node), loc)
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        return _scalar(node, loc)

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        if node.tag != _MAP_TAG:
            raise YamlError(f"unsupported tag {node.tag}", *_pos(node), loc)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError("mapping keys must be plain words (no merge keys or complex keys)", *_pos(key_node), loc)
            key = key_node.value
            if key in result:
                first = self.positions[(*loc, key)][0]
                raise YamlError(f"duplicate key '{key}' (first given on line {first})", *_pos(key_node), (*loc, key))
            # A key's position is where the key is written; that is where an editor should jump.
            self.positions[(*loc, key)] = _pos(key_node)
            value_pos = _pos(value_node)
            result[key] = self.build(value_node, (*loc, key))
            if not isinstance(result[key], (dict, list)):
                self.positions[(*loc, key)] = value_pos
        return result


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _scalar(node: yaml.ScalarNode, loc: Loc) -> Any:
    value: str = node.value
    if len(value) > MAX_SCALAR_CHARS:
        raise YamlError(f"a value of {len(value):,} characters is too long (at most {MAX_SCALAR_CHARS:,})", *_pos(node), loc)
    tag = node.tag
    if tag == _STR_TAG:
        return value
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
            raise YamlError(f"{value!r}: give a date as YYYY-MM-DD, without a time", *_pos(node), loc)
        year, month, day = (int(part) for part in value.split("-"))
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            raise YamlError(f"{value!r} is not a real date ({exc})", *_pos(node), loc) from None
    raise YamlError(f"unsupported tag {tag}", *_pos(node), loc)
