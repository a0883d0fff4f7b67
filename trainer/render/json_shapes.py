"""Every ``--json`` shape in one place: plain dicts and lists, then one printer.

Other tools rely on these shapes (``trainer list --json`` → [{id, topic, template,
text}], ``trainer score --json`` → ``Score.to_dict()``); change them only
additively. No rich here: JSON goes to stdout as UTF-8, indented.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date, datetime, tzinfo
from typing import Any

from trainer.models import Attempt, Question, Rubric, Score


def print_json(data: Any) -> None:
    """Write ``data`` as indented UTF-8 JSON (non-ASCII kept) to stdout."""
    sys.stdout.write(json.dumps(jsonable(data), ensure_ascii=False, indent=2) + "\n")


def jsonable(value: Any) -> Any:
    """Dates as ISO strings, tuples as lists; everything else unchanged."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def question_list(
    questions: Iterable[Question], drafts: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """``trainer list --json`` (``draft``: the topic is ``status: draft``, see ``trainer publish``)."""
    return [
        {
            "id": q.id,
            "topic": q.topic,
            "template": q.template,
            "kind": q.kind,
            "text": q.text,
            "draft": q.topic in drafts,
        }
        for q in questions
    ]


def question_detail(q: Question, rubric: Rubric, points: bool) -> dict[str, Any]:
    """``trainer show QID --json`` (``points`` adds the rubric points)."""
    data: dict[str, Any] = {
        "id": q.id,
        "topic": q.topic,
        "template": q.template,
        "kind": q.kind,
        "text": q.text,
        "hints": list(q.hints),
        "skeleton": [step for step, _ in q.skeleton],
        "skeleton_sections": {step: list(secs) for step, secs in q.skeleton},
        "topic_title": rubric.topic.title,
        "rubric_version": rubric.version,
    }
    if points:
        data["points"] = [
            {"id": p.id, "section": p.section, "weight": p.weight, "text": p.text}
            for p in rubric.points
        ]
    return data


def score(result: Score) -> dict[str, Any]:
    """``trainer score --json``."""
    return result.to_dict()


def attempt_list(attempts: Iterable[Attempt]) -> list[dict[str, Any]]:
    """``trainer history --json`` (no answer text, no score details)."""
    return [
        {
            "id": a.id,
            "created_at": a.created_at,
            "question_id": a.question_id,
            "topic": a.topic,
            "mode": a.mode,
            "total": a.total,
            "band": _band(a.score),
            "think_seconds": a.think_seconds,
            "answer_seconds": a.answer_seconds,
            "session_id": a.session_id,
            "rubric_version": a.rubric_version,
        }
        for a in attempts
    ]


def _band(stored: Any) -> str | None:
    """The band of a stored score, read by the one score reader (None when unreadable)."""
    from trainer.scoring.serialize import score_from_dict

    try:
        return score_from_dict(stored).band if isinstance(stored, dict) else None
    except ValueError:
        return None


def attempt(a: Attempt) -> dict[str, Any]:
    """``trainer history show ID --json``: the whole record."""
    return asdict(a)


def stats(result: Any) -> dict[str, Any]:
    """``trainer stats --json``: the ``Stats`` dataclass as a dict."""
    return asdict(result)


def review_queue(items: Iterable[Any], now: datetime, tz: tzinfo) -> list[dict[str, Any]]:
    """``trainer review --list --json``: one entry per queued question."""
    return [
        {
            "question_id": i.question_id,
            "topic": i.topic,
            "question_text": i.question_text,
            "due": i.due.isoformat(),
            "is_due": i.is_due(now, tz),
            "reviews": i.reviews,
            "last_total": i.last_total,
            "last_rating": i.last_rating.name,
            "last_at": i.last_at.isoformat(),
            "missed": list(i.missed),
        }
        for i in items
    ]
