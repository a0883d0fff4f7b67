"""YAML loading that remembers line numbers, so every content error can name its line.

``load_yaml(path)`` returns plain dict/list/scalars where mappings are
``LineDict`` (``.line`` of the mapping, ``.key_lines[key]`` of each key) and
sequences are ``LineList`` (``.line``, ``.item_lines[i]``). Lines are 1-based.
Only the safe tag set is accepted (``yaml.SafeLoader``).

What YAML would otherwise do silently is kept visible for the readers:

- a key written twice in one mapping is remembered in ``LineDict.duplicates``
  (``structure_problems`` reports each with its line and field);
- ``.nan``, ``.inf``, ``1e999`` and integers too long to convert become
  ``BadNumber`` (neither text nor a number, so every typed reader rejects it);
- integers and floats remember what was written (``SourceInt.source``): ``010``,
  ``0x1f`` and ``1_000`` are 8, 31 and 1000 to YAML, and an id written like that
  must be reported as written;
- nesting deeper than ``MAX_DEPTH`` is a ``YamlSyntaxError`` (constructing it
  would exhaust Python's recursion limit).
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml


#: How deep content may nest; the format needs 5 levels, constructing ~300 overflows.
MAX_DEPTH = 40


class LineDict(dict):
    line: int = 0
    key_lines: dict[Any, int]
    #: (key, line of the repeat, line of the first) for each key written twice
    duplicates: list[tuple[Any, int, int]]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class BadNumber:
    """A YAML number that is no usable number (``.nan``, ``.inf``, 5,000 digits).

    Not a ``str``, ``int`` or ``float``, so each typed reader reports it with its
    field; ``str()`` is what the file says.
    """

    def __init__(self, source: str) -> None:
        self.source = source

    def __str__(self) -> str:
        return self.source

    @property
    def shown(self) -> str:
        """What the file says, cut short for a one-line message."""
        return (
            self.source
            if len(self.source) <= 24
            else f"{self.source[:20]}…（{len(self.source)} 位）"
        )

    def __repr__(self) -> str:
        return f"BadNumber({self.source!r})"


class SourceInt(int):
    """A YAML integer that remembers how it was written (``010`` is 8)."""

    source: str


class SourceFloat(float):
    """A YAML float that remembers how it was written (``3.10`` is 3.1)."""

    source: str


def _construct_int(loader, node) -> SourceInt | BadNumber:
    try:
        value = SourceInt(loader.construct_yaml_int(node))
    except ValueError:  # more digits than int() converts (sys.get_int_max_str_digits)
        return BadNumber(node.value)
    value.source = node.value
    return value


def _construct_float(loader, node) -> SourceFloat | BadNumber:
    number = loader.construct_yaml_float(node)
    if not math.isfinite(number):
        return BadNumber(node.value)
    value = SourceFloat(number)
    value.source = node.value
    return value


def _construct_mapping(loader, node) -> LineDict:
    written = len(node.value)
    loader.flatten_mapping(node)
    merged = (
        len(node.value) - written
    )  # pairs from ``<<: *anchor`` come first; they may be overridden
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    result.duplicates = []
    for i, (key_node, value_node) in enumerate(node.value):
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            key = str(key)
        line = key_node.start_mark.line + 1
        if i >= merged and key in result and result.key_lines.get(key, 0) > 0:
            result.duplicates.append((key, line, result.key_lines[key]))
        result[key] = loader.construct_object(value_node, deep=True)
        # merged keys get a negative line marker so an explicit override is no repeat
        result.key_lines[key] = line if i >= merged else -line
    for key, line in result.key_lines.items():
        result.key_lines[key] = abs(line)
    return result


def _construct_sequence(loader, node) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


@lru_cache(maxsize=1)
def _loader() -> type[yaml.SafeLoader | yaml.CSafeLoader]:
    """The line-tracking safe loader, built on first use (importing yaml costs ~12 ms,
    which commands served from the content cache never pay)."""
    import yaml

    # libyaml's parser is ~10x faster than the pure-Python one; the safe
    # constructor is the same either way.
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader: type[yaml.SafeLoader | yaml.CSafeLoader] = type("LineLoader", (base,), {})
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
    return loader


def _children(node) -> list:
    if not isinstance(node.value, list):
        return []
    """A node's mapping/sequence children (scalars add no depth)."""
    return [
        c
        for item in node.value
        for c in (item if isinstance(item, tuple) else (item,))
        if isinstance(c.value, list)
    ]


