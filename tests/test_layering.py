"""The layering holds at run time, not only in ruff: the pure parts load no UI framework."""

from __future__ import annotations

import subprocess
import sys

import pytest

UI = ("typer", "click", "rich", "prompt_toolkit")


def _loaded_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(sorted(m.split('.')[0] for m in sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_scoring_an_answer_loads_no_ui_framework():
    loaded = _loaded_after(
        "from trainer.content.bank import QuestionBank\n"
        "from trainer.scoring import score\n"
        "b = QuestionBank.load()\n"
        "q = b.get('trust-gap/phenomenon-1')\n"
        "s = score('我认为上级对基层不放心，基层对上级不交底，危害很大。', q, b.rubric(q))\n"
        "assert 0 <= s.total <= 100\n"
    )
    assert "rapidfuzz" in loaded  # the probe really scored
    assert not loaded & set(UI), loaded & set(UI)


@pytest.mark.parametrize(
    "module",
    [
        "trainer.content.loader",
        "trainer.history.stats",
        "trainer.modelanswer.assemble",
        "trainer.ingest.pipeline",
        "trainer.session.flow",
        "trainer.render.json_shapes",
    ],
)
def test_domain_modules_load_no_ui_framework(module):
    loaded = _loaded_after(f"import {module}")
    assert not loaded & set(UI), loaded & set(UI)


def test_reading_stored_scores_does_not_load_the_matcher():
    loaded = _loaded_after("import trainer.scoring.serialize, trainer.history.store")
    assert "rapidfuzz" not in loaded
