"""Internals of the rubric scorer; the public API is ``trainer.scorer``.

- ``lexicon``  — cue words per section, 套话 (filler) phrases, function characters.
- ``prepare``  — compile a rubric once (``CompiledRubric``) and prepare an answer
  (normalised text, content-character stream with offsets, question-copy mask).
- ``windows``  — best-window search (weighted distinct-feature maximum in a window),
  the evidence span, and the prose / repeated-frame checks on a window.
- ``assess``   — structure, expression and the totals/bands arithmetic.
- ``result``   — assembling per-section results, warnings, the empty-answer score.

None of these import rapidfuzz (only ``trainer.scorer`` does); none do I/O.
"""
