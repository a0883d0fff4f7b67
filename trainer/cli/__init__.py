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
from pathlib import Path
from typing import Annotated

import typer

from trainer import __version__
from trainer.errors import TrainerError

app = typer.Typer(
    name="trainer",
    help="公考结构化面试「综合分析 · 你怎么看」答题训练器：真题、考场计时、逐点评分与范文。",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode="rich",
)


class State:
    """Options given before the command (``trainer --content DIR list``)."""

    content_dirs: list[Path] = []


state = State()


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"trainer {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help="显示版本号并退出。", callback=_version, is_eager=True
        ),
    ] = False,
    content: Annotated[
        list[Path] | None,
        typer.Option(
            "--content", help="额外的题库目录（内含 prompts/ 与 rubrics/），可重复。", metavar="DIR"
        ),
    ] = None,
) -> None:
    """公考结构化面试「综合分析 · 你怎么看」答题训练器。"""
    state.content_dirs = list(content or [])


def bank(topics: list[str] | None = None):
    """The question bank of the bundled + user + ``--content`` roots (optionally some topics)."""
    from trainer.content.bank import QuestionBank

    for d in state.content_dirs:
        if not d.is_dir():
            raise _input_error(f"--content：目录不存在：{d}")
    return QuestionBank.load(state.content_dirs, topics=topics)


def bank_for(qid: str | None):
    """The bank to look ``qid`` up in: just its topic when the id names one and it is there.

    Falls back to the whole bank, so unknown ids still get close-match suggestions.
    """
    if qid and "/" in qid:
        scoped = bank([qid.split("/", 1)[0]])
        if any(q.id == qid for q in scoped.questions):
            return scoped
    return bank()


def _input_error(msg: str) -> TrainerError:
    from trainer.errors import InputError

    return InputError(msg)


def console(stderr: bool = False):
    from trainer.render.common import make_console

    return make_console(stderr=stderr)


def print_json(data) -> None:
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def stdin_bytes(file: str | None):
    """Standard input as bytes, or None when it is an interactive terminal (nothing piped)."""
    if file not in (None, "-"):
        return None
    stream = sys.stdin
    if file is None and stream.isatty():
        return None
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return buffer

    class _Bytes:  # a text stream (tests, some embedders): re-encode what was typed
        def read(self) -> bytes:
            return stream.read().encode("utf-8")

    return _Bytes()


# Register feature commands (each module adds its commands to ``app``).
import trainer.cli.history_cmds  # noqa: E402,F401
import trainer.cli.ingest_cmds  # noqa: E402,F401
import trainer.cli.modelanswer_cmds  # noqa: E402,F401
import trainer.cli.score_cmds  # noqa: E402,F401
import trainer.cli.session_cmds  # noqa: E402,F401
from trainer.cli import bank_cmds  # noqa: E402,F401


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app, map errors to exit codes."""
    try:
        code = app(args=argv, prog_name="trainer", standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        sys.stderr.write("\n已中断。\n")
        sys.exit(130)
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
        else:
            exc.show()
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
    if code == 130:  # typer turns a KeyboardInterrupt inside a command into Exit(130)
        sys.stderr.write("\n已中断。\n")
    # Without standalone mode the parser returns typer.Exit codes instead of raising.
    sys.exit(code if isinstance(code, int) else 0)
