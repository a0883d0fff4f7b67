"""The bundled topics meet the content bar: complete rubrics, cited points, renderable questions."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from trainer.content.bank import QuestionBank
from trainer.models import SECTIONS
from trainer.text import content_length, normalize, strip_punct

SECTION_RANGE = {"点题": (2, 3), "危害": (3, 5), "原因": (3, 5), "对策": (4, 6), "总结": (1, 2)}


@pytest.fixture(scope="module")
def content(shipped_content):
    return shipped_content


@pytest.fixture(scope="module")
def bank(shipped_content):
    return QuestionBank(shipped_content)


def test_bundled_content_has_no_problems(content):
    assert content.problems == []


def test_at_least_two_topics_and_ten_questions(content, bank):
    assert len(content.topics) >= 2
    assert len(bank.questions) >= 10


def test_topic_covers_every_section_within_range(content, shipped_topic):
    topic = content.topics[shipped_topic]
    counts = Counter(p.section for p in topic.points)
    for section in SECTIONS:
        lo, hi = SECTION_RANGE[section]
        assert lo <= counts[section] <= hi, (section, counts[section])
    assert 12 <= len(topic.points) <= 25


def test_every_point_has_keywords_and_an_existing_cited_source(content, shipped_topic):
    topic = content.topics[shipped_topic]
    for p in topic.points:
        assert 3 <= len(p.keywords) <= 6, p.id
        src = topic.source(p.source.doc)
        assert src is not None, p.id
        assert p.source.quote, p.id


def test_every_point_is_said_in_many_ways(content, bank, shipped_topic):
    """6–15 phrasings per point (topic points and each question's own points)."""
    topic = content.topics[shipped_topic]
    own = [p for q in bank.questions if q.topic == shipped_topic for p in q.extra_points]
    for p in (*topic.points, *own):
        assert 6 <= len(p.phrasings) <= 15, (p.id, len(p.phrasings))


def test_countermeasures_and_analysis_carry_most_weight(content, shipped_topic):
    topic = content.topics[shipped_topic]
    weight = Counter()
    for p in topic.points:
        weight[p.section] += p.weight
    total = sum(weight.values())
    assert (weight["对策"] + weight["危害"] + weight["原因"]) / total >= 0.7


def test_topic_has_five_question_templates(bank, shipped_topic):
    qs = bank.filter(shipped_topic)
    assert len({q.template for q in qs}) >= 5


def test_question_renders_without_unfilled_slots(bank, shipped_qid):
    q = bank.get(shipped_qid)
    assert not re.search(r"\{[^}]*\}", q.text)
    assert q.text.endswith(("？", "。")) and ("怎么" in q.text or "理解" in q.text), q.text
    assert bank.rubric(q).points


def test_authored_model_answer_is_three_to_four_minutes(content, shipped_topic):
    topic = content.topics[shipped_topic]
    assert topic.transition
    if topic.model_answer:
        steps = [s for s, _ in topic.model_answer]
        assert steps == [s for s in ("点题", "危害", "原因", "过渡", "对策", "总结") if s in steps]
        length = sum(content_length(t) for _, t in topic.model_answer)
        assert 650 <= length <= 1000, length


def test_model_wording_is_not_copied_from_the_sources(content, shipped_topic):
    """No point text or model-answer sentence shares a 20-character run with its articles."""
    topic = content.topics[shipped_topic]
    from pathlib import Path

    base = Path(topic.path).parent
    articles = "".join(
        strip_punct(normalize((base / s.file).read_text(encoding="utf-8"))) for s in topic.sources
    )
    texts = [p.text for p in topic.points] + [t for _, t in topic.model_answer]
    for text in texts:
        flat = strip_punct(normalize(text))
        for i in range(0, max(0, len(flat) - 20)):
            assert flat[i : i + 20] not in articles, flat[i : i + 20]
