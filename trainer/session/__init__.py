"""Practice and mock sessions: the exam clock, typed input, drafts, results.

Owns the practice / mock flow with clock, input and output injected (``flow``),
timing and countdown controllers (``timing``), per-question and mock results and
presets (``results``), answer drafts that survive Ctrl-C and kills (``drafts``),
and the prompt_toolkit editor (``editor`` — the only prompt_toolkit user).

May import: ``trainer.models``, ``trainer.text``, ``trainer.errors``,
``trainer.paths``, ``trainer.fileio``. The scorer, store and renderer are handed
in by the CLI (``SessionEnv``), so this package imports neither typer nor rich.
"""