def _tree_too_deep(root) -> int | None:
    """``_too_deep`` for a document without anchors (a tree): a plain walk, ~4x faster."""
    if type(root.value) is not list:
        return None
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return node.start_mark.line + 1
        for item in node.value:
            for child in item if type(item) is tuple else (item,):
                if type(child.value) is list:
                    stack.append((child, depth + 1))
    return None


def _too_deep(root) -> int | None:
    """The line of a node nested deeper than ``MAX_DEPTH``, if any.

    Iterative, each node once: heights are memoised, so an alias reused under a
    deeper alias (``b: &b [*a]``, ``c: &c [*b]`` …) counts its real depth, and a
    recursive alias (``&a [*a]``) counts as too deep.
    """
    height: dict[int, int] = {}
    path: list[list] = [[root, iter(_children(root)), 0]]
    on_path = {id(root)}
    while path:
        frame = path[-1]
        child = next(frame[1], None)
        if child is None:
            path.pop()
            on_path.discard(id(frame[0]))
            height[id(frame[0])] = 1 + frame[2]
            if path:
                path[-1][2] = max(path[-1][2], 1 + frame[2])
            continue
        known = height.get(id(child))
        if known is not None:
            if len(path) + known > MAX_DEPTH:
                return child.start_mark.line + 1
            frame[2] = max(frame[2], known)
        elif id(child) in on_path or len(path) >= MAX_DEPTH:
            return child.start_mark.line + 1
        else:
            path.append([child, iter(_children(child)), 0])
            on_path.add(id(child))
    return None


def structure_problems(data: Any) -> list[tuple[int, str, str]]:
    """(line, field, message) for every key written twice in any mapping of ``data``."""
    out: list[tuple[int, str, str]] = []
    stack: list[tuple[Any, str]] = [(data, "")]
    seen: set[int] = set()
    while stack:
        value, name = stack.pop()
        if id(value) in seen:
            continue
        if isinstance(value, LineDict):
            seen.add(id(value))
            for key, line, first in getattr(value, "duplicates", ()):
                out.append(
                    (
                        line,
                        f"{name}.{key}" if name else str(key),
                        f"重复的字段（第 {first} 行已写过）；YAML 只保留后一个值，请删掉多余的一行",
                    )
                )
            for key, child in value.items():
                stack.append((child, f"{name}.{key}" if name else str(key)))
        elif isinstance(value, LineList):
            seen.add(id(value))
            stack.extend((child, f"{name}[{i}]") for i, child in enumerate(value))
    return sorted(out)


class YamlSyntaxError(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


#: Errors whose problem is found past the construct left open: report where it opened.
_UNCLOSED = {
    "while parsing a flow sequence": "方括号 [ 没有闭合",
    "while parsing a flow mapping": "花括号 { 没有闭合",
    "while scanning a quoted scalar": "引号没有闭合",
}


def load_yaml_text(text: str) -> Any:
    """Parse YAML text; raise ``YamlSyntaxError`` with a 1-based line on bad syntax."""
    import yaml

    loader = _loader()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        deep = _too_deep(node) if "&" in text else _tree_too_deep(node)  # aliases need anchors
        if deep is not None:
            raise YamlSyntaxError(
                deep, f"嵌套太深（超过 {MAX_DEPTH} 层）；题库文件的结构最多几层，请检查缩进与括号"
            )
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        unclosed = _UNCLOSED.get(exc.context or "")
        if unclosed and exc.context_mark is not None:
            # libyaml notices an unclosed [ { or quote only on a later line.
            line = exc.context_mark.line + 1
            found = exc.problem_mark.line + 1 if exc.problem_mark else line
            raise YamlSyntaxError(
                line, f"YAML 语法错误：本行开始的{unclosed}（第 {found} 行发现）；请补上"
            ) from None
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        msg = exc.problem or str(exc)
        raise YamlSyntaxError(line, f"YAML 语法错误：{msg}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, f"YAML 错误：{exc}") from None
    finally:
        loader.dispose()


def load_yaml(path: Path) -> Any:
    """Read (see ``trainer.fileio.read_text``) and parse a UTF-8 YAML file.

    Raises ``YamlSyntaxError`` for bad YAML and ``trainer.fileio.ReadError`` for a
    file that cannot be read as text (missing, not a regular file, too big, not UTF-8).
    """
    from trainer.fileio import CONTENT_LIMIT, read_text

    return load_yaml_text(read_text(path, CONTENT_LIMIT))
