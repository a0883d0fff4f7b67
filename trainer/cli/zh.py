"""Chinese help pages and command-name errors (the parser's own chrome in the product's voice).

typer renders ``--help`` with rich panels whose chrome is English (``Usage:``,
``Options``, ``Show this message and exit.``, ``[default: 90]``, ``[required]``) and
whose import (``typer.rich_utils`` pulls in rich.markdown, markdown-it and pygments,
~0.25 s) alone breaks the start-up budget of ``trainer --help``. So help is written
here instead, through click's documented override points on our own command classes
(``typer.Typer(cls=…)`` / ``command(cls=…)``, see ``ZhTyper``), never by patching
typer or click:

- ``format_help`` / ``format_usage``: 用法 / 参数 / 选项 / 命令 sections, one metavar
  style (题号, 秒, 文件, 主题 …; a type's name when a parameter has none), defaults as
  ``（默认 90）``, every line wrapped to the terminal (at most 100 columns) with CJK
  characters counted as two columns, 禁则 and no break inside a Latin word — nothing is
  cut with "…".
- ``get_help_option``: the ``-h/--help`` line in Chinese.
- ``list_commands``: commands in the order a candidate meets them.
- ``resolve_command``: ``没有这个命令：practis（是不是想用 practice？）`` instead of
  typer's English "Did you mean" sentence (``trainer.cli.usage_errors`` then adds the
  ``用 `trainer -h` 查看用法`` tail like every other usage error).
"""

import difflib
import shutil
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from trainer.text import cell_width, wrap_cells

#: Top-level commands in the order a candidate meets them (others follow, by name).
COMMAND_ORDER = (
    "practice",
    "mock",
    "score",
    "model-answer",
    "list",
    "show",
    "history",
    "stats",
    "review",
    "export",
    "import",
    "data",
    "ingest",
    "publish",
    "validate",
)

HELP_OPTION_TEXT = "显示本帮助并退出。"
MAX_WIDTH = 100

#: The one placeholder style: what a value is, in Chinese, by option / argument name. It
#: wins over a ``metavar=`` in the command modules (so every command says 题号 for a
#: question id); a parameter missing here shows its ``metavar`` or its type (整数, 文字 …).
METAVARS = {
    "--answer": "秒",
    "--batch": "文件",
    "--content": "目录",
    "--days": "天数",
    "--format": "格式",
    "--limit": "条数",
    "--minutes": "分钟",
    "--output": "文件",
    "--preset": "预设",
    "--report": "文件",
    "--jobs": "进程数",
    "--question": "题号",
    "--question-text": "题干",
    "--questions": "题数",
    "--scale": "10|20",
    "--seed": "整数",
    "--think": "秒",
    "--title": "标题",
    "--topic": "主题",
    "--topic-id": "主题",
    "--width": "列数",
    "docs": "文件",
    "file": "文件",
    "paths": "路径",
    "qid": "题号",
    "topic": "主题",
}

_TYPE_METAVARS = {
    "int": "整数",
    "int range": "整数",
    "float": "数值",
    "float range": "数值",
    "path": "路径",
    "str": "文字",
}


def help_width() -> int:
    """Columns help is wrapped to: the terminal's (``COLUMNS`` honoured), at most 100."""
    return max(40, min(shutil.get_terminal_size((80, 24)).columns, MAX_WIDTH))


def _metavar(param: Any) -> str:
    names = [o for o in param.opts if o.startswith("--")] or [param.name or ""]
    raw = METAVARS.get(names[0]) or param.metavar
    if not raw:
        choices = getattr(param.type, "choices", None)
        raw = "|".join(map(str, choices)) if choices else _TYPE_METAVARS.get(param.type.name, "值")
    return str(raw).strip("[]").removesuffix("...").removesuffix("…")


def argument_metavar(param: Any) -> str:
    """An argument's placeholder as help and usage errors name it (题号, 文件 …)."""
    return _metavar(param)


def _argument_term(param: Any) -> str:
    term = _metavar(param)
    if param.nargs == -1:
        term += "…"
    return term if param.required else f"[{term}]"


def _option_term(param: Any) -> str:
    opts = sorted(param.opts, key=lambda o: (o.startswith("--"), o))
    term = ", ".join(opts)
    if param.secondary_opts:
        term += " / " + ", ".join(param.secondary_opts)
    if not getattr(param, "is_flag", False) and not getattr(param, "count", False):
        term += " " + _metavar(param)
    return term


