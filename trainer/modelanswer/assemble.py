"""Model answers: the 6-step spoken answer to one question, as structured data.

``build_model_answer(question, rubric)`` returns a ``ModelAnswer`` — the
question, its six steps (点题 / 危害 / 原因 / 过渡 / 对策 / 总结), each a run of
sentences tagged with the rubric points they express, the key phrases to
emphasise and their sources — plus the outline card, the footnotes and the
length. It is pure (no I/O, no rich); ``trainer.render.booklet`` and
``trainer.render.modelanswer`` turn it into md / txt / html / terminal output.

Which text is used, step by step (documented in docs/model-answers.md):

1. The question's own authored ``model_answer`` paragraph for the step, when
   it has one — used verbatim: an author wrote it for exactly this question.
2. Else the topic's authored paragraph, when it *fits*: the question's
   effective points of that section are exactly the topic's points of that
   section (re-weighting does not matter, ``exclude`` / ``extra_points`` in the
   section do). The topic answer is written for the topic's phenomenon, so for
   a question of another kind (观点类, 名言类 …) a one-sentence 表态 naming the
   question's own subject is put before the authored 点题.
3. Else the step is assembled from the effective points, in rubric order: a
   lead-in sentence with the section's cue words, one connective per point
   (危害 首先/其次/再次…, 原因 其一/其二…, 对策 第一/第二…), one concrete
   ``material`` after the point it best illustrates (危害/原因 only, never a
   material the question already quotes), and 总之 for the 总结. An assembled
   点题 opens with the question's own 点题 points (``extra_points``) when it has
   them — they are its 表态 — otherwise with a generated 表态.

过渡 is the authored 过渡 paragraph, else the rubric's ``transition``, else a
plain bridge sentence. Spoken time is estimated at 230 字/分钟.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from trainer.modelanswer.wording import (
    CONNECTIVES,
    DEFAULT_TRANSITION,
    SELF_LINKED,
    ends_sentence,
    key_phrase,
    lead_in,
    pick_material,
    point_keys,
    split_paragraph,
    stance,
)
from trainer.models import (
    ANSWER_STEPS,
    Material,
    Point,
    Question,
    Rubric,
    SourceRef,
    section_steps,
)
from trainer.text import content_length, spoken_seconds

#: Speaking rate used for the spoken-time estimate (字/分钟).

ORIGIN_QUESTION = "question"  # the question's authored model answer
ORIGIN_TOPIC = "topic"  # the topic's authored model answer
ORIGIN_ASSEMBLED = "assembled"  # built from the effective rubric points


@dataclass(frozen=True)
class Sentence:
    """One sentence of a model answer and what it carries."""

    text: str
    point_ids: tuple[str, ...] = ()  # rubric points this sentence expresses
    keys: tuple[str, ...] = ()  # key phrases inside ``text`` to emphasise (bold)
    sources: tuple[SourceRef, ...] = ()  # where its content comes from
    notes: tuple[int, ...] = ()  # footnote numbers (``ModelAnswer.footnotes``)


@dataclass(frozen=True)
class Step:
    """One of the six steps: its sentences and where the wording came from."""

    name: str  # one of ANSWER_STEPS
    sentences: tuple[Sentence, ...]
    origin: str  # ORIGIN_QUESTION | ORIGIN_TOPIC | ORIGIN_ASSEMBLED

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.sentences)

    @property
    def point_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p for s in self.sentences for p in s.point_ids))


@dataclass(frozen=True)
class OutlineItem:
    """A line of the study card: a point's key phrase (or the 过渡 sentence)."""

    phrase: str
    point_id: str = ""
    weight: float = 0.0


@dataclass(frozen=True)
class Footnote:
    number: int
    doc: str
    doc_title: str
    quote: str


