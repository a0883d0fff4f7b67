"""Rebuild a :class:`~trainer.models.Score` from its stored JSON (``Score.to_dict()``).

History keeps the score as JSON so old attempts stay readable after the models
change; this is the inverse of ``Score.to_dict`` for re-rendering a stored
report with the scorer's own renderer. Missing fields get neutral defaults;
a shape that cannot be read raises ``ValueError``.
"""

from __future__ import annotations

from typing import Any

from trainer.models import Length, Score, SectionResult, Span, Structure, Verdict


def _f(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _span(data: Any) -> Span | None:
    if not isinstance(data, dict):
        return None
    return Span(int(data.get("start", 0)), int(data.get("end", 0)), str(data.get("text", "")))


def _verdict(p: dict[str, Any], section: str) -> Verdict:
    return Verdict(
        point_id=str(p.get("point_id") or p.get("id") or ""),
        section=str(p.get("section") or section),
        verdict=str(p.get("verdict", "miss")),
        similarity=_f(p.get("similarity")),
        credit=_f(p.get("credit")),
        weight=_f(p.get("weight")),
        text=str(p.get("text", "")),
        evidence=_span(p.get("evidence")),
    )


def score_from_dict(data: dict[str, Any]) -> Score:
    if not isinstance(data, dict) or "total" not in data:
        raise ValueError("not a score object")
    raw_sections = data.get("sections") or {}
    if isinstance(raw_sections, dict):
        raw_sections = list(raw_sections.values())
    sections = tuple(
        SectionResult(
            section=str(s.get("section", "")),
            present=bool(s.get("present", False)),
            points=tuple(_verdict(p, str(s.get("section", ""))) for p in s.get("points") or ()),
            earned=_f(s.get("earned")),
            possible=_f(s.get("possible")),
        )
        for s in raw_sections
        if isinstance(s, dict)
    )
    st = data.get("structure") or {}
    ln = data.get("length") or {}
    return Score(
        question_id=str(data.get("question_id", "")),
        rubric_version=str(data.get("rubric_version", "")),
        total=_f(data.get("total")),
        content=_f(data.get("content")),
        structure_score=_f(data.get("structure_score")),
        expression=_f(data.get("expression")),
        band=str(data.get("band", "")),
        exam_score=_f(data.get("exam_score")),
        exam_scale=int(_f(data.get("exam_scale"), 20)),
        sections=sections,
        structure=Structure(
            detected=tuple(st.get("detected") or ()),
            missing=tuple(st.get("missing") or ()),
            in_order=bool(st.get("in_order", False)),
            has_transition=bool(st.get("has_transition", False)),
            score=_f(st.get("score")),
        ),
        length=Length(
            chars=int(_f(ln.get("chars"))),
            seconds=_f(ln.get("seconds")),
            band=str(ln.get("band", "")),
        ),
        warnings=tuple(str(w) for w in data.get("warnings") or ()),
        details=dict(data.get("details") or {}),
    )
