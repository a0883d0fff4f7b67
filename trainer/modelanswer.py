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

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from trainer.models import ANSWER_STEPS, Material, Point, Question, Rubric, SourceRef
from trainer.text import content_length

#: Speaking rate used for the spoken-time estimate (字/分钟).
CHARS_PER_MINUTE = 230

ORIGIN_QUESTION = "question"  # the question's authored model answer
ORIGIN_TOPIC = "topic"  # the topic's authored model answer
ORIGIN_ASSEMBLED = "assembled"  # built from the effective rubric points

_CONNECTIVES = {
    "危害": ("首先", "其次", "再次", "此外", "另外", "同时", "还有", "更重要的是"),
    "原因": ("其一", "其二", "其三", "其四", "其五", "其六", "其七", "其八"),
    "对策": ("第一", "第二", "第三", "第四", "第五", "第六", "第七", "第八"),
}
# A point text opening with one of these already links itself to what precedes it.
_SELF_LINKED = ("长此以往", "久而久之", "总之", "综上", "同时", "此外", "另外", "最后", "总而言之")
_DEFAULT_TRANSITION = "找准了问题的症结，解决起来才能对症下药，对此我建议："
_SENTENCE_RE = re.compile(r"[^。！？；…]*(?:[。！？；…]+[”’」』）)]*|$)")


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
        return self.chars * 60.0 / CHARS_PER_MINUTE

    @property
    def origin(self) -> str:
        origins = {s.origin for s in self.steps if s.name != "过渡"}
        return origins.pop() if len(origins) == 1 else "mixed"


# --------------------------------------------------------------------------- key phrases


def point_keys(point: Point, text: str | None = None) -> tuple[str, ...]:
    """Per keyword group, the phrasing found earliest in ``text`` (default: the point's own).

    Returned in text order; these are what a sentence is emphasised on and what
    the outline card shows.
    """
    text = point.text if text is None else text
    found: list[tuple[int, str]] = []
    for group in point.keywords:
        hits = [(text.find(w), -len(w), w) for w in group if w and w in text]
        if hits:
            pos, _, word = min(hits)
            found.append((pos, word))
    return tuple(w for _, w in sorted(found))


def key_phrase(point: Point) -> str:
    """The point as a memorisable phrase: its key words in the order it says them."""
    keys = point_keys(point) or tuple(g[0] for g in point.keywords[:3] if g)
    return " · ".join(keys)


