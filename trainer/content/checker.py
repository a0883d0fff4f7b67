"""Reading typed fields out of line-tracked YAML, collecting every problem as ``path:line: field: message``.

``Checker`` is what the file readers (``trainer.content.rubric``,
``trainer.content.prompts``) use for one file: mappings with their allowed and
required keys, text, ids, weights. It never raises; ``trainer validate`` lists
every problem at once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.content.yamlsrc import BadNumber, LineDict, LineList
from trainer.text import printable

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: The largest weight a point may carry (the shipped ones are 3–8; the scale is relative).
WEIGHT_MAX = 100


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        # content text may hold escape sequences: shown, never sent to the terminal
        return printable(f"{self.path}:{self.line}: {self.field}: {self.message}")


def display_path(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith("..") else str(path)


class Checker:
    """Collects problems for one file while reading typed fields out of it."""

    def __init__(self, path: Path, problems: list[Problem], check_quotes: bool = False) -> None:
        self.check_quotes = check_quotes  # reading source files is for `validate`, not every load
        self.path = path
        self.shown = display_path(path)
        self.problems = problems

    def add(self, line: int, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.shown, line, field_name, message))

    def mapping(
        self, value: Any, line: int, name: str, allowed: set[str], required: Iterable[str]
    ) -> bool:
        if not isinstance(value, dict):
            top = "文件顶层" if not name else ""
            self.add(line, name or "(file)", f"{top}应为映射（key: value），实际是 {_kind(value)}")
            return False
        for key in value:
            if key not in allowed:
                where = line_of(value, key)
                hint = ", ".join(sorted(allowed))
                self.add(
                    where, f"{name}.{key}" if name else str(key), f"未知字段；允许的字段：{hint}"
                )
        for key in required:
            if key not in value or value[key] in (None, ""):
                self.add(
                    getattr(value, "line", line), f"{name}.{key}" if name else key, "缺少必填字段"
                )
        return True

    def string(self, parent: dict, key: str, name: str, required: bool = True) -> str:
        value = parent.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            hint = "；如果是文字，请加引号" if isinstance(value, BadNumber) else ""
            self.add(line_of(parent, key), name, f"应为文本，实际是 {_kind(value)}{hint}")
            return ""
        text = str(getattr(value, "source", value)).strip()  # 1_000 stays as written
        if required and not text:
            self.add(line_of(parent, key), name, "不能为空")
        return text

    def weight(self, parent: dict, key: str, name: str) -> float | None:
        """A point weight: a finite number in (0, ``WEIGHT_MAX``], else reported (None)."""
        value = parent.get(key)
        line = line_of(parent, key)
        if isinstance(value, BadNumber):
            self.add(line, name, f"'{value.shown}' 不是可用的数字；权重应为正数，如 4")
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(line, name, f"应为正数，实际是 '{value}'")
        elif value <= 0:
            self.add(line, name, f"权重必须大于 0，实际是 {value}")
        elif value > WEIGHT_MAX:
            written = str(getattr(value, "source", value))
            written = written if len(written) <= 24 else f"{written[:20]}…（{len(written)} 位）"
            self.add(
                line, name, f"权重 {written} 太大；最多 {WEIGHT_MAX}（权重只看相对大小，如 3–8）"
            )
        else:
            return float(value)
        return None

    def unique(self, raw: dict, value: str, seen: set[str], name: str, what: str) -> None:
        """Report ``value`` (the ``id`` of ``raw``) when it was seen before; remember it."""
        if value in seen:
            self.add(line_of(raw, "id"), f"{name}.id", f"重复的{what} id '{value}'")
        seen.add(value)

    def ident(self, parent: dict, key: str, name: str) -> str:
        raw = parent.get(key)
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            # YAML reads 010, 0x1f and 1_000 as 8, 31 and 1000: the id would silently change.
            written = getattr(raw, "source", str(raw))
            self.add(
                line_of(parent, key),
                name,
                f"id 应为文本，'{written}' 被 YAML 读成了数字 {raw}；请加引号写成 \"{written}\"",
            )
            return ""
        value = self.string(parent, key, name)
        if value and not ID_RE.match(value):
            self.add(
                line_of(parent, key),
                name,
                f"id '{value}' 只能用小写字母、数字和连字符（如 trust-gap）",
            )
        return value


def line_of(container: Any, key: Any) -> int:
    if isinstance(container, LineDict):
        return container.line_of(key)
    if isinstance(container, LineList):
        return container.line_of(key)
    return getattr(container, "line", 1)


def _kind(value: Any) -> str:
    if value is None:
        return "空值"
    for typ, name in (
        (bool, "布尔值"),
        (dict, "映射"),
        (list, "列表"),
        (str, "文本"),
        (int, "数字"),
        (float, "数字"),
    ):
        if isinstance(value, typ):
            return name
    if isinstance(value, BadNumber):
        return f"无效数字 {value.shown}"
    return type(value).__name__
