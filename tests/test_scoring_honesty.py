"""The scorer's honesty in both directions, measured on text nobody tuned it to.

- Paraphrase twins (tests/data/answers/twins-*.yaml): each genuine labelled answer
  rewritten by another writer, same ideas and order, no run of 4+ characters shared.
  The ``held`` half was never looked at while tuning; the same answer in other words
  must score (nearly) the same.
- Published answers by others (tests/data/outside/answers.yaml, third-party text used
  only as test data): each lands in the examiners' band, or at most one band off.
- Gaming: salad, 套话, copied question, padding, repeated frame and an excellent answer
  to the neighbouring topic all stay below every genuine middling answer.
"""

from __future__ import annotations

import statistics
from functools import cache, lru_cache

import pytest
from scoring_data import (
    CROSS_LONG,
    GAMING,
    labelled,
    outside_answers,
    outside_question,
    paraphrase_twins,
)

from trainer.content.bank import QuestionBank
from trainer.scoring.scorer import compile_rubric, score

BANDS = ("差", "中", "好")


@lru_cache(maxsize=1)
def _bank() -> QuestionBank:
    return QuestionBank.load()


@cache
def _compiled(qid: str):
    q = _bank().get(qid)
    return q, compile_rubric(_bank().rubric(q))


@cache
def _total(qid: str, text: str) -> float:
    q, cr = _compiled(qid)
    return score(text, q, cr).total


ORIGINALS = {a.id: a for a in labelled()}
HELD = [t for t in paraphrase_twins() if t.split == "held"]


def test_there_are_twins_of_every_genuine_answer_on_both_topics():
    twins = paraphrase_twins()
    genuine = {
        a.id for a in labelled() if a.kind in ("excellent", "good", "medium", "weak", "short")
    }
    assert {t.twin_of for t in twins} == genuine
    assert {t.register for t in twins} == {"spoken", "formal"}
    assert {t.question.split("/")[0] for t in HELD} == {"trust-gap", "burden-relief"}


def test_the_same_ideas_in_other_words_score_the_same_on_the_held_out_twins():
    gaps = [
        _total(t.question, t.text) - _total(t.question, ORIGINALS[t.twin_of].text) for t in HELD
    ]
    assert statistics.mean(abs(g) for g in gaps) <= 6, gaps
    assert min(gaps) >= -12, gaps


@pytest.mark.parametrize("twin", HELD, ids=lambda t: t.id)
def test_a_held_out_twin_keeps_its_originals_band_or_the_next(twin):
    def band(total: float) -> int:
        return 2 if round(total) >= 75 else 1 if round(total) >= 50 else 0

    original = _total(twin.question, ORIGINALS[twin.twin_of].text)
    assert abs(band(_total(twin.question, twin.text)) - band(original)) <= 1


@cache
def _on_focus(qid: str, text: str) -> bool:
    q, cr = _compiled(qid)
    return bool(score(text, q, cr).details["on_focus"])


@pytest.mark.parametrize("twin", paraphrase_twins(), ids=lambda t: t.id)
def test_the_same_ideas_in_other_words_are_never_called_off_topic(twin):
    """跑题 (×0.35) is for answers to another question, not for this one's ideas reworded.

    A twin that weighs the question's own view in its own words (解解绑 for 松绑) earns
    the question's own 表态 point and so engages the question, like its original.
    """
    if _on_focus(twin.question, ORIGINALS[twin.twin_of].text):
        assert _on_focus(twin.question, twin.text), twin.id


def _outside_total(o) -> float:
    # Scored as the candidate answered it: the published question, this topic's rubric.
    q, rubric = outside_question(_bank(), o)
    return score(o.text, q, rubric).total


@pytest.mark.parametrize("answer", [o for o in outside_answers() if o.covered], ids=lambda o: o.id)
def test_a_published_answer_lands_in_its_band_or_the_next(answer):
    total = _outside_total(answer)
    got = 2 if round(total) >= 75 else 1 if round(total) >= 50 else 0
    assert abs(got - BANDS.index(answer.grade)) <= 1, (answer.grade, total)


def test_published_good_answers_are_not_called_poor_on_average():
    good = [_outside_total(o) for o in outside_answers() if o.grade in ("好", "中")]
    assert statistics.mean(good) >= 35, good


def test_no_gaming_case_beats_a_genuine_middling_answer():
    middling = min(_total(a.question, a.text) for a in labelled() if a.kind == "medium")
    for a in labelled():
        if a.kind in GAMING or a.kind == CROSS_LONG:
            assert _total(a.question, a.text) < middling, (a.id, a.kind)
