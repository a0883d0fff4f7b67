"""The command line: the only package that imports typer.

Commands are thin: they parse arguments, call the domain layer, and hand the
result to ``trainer.render`` (or print JSON). Domain errors map to exit codes:
0 ok, 1 domain failure, 2 usage / bad input file, 130 Ctrl-C. Each feature's
commands live in their own module here and register on ``app``; heavy imports
(prompt_toolkit, sqlite, the scorer's matchers) happen inside the commands so
``trainer --help`` stays fast.
"""

from __future__ import annotations

import sys

import typer

# Register feature commands (each module adds its commands to ``app``).
from trainer.cli import (  # noqa: E402,F401,I001
    bank_cmds,
    history_cmds,
    ingest_cmds,
    modelanswer_cmds,
    publish_cmds,
    score_cmds,
    session_cmds,
)
from trainer.cli.app import app
from trainer.errors import ExitCode, TrainerError

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app, map errors to exit codes."""
    bad = _undecodable_arg(sys.argv[1:] if argv is None else argv)
    if bad is not None:
        from trainer.render.common import error_line

        error_line(bad)
        sys.exit(ExitCode.USAGE)
    try:
        code = app(args=argv, prog_name="trainer", standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        sys.stderr.write("\n已中断。\n")
        sys.exit(ExitCode.INTERRUPTED)
    except TrainerError as exc:
        from trainer.render.common import error_line

        error_line(str(exc))
        sys.exit(exc.exit_code)
    except typer.TyperException as exc:  # usage errors from the argument parser
        names = {cls.__name__ for cls in type(exc).__mro__}
        if "UsageError" in names and "NoArgsIsHelpError" not in names:
            from trainer.cli.usage_errors import usage_error_line
            from trainer.render.common import error_line

            error_line(usage_error_line(exc))
        elif hasattr(exc, "show"):  # click's exceptions; typer's own base class has no show()
            exc.show()
        else:
            sys.stderr.write(f"{exc}\n")
        sys.exit(getattr(exc, "exit_code", 2))
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a bug: one line for the candidate, the trace on request
        import os

        if os.environ.get("TRAINER_DEBUG"):
            raise
        from trainer.render.common import error_line

        error_line(
            f"程序内部错误（{type(exc).__name__}：{exc}）；"
            f"请把这一行和 `trainer --version` 的输出告诉维护者；设置 TRAINER_DEBUG=1 可看到完整追踪"
        )
        sys.exit(1)
    if (
        code == ExitCode.INTERRUPTED
    ):  # typer turns a KeyboardInterrupt inside a command into Exit(130)
        sys.stderr.write("\n已中断。\n")
    # Without standalone mode the parser returns typer.Exit codes instead of raising.
    sys.exit(code if isinstance(code, int) else 0)


def _undecodable_arg(args: list[str]) -> str | None:
    """The error line for the first argument that is not valid UTF-8, if any.

    Python hands undecodable argv bytes over as lone surrogates; printing them
    (the question text, an id in an error message) or storing them would crash.
    """
    for i, arg in enumerate(args):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            try:
                shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            except UnicodeEncodeError:
                shown = arg.encode("utf-8", "backslashreplace").decode("utf-8")
            shown = shown if len(shown) <= 40 else shown[:40] + "…"
            before = args[i - 1] if i else ""
            what = f"{before} 的值" if before.startswith("-") else f"第 {i + 1} 个参数"
            return (
                f"{what} '{shown}' 不是有效的 UTF-8 文本；"
                "请把终端（或脚本）的编码设为 UTF-8 后重新输入"
            )
    return None
