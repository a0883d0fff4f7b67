"""``score_from_dict`` is the exact inverse of ``Score.to_dict``, also through JSON.

History stores ``Score.to_dict()`` as JSON and every reader rebuilds the score
with ``score_from_dict``; a field it drops silently disappears from
``trainer history show`` (as ``Structure.out_of_order``, the ⇄ marks, once did).
"""

from __future__ import annotations

import json
from dataclasses import MISSING, fields, is_dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scoring_data import labelled

from trainer.models import Length, Score, SectionResult, Span, Structure, Verdict
from trainer.scoring.lexicon import ORDINALS
from trainer.scoring.scorer import compile_rubric, score
from trainer.scoring.sections import OPENERS, STRONG_CUES
from trainer.scoring.serialize import score_from_dict

CUES = sorted(
    {*ORDINALS, *(c for cues in (*STRONG_CUES.values(), *OPENERS.values()) for c in cues)}
)
PUNCT = "，。、；：！？…“”（）,.;:!?\n"
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


def through_json(s: Score) -> Score:
    return score_from_dict(json.loads(json.dumps(s.to_dict(), ensure_ascii=False)))


def assert_round_trips(s: Score) -> None:
    assert score_from_dict(s.to_dict()) == s
    assert through_json(s) == s


_compiled: dict[str, object] = {}


def _rubric(bank, qid: str):
    if qid not in _compiled:
        _compiled[qid] = compile_rubric(bank.rubric(bank.get(qid)))
    return _compiled[qid]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_scored_answer_round_trips(shipped_bank, data):
    q = data.draw(st.sampled_from(shipped_bank.questions), label="question")
    rubric = _rubric(shipped_bank, q.id)
    own = [p.text for p in rubric.rubric.points]
    others = [p.text for t in shipped_bank.topics.values() for p in t.points]
    piece = st.one_of(
        st.sampled_from(own),
        st.sampled_from(others),
        st.sampled_from(CUES),
        st.sampled_from(["首先", "其次", "原因", "对此", "总之", "我认为"]),
        st.text(CJK, max_size=8),
        st.sampled_from(PUNCT),
    )
    answer = "".join(data.draw(st.lists(piece, max_size=40), label="answer"))
    assert_round_trips(score(answer, q, rubric))


def test_an_out_of_order_answer_keeps_its_out_of_order_sections(shipped_bank):
    good = next(a for a in labelled() if a.id == "tg-01")
    p = [x for x in good.text.split("\n\n") if x.strip()]
    swapped = "\n\n".join([p[0], p[3], p[1], p[2], p[4]])  # 对策 before 危害 and 原因
    q = shipped_bank.get(good.question)
    s = score(swapped, q, shipped_bank.rubric(q))
    assert s.structure.out_of_order
    assert through_json(s).structure.out_of_order == s.structure.out_of_order
    assert_round_trips(s)


def test_the_empty_answer_round_trips(shipped_bank):
    q = shipped_bank.questions[0]
    assert_round_trips(score("", q, shipped_bank.rubric(q)))


# A score with every field of every record set to a value that is neither its
# default nor what the reader falls back to when the field is missing.
FULL = Score(
    question_id="trust-gap/phenomenon-1",
    rubric_version="0123abcd4567",
    total=71.3,
    content=0.1 + 0.2,  # not representable in short decimal: floats must survive exactly
    structure_score=12.5,
    expression=1 / 3,
    band="中",
    exam_score=14.26,
    exam_scale=10,
    sections=(
        SectionResult(
            section="危害",
            present=True,
            points=(
                Verdict(
                    point_id="wh-form",
                    section="危害",
                    verdict="partial",
                    similarity=0.537,
                    credit=0.5,
                    weight=5.5,
                    text="层层留痕催生形式主义。",
                    evidence=Span(3, 11, "层层留痕，基层"),
                ),
            ),
            earned=2.75,
            possible=5.5,
            reasoned=(Span(20, 41, "考核一多，干部就顾不上群众"),),
            bonus=0.12,
        ),
    ),
    structure=Structure(
        detected=("点题", "对策", "危害"),
        missing=("原因", "总结"),
        in_order=True,
        has_transition=True,
        score=7.25,
        out_of_order=("对策",),
        skeleton=("点题", "危害", "原因", "对策", "总结"),
    ),
    length=Length(chars=321, seconds=83.7391304347826, band="短"),
    warnings=("篇幅偏短：约 321 字。",),
    details={"copied_chars": 7, "on_focus": True, "focus_words": ["留痕"], "points": {"x": 0.4}},
)


def _defaults(record) -> None:
    """Fail for a field left at its default or falsy (a dropped field would look like that)."""
    for f in fields(record):
        value = getattr(record, f.name)
        name = f"{type(record).__name__}.{f.name}"
        assert value, f"{name} is falsy in FULL: set it so the round trip checks it"
        if f.default is not MISSING:
            assert value != f.default, name
        if f.default_factory is not MISSING:
            assert value != f.default_factory(), name
        for item in value if isinstance(value, tuple) else (value,):
            if is_dataclass(item):
                _defaults(item)


def test_a_score_with_every_field_set_round_trips():
    _defaults(FULL)
    assert_round_trips(FULL)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=12,
)
_FIELDS = {
    "score": [f.name for f in fields(Score) if f.name != "total"],
    "section": [f.name for f in fields(SectionResult) if f.name != "points"],
    "point": [f.name for f in fields(Verdict)] + ["id"],
}


def _shaped(kind: str, value=JSON):
    return st.fixed_dictionaries({}, optional=dict.fromkeys(_FIELDS[kind], value))


POINT = _shaped("point")
SECTION = st.fixed_dictionaries(
    {"points": st.lists(POINT | JSON, max_size=3)}, optional=dict.fromkeys(_FIELDS["section"], JSON)
)
STORED = st.builds(
    lambda total, rest, sections: {**rest, "total": total, "sections": sections},
    JSON,
    _shaped("score"),
    st.dictionaries(st.sampled_from(["危害", "对策"]), SECTION | JSON) | st.lists(SECTION | JSON),
)


@settings(max_examples=300, deadline=None)
@given(JSON | _shaped("score") | STORED)
def test_any_stored_json_is_read_or_refused_with_value_error(data):
    """Stats and the review queue read every stored score: a bad one must not crash them."""
    try:
        s = score_from_dict(data)
    except ValueError:
        return
    assert isinstance(s, Score)
    json.dumps(s.to_dict())