@dataclass(frozen=True)
class Part:
    """A heading of the printed answer: one step of the question type's skeleton.

    ``steps`` are the rubric-section steps it holds, in order — 名言类 分析 holds
    危害 and 原因, 政策类 意义 holds 危害; 过渡 is a part of its own.
    """

    name: str
    steps: tuple[Step, ...]


#: What ``ModelAnswer.origin`` says, in the words the booklet prints.
ORIGIN_LABELS = {
    ORIGIN_QUESTION: "为本题撰写",
    ORIGIN_TOPIC: "主题通用范文",
    ORIGIN_ASSEMBLED: "由要点拼接",
}


@dataclass(frozen=True)
class ModelAnswer:
    question: Question
    topic_title: str
    steps: tuple[Step, ...]
    outline: tuple[tuple[str, tuple[OutlineItem, ...]], ...]  # (step, items) in step order
    footnotes: tuple[Footnote, ...]
    section_counts: tuple[tuple[str, int], ...]  # effective points per section

    @property
    def text(self) -> str:
        """The whole answer as one plain string (what a candidate would say)."""
        return "\n".join(s.text for s in self.steps if s.text)

    @property
    def chars(self) -> int:
        return content_length(self.text)

    @property
    def seconds(self) -> float:
        return spoken_seconds(self.chars)

    @property
    def origin(self) -> str:
        origins = {s.origin for s in self.steps if s.name != "过渡"}
        return origins.pop() if len(origins) == 1 else "mixed"

    @property
    def parts(self) -> tuple[Part, ...]:
        """The steps grouped under the question type's skeleton, in answer order.

        Each rubric section goes under the skeleton step that it feeds (a
        section no step names keeps its own name); neighbours under one name
        share a heading, 过渡 stands alone.
        """
        owner = section_steps(self.question.skeleton)
        parts: list[Part] = []
        for step in self.steps:
            name = owner.get(step.name, step.name)
            if parts and parts[-1].name == name and name != "过渡":
                parts[-1] = Part(name, (*parts[-1].steps, step))
            else:
                parts.append(Part(name, (step,)))
        return tuple(parts)

    @property
    def part_outline(self) -> tuple[tuple[str, tuple[OutlineItem, ...]], ...]:
        """The study card under the skeleton's headings (``outline`` regrouped)."""
        items = dict(self.outline)
        return tuple(
            (part.name, tuple(i for s in part.steps for i in items.get(s.name, ())))
            for part in self.parts
        )

    @property
    def part_counts(self) -> tuple[tuple[str, int], ...]:
        """Effective points per skeleton step (过渡 has none)."""
        counts = dict(self.section_counts)
        return tuple(
            (part.name, sum(counts.get(s.name, 0) for s in part.steps))
            for part in self.parts
            if part.name != "过渡"
        )

    @property
    def origin_label(self) -> str:
        """Whether the answer was written for this question or assembled, in print."""
        if self.origin in ORIGIN_LABELS:
            return ORIGIN_LABELS[self.origin]
        assembled = [
            p.name for p in self.parts if any(s.origin == ORIGIN_ASSEMBLED for s in p.steps)
        ]
        return f"部分由要点拼接（{'、'.join(assembled)}）"


def emphasis(sentence: Sentence) -> list[tuple[str, bool]]:
    """Split a sentence into (text, emphasised) runs: first occurrence of each key, no overlaps."""
    spans: list[tuple[int, int]] = []
    for key in sorted(set(sentence.keys), key=lambda k: (-len(k), k)):
        i = sentence.text.find(key)
        if i >= 0 and all(i >= b or i + len(key) <= a for a, b in spans):
            spans.append((i, i + len(key)))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):  # adjacent keys read as one emphasised run
        if merged and merged[-1][1] == a:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    runs: list[tuple[str, bool]] = []
    pos = 0
    for a, b in merged:
        if a > pos:
            runs.append((sentence.text[pos:a], False))
        runs.append((sentence.text[a:b], True))
        pos = b
    if pos < len(sentence.text):
        runs.append((sentence.text[pos:], False))
    return runs


