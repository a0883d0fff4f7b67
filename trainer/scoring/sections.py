"""Where the answer's own sections are: structure from what the candidate wrote.

An examiner reads the skeleton the candidate built, not where rubric points
happened to match. A section *starts* where the answer says so:

- a strong cue anywhere (原因在于 / 之所以 / 对此 / 总之 / 综上 / 带来的危害 …),
  which also works for an answer typed without punctuation or line breaks;
- an opener at the start of a sentence or paragraph (危害 / 影响 / 原因 / 建议 /
  我认为 / 要 … after any enumeration word such as 首先 / 第二 / 一是; not 要求 / 要是 /
  应付…; 点题 openers in the first 30 % of the answer, 总结 openers in the last 40 %);
- a question the candidate asks (为什么会这样 → 原因; 怎么办 / 如何 → 对策);
- the opening: text before the first cue is the 点题;
- a paragraph with no cue in its first sentence takes the section of the first
  point it comes close to making (an outline answer whose heading was dropped).

过渡 is a transition cue just before the first 对策 block, or a bridge phrase in its
first sentence (要让基层愿意交底，对此我建议： starts the block with its 要).

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
from trainer.scoring.cues import (
    BRIDGE,
    LEADS,
    NOT_PROPOSING,
    OPENERS,
    STRONG_CUES,
    TRANSITION,
    WEAK_CUES,
)
from trainer.scoring.prepare import MASK, Prepared

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
#: ... or in the 对策 section's first sentence, within this many characters: a bridge
#: sentence that opens with 要 (要让基层愿意交底，对此我建议：) starts the 对策 block itself.
BRIDGE_REACH = 40
#: 总结 openers (说到底 / 所以说 …) count only in the last share of the answer: earlier they
#: sum up a cause (说到底，根子在上面), not the answer.
CLOSING_SHARE = 0.6

#: A cue-less paragraph takes the section of the first point it comes this close to ...
HINT_VOTE = 0.3
#: ... or whose weaker cue words it uses at least this often.
WEAK_VOTES = 2


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
        if m and not (s == "对策" and stream.startswith(NOT_PROPOSING, i)):
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
        if opener == "总结" and a < CLOSING_SHARE * n:
            continue
        if opener:
            starts.append((a, opener))
    # A paragraph with no cue of its own: the section its content argues — where the
    # points it comes close to making belong, else the section whose weaker cue words
    # (导致 / 因为 / 要 …) it uses most.
    cue_pos = sorted(p for p, _ in starts)
    bounds = [*paragraphs, n]
    sentence_end = {a: b for a, b in prep.sentences}
    for k in range(1, len(paragraphs)):
        a, b = bounds[k], bounds[k + 1]
        # A cue in its first sentence (一劳永逸……带来的影响不小) names the paragraph.
        first = max(a + BLOCK_MIN, min(sentence_end.get(a, a), b))
        if any(a <= p < first for p in cue_pos):
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
    transition = _has_transition(stream, blocks, prep.sentences)
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


def _has_transition(stream: str, blocks: list[Block], sentences: Sequence[tuple[int, int]]) -> bool:
    first = next((b for b in blocks if b.section == "对策" and b.about), None)
    if first is None:
        return False
    lo = max(0, first.start - TRANSITION_REACH)
    if TRANSITION.search(stream, lo, min(len(stream), first.start + 12)):
        return True
    # 要让基层愿意交底，对此我建议：— the bridge sentence opens the 对策 block itself.
    end = next((b for a, b in sentences if a <= first.start < b), first.start)
    return bool(BRIDGE.search(stream, first.start, min(end, first.end, first.start + BRIDGE_REACH)))
