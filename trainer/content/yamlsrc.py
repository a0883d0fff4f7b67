"""YAML loading that remembers line numbers, so every content error can name its line.

``load_yaml(path)`` returns plain dict/list/scalars where mappings are
``LineDict`` (``.line`` of the mapping, ``.key_lines[key]`` of each key) and
sequences are ``LineList`` (``.line``, ``.item_lines[i]``). Lines are 1-based.
Only the safe tag set is accepted (``yaml.SafeLoader``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml


class LineDict(dict):
    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


def _construct_mapping(loader, node) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            key = str(key)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
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
    return loader


class YamlSyntaxError(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


def load_yaml_text(text: str) -> Any:
    """Parse YAML text; raise ``YamlSyntaxError`` with a 1-based line on bad syntax."""
    import yaml

    try:
        return yaml.load(text, Loader=_loader())  # noqa: S506 - a (C)SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        msg = exc.problem or str(exc)
        return_msg = f"YAML 语法错误：{msg}"
        raise YamlSyntaxError(line, return_msg) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, f"YAML 错误：{exc}") from None


def load_yaml(path: Path) -> Any:
    """Read and parse a UTF-8 YAML file (see ``load_yaml_text``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise YamlSyntaxError(1, "文件不是 UTF-8 编码，请另存为 UTF-8") from None
    return load_yaml_text(text)