def attribute(paragraph: str, points: Sequence[Point]) -> tuple[Sentence, ...]:
    """Tag the sentences of an authored paragraph with the points they express.

    Each point goes to the sentence covering most of its keyword groups (the
    earliest on a tie); a point no sentence covers is attached to the last one,
    so every point still gets its footnote.
    """
    texts = split_paragraph(paragraph)
    if not texts:
        return ()
    owners: dict[int, list[Point]] = {}
    for p in points:
        cover = [len(point_keys(p, t)) for t in texts]
        best = max(range(len(texts)), key=lambda i: (cover[i], -i))
        owners.setdefault(best if cover[best] else len(texts) - 1, []).append(p)
    out = []
    for i, t in enumerate(texts):
        pts = owners.get(i, [])
        keys = tuple(k for p in pts for k in point_keys(p, t))
        out.append(Sentence(t, tuple(p.id for p in pts), keys, tuple(p.source for p in pts)))
    return tuple(out)


# --------------------------------------------------------------------------- assembly


def _point_sentence(point: Point, connective: str = "", lead: str = "") -> Sentence:
    text = ends_sentence(point.text)
    if connective and not text.startswith(SELF_LINKED):
        text = f"{connective}，{text}"
    text = lead + text
    return Sentence(text, (point.id,), point_keys(point, text), (point.source,))


def assemble_section(
    section: str,
    points: Sequence[Point],
    question: Question,
    material: tuple[Point, Material] | None = None,
    own_points: Sequence[Point] = (),
    all_points: Sequence[Point] = (),
) -> tuple[Sentence, ...]:
    """One step built from its points (see the module docstring for the wording rules).

    ``own_points`` are the question's ``extra_points``; ``all_points`` the whole
    effective rubric (the 表态 looks there for the question's phenomenon).
    """
    out: list[Sentence] = []
    if section == "点题":
        own = [p for p in points if p in own_points]
        rest = [p for p in points if p not in own_points]
        if not own:
            out.append(Sentence(stance(question, all_points)))
        out.extend(_point_sentence(p) for p in own + rest)
        return tuple(out)
    if section == "总结":
        for i, p in enumerate(points):
            s = _point_sentence(p)
            if i == 0 and not s.text.startswith(("总之", "综上", "总而言之")):
                s = replace(s, text="总之，" + s.text, keys=point_keys(p, "总之，" + s.text))
            out.append(s)
        return tuple(out)
    lead = lead_in(section, question)
    connectives = CONNECTIVES.get(section, ())
    n = 0
    for p in points:
        numbered = len(points) > 1 and not ends_sentence(p.text).startswith(SELF_LINKED)
        word = connectives[n] if numbered and n < len(connectives) else ""
        n += bool(word)
        out.append(_point_sentence(p, word, lead))
        lead = ""
        if material and material[0] is p:
            m = material[1]
            out.append(
                Sentence(ends_sentence("比如，" + m.text.rstrip("。；，")), sources=(m.source,))
            )
    return tuple(out)


def _fits(section: str, rubric: Rubric) -> bool:
    """True when the topic's authored paragraph for ``section`` suits the question as it is.

    It does when the question keeps exactly the topic's points of that section
    with the topic's weights; a question that re-weights, excludes or adds
    points there is focused on something, and gets an assembled paragraph.
    """
    wanted = sorted((p.id, p.weight) for p in rubric.by_section(section))
    topic = sorted((p.id, p.weight) for p in rubric.topic.points if p.section == section)
    return wanted == topic


def focus_order(section: str, rubric: Rubric) -> tuple[Point, ...]:
    """The section's points, those the question stresses (weight raised) first, else rubric order.

    A point that links itself to what precedes it (长此以往…, 总之…) stays last.
    """
    base = {p.id: p.weight for p in rubric.topic.points}
    points = rubric.by_section(section)

    def key(item: tuple[int, Point]) -> tuple[bool, bool, int]:
        i, p = item
        stressed = p.weight > base.get(p.id, p.weight)
        return (ends_sentence(p.text).startswith(SELF_LINKED), not stressed, i)

    return tuple(p for _, p in sorted(enumerate(points), key=key))


