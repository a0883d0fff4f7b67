"""Invariants of the scorer, checked with hypothesis on the shipped rubrics and the labelled answers."""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scoring_data import GENUINE, labelled

from trainer.content.bank import QuestionBank
from trainer.scoring.scorer import compile_rubric, score

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
GENUINE_ANSWERS = [a for a in labelled() if a.kind in GENUINE]
PUNCT = "，。、；：！？…“”‘’（）,.;:!?()-—"
SPACES = [" ", "  ", "\n", "\u3000", "\t", "\n\n", " \n "]


@cache
def _compiled(qid: str):
    b = QuestionBank.load()
    q = b.get(qid)
    return q, compile_rubric(b.rubric(q))


def _score(text: str, qid: str):
    q, cr = _compiled(qid)
    return score(text, q, cr)


def _verdicts(s) -> dict[str, str]:
    return {v.point_id: v.verdict for sec in s.sections for v in sec.points}


# Text built from the vocabulary the scorer reacts to: rubric keywords, cue words,
# filler, function characters, punctuation, Traditional characters and noise.
_VOCAB = [
    "信任缺口",
    "不放心",
    "不交底",
    "检查",
    "问责",
    "疲于应付",
    "考核",
    "容错",
    "松绑",
    "表哥表姐",
    "层层加码",
    "小马拉大车",
    "APP",
    "工作群",
    "首先",
    "其次",
    "总之",
    "原因",
    "危害",
    "对此",
    "我建议",
    "的",
    "了",
    "是",
    "要",
    "让",
    "基层",
    "上级",
    "干部",
    "多措并举",
    "高度重视",
    "上級",
    "幹部",
    "檢查",
    "。",
    "，",
    "\n",
    " ",
    "１２３",
    "ａｂｃ",
]
texts = st.lists(st.one_of(st.sampled_from(_VOCAB), st.text(max_size=6)), max_size=120).map("".join)


@SETTINGS
@given(text=texts, qid=st.sampled_from(["trust-gap/phenomenon-1", "burden-relief/policy-1"]))
def test_total_is_always_between_0_and_100(text, qid):
    s = _score(text, qid)
    assert 0 <= s.total <= 100
    assert 0 <= s.content <= 70 and 0 <= s.structure_score <= 15 and 0 <= s.expression <= 15
    for sec in s.sections:
        for v in sec.points:
            assert v.verdict in ("full", "partial", "miss")
            if v.evidence is not None:
                assert text[v.evidence.start : v.evidence.end] == v.evidence.text


@SETTINGS
@given(data=st.data())
def test_adding_a_sentence_that_states_a_missed_point_never_lowers_the_score(data):
    """Appended at the end, where it cannot split a statement the answer already makes.

    (Inserted *inside* a paragraph, a sentence can separate the two halves of a
    statement that spans two sentences, which rightly weakens that match.)
    """
    answer = data.draw(st.sampled_from(GENUINE_ANSWERS), label="answer")
    before = _score(answer.text, answer.question)
    missed = [v for sec in before.sections for v in sec.points if v.verdict == "miss"]
    if not missed:
        return
    point = data.draw(st.sampled_from(missed), label="point")
    joint = data.draw(st.sampled_from(["", "\n", "。", "另外，", "\n\n此外，"]), label="joint")
    after = _score(answer.text.rstrip() + joint + point.text, answer.question)
    assert after.total >= before.total, (answer.id, point.point_id, before.total, after.total)
    assert _verdicts(after)[point.point_id] != "miss"


@SETTINGS
@given(data=st.data())
def test_changing_whitespace_and_punctuation_never_changes_verdicts(data):
    answer = data.draw(st.sampled_from(GENUINE_ANSWERS), label="answer")
    out = []
    for ch in answer.text:
        if ch.isalnum():
            out.append(ch)
            if data.draw(st.integers(0, 30), label="space here") == 0:
                out.append(data.draw(st.sampled_from([" ", "\u3000", "\t"]), label="space"))
        else:  # punctuation or whitespace: keep, drop, swap for another mark, or add spaces
            choice = data.draw(st.integers(0, 3), label="edit")
            if choice == 0:
                out.append(ch)
            elif choice == 2:
                out.append(data.draw(st.sampled_from(PUNCT), label="mark"))
            elif choice == 3:
                out.append(data.draw(st.sampled_from(SPACES), label="spaces"))
    shuffled = "".join(out)
    assert _verdicts(_score(shuffled, answer.question)) == _verdicts(
        _score(answer.text, answer.question)
    )
