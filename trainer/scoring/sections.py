"""Where the answer's own sections are: structure from what the candidate wrote.

An examiner reads the skeleton the candidate built, not where rubric points
happened to match. A section *starts* where the answer says so:

- a strong cue anywhere (原因在于 / 之所以 / 对此 / 总之 / 综上 / 带来的危害 …),
  which also works for an answer typed without punctuation or line breaks;
- an opener at the start of a sentence or paragraph (危害 / 影响 / 原因 / 建议 /
  我认为 / 要 … after any enumeration word such as 首先 / 第二 / 一是);
- a question the candidate asks (为什么会这样 → 原因; 怎么办 / 如何 → 对策);
- the opening: text before the first cue is the 点题;
- a paragraph with no cue whose matched points all belong to one other section
  starts that section (an outline answer whose heading was dropped).

A section runs until the next one starts, so enumerated items (第一…第二…) stay in
their section. A section is *present* when it was written and is about the question:
it makes a rubric point, or it uses enough of the topic's own vocabulary
(``CompiledRubric.topic_terms``) — an off-topic or 套话 answer with perfect
structure words gets no structure. Order is the order the sections were written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from trainer.models import SECTIONS
from trainer.scoring.lexicon import ORDINALS
from trainer.scoring.prepare import MASK, Prepared

#: Cues that start a section wherever they stand.
STRONG_CUES: dict[str, tuple[str, ...]] = {
    "危害": (
        "危害在于",
        "其危害",
        "的危害",
        "危害有",
        "危害很",
        "危害不小",
        "弊端在于",
        "的弊端",
        "带来的影响",
        "造成的影响",
        "负面影响",
        "不良影响",
        "后果是",
        "的后果",
        # 政策类 意义 / 观点类 分析 feed the same rubric section as 危害
        "意义在于",
        "的意义",
        "好处在于",
        "积极意义",
        "长此以往",
        "久而久之",
        "长期下去",
    ),
    "原因": (
        "原因在于",
        "原因有",
        "的原因",
        "究其原因",
        "究其根源",
        "之所以",
        "根源在于",
        "症结在于",
        "根子在",
        "归根结底",
        "为什么会",
        "为何会",
        "深层次原因",
        "原因是",
        "方面原因",
        "主要原因",
        "原因主要",
        "根本原因",
        # 政策类 落实难点 feeds the 原因 section
        "难点在于",
        "落实难点",
        "难在",
        "堵点",
        "阻力在于",
        "落地难",
    ),
    "对策": (
        "对此",
        "为此",
        "怎么办",
        "如何解决",
        "如何破解",
        "该如何",
        "应当如何",
        "应该如何",
        "我建议",
        "建议如下",
        "几点建议",
        "以下几",
        "从以下",
        "对策",
        "解决办法",
        "具体措施",
    ),
    "总结": (
        "总之",
        "综上",
        "总而言之",
        "总的来说",
        "总体而言",
        "一言以蔽之",
        "由此可见",
        "只有这样",
        "唯有如此",
        "只有如此",
        "这样才能",
        "如此才能",
    ),
}

#: Openers that start a section only at the start of a sentence or paragraph
#: (after an enumeration word): mid-sentence they are ordinary words.
OPENERS: dict[str, tuple[str, ...]] = {
    "点题": (
        "我认为",
        "我觉得",
        "在我看来",
        "我的看法",
        "我的观点",
        "笔者认为",
        "我赞同",
        "我同意",
    ),
    "危害": (
        "危害",
        "弊端",
        "影响",
        "后果",
        "害处",
        "这会",
        "这样会",
        "这将",
        "如此一来",
        "这样一来",
    ),
    "原因": ("原因", "根源", "背后", "症结", "一方面是", "从上级看", "从上级来看", "从基层看"),
    "对策": (
        "要",
        "应",
        "必须",
        "需要",
        "建议",
        "措施",
        "上级要",
        "上级部门要",
        "基层要",
        "我们要",
        "各级要",
        "一要",
        "二要",
        "三要",
        "破解",
        "解决",
        "针对",
        "完善",
        "建立",
        "加强",
    ),
    "总结": ("说到底", "归根到底", "最后我想说", "所以说"),
}

#: Words that lead into a clause without changing its section: enumeration and connectives.
LEADS = (
    *(w for w in ORDINALS if not w.endswith("要")),  # 一要… is itself a 对策 opener
    "其五",
    "第五",
    "第六",
    "同时",
    "而且",
    "那么",
    "当然",
    "还有",
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
)

#: A block shorter than this (content characters) joins the next one: "我认为主要有三方面原因"
#: is the start of the 原因, not a 点题 of its own.
BLOCK_MIN = 8
#: 点题 openers count in the first share of the answer (adding text never removes one).
EDGE_SHARE = 0.3
#: Text before the first cue is a 点题 when it has at least this many content characters.
OPENING_MIN = 10
#: A section is about the question when it has this many distinct topic bigrams ...
TOPIC_MIN = 3
#: ... and they are at least this share of its bigrams; or it says this many different
#: rubric keywords (the rubric's own terms are the topic's, whatever the wording around them).
KEYWORDS_ABOUT = 3
#: The share of topic bigrams a section needs.
TOPIC_SHARE = 0.10
#: 过渡: a transition cue at most this far before the 对策 section (or inside its start).
TRANSITION_REACH = 60

#: A cue-less paragraph takes the section of the first point it comes this close to ...
HINT_VOTE = 0.3
#: ... or whose weaker cue words it uses at least this often.
WEAK_VOTES = 2
WEAK_CUES: dict[str, tuple[str, ...]] = {
    "危害": (
        "导致",
        "造成",
        "使得",
        "致使",
        "就会",
        "影响",
        "危害",
        "挫伤",
        "损害",
        "不利于",
        "寒了",
        "伤了",
        "到头来",
        "吃亏",
        "白白",
    ),
    "原因": (
        "因为",
        "由于",
        "原因",
        "在于",
        "根源",
        "之所以",
        "根子",
        "说到底",
        "归根",
        "有关",
        "源于",
        "出于",
        "怕",
    ),
    "对策": ("要", "应", "得", "必须", "需要", "建议", "一是", "第一", "首先", "可以"),
}

_TRANSITION = re.compile("对此|为此|针对|那么|如何|怎么办|怎样|我建议|建议|要解决|破解|为了")


def _alternation(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


_STRONG = {s: _alternation(w) for s, w in STRONG_CUES.items()}
_OPENER = {s: _alternation(w) for s, w in OPENERS.items()}
_LEAD = _alternation(LEADS)
_WEAK = {s: _alternation(w) for s, w in WEAK_CUES.items()}


@dataclass(frozen=True)
class Block:
    """One section of the answer as written: [start, end) in the content stream."""

    section: str
    start: int
    end: int
    about: bool  # about the question (a point made here, or the topic's vocabulary)


@dataclass(frozen=True)
class Layout:
    blocks: tuple[Block, ...]
    transition: bool

    def about_at(self, pos: int) -> bool:
        """Is the section written at ``pos`` about the question?"""
        return any(b.about for b in self.blocks if b.start <= pos < b.end)

    def section_at(self, pos: int) -> str | None:
        for b in self.blocks:
            if b.start <= pos < b.end:
                return b.section
        return None

    @property
    def written(self) -> tuple[str, ...]:
        """Sections present (written and about the question), in the order written."""
        seen: list[str] = []
        for b in self.blocks:
            if b.about and b.section not in seen:
                seen.append(b.section)
        return tuple(seen)


def paragraph_starts(prep: Prepared) -> list[int]:
    """Content-stream positions where a paragraph (a line of the answer) starts."""
    starts = [0]
    for i, ch in enumerate(prep.norm):
        if ch == "\n":
            k = prep.stream_of_norm[i]
            if k > starts[-1]:
                starts.append(k)
    return starts


def _unit_starts(prep: Prepared, paragraphs: list[int]) -> list[int]:
    return sorted({*paragraphs, *(a for a, _ in prep.sentences)})


def _opener_at(stream: str, a: int) -> str | None:
    """The section an opener at unit start ``a`` announces (after enumeration words)."""
    i = a
    for _ in range(2):
        m = _LEAD.match(stream, i)
        if not m:
            break
        i = m.end()
    for s in SECTIONS:
        m = _OPENER[s].match(stream, i)
        if m:
            return s
    return None


def layout(
    prep: Prepared,
    located: list[tuple[str, int]],
    topic_terms: frozenset[str],
    hints: Sequence[tuple[str, int, float]] = (),
    keywords: Sequence[tuple[str, int]] = (),
) -> Layout:
    """The answer's sections (see module doc).

    ``located``: (section, position) of matched points; ``hints``: (section, position,
    similarity) of every point's best window, matched or not; ``keywords``: (alternative,
    position) of every rubric keyword said.
    """
    stream = prep.stream
    n = len(stream)
    if not n:
        return Layout((), False)
    paragraphs = paragraph_starts(prep)
    starts: list[tuple[int, str]] = []
    for s, pat in _STRONG.items():
        starts.extend((m.start(), s) for m in pat.finditer(stream))
    for a in _unit_starts(prep, paragraphs):
        opener = _opener_at(stream, a)
        if opener == "点题" and a > EDGE_SHARE * n:
            continue
        if opener:
            starts.append((a, opener))
    # A paragraph with no cue of its own: the section its content argues — where the
    # points it comes close to making belong, else the section whose weaker cue words
    # (导致 / 因为 / 要 …) it uses most.
    cue_pos = sorted(p for p, _ in starts)
    bounds = [*paragraphs, n]
    for k in range(1, len(paragraphs)):
        a, b = bounds[k], bounds[k + 1]
        if any(a <= p < a + BLOCK_MIN for p in cue_pos):
            continue
        # The first point the paragraph comes close to making decides (not a sum over the
        # paragraph: a point added at its end must not relabel what was written before it).
        near = sorted((pos, sec) for sec, pos, sim in hints if a <= pos < b and sim >= HINT_VOTE)
        if near:
            starts.append((a, near[0][1]))
            continue
        counts = {sec: len(pat.findall(stream, a, b)) for sec, pat in _WEAK.items()}
        best = max(counts, key=counts.__getitem__)
        if counts[best] >= WEAK_VOTES and not any(a <= p < b for p in cue_pos):
            starts.append((a, best))
    starts.sort()
    if not starts or starts[0][0] >= OPENING_MIN:
        starts.insert(0, (0, "点题"))
    # Merge: a cue of the section already running does not start a new block.
    merged: list[tuple[int, str]] = []
    for pos, s in starts:
        if merged and (merged[-1][1] == s or merged[-1][0] == pos):
            if merged[-1][0] == pos and merged[-1][1] != s:
                merged[-1] = (pos, _stronger(merged[-1][1], s, stream, pos))
            continue
        merged.append((pos, s))
    # A block too short to be a section (a lead-in before a strong cue) joins the next.
    merged = [
        (pos, s)
        for k, (pos, s) in enumerate(merged)
        if k + 1 >= len(merged) or merged[k + 1][0] - pos >= BLOCK_MIN
    ]
    if merged and merged[0][0] > 0:
        merged[0] = (0, merged[0][1]) if merged[0][0] < OPENING_MIN else merged[0]
    blocks = []
    for k, (pos, s) in enumerate(merged):
        end = merged[k + 1][0] if k + 1 < len(merged) else n
        if end <= pos:
            continue
        terms = {w for w, at in keywords if pos <= at < end}
        about = (
            any(sec == s and pos <= p < end for sec, p in located)
            or len(terms) >= KEYWORDS_ABOUT
            or about_question(stream, pos, end, topic_terms)
        )
        blocks.append(Block(s, pos, end, about))
    transition = _has_transition(stream, blocks)
    return Layout(tuple(blocks), transition)


def _stronger(a: str, b: str, stream: str, pos: int) -> str:
    """Two cues at one position (对此，…原因): the strong cue's section wins."""
    for s in (a, b):
        if _STRONG[s].match(stream, pos) if s in _STRONG else False:
            return s
    return a


def about_question(stream: str, a: int, b: int, topic_terms: frozenset[str]) -> bool:
    """Does stream[a:b] use enough of the topic's own vocabulary?"""
    # Text copied from the question is masked: it shows nothing either way.
    grams = {g for g in (stream[i : i + 2] for i in range(a, b - 1)) if MASK not in g}
    hits = sum(1 for g in grams if g in topic_terms)
    return hits >= TOPIC_MIN and hits >= TOPIC_SHARE * max(1, len(grams))


def _has_transition(stream: str, blocks: list[Block]) -> bool:
    first = next((b for b in blocks if b.section == "对策" and b.about), None)
    if first is None:
        return False
    lo = max(0, first.start - TRANSITION_REACH)
    return bool(_TRANSITION.search(stream, lo, min(len(stream), first.start + 12)))