def build_model_answer(question: Question, rubric: Rubric) -> ModelAnswer:
    """The model answer for ``question`` scored against ``rubric`` (its effective rubric)."""
    topic = rubric.topic
    own_authored = dict(question.model_answer)
    topic_authored = dict(topic.model_answer)
    own_points = tuple(question.extra_points)
    plan: dict[str, str] = {}
    for step in ANSWER_STEPS:
        if own_authored.get(step, "").strip():
            plan[step] = ORIGIN_QUESTION
        elif topic_authored.get(step, "").strip() and (step == "过渡" or _fits(step, rubric)):
            plan[step] = ORIGIN_TOPIC
        else:
            plan[step] = ORIGIN_ASSEMBLED
    analysis = [
        p for s in ("危害", "原因") if plan[s] == ORIGIN_ASSEMBLED for p in focus_order(s, rubric)
    ]
    authored = "".join(
        (own_authored if plan[s] == ORIGIN_QUESTION else topic_authored)[s]
        for s in ANSWER_STEPS
        if plan[s] != ORIGIN_ASSEMBLED
    )
    material = pick_material(analysis, topic.materials, question, authored)

    steps: list[Step] = []
    for step in ANSWER_STEPS:
        origin = plan[step]
        points = focus_order(step, rubric) if step != "过渡" else ()
        if origin != ORIGIN_ASSEMBLED:
            paragraph = (own_authored if origin == ORIGIN_QUESTION else topic_authored)[step]
            sentences = attribute(paragraph, points)
            if step == "点题" and origin == ORIGIN_TOPIC:
                sentences = (Sentence(stance(question, rubric.points)), *sentences)
        elif step == "过渡":
            sentences = (Sentence(topic.transition.strip() or DEFAULT_TRANSITION),)
            origin = ORIGIN_TOPIC if topic.transition.strip() else ORIGIN_ASSEMBLED
        else:
            sentences = assemble_section(
                step, points, question, material, own_points, rubric.points
            )
        steps.append(Step(step, sentences, origin))

    steps, footnotes = _number_notes(steps, topic)
    by_id = {p.id: p for p in rubric.points}
    outline = tuple(
        (
            step.name,
            (OutlineItem(step.text),)
            if step.name == "过渡"
            else tuple(
                OutlineItem(key_phrase(by_id[pid]), pid, by_id[pid].weight)
                for pid in step.point_ids
            ),
        )
        for step in steps
    )
    return ModelAnswer(
        question=question,
        topic_title=topic.title,
        steps=tuple(steps),
        outline=outline,
        footnotes=footnotes,
        section_counts=tuple((s, len(rubric.by_section(s))) for s in ANSWER_STEPS if s != "过渡"),
    )


def _number_notes(steps: list[Step], topic) -> tuple[list[Step], tuple[Footnote, ...]]:
    """Number each distinct source reference in order of first appearance."""
    numbers: dict[tuple[str, str], int] = {}
    notes: list[Footnote] = []
    out: list[Step] = []
    for step in steps:
        sentences = []
        for s in step.sentences:
            marks = []
            for ref in s.sources:
                key = (ref.doc, ref.quote)
                if key not in numbers:
                    numbers[key] = len(numbers) + 1
                    src = topic.source(ref.doc)
                    notes.append(
                        Footnote(numbers[key], ref.doc, src.title if src else "", ref.quote)
                    )
                if numbers[key] not in marks:
                    marks.append(numbers[key])
            sentences.append(replace(s, notes=tuple(marks)))
        out.append(replace(step, sentences=tuple(sentences)))
    return out, tuple(notes)
