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
from trainer.text import fmt_points


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
    assert f"得分 {fmt_points(s.total)}/100" in out and s.band in out
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
    assert s.question_id in out and f"得分 {fmt_points(s.total)}/100" in out
    hit = next(v for sec in s.sections for v in sec.points if v.verdict == "full")
    assert hit.evidence.text[:6] in out.replace("\n", "").replace(" ", "").replace("│", "")


def test_narrow_terminal_does_not_crash_and_keeps_every_point():
    a, q, s = _scored("tg-01")
    out = _render(s, a.text, q, width=50)
    for sec in s.sections:
        for v in sec.points:
            assert v.point_id[:6] in out


def test_one_rule_for_scores_and_times():
    from trainer.text import fmt_mmss, fmt_spoken, spoken_seconds

    assert [fmt_points(x) for x in (2.55, 12.45, 59.5, 60.0, 0.0, 14.74)] == [
        "2.6",
        "12.5",
        "59.5",
        "60",
        "0",
        "14.7",
    ]
    assert fmt_mmss(82.5) == "1:23" and fmt_mmss(83.5) == "1:24"  # halves up, never to even
    for chars in range(0, 1200, 7):  # the editor's 口述 and the report's are one number
        assert fmt_spoken(chars) == fmt_mmss(spoken_seconds(chars))


def test_header_and_structure_line_show_the_same_structure_number():
    a, q, s = _scored("tg-03")
    out = _render(s, a.text, q)
    shown = fmt_points(s.structure_score)
    assert f"结构 {shown}/15" in out and f"（{shown}/15）" in out


def test_a_sub_three_minute_answer_is_not_called_fitting():
    from trainer.render.report import length_word

    assert length_word(644, "合适") == "略短"  # 2:48 beside "考场建议 3–4 分钟"
    assert length_word(800, "合适") == "合适"
    assert length_word(950, "合适") == "略长"
    assert length_word(100, "短") == "偏短"


def test_the_report_explains_its_marks_once():
    a, q, s = _scored("tg-03")
    out = _render(s, a.text, q)
    assert out.count("✓答到") == 1 and "⇄顺序不对" in out and "+言之有理" in out
    assert "30% 权重即得该段满分" in out


def test_a_zero_score_says_what_was_missing(shipped_bank):
    from trainer.scoring.scorer import score

    q = shipped_bank.get("burden-relief/opinion-1")
    text = "今天天气很好，我们去公园散步吧，看看花草树木，听听鸟儿唱歌，心情会变得很愉快，生活真美好啊朋友们。"
    s = score(text, q, shipped_bank.rubric(q))
    assert s.total == 0
    out = _render(s, text, q)
    assert "得 0 分，因为" in out and "一个评分要点也没答到" in out and "43 字" in out


def test_report_lines_keep_kinsoku_and_latin_words_at_60_and_80_columns(shipped_bank):
    from trainer.text import cell_width

    q = shipped_bank.get("burden-relief/opinion-1")
    text = "我认为基层减负很重要，要整治政务APP和工作群，让干部有更多时间为群众办实事。"
    s = score(text, q, shipped_bank.rubric(q))
    for width in (60, 80):
        out = _render(s, text, q, width=width)
        for line in out.splitlines():
            assert cell_width(line) <= width, line
            first = line.lstrip("│ ")[:1]
            assert not first or first not in "。，、；：）》」』", line
            assert not line.rstrip(" │").endswith("AP"), line  # 政务AP⏎P
