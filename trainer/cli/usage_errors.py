"""One Chinese line for the argument parser's usage errors.

typer's vendored click reports usage errors as three English lines
("Usage: …", "Try '… -h' for help.", "Error: Missing option '--preset'.").
Candidates read Chinese, and every other error in the product is one line
starting with 错误：, so ``trainer.cli.main`` turns a usage error into
``错误：<what is wrong>；用 `trainer CMD -h` 查看用法。`` here.

Exceptions are recognised by class name (no import of the vendored click, which
is private to typer); anything not recognised keeps click's own message, so a
new click wording degrades to English rather than to nothing.
"""

from __future__ import annotations

import re

_KINDS = {"argument": "参数", "option": "选项", "parameter": "参数"}

_VALUE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?P<v>.+) is not a valid (?:int|integer)(?: range)?\.$"), "{v} 不是整数"),
    (re.compile(r"^(?P<v>.+) is not a valid float(?: range)?\.$"), "{v} 不是数字"),
    (re.compile(r"^(?P<v>.+) is not a valid boolean\..*$"), "{v} 不是是/否值"),
    (re.compile(r"^(?P<v>.+) is not in the range (?P<r>.+)\.$"), "{v} 超出允许范围（{r}）"),
    (re.compile(r"^(?P<v>.+) is not one of (?P<r>.+)\.$"), "{v} 不是可选值；可选：{r}"),
    (re.compile(r"^'(?P<v>.+)': No such file or directory$"), "找不到文件：{v}"),
    (re.compile(r"^'(?P<v>.+)': Is a directory$"), "{v} 是目录，不是文件"),
]

_USAGE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<v>.*)\)$"), "多余的参数：{v}"),
    (re.compile(r"^No such command '(?P<v>.+)'\.$"), "没有这个命令：{v}"),
    (re.compile(r"^No such option: (?P<v>.+)$"), "没有这个选项：{v}"),
    (re.compile(r"^Option '(?P<v>.+)' requires an argument\.$"), "选项 {v} 后面要跟一个值"),
    (
        re.compile(r"^Option '(?P<v>.+)' requires (?P<n>\d+) arguments\.$"),
        "选项 {v} 后面要跟 {n} 个值",
    ),
    (re.compile(r"^Option '(?P<v>.+)' does not take a value\.$"), "选项 {v} 不接受取值"),
]


def _names(exc) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def _translate(message: str, patterns) -> str:
    for pattern, template in patterns:
        m = pattern.match(message.strip())
        if m:
            return template.format(**{k: v.strip("'\"") for k, v in m.groupdict().items()})
    return message.strip()


def _param_hint(exc) -> str:
    hint = getattr(exc, "param_hint", None)
    param = getattr(exc, "param", None)
    if hint is None and param is not None:
        if getattr(param, "param_type_name", "") == "argument":
            from trainer.cli.zh import argument_metavar

            hint = argument_metavar(param)
        else:
            hint = list(getattr(param, "opts", None) or []) or param.human_readable_name
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(hint)
    return str(hint).strip("'\"") if hint else ""


def usage_error_line(exc) -> str:
    """The one-line Chinese message for a click usage error ``exc``."""
    names = _names(exc)
    message = getattr(exc, "message", "") or ""
    if "MissingParameter" in names:
        param = getattr(exc, "param", None)
        kind = getattr(exc, "param_type", None) or getattr(param, "param_type_name", "parameter")
        what = f"缺少{_KINDS.get(str(kind), '参数')} {_param_hint(exc)}".rstrip()
    elif "BadParameter" in names:
        hint = _param_hint(exc)
        text = _translate(message, _VALUE_PATTERNS)
        what = f"{hint}：{text}" if hint else text
    elif "NoSuchOption" in names:
        what = _translate(message, _USAGE_PATTERNS)
        close = sorted(getattr(exc, "possibilities", None) or [])
        if close:
            what += f"（是不是想用 {' / '.join(close)}？）"
    else:
        what = _translate(message, _USAGE_PATTERNS)
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", "") if ctx is not None else ""
    return f"{what.rstrip('。.')}；用 `{path or 'trainer'} -h` 查看用法。"
