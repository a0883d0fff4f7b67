"""The shipped bank: 30+ questions, each with its own focus and a model answer written for it.

A candidate studies the booklet to learn how *this* question is answered: so
every shipped question carries an authored answer (not one assembled from
rubric points), of exam length, that the project's own scorer rates ≥ 90, in
its own words (no long run copied from the articles or from the rubric), and
no two answers of one topic share a paragraph — the longest run two of them
share is under 30 characters.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from trainer.modelanswer.assemble import ORIGIN_LABELS, ORIGIN_QUESTION, build_model_answer
from trainer.scoring.scorer import score
from trainer.text import normalize, strip_punct

SHARED_RUN_LIMIT = 30  # between two model answers of one topic
COPIED_RUN_LIMIT = 20  # from a source article or a rubric point's wording
TYPES = {"现象类", "观点类", "正反观点类", "名言类", "标语类", "政策类"}


def flat(text: str) -> str:
    return strip_punct(normalize(text))


def longest_shared_run(a: str, b: str) -> str:
    """The longest substring of ``a`` that also occurs in ``b`` (binary search on its length)."""

    def run_of(k: int) -> str:
        grams = {b[j : j + k] for j in range(len(b) - k + 1)}
        return next((a[i : i + k] for i in range(len(a) - k + 1) if a[i : i + k] in grams), "")

    lo, hi, found = 0, min(len(a), len(b)), ""
    while lo < hi:
        mid = (lo + hi + 1) // 2
        run = run_of(mid)
        if run:
            lo, found = mid, run
        else:
            hi = mid - 1
    return found


def test_longest_shared_run_finds_the_longest_common_piece():
    assert longest_shared_run("甲乙丙丁戊己", "丙丁戊庚乙丙") == "丙丁戊"
    assert longest_shared_run("甲乙", "丙丁") == ""


@pytest.fixture(scope="module")
def answers(shipped_bank):
    return {q.id: build_model_answer(q, shipped_bank.rubric(q)) for q in shipped_bank.questions}


def test_bank_has_thirty_questions_and_every_type_in_every_topic(shipped_bank):
    assert len(shipped_bank.questions) >= 30
    for topic in shipped_bank.topics:
        kinds = {q.kind for q in shipped_bank.filter(topic)}
        assert kinds == TYPES, (topic, TYPES - kinds)


def test_questions_of_a_topic_each_have_their_own_focus(shipped_bank):
    """Each question stresses its own points (raised weights, points of its own); one general."""
    for topic in shipped_bank.topics:
        questions = shipped_bank.filter(topic)
        base = {p.id: p.weight for p in shipped_bank.topics[topic].points}
        focus = {
            q.id: frozenset(
                [pid for pid, w in q.weights if w > base.get(pid, 0)]
                + [p.id for p in q.extra_points]
            )
            for q in questions
        }
        general = [qid for qid, f in focus.items() if not f]
        assert len(general) <= 1, general
        stressed = [f for f in focus.values() if f]
        assert len(set(stressed)) == len(stressed), topic
        assert len({q.text for q in questions}) == len(questions)


def test_every_question_has_a_model_answer_written_for_it(shipped_qid, answers):
    ma = answers[shipped_qid]
    origins = {s.name: s.origin for s in ma.steps}
    assert set(origins.values()) == {ORIGIN_QUESTION}, origins
    assert ma.origin_label == ORIGIN_LABELS[ORIGIN_QUESTION]
    assert 700 <= ma.chars <= 1000, ma.chars


def test_written_answer_is_headed_by_its_type_and_scores_at_least_90(
    shipped_bank, shipped_qid, answers
):
    q = shipped_bank.get(shipped_qid)
    ma = answers[shipped_qid]
    result = score(ma.text, q, shipped_bank.rubric(q))
    assert result.total >= 90, (shipped_qid, result.total, result.warnings)
    # the scorer finds every step of the type's skeleton, in order, with its 过渡
    assert result.structure.missing == () and result.structure.in_order
    assert result.structure.has_transition
    assert [p.name for p in ma.parts if p.name != "过渡"] == [s for s, _ in q.skeleton]


def test_points_of_the_question_itself_are_earned_by_its_answer(shipped_bank, shipped_qid, answers):
    """A 名言类 answer is credited for explaining the saying, a 观点类 one for its 表态…"""
    q = shipped_bank.get(shipped_qid)
    result = score(answers[shipped_qid].text, q, shipped_bank.rubric(q))
    verdicts = {v.point_id: v for s in result.sections for v in s.points}
    for point in q.extra_points:
        assert verdicts[point.id].verdict == "full", (shipped_qid, point.id)


@pytest.mark.parametrize("kind", ["名言类", "标语类", "观点类", "正反观点类", "政策类"])
def test_each_non_phenomenon_question_has_an_opening_point_of_its_own(shipped_bank, kind):
    """释义 / 表态 is this question's, not the topic's generic 点题."""
    for q in shipped_bank.questions:
        if q.kind == kind:
            assert any(p.section == "点题" for p in q.extra_points), q.id


def test_no_two_answers_of_a_topic_share_a_paragraph(shipped_bank, answers):
    for topic in shipped_bank.topics:
        texts = {qid: flat(ma.text) for qid, ma in answers.items() if qid.startswith(topic + "/")}
        for (a, ta), (b, tb) in combinations(sorted(texts.items()), 2):
            run = longest_shared_run(ta, tb)
            assert len(run) < SHARED_RUN_LIMIT, (a, b, run)


def test_answers_are_in_their_own_words(shipped_bank, answers):
    """No 20-character run from the source articles or from any rubric wording of the question."""
    for qid, ma in answers.items():
        q = shipped_bank.get(qid)
        topic = shipped_bank.topics[q.topic]
        base = Path(topic.path).parent
        articles = "".join(flat((base / s.file).read_text(encoding="utf-8")) for s in topic.sources)
        mine = flat(ma.text)
        run = longest_shared_run(mine, articles)
        assert len(run) < COPIED_RUN_LIMIT, (qid, "source", run)
        for point in shipped_bank.rubric(q).points:
            for wording in (point.text, *point.phrasings):
                run = longest_shared_run(mine, flat(wording))
                assert len(run) < COPIED_RUN_LIMIT, (qid, point.id, run)


def test_every_points_quote_is_a_passage_of_its_source(shipped_bank):
    """A question's own points (释义 / 表态 / 意义…) cite the article, word for word."""
    for q in shipped_bank.questions:
        topic = shipped_bank.topics[q.topic]
        base = Path(topic.path).parent
        for point in (*q.extra_points, *topic.points):
            source = topic.source(point.source.doc)
            assert source is not None, (q.id, point.id)
            article = normalize((base / source.file).read_text(encoding="utf-8"))
            assert normalize(point.source.quote) in article, (q.id, point.id)
