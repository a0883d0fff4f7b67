"""How a model answer is worded: key phrases, 表态, lead-ins, connectives, materials.

Pure string work used by ``trainer.modelanswer.assemble`` (no I/O, no rich). The
phrasing rules are documented in docs/model-answers.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from trainer.models import Material, Point, Question
from trainer.text import content_length

#: Connectives per analysed section, one per numbered point.
CONNECTIVES = {
    "危害": ("首先", "其次", "再次", "此外", "另外", "同时", "还有", "更重要的是"),
    "原因": ("其一", "其二", "其三", "其四", "其五", "其六", "其七", "其八"),
    "对策": ("第一", "第二", "第三", "第四", "第五", "第六", "第七", "第八"),
}
#: A point text opening with one of these already links itself to what precedes it.
SELF_LINKED = ("长此以往", "久而久之", "总之", "综上", "同时", "此外", "另外", "最后", "总而言之")
#: The bridge when a topic has neither an authored 过渡 nor a ``transition``.
DEFAULT_TRANSITION = "找准了问题的症结，解决起来才能对症下药，对此我建议："
#: Runs this long copied from the question count as 照抄题干 (as the scorer masks them).
COPY_RUN = 6
_SENTENCE_RE = re.compile(r"[^。！？；…]*(?:[。！？；…]+[”’」』）)]*|$)")


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


def split_paragraph(paragraph: str) -> list[str]:
    """Sentences of a paragraph, each keeping its end punctuation and closing quotes."""
    return [s for s in _SENTENCE_RE.findall(paragraph.strip()) if s.strip()]


# --------------------------------------------------------------------------- 表态


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


def stance(question: Question, points: Sequence[Point]) -> str:
    """A one-sentence 表态 for the question's kind, in the candidate's own words.

    It names the question's phenomenon only by a short quoted term (under six
    characters: a longer run copied from the question counts as 照抄题干 and
    earns nothing), and avoids the 万能句 phrases the scorer marks as filler
    (值得深思, 辩证看待…): the opening should model what a good answer does.
    """
    kind = question.kind
    if kind == "观点类":
        return "题中这种说法有一定道理，但失之片面，我不完全认同。"
    if kind == "正反观点类":
        return "题中两种观点都有一定道理，但各执一端，关键在于把握好“度”。"
    if kind == "名言类":
        return "题中这句话道理深刻，放到今天的工作实际中依然很有现实意义。"
    if kind == "标语类":
        return "这句话朴实直白，道出了不少基层干部的真实心声，背后的问题不能回避。"
    if kind == "政策类":
        return "对于题中的这项举措，我是赞同的。"
    if kind == "现象类":
        label = phenomenon_label(question, points)
        if content_length(label) >= COPY_RUN:
            label = ""
        return f"题目中反映的{label}现象，我认为必须正视，不能等闲视之。"
    return "对于这个问题，我谈谈自己的看法。"


def ends_sentence(text: str) -> str:
    """``text`` as a whole sentence: ending punctuation added unless it has one."""
    text = text.strip()
    bare = text.rstrip("”’」』）)")
    return text if bare and bare[-1] in "。！？…" else text + "。"


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if c.isalnum()]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def _runs(text: str) -> set[str]:
    chars = "".join(c for c in text if c.isalnum())
    return {chars[i : i + COPY_RUN] for i in range(len(chars) - COPY_RUN + 1)}


def pick_material(
    points: Sequence[Point], materials: Sequence[Material], question: Question, said: str = ""
) -> tuple[Point, Material] | None:
    """The (point, material) pair where a concrete example illustrates a point best.

    The heaviest point (the question's focus) with a relevant material wins,
    then the material naming most of the point's keyword groups, then rubric
    order. A material adds nothing — and is skipped — when the question or
    ``said`` (the authored paragraphs in use) already has most of it, or the
    point's own sentence does (over half its bigrams), or when it repeats a
    run of ``COPY_RUN`` characters of the question (read back, it is 照抄题干).
    """
    asked = _bigrams(question.text + said)
    question_runs = _runs(question.text)
    best: tuple[tuple[float, int, int, int], Point, Material] | None = None
    for pi, p in enumerate(points):
        own = _bigrams(p.text)
        for mi, m in enumerate(materials):
            grams = _bigrams(m.text)
            if not grams or 2 * max(len(grams & asked), len(grams & own)) > len(grams):
                continue
            if _runs(m.text) & question_runs:
                continue
            hits = len(point_keys(p, m.text))
            rank = (p.weight, hits, -pi, -mi)
            if hits and (best is None or rank > best[0]):
                best = (rank, p, m)
    return (best[1], best[2]) if best else None


def lead_in(section: str, question: Question) -> str:
    """The opening clause of an assembled 危害 / 原因 step, ending in '：'.

    It carries the section's cue word (危害 / 原因) and runs on into the first
    point's sentence, so it is not a stand-alone 万能句 (原因是多方面的).
    """
    subject = "这种现象" if question.kind == "现象类" else "这一问题"
    if section == "危害":
        return f"{subject}如果得不到解决，会带来多方面的危害："
    if section == "原因":
        return "究其原因，主要有以下几个方面："
    return ""
