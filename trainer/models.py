"""Frozen domain records shared by every layer (no I/O, no third-party imports)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: The answer skeleton, in the order a candidate should speak it.
SECTIONS: tuple[str, ...] = ("点题", "危害", "原因", "对策", "总结")
#: Sections of a spoken answer including the bridge between analysis and measures.
ANSWER_STEPS: tuple[str, ...] = ("点题", "危害", "原因", "过渡", "对策", "总结")
#: A question type's answer skeleton: (step name, rubric sections that feed it), in order.
#: 过渡 is not a step: it is the bridge before the step that holds 对策.
Skeleton = tuple[tuple[str, tuple[str, ...]], ...]
#: 现象类, the sources' own six steps (and the default for a question of no known type).
DEFAULT_SKELETON: Skeleton = tuple((s, (s,)) for s in SECTIONS)


#: Names the step holding the 对策 section goes by in the shipped skeletons.
REMEDY_STEPS = ("对策", "做法")


def remedy_step(steps: tuple[str, ...]) -> str:
    """Of a skeleton's step names, the one that holds 对策 (过渡 is the bridge before it)."""
    return next((s for s in REMEDY_STEPS if s in steps), "对策")


def section_steps(skeleton: Skeleton) -> dict[str, str]:
    """Rubric section → the skeleton step it feeds (名言类: 危害 → 分析, 对策 → 做法)."""
    return {sec: step for step, sections in skeleton for sec in sections}


def skeleton_names(skeleton: Skeleton) -> tuple[str, ...]:
    """The step names of a skeleton with 过渡 in its place (before the step holding 对策)."""
    out: list[str] = []
    for step, sections in skeleton:
        if "对策" in sections:
            out.append("过渡")
        out.append(step)
    return tuple(out)


VERDICTS: tuple[str, ...] = ("full", "partial", "miss")
BANDS: tuple[str, ...] = ("好", "中", "差")


@dataclass(frozen=True)
class SourceRef:
    """Where a point comes from: a source document id and a short exact quote."""

    doc: str
    quote: str


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    file: str
    publisher: str = ""
    date: str = ""


@dataclass(frozen=True)
class Point:
    """One reference point of a rubric: what a strong answer says in one section."""

    id: str
    section: str
    weight: float
    text: str
    keywords: tuple[tuple[str, ...], ...]
    source: SourceRef
    #: Other ways a candidate says the same idea (plain spoken, formal, the words of
    #: someone who never read the sources); the matcher takes the best evidence over
    #: ``text`` and all of these.
    phrasings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Material:
    """A concrete example or figure from the sources, for model answers."""

    text: str
    source: SourceRef


@dataclass(frozen=True)
class Topic:
    """A 热点 topic: its sources, rubric points and model-answer material."""

    id: str
    title: str
    summary: str
    sources: tuple[Source, ...]
    points: tuple[Point, ...]
    transition: str = ""
    materials: tuple[Material, ...] = ()
    model_answer: tuple[tuple[str, str], ...] = ()  # (step, paragraph) in ANSWER_STEPS order
    path: str = ""
    #: ``status: draft`` in the rubric (written by ``trainer ingest``): listed and
    #: practisable by id, never drawn at random, until ``trainer publish`` clears it.
    draft: bool = False

    def source(self, doc_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == doc_id), None)


@dataclass(frozen=True)
class Template:
    """A 你怎么看 question template with ``{slot}`` placeholders."""

    id: str
    kind: str
    text: str
    slots: tuple[str, ...]
    hint: str = ""
    skeleton: Skeleton = DEFAULT_SKELETON


@dataclass(frozen=True)
class Question:
    """A concrete question: a template filled with one topic's material."""

    id: str  # "<topic>/<local id>", stable across runs and installs
    topic: str
    template: str
    kind: str
    text: str
    hints: tuple[str, ...] = ()
    weights: tuple[tuple[str, float], ...] = ()
    exclude: tuple[str, ...] = ()
    extra_points: tuple[Point, ...] = ()
    model_answer: tuple[tuple[str, str], ...] = ()
    skeleton: Skeleton = DEFAULT_SKELETON  # the answer steps of its type (its template's)


@dataclass(frozen=True)
class Rubric:
    """The effective rubric of one question: the points an answer is scored against."""

    topic: Topic
    question: Question
    points: tuple[Point, ...]
    version: str  # content hash: old attempts stay meaningful after content changes

    @property
    def total_weight(self) -> float:
        return sum(p.weight for p in self.points)

    def by_section(self, section: str) -> tuple[Point, ...]:
        return tuple(p for p in self.points if p.section == section)


# --------------------------------------------------------------------------- scoring results


@dataclass(frozen=True)
class Span:
    """A slice of the original (un-normalised) answer text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Verdict:
    point_id: str
    section: str
    verdict: str  # one of VERDICTS
    similarity: float  # 0..1, the blended match signal in the best window
    credit: float  # 0..1 share of the point's weight earned
    weight: float
    text: str  # the point's model wording (shown for missed points)
    evidence: Span | None = None


@dataclass(frozen=True)
class SectionResult:
    section: str
    present: bool  # the candidate wrote this section, about the question (matched or not)
    points: tuple[Verdict, ...]
    earned: float  # weighted credit earned in this section
    possible: float
    #: 言之有理: sound on-topic sentences of this section that match no rubric point
    reasoned: tuple[Span, ...] = ()
    bonus: float = 0.0  # the share of the section's credit they earned (at most a third)


@dataclass(frozen=True)
class Structure:
    detected: tuple[str, ...]  # sections present, in the order they appear in the answer
    missing: tuple[str, ...]
    in_order: bool
    has_transition: bool
    score: float  # 0..max structure points
    out_of_order: tuple[str, ...] = ()  # detected sections that break the canonical order
    #: The question type's steps in order (names as in ``detected``); () = the five sections.
    skeleton: tuple[str, ...] = ()


@dataclass(frozen=True)
class Length:
    chars: int  # Chinese characters + letters/digits, punctuation excluded
    seconds: float  # estimated spoken time at ≈230 字/分钟
    band: str  # "短" | "合适" | "长"


@dataclass(frozen=True)
class Score:
    question_id: str
    rubric_version: str
    total: float  # 0..100
    content: float
    structure_score: float
    expression: float
    band: str  # 好 / 中 / 差
    exam_score: float  # on the exam scale
    exam_scale: int  # 10 or 20
    sections: tuple[SectionResult, ...]
    structure: Structure
    length: Length
    warnings: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape other tools rely on (see README: ``trainer score --json``)."""
        data = asdict(self)
        data["sections"] = {s.section: asdict(s) for s in self.sections}
        for sec in data["sections"].values():
            for v in sec["points"]:
                v["id"] = v["point_id"]
        return data


# --------------------------------------------------------------------------- history


@dataclass(frozen=True)
class Attempt:
    """One scored answer, as stored in history (see ``trainer.history.store``)."""

    question_id: str
    question_text: str
    topic: str
    answer: str
    mode: str  # "practice" | "mock" | "score" | "review"
    total: float
    score: dict[str, Any]  # Score.to_dict()
    rubric_version: str
    created_at: str  # ISO 8601, UTC, e.g. "2026-11-24T05:10:00+00:00"
    think_seconds: float = 0.0
    answer_seconds: float = 0.0
    session_id: str | None = None  # groups the questions of one mock interview
    id: int | None = None
