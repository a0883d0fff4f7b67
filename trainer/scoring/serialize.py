"""Rebuild a :class:`~trainer.models.Score` from its stored JSON (``Score.to_dict()``).

History keeps the score as JSON so old attempts stay readable after the models
change. ``score_from_dict`` is the one reader of that JSON — history show,
stats, the review queue — and the exact inverse of ``Score.to_dict``:
``score_from_dict(s.to_dict()) == s`` for every score, also after a trip
through ``json``. Fields missing from older records get neutral defaults; a
shape that cannot be read raises ``ValueError``.
"""

from __future__ import annotations

from typing import Any

from trainer.models import Length, Score, SectionResult, Span, Structure, Verdict


def _f(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return default


def _i(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        pass
    try:
        return int(_f(value, default))
    except (ValueError, OverflowError):  # nan, inf
        return default


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(str(x) for x in value) if isinstance(value, list | tuple) else ()


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _span(data: Any) -> Span | None:
    if not isinstance(data, dict):
        return None
    return Span(_i(data.get("start")), _i(data.get("end")), str(data.get("text", "")))


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


def _section(s: dict[str, Any]) -> SectionResult:
    name = str(s.get("section", ""))
    points = s.get("points")
    return SectionResult(
        section=name,
        present=bool(s.get("present", False)),
        points=tuple(_verdict(p, name) for p in points if isinstance(p, dict))
        if isinstance(points, list | tuple)
        else (),
        earned=_f(s.get("earned")),
        possible=_f(s.get("possible")),
        reasoned=tuple(
            sp for sp in (_span(r) for r in s.get("reasoned") or () if isinstance(r, dict)) if sp
        )
        if isinstance(s.get("reasoned"), list | tuple)
        else (),
        bonus=_f(s.get("bonus")),
    )


def score_from_dict(data: dict[str, Any]) -> Score:
    if not isinstance(data, dict) or "total" not in data:
        raise ValueError("not a score object")
    raw_sections = data.get("sections") or {}
    if isinstance(raw_sections, dict):
        raw_sections = list(raw_sections.values())
    if not isinstance(raw_sections, list | tuple):
        raise ValueError("score sections are neither a mapping nor a list")
    st = _dict(data.get("structure"))
    ln = _dict(data.get("length"))
    return Score(
        question_id=str(data.get("question_id", "")),
        rubric_version=str(data.get("rubric_version", "")),
        total=_f(data.get("total")),
        content=_f(data.get("content")),
        structure_score=_f(data.get("structure_score")),
        expression=_f(data.get("expression")),
        band=str(data.get("band", "")),
        exam_score=_f(data.get("exam_score")),
        exam_scale=_i(data.get("exam_scale"), 20),
        sections=tuple(_section(s) for s in raw_sections if isinstance(s, dict)),
        structure=Structure(
            detected=_strs(st.get("detected")),
            missing=_strs(st.get("missing")),
            in_order=bool(st.get("in_order", False)),
            has_transition=bool(st.get("has_transition", False)),
            score=_f(st.get("score")),
            out_of_order=_strs(st.get("out_of_order")),
            skeleton=_strs(st.get("skeleton")),
        ),
        length=Length(
            chars=_i(ln.get("chars")),
            seconds=_f(ln.get("seconds")),
            band=str(ln.get("band", "")),
        ),
        warnings=_strs(data.get("warnings")),
        details=dict(_dict(data.get("details"))),
    )
