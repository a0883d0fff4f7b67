"""The markdown booklet escapes content as the HTML booklet does (issue 16, security).

A template's ``kind`` (and other content strings) went into the Markdown raw, so a
hostile content file put ``<script>`` into a booklet's ``##`` heading.
"""

from __future__ import annotations

import dataclasses

import pytest
from test_security_render import CLEAR, QID, _no_controls

from trainer.modelanswer.assemble import build_model_answer
from trainer.render.booklet import to_markdown, to_text


@pytest.fixture
def hostile_model_answer(shipped_bank):
    q = shipped_bank.get(QID)
    q = dataclasses.replace(
        q, kind="<script>alert(1)</script>" + CLEAR, hints=("**粗** [链](javascript:x) <b>",)
    )
    return build_model_answer(q, shipped_bank.rubric(q))


def test_markdown_booklet_escapes_the_template_kind_and_other_content(hostile_model_answer):
    md = to_markdown([hostile_model_answer])
    heading = next(line for line in md.splitlines() if line.startswith("## "))
    assert "<script>" not in md and r"\<script\>alert(1)\</script\>" in heading
    assert "<b>" not in md and r"\*\*粗\*\* \[链\](javascript:x) \<b\>" in md
    _no_controls(md)


def test_text_booklet_has_no_control_sequences(hostile_model_answer):
    _no_controls(to_text([hostile_model_answer]).replace("\f", ""))
