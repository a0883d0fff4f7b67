"""The typer application and the options given before any command.

Command modules register on ``app``; ``trainer.cli`` imports them (in the order
a candidate meets them) and runs ``app`` from ``main``.
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from trainer import __version__
from trainer.cli.zh import ZhTyper

app = ZhTyper(
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
            "--content",
            help="额外的题库目录（内含 prompts/ 与 rubrics/），可重复。",
            metavar="目录",
        ),
    ] = None,
) -> None:
    """公考结构化面试「综合分析 · 你怎么看」答题训练器。"""
    state.content_dirs = list(content or [])
