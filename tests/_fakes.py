"""A stand-in scorer for session tests: fast, predictable, independent of scorer tuning."""

from __future__ import annotations

from trainer.models import SECTIONS, Length, Question, Rubric, Score, SectionResult, Structure


def fake_score(answer: str, question: Question, rubric: Rubric) -> Score:
    """Credits a point when its first keyword group appears in the answer."""
    sections = []
    for sec in SECTIONS:
        pts = rubric.by_section(sec)
        earned = sum(p.weight for p in pts if any(k in answer for k in p.keywords[0]))
        sections.append(SectionResult(sec, earned > 0, (), earned, sum(p.weight for p in pts)))
    total = 100.0 * sum(s.earned for s in sections) / rubric.total_weight
    band = "好" if total >= 70 else "中" if total >= 40 else "差"
    return Score(
        question_id=question.id,
        rubric_version=rubric.version,
        total=total,
        content=total,
        structure_score=0.0,
        expression=0.0,
        band=band,
        exam_score=round(total / 5, 1),
        exam_scale=20,
        sections=tuple(sections),
        structure=Structure((), SECTIONS, True, False, 0.0),
        length=Length(len(answer), len(answer) / 230 * 60, "合适"),
    )