def emphasis(sentence: Sentence) -> list[tuple[str, bool]]:
    """Split a sentence into (text, emphasised) runs: first occurrence of each key, no overlaps."""
    spans: list[tuple[int, int]] = []
    for key in sorted(set(sentence.keys), key=lambda k: (-len(k), k)):
        i = sentence.text.find(key)
        if i >= 0 and all(i >= b or i + len(key) <= a for a, b in spans):
            spans.append((i, i + len(key)))
    runs: list[tuple[str, bool]] = []
    pos = 0
    for a, b in sorted(spans):
        if a > pos:
            runs.append((sentence.text[pos:a], False))
        runs.append((sentence.text[a:b], True))
        pos = b
    if pos < len(sentence.text):
        runs.append((sentence.text[pos:], False))
    return runs


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of a paragraph, each keeping its end punctuation and closing quotes."""
    return [s for s in _SENTENCE_RE.findall(paragraph.strip()) if s.strip()]


def attribute(paragraph: str, points: Sequence[Point]) -> tuple[Sentence, ...]:
    """Tag the sentences of an authored paragraph with the points they express.

    Each point goes to the sentence covering most of its keyword groups (the
    earliest on a tie); a point no sentence covers is attached to the last one,
    so every point still gets its footnote.
    """
    texts = split_sentences(paragraph)
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


# --------------------------------------------------------------------------- 表态


def _quoted_terms(text: str) -> list[str]:
    return re.findall(r"“([^“”]{1,16})”", text)


def phenomenon_label(question: Question, points: Sequence[Point]) -> str:
    """The question's own phenomenon as a short quoted term, e.g. '“表哥”“表姐”'.

    The first quoted term of the question that the rubric's keywords speak of,
    together with quoted terms written right after it; '' when there is none.
    """
    words = [w for p in points for g in p.keywords for w in g]
    for m in re.finditer(r"“([^“”]{1,16})”", question.text):
        term = m.group(1)
        if any(w in term or term in w for w in words if len(w) >= 2):
            label, end = m.group(0), m.end()
            while nxt := re.match(r"“([^“”]{1,16})”", question.text[end:]):
                label += nxt.group(0)
                end += nxt.end()
            return label
    return ""


def _first_clause(text: str) -> str:
    head = re.split(r"[，,；;]", text, maxsplit=1)[0].strip()
    return head if content_length(head) >= 6 else text.strip()


def stance(question: Question, points: Sequence[Point]) -> str:
    """A one-sentence 表态 that names what this question is about, by question kind."""
    text = question.text
    kind = question.kind
    if kind == "观点类" and (m := re.search(r"有人(?:说|认为)[，,：:]?(.+?)[。？！]", text)):
        return f"对于“{_first_clause(m.group(1))}”这种说法，我认为有一定道理，但失之片面，需要辩证看待。"
    if kind == "正反观点类" and (m := re.search(r"针对(.+?)[，,]", text)):
        return f"针对{m.group(1)}，两种观点都有一定道理，但各执一端，关键在于把握好“度”。"
    if kind in ("名言类", "标语类") and (m := re.search(r"“(.+?)”", text)):
        saying = m.group(1).rstrip("。！!，, ")
        if kind == "名言类":
            return f"“{saying}”，这句话道理深刻，放到今天的工作实际中依然很有现实意义。"
        return f"“{saying}”，这句话朴实直白，道出了不少人的真实心声，背后的问题值得深思。"
    if kind == "政策类":
        return "对于题中的这项举措，我是赞同的。"
    if kind == "现象类":
        label = phenomenon_label(question, points)
        return f"题目中反映的{label}现象，折射出的问题值得深思。"
    return "对于这个问题，我谈谈自己的看法。"


# --------------------------------------------------------------------------- assembly


def _ends(text: str) -> str:
    """``text`` as a whole sentence: ending punctuation added unless it has one."""
    text = text.strip()
    bare = text.rstrip("”’」』）)")
    return text if bare and bare[-1] in "。！？…" else text + "。"


def _point_sentence(point: Point, connective: str = "") -> Sentence:
    text = _ends(point.text)
    if connective and not text.startswith(_SELF_LINKED):
        text = f"{connective}，{text}"
    return Sentence(text, (point.id,), point_keys(point, text), (point.source,))


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if c.isalnum()]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def pick_material(
    points: Sequence[Point], materials: Sequence[Material], question: Question, said: str = ""
) -> tuple[Point, Material] | None:
    """The (point, material) pair where a concrete example illustrates a point best.

    The heaviest point (the question's focus) with a relevant material wins,
    then the material naming most of the point's keyword groups, then rubric
    order. A material adds nothing — and is skipped — when the question or
    ``said`` (the authored paragraphs in use) already has most of it, or the
    point's own sentence does (over half its bigrams).
    """
    asked = _bigrams(question.text + said)
    best: tuple[tuple[int, float, int, int], Point, Material] | None = None
    for pi, p in enumerate(points):
        own = _bigrams(p.text)
        for mi, m in enumerate(materials):
            grams = _bigrams(m.text)
            if not grams or 2 * max(len(grams & asked), len(grams & own)) > len(grams):
                continue
            hits = len(point_keys(p, m.text))
            rank = (p.weight, hits, -pi, -mi)
            if hits and (best is None or rank > best[0]):
                best = (rank, p, m)
    return (best[1], best[2]) if best else None


def _lead(section: str, question: Question) -> str:
    subject = "这种现象" if question.kind == "现象类" else "这一问题"
    if section == "危害":
        return f"{subject}如果得不到重视和解决，危害不容忽视。"
    if section == "原因":
        return f"之所以出现{subject}，原因是多方面的。"
    return ""


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
    if lead := _lead(section, question):
        out.append(Sentence(lead))
    connectives = _CONNECTIVES.get(section, ())
    n = 0
    for p in points:
        numbered = len(points) > 1 and not _ends(p.text).startswith(_SELF_LINKED)
        word = connectives[n] if numbered and n < len(connectives) else ""
        n += bool(word)
        out.append(_point_sentence(p, word))
        if material and material[0] is p:
            m = material[1]
            out.append(Sentence(_ends("比如，" + m.text.rstrip("。；，")), sources=(m.source,)))
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
        return (_ends(p.text).startswith(_SELF_LINKED), not stressed, i)

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
            sentences = (Sentence(topic.transition.strip() or _DEFAULT_TRANSITION),)
            origin = ORIGIN_TOPIC if topic.transition.strip() else ORIGIN_ASSEMBLED
        else:
            sentences = assemble_section(
                step, points, question, material, own_points, rubric.points
            )
        steps.append(Step(step, sentences, origin))

    steps, footnotes = _number_notes(steps, topic)
    outline = tuple(
        (
            step,
            (OutlineItem(_transition_text(steps)),)
            if step == "过渡"
            else tuple(OutlineItem(key_phrase(p), p.id, p.weight) for p in rubric.by_section(step)),
        )
        for step in ANSWER_STEPS
    )
    return ModelAnswer(
        question=question,
        topic_title=topic.title,
        steps=tuple(steps),
        outline=outline,
        footnotes=footnotes,
        section_counts=tuple((s, len(rubric.by_section(s))) for s in ANSWER_STEPS if s != "过渡"),
    )


def _transition_text(steps: Sequence[Step]) -> str:
    return next((s.text for s in steps if s.name == "过渡"), "")


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
