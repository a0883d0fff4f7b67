"""The score report screen (trainer.render.report), rendered into a string."""

from __future__ import annotations

import io
import json

from scoring_data import labelled

from trainer.content.bank import QuestionBank
from trainer.render.common import make_console
from trainer.render.report import render_score
from trainer.scoring.scorer import score
from trainer.scoring.serialize import score_from_dict


def _render(*args, width: int = 100) -> str:
    buf = io.StringIO()
    render_score(make_console(file=buf, width=width), *args)
    return buf.getvalue()


def _scored(answer_id: str):
    a = next(x for x in labelled() if x.id == answer_id)
    b = QuestionBank.load()
    q = b.get(a.question)
    return a, q, score(a.text, q, b.rubric(q))


def test_hits_quote_the_candidates_sentence_and_misses_the_model_wording():
    a, q, s = _scored("tg-03")
    out = _render(s, a.text, q)
    assert q.text[:20] in out
    assert f"得分 {s.total:.0f}/100" in out and s.band in out
    hit = next(v for sec in s.sections for v in sec.points if v.verdict == "full")
    assert hit.evidence.text[:8] in out.replace("\n", "").replace(" ", "").replace("│", "")
    miss = next(v for sec in s.sections for v in sec.points if v.verdict == "miss")
    assert "范文：" in out and miss.text[:10] in out.replace("\n", "").replace(" ", "").replace(
        "│", ""
    )
    assert "✓" in out and "✗" in out


def test_structure_line_marks_missing_and_out_of_order_sections():
    a, q, s = _scored("tg-09")
    out = _render(s, a.text, q)
    # It opens with 我认为… (a 点题, whatever points it makes) and never writes a 危害 part.
    assert "点题✓" in out and "危害✗" in out and "缺少段落" in out
    assert "0:36" in out or "0:35" in out  # 136 字 ≈ 36 s at 230 字/分钟


def test_partial_points_show_half_and_the_full_wording():
    for answer in labelled():
        a, q, s = _scored(answer.id)
        if any(v.verdict == "partial" for sec in s.sections for v in sec.points):
            out = _render(s, a.text, q)
            assert "½" in out and "完整表述" in out
            return
    raise AssertionError("no labelled answer has a partial point")


def test_a_stored_score_renders_without_the_answer():
    """History re-renders from Score.to_dict() JSON with only (console, score)."""
    a, q, s = _scored("br-01")
    rebuilt = score_from_dict(json.loads(json.dumps(s.to_dict(), ensure_ascii=False)))
    out = _render(rebuilt)
    assert s.question_id in out and f"得分 {s.total:.0f}/100" in out
    hit = next(v for sec in s.sections for v in sec.points if v.verdict == "full")
    assert hit.evidence.text[:6] in out.replace("\n", "").replace(" ", "").replace("│", "")


def test_narrow_terminal_does_not_crash_and_keeps_every_point():
    a, q, s = _scored("tg-01")
    out = _render(s, a.text, q, width=50)
    for sec in s.sections:
        for v in sec.points:
            assert v.point_id[:6] in out