def _default_note(param: Any) -> str:
    if getattr(param, "is_flag", False) or param.required:
        return ""
    if not getattr(param, "show_default", True):
        return ""
    default = param.default
    if default is None or default == () or default == [] or callable(default):
        return ""
    value = getattr(default, "value", default)  # an Enum default shows its value
    return f"（默认 {value}）"


def _paragraphs(text: str | None) -> list[str]:
    if not text:
        return []
    out = []
    for para in text.split("\n\n"):
        lines = [line.strip() for line in para.strip("\b\n").splitlines() if line.strip()]
        if lines:
            out.append(" ".join(lines))
    return out


def _wrap(text: str, width: int, indent: int = 0) -> list[str]:
    pad = " " * indent
    return [pad + line for line in wrap_cells(text, width - indent)]


def _definitions(rows: list[tuple[str, str]], width: int) -> list[str]:
    """Two columns: term, then its help wrapped beside it (below it when the term is long)."""
    if not rows:
        return []
    col = min(max(cell_width(t) for t, _ in rows), max(12, width // 3)) + 4
    out: list[str] = []
    for term, text in rows:
        head = "  " + term
        room = width - col
        lines = wrap_cells(text, room) if text else [""]
        if cell_width(head) + 2 > col:
            out.append(head)
            out += [" " * col + line for line in lines if line]
        else:
            out.append((head + " " * (col - cell_width(head)) + lines[0]).rstrip())
            out += [" " * col + line for line in lines[1:]]
    return out


def _usage(cmd: Any, ctx: Any) -> str:
    pieces = ["[选项]"]
    for param in cmd.get_params(ctx):
        if param.param_type_name == "argument" and not getattr(param, "hidden", False):
            pieces.append(_argument_term(param))
    if isinstance(cmd, TyperGroup):
        pieces.append("命令 [参数…]")
    return f"用法：{ctx.command_path} {' '.join(pieces)}"


def short_help(cmd: Any) -> str:
    """One command's line in a command list: its ``short_help``, else its first paragraph."""
    if cmd.short_help:
        return str(cmd.short_help)
    paras = _paragraphs(cmd.help)
    return paras[0] if paras else ""


def render_help(cmd: Any, ctx: Any, width: int | None = None) -> str:
    """The whole help page of ``cmd`` as text."""
    width = width or help_width()
    out = _wrap(_usage(cmd, ctx), width)
    for para in _paragraphs(cmd.help):
        out += ["", *_wrap(para, width)]
    args: list[tuple[str, str]] = []
    opts: list[tuple[str, str]] = []
    for param in cmd.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        text = (getattr(param, "help", None) or "").replace("\n", " ").strip()
        if param.param_type_name == "argument":
            args.append((_argument_term(param), text + ("（必填）" if param.required else "")))
        else:
            note = "（必填）" if param.required else _default_note(param)
            opts.append((_option_term(param), text + note))
    if args:
        out += ["", "参数：", *_definitions(args, width)]
    if opts:
        out += ["", "选项：", *_definitions(opts, width)]
    if isinstance(cmd, TyperGroup):
        rows = []
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                rows.append((name, short_help(sub)))
        if rows:
            out += ["", "命令：", *_definitions(rows, width)]
    for para in _paragraphs(cmd.epilog):
        out += ["", *_wrap(para, width)]
    return "\n".join(out) + "\n"


class _ZhHelp:
    """What ZhCommand and ZhGroup share: Chinese help page and help option."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(render_help(self, ctx))

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        formatter.write(_usage(self, ctx) + "\n")

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option


class ZhCommand(_ZhHelp, TyperCommand):
    """A command whose help is Chinese."""


class ZhGroup(_ZhHelp, TyperGroup):
    """A command group whose help is Chinese, commands in the candidate's order."""

    def list_commands(self, ctx: Any) -> list[str]:
        names = list(self.commands)
        rank = {name: i for i, name in enumerate(COMMAND_ORDER)}
        return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except Exception as exc:
            message = str(getattr(exc, "message", ""))
            if args and message.startswith("No such command"):
                close = difflib.get_close_matches(args[0], self.list_commands(ctx), n=2)
                hint = f"（是不是想用 {' / '.join(close)}？）" if close else ""
                exc.message = f"没有这个命令：{args[0]}{hint}"  # type: ignore[attr-defined]
            raise


class ZhTyper(typer.Typer):
    """``typer.Typer`` whose groups and commands default to the Chinese classes above."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", ZhGroup)
        super().__init__(**kwargs)

    def command(self, name: str | None = None, *, cls: Any = None, **kwargs: Any) -> Any:
        return super().command(name, cls=cls or ZhCommand, **kwargs)
