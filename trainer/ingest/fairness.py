"""Ingest's own fairness check: can a candidate who did not copy the source score a point?

For every drafted point the sentence it quotes is *paraphrased* offline and
deterministically — each term an alternative of the same keyword group, the
thesaurus' other words for it, function words and connectives dropped, the
clauses in reverse order — and the paraphrases are put into one six-step
answer (each under its section's usual cue). That answer is scored with the
real scorer against the draft. A point the scorer does not credit from its
paraphrase is one only its verbatim sentence can match: ingest warns about it,
point by point, instead of calling the draft ready to practise.

The scorer is imported inside :func:`check` (it is the only heavy import of
ingest, and only ``trainer ingest`` needs it).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from trainer.ingest.records import TopicDraft
from trainer.models import Question, Rubric, Topic

#: What a section of the test answer opens with, so the scorer sees the six steps.
_LEAD = {
    "点题": "我认为，",
    "危害": "这种现象危害不小，",
    "原因": "究其原因，",
    "对策": "对此，我建议：",
    "总结": "总之，",
}
_DROP = re.compile(
    r"(然而|但是|同时|因此|所以|另外|其实|可以说|一方面|另一方面|首先|其次|最后)[，,]?"
)


@dataclass(frozen=True)
class PointCheck:
    point_id: str
    paraphrase: str
    credited: bool


def draft_topic(draft: TopicDraft) -> Topic | None:
    """The draft as the content loader reads it (rendered in a throw-away root)."""
    from trainer.content.loader import load_files
    from trainer.ingest.write import OutputPaths, planned_files

    with tempfile.TemporaryDirectory(prefix="trainer-fair-") as tmp:
        root = Path(tmp)
        paths = OutputPaths(
            root / "rubrics" / f"{draft.topic_id}.yaml",
            root / "prompts" / f"{draft.topic_id}.yaml",
        )
        for path, text in planned_files(draft, paths).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        content = load_files([paths.rubric])
    return content.topics.get(draft.topic_id)


def draft_rubric(topic: Topic, question: Question) -> Rubric:
    return Rubric(topic, question, topic.points, "draft")


def paraphrase(sentence: str, groups: list[list[str]], thesaurus: dict[str, list[str]]) -> str:
    """The sentence in other words (see module doc): what a candidate who read it might say."""
    text = _DROP.sub("", sentence.strip().rstrip("。！？"))
    swaps: list[tuple[str, str]] = []
    for group in groups:
        for w in group:
            if w in text:
                alts = [a for a in group if a != w and a not in text]
                alts += [a for a in thesaurus.get(w, ()) if a != w and a not in text]
                if alts:
                    swaps.append((w, alts[0]))
                break
    for w, alt in sorted(swaps, key=lambda x: -len(x[0])):
        text = text.replace(w, alt, 1)
    clauses = [c for c in re.split(r"[，；：,;:]", text) if c.strip()]
    if len(clauses) > 1:
        clauses = clauses[::-1]
    return "，".join(clauses) + "。"


def check(draft: TopicDraft, thesaurus: dict[str, list[str]] | None = None) -> list[PointCheck]:
    """Score the paraphrased source sentences against the draft; one result per point."""
    from trainer.ingest.thesaurus import shipped_thesaurus
    from trainer.scoring.scorer import score

    thes = shipped_thesaurus() if thesaurus is None else thesaurus
    topic = draft_topic(draft)
    if topic is None or not topic.points:
        return []  # nothing to check (ingest already warns about a section with no point)
    by_id = {p.id: p for p in draft.points}
    paras = {
        p.id: paraphrase(by_id[p.id].quote, [list(g) for g in p.keywords], thes)
        for p in topic.points
    }
    parts: list[str] = []
    for section, lead in _LEAD.items():
        body = "".join(paras[p.id] for p in topic.points if p.section == section)
        if body:
            parts.append(lead + body)
        if section == "原因":
            parts.append(draft.transition)
    question = Question(
        id=f"{draft.topic_id}/phenomenon-1",
        topic=draft.topic_id,
        template="phenomenon",
        kind="现象类",
        text=f"{draft.question}对此，你怎么看？",
    )
    result = score("\n".join(parts), question, draft_rubric(topic, question))
    verdicts = {v.point_id: v for s in result.sections for v in s.points}
    return [
        PointCheck(p.id, paras[p.id], verdicts[p.id].credit > 0)
        for p in topic.points
        if p.id in verdicts
    ]


def warnings(checks: list[PointCheck]) -> list[str]:
    return [
        f"{c.point_id}：原文句子改写后（「{c.paraphrase[:24]}…」）不得分，只有原句能答中；"
        "请补写 phrasings 和 keywords"
        for c in checks
        if not c.credited
    ]
