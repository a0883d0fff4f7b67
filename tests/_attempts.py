"""Build Score-shaped dicts and Attempts for history/stats/review tests.

The shape follows ``Score.to_dict()`` (trainer/models.py); the scorer itself is
not needed: these tests are about what the store and statistics do with scores.
"""

from __future__ import annotations

from trainer.models import Attempt

#: A small rubric: (point id, section, weight, model wording).
POINTS: tuple[tuple[str, str, float, str], ...] = (
    ("dt-gap", "点题", 4, "上下级之间出现信任缺口，必须及时扭转。"),
    ("wh-autonomy", "危害", 6, "过度干预挤压基层自主空间，干部积极性受挫。"),
    ("wh-form", "危害", 5, "层层留痕催生形式主义，基层疲于应付。"),
    ("yy-blame", "原因", 5, "问责泛化让基层干部怕担责、不敢说真话。"),
    ("dc-trust", "对策", 6, "上级要敢于放权赋能，给基层容错空间。"),
    ("dc-channel", "对策", 5, "畅通上下沟通渠道，让基层愿意交底。"),
    ("zj-close", "总结", 3, "上下同心，方能弥合信任缺口。"),
)

CREDIT = {"full": 1.0, "partial": 0.5, "miss": 0.0}


def make_score(verdicts: dict[str, str] | None = None, total: float | None = None) -> dict:
    """A Score.to_dict()-shaped dict; points not named in ``verdicts`` are ``full``."""
    verdicts = verdicts or {}
    sections: dict[str, dict] = {}
    for pid, section, weight, text in POINTS:
        v = verdicts.get(pid, "full")
        sec = sections.setdefault(
            section,
            {"section": section, "present": False, "points": [], "earned": 0.0, "possible": 0.0},
        )
        credit = CREDIT[v]
        sec["points"].append(
            {
                "id": pid,
                "point_id": pid,
                "section": section,
                "verdict": v,
                "similarity": 0.9 if v == "full" else 0.5 if v == "partial" else 0.1,
                "credit": credit,
                "weight": weight,
                "text": text,
                "evidence": None
                if v == "miss"
                else {"start": 0, "end": 6, "text": f"答到了{pid}的句子"},
            }
        )
        sec["earned"] += weight * credit
        sec["possible"] += weight
        sec["present"] = sec["present"] or v != "miss"
    earned = sum(s["earned"] for s in sections.values())
    possible = sum(s["possible"] for s in sections.values())
    if total is None:
        total = round(100 * earned / possible, 1)
    return {
        "question_id": "trust-gap/phenomenon-1",
        "rubric_version": "abc123",
        "total": total,
        "band": "好" if total >= 75 else "中" if total >= 50 else "差",
        "exam_score": round(total / 5, 1),
        "exam_scale": 20,
        "content": total * 0.7,
        "structure_score": 10.0,
        "expression": 10.0,
        "sections": sections,
        "structure": {
            "detected": [s for s in sections if sections[s]["present"]],
            "missing": [s for s in sections if not sections[s]["present"]],
            "in_order": True,
            "has_transition": False,
            "score": 10.0,
        },
        "length": {"chars": 600, "seconds": 156.5, "band": "合适"},
        "warnings": [],
        "details": {},
    }


def make_attempt(
    when: str = "2026-11-20T08:00:00+00:00",
    qid: str = "trust-gap/phenomenon-1",
    *,
    verdicts: dict[str, str] | None = None,
    total: float | None = None,
    topic: str | None = None,
    mode: str = "practice",
    answer: str = "我认为，上下级之间的信任缺口必须弥合。",
    think: float = 60.0,
    spent: float = 180.0,
    session_id: str | None = None,
) -> Attempt:
    score = make_score(verdicts, total)
    return Attempt(
        question_id=qid,
        question_text=f"{qid} 的题干：对此，你怎么看？",
        topic=topic or qid.split("/")[0],
        answer=answer,
        mode=mode,
        total=float(score["total"]),
        score=score,
        rubric_version="abc123",
        created_at=when,
        think_seconds=think,
        answer_seconds=spent,
        session_id=session_id,
    )
