"""The rubric scorer: ``score(answer, question, rubric) -> Score``, pure and deterministic.

- ``scorer``    — the public ``score()``; the only rapidfuzz user.
- ``lexicon``   — cue words per section, 套话 (filler) phrases, function characters.
- ``prepare``   — compile a rubric once (``CompiledRubric``) and prepare an answer
  (normalised text, content-character stream with offsets, question-copy mask).
- ``windows``   — best-window search, the evidence span, the prose / repeated-frame checks.
- ``focus``     — does the answer respond to this question's phenomenon (疑似跑题).
- ``assess``    — structure, expression and the totals/bands arithmetic.
- ``result``    — assembling per-section results, warnings, the empty-answer score.
- ``serialize`` — the one reader of stored score JSON (``score_from_dict``).
- ``batch``     — a teacher's batch: reading answer rows, writing result files.

No I/O, clock or globals in the scoring path (``batch`` is the I/O edge). May import
``trainer.models``, ``trainer.text``, ``trainer.errors``, ``trainer.fileio``; never
typer, rich or prompt_toolkit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trainer.scoring.scorer import score

__all__ = ["score"]


def __getattr__(name: str) -> Any:
    # Lazy, so reading stored scores (history, stats) does not import rapidfuzz.
    if name == "score":
        from trainer.scoring.scorer import score

        return score
    raise AttributeError(name)
