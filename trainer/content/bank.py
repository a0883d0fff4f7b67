"""Build 你怎么看 questions from templates × topic material, and each question's rubric.

Question ids are ``<topic>/<local id>`` as written in ``prompts/<topic>.yaml``,
so they are stable across runs, installs and content reorderings.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import random
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from trainer.content.loader import Content, RawQuestion, load_content
from trainer.errors import InputError, UnknownQuestion
from trainer.models import Point, Question, Rubric, Topic


def render_template(text: str, slots: dict[str, str]) -> str:
    """Fill ``{slot}`` placeholders (templates are validated, so every slot is present)."""
    out = text
    for key, value in slots.items():
        out = out.replace("{" + key + "}", value)
    return out


def build_question(raw: RawQuestion, content: Content) -> Question:
    template = content.templates[raw.template]
    return Question(
        id=f"{raw.topic}/{raw.local_id}",
        topic=raw.topic,
        template=raw.template,
        kind=template.kind,
        text=render_template(template.text, raw.slots),
        hints=raw.hints or ((template.hint,) if template.hint else ()),
        weights=tuple(sorted(raw.weights.items())),
        exclude=raw.exclude,
        extra_points=raw.extra_points,
        model_answer=raw.model_answer,
        skeleton=template.skeleton,
    )


def effective_points(topic: Topic, question: Question) -> tuple[Point, ...]:
    """The topic's points minus ``exclude``, re-weighted, plus the question's own points."""
    weights = dict(question.weights)
    points = [
        dataclasses.replace(p, weight=weights.get(p.id, p.weight))
        for p in topic.points
        if p.id not in question.exclude
    ]
    points.extend(question.extra_points)
    return tuple(points)


def rubric_version(topic: Topic, question: Question, points: Sequence[Point]) -> str:
    """A short content hash: changes whenever anything that affects scoring changes."""
    payload = json.dumps(
        {"q": question.text, "points": [asdict(p) for p in points]},
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


class QuestionBank:
    """All questions of the loaded content, in a stable order (topic, then file order)."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.questions: list[Question] = [
            build_question(raw, content)
            for raw in content.raw_questions
            if raw.template in content.templates
        ]
        self._by_id = {q.id: q for q in self.questions}

    @classmethod
    def load(
        cls, extra_roots: Sequence[Path] = (), topics: Sequence[str] | None = None
    ) -> QuestionBank:
        return cls(load_content(extra_roots, topics=topics))

    @property
    def topics(self) -> dict[str, Topic]:
        return self.content.topics

    def topic(self, topic_id: str) -> Topic:
        if topic_id not in self.content.topics:
            close = difflib.get_close_matches(topic_id, list(self.content.topics), n=3, cutoff=0.4)
            hint = (
                f"；你是不是想找：{', '.join(close)}"
                if close
                else f"；已有主题：{', '.join(self.content.topics)}"
            )
            raise InputError(f"找不到主题 '{topic_id}'{hint}")
        return self.content.topics[topic_id]

    def get(self, qid: str) -> Question:
        """Look up a question by id (or unique suffix such as ``opinion-1``)."""
        if qid in self._by_id:
            return self._by_id[qid]
        suffix = [q for q in self.questions if q.id.endswith("/" + qid)]
        if len(suffix) == 1:
            return suffix[0]
        close = difflib.get_close_matches(qid, list(self._by_id), n=3, cutoff=0.5)
        if len(suffix) > 1:
            close = [q.id for q in suffix]
        hint = f"；相近的题目：{', '.join(close)}" if close else "；用 `trainer list` 查看全部题目"
        raise UnknownQuestion(f"找不到题目 '{qid}'{hint}")

    def filter(self, topic: str | None = None) -> list[Question]:
        if topic is None:
            return list(self.questions)
        self.topic(topic)  # raises with close matches when unknown
        return [q for q in self.questions if q.topic == topic]

    def is_draft(self, question: Question) -> bool:
        topic = self.content.topics.get(question.topic)
        return topic is not None and topic.draft

    def drawable(self, topic: str | None = None) -> list[Question]:
        """What a random draw, the review queue or ``--all`` may use.

        A draft topic (``status: draft``) only when asked for by name: nothing
        drawn at random comes from a rubric no author has checked yet.
        """
        if topic is not None:
            return self.filter(topic)
        return [q for q in self.questions if not self.is_draft(q)]

    def rubric(self, question: Question) -> Rubric:
        topic = self.content.topics[question.topic]
        points = effective_points(topic, question)
        return Rubric(topic, question, points, rubric_version(topic, question, points))

    def custom_question(self, topic_id: str, text: str) -> Question:
        """A question the user brings, scored against a topic's full rubric."""
        topic = self.topic(topic_id)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        return Question(
            id=f"{topic.id}/custom-{digest}",
            topic=topic.id,
            template="custom",
            kind="自拟题",
            text=text.strip(),
        )

    def draw(self, rng: random.Random, topic: str | None = None, k: int = 1) -> list[Question]:
        """Draw ``k`` distinct questions (deterministic for a seeded ``rng``)."""
        pool = self.drawable(topic)
        if not pool:
            raise InputError("没有可用的题目")
        if k <= len(pool):
            return rng.sample(pool, k)
        return [rng.choice(pool) for _ in range(k)]
