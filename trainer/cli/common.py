"""Helpers the command modules share: the question bank for ``--content``, consoles, stdin."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from trainer.cli.app import state
from trainer.errors import TrainerError

if TYPE_CHECKING:
    from trainer.content.bank import QuestionBank
    from trainer.models import Rubric
    from trainer.render.common import Console
    from trainer.scoring.prepare import CompiledRubric


def bank(topics: list[str] | None = None) -> QuestionBank:
    """The question bank of the bundled + user + ``--content`` roots (optionally some topics)."""
    from trainer.content.bank import QuestionBank

    for d in state.content_dirs:
        if not d.is_dir():
            raise _input_error(f"--content：目录不存在：{d}")
    return QuestionBank.load(state.content_dirs, topics=topics)


def bank_for(qid: str | None) -> QuestionBank:
    """The bank to look ``qid`` up in: just its topic when the id names one and it is there.

    Falls back to the whole bank, so unknown ids still get close-match suggestions.
    """
    if qid and "/" in qid:
        scoped = bank([qid.split("/", 1)[0]])
        if any(q.id == qid for q in scoped.questions):
            return scoped
    return bank()


def finite(upper: float, unit: str) -> Callable[[float | None], float | None]:
    """A typer callback for a float option: a real number no larger than ``upper``.

    click's float type accepts ``nan``, ``inf`` and ``1e999``; none of them is a
    duration, and they crash the clock arithmetic later.
    """
    import typer

    def check(value: float | None) -> float | None:
        if value is None:
            return None
        if not math.isfinite(value):
            raise typer.BadParameter(f"{value} 不是有效的数字；请写一个普通的数，如 10")
        if value > upper:
            raise typer.BadParameter(f"{value:g} 太大；最多 {upper:g} {unit}")
        return value

    return check


def _input_error(msg: str) -> TrainerError:
    from trainer.errors import InputError

    return InputError(msg)


def console(stderr: bool = False) -> Console:
    from trainer.render.common import make_console

    return make_console(stderr=stderr)


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
        def read(self, size: int = -1) -> bytes:
            return stream.read(size).encode("utf-8")

    return _Bytes()


def compiled(rubric: Rubric) -> CompiledRubric:
    """The scorer's compiled form of ``rubric``, from the data dir's cache when it is there.

    Compiling pools every point's wordings (tens of ms); ``trainer score`` should not pay
    that on every call. The cache is JSON keyed by the rubric's content hash, so any
    content change (or a new scorer) rebuilds it.
    """
    from trainer.content.cache import cached_json
    from trainer.scoring.prepare import (
        COMPILED_FORMAT,
        compile_rubric,
        compiled_from_dict,
        compiled_to_dict,
    )

    name = f"compiled-{rubric.version}-f{COMPILED_FORMAT}"
    data = cached_json(name, lambda: compiled_to_dict(compile_rubric(rubric)))
    try:
        return compiled_from_dict(data, rubric)
    except ValueError:
        return compile_rubric(rubric)
