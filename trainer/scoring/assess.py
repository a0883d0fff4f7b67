"""Structure, expression and the arithmetic of the total (pure functions, no rapidfuzz).

The formula is documented in ``docs/scoring.md``; the constants below are the
single source of truth for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trainer.models import (
    DEFAULT_SKELETON,
    SECTIONS,
    Length,
    Skeleton,
    Structure,
    Verdict,
    section_steps,
)
from trainer.scoring.lexicon import FILLER_RE
from trainer.scoring.prepare import MASK, Prepared
from trainer.scoring.sections import Layout
from trainer.text import CHARS_PER_MINUTE

# ---------------------------------------------------------------- weights of the total
CONTENT_MAX = 70.0
STRUCTURE_MAX = 15.0
EXPRESSION_MAX = 15.0

# ---------------------------------------------------------------- verdicts
FULL_AT = 0.35  # blended similarity at or above: the point is said (full credit)
PARTIAL_AT = 0.25  # at or above: half said (half credit)
PARTIAL_CREDIT = 0.5
#: Where a point is *first made* (structure, order) is the earliest window at least this
#: similar: a stricter bar than PARTIAL_AT, so a passing mention of a 总结 keyword early in
#: the answer does not move the 总结 away from its cue.
LOCATE_AT = 0.30

#: A section is "complete" when this share of its weight is earned: nobody says every
#: point of a 20-point rubric in 3–4 minutes, and examiners do not expect it.
SECTION_SATURATION = 0.3
#: Diminishing returns inside a section: the first points count more than the last.
SECTION_CURVE = 0.5

#: Depth: content counts in full only for an answer that spends the exam's time on its
#: points. Characters within DEPTH_REACH of a credited point (not repeated sentences,
#: 套话 or text copied from the question) are converted to speaking time t; content is
#: multiplied by DEPTH_FLOOR + (1 - DEPTH_FLOOR) * min(1, t / DEPTH_FULL) ** DEPTH_CURVE.
DEPTH_REACH = 90
DEPTH_FLOOR = 0.1
DEPTH_FULL = 190  # seconds
DEPTH_CURVE = 0.7

#: 言之有理: each sound on-topic sentence that matches no point fills this share of what
#: its section's points left unearned, up to REASONED_CAP (examiners credit analysis the
#: reference answer does not list, but never as much as the points themselves).
REASONED_EACH = 0.12
REASONED_CAP = 1 / 3
REASONED_MIN_CHARS = 12

# ---------------------------------------------------------------- structure
PRESENT_SHARE, ORDER_SHARE, TRANSITION_SHARE = 0.6, 0.25, 0.15

# ---------------------------------------------------------------- expression
NORM_SECONDS = (180, 240)  # 3–4 minutes
LENGTH_SHARE, FILLER_SHARE, REPEAT_SHARE = 0.4, 0.3, 0.3
RELEVANCE_AT = 0.2  # content ratio from which expression counts in full
FILLER_FREE, FILLER_NONE = (
    0.1,
    0.4,
)  # 套话 share: no deduction up to the first, full from the second
REPEAT_NONE = 0.25  # share of repeated sentences at which repetition credit reaches 0

# ---------------------------------------------------------------- bands and exam scale
BANDS = ((75.0, "好"), (50.0, "中"), (0.0, "差"))


def band_of(total: float) -> str:
    """好 / 中 / 差 of the total as shown to the candidate (rounded to a whole point)."""
    shown = round(total)
    return next(name for floor, name in BANDS if shown >= floor)


def exam_score(total: float, scale: int) -> float:
    """Total on the exam scale, in the half-point steps examiners use."""
    return round(total / 100 * scale * 2) / 2


def verdict_of(similarity: float) -> tuple[str, float]:
    if similarity >= FULL_AT:
        return "full", 1.0
    if similarity >= PARTIAL_AT:
        return "partial", PARTIAL_CREDIT
    return "miss", 0.0


def depth_chars(
    prep: Prepared,
    credited: list[tuple[int, int]],
    excluded: list[int],
    topical: Sequence[tuple[int, int]] = (),
) -> int:
    """Content characters spent on the question: within DEPTH_REACH of a credited point's
    evidence, or in a sentence about the question (``topical``, counted as it stands)."""
    n = len(prep.stream)
    near = bytearray(n)
    for s, e in credited:
        a, b = max(0, s - DEPTH_REACH), min(n, e + DEPTH_REACH)
        near[a:b] = b"\x01" * (b - a)
    for a, b in topical:
        near[a:b] = b"\x01" * (b - a)
    for k in excluded:
        a, b = prep.sentences[k]
        near[a:b] = bytes(b - a)
    return sum(1 for i in range(n) if near[i] and prep.stream[i] != MASK)


def depth_factor(chars: int) -> float:
    """Content multiplier for ``chars`` characters spent on the points (see DEPTH_FULL)."""
    seconds = chars / CHARS_PER_MINUTE * 60
    return DEPTH_FLOOR + (1 - DEPTH_FLOOR) * min(1.0, seconds / DEPTH_FULL) ** DEPTH_CURVE


def reasoned_bonus(count: int) -> float:
    """Share of a section's missing credit earned by ``count`` 言之有理 sentences."""
    return min(REASONED_CAP, REASONED_EACH * count)


def content_ratio(verdicts: list[Verdict], bonus: dict[str, float] | None = None) -> float:
    """Weighted credit, each section saturating at SECTION_SATURATION of its weight.

    ``bonus`` (言之有理, per section, at most REASONED_CAP) fills that share of what
    the section's points left unearned.
    """
    total = sum(v.weight for v in verdicts) or 1.0
    ratio = 0.0
    for s in SECTIONS:
        vs = [v for v in verdicts if v.section == s]
        possible = sum(v.weight for v in vs)
        if not possible:
            continue
        earned = sum(v.credit * v.weight for v in vs)
        f = min(1.0, earned / (SECTION_SATURATION * possible)) ** SECTION_CURVE
        f += (1 - f) * (bonus or {}).get(s, 0.0)
        ratio += possible / total * f
    return ratio


# ---------------------------------------------------------------- structure


@dataclass(frozen=True)
class Located:
    """A matched point and where its evidence sits in the content stream."""

    section: str
    start: int
    end: int


def structure_of(
    layout: Layout, has_points: set[str], skeleton: Skeleton = DEFAULT_SKELETON
) -> Structure:
    """Score the skeleton the candidate wrote (``trainer.scoring.sections``) against the
    question type's steps: a step is present when any of its sections is."""
    written = [s for s in layout.written if s in SECTIONS]
    step_of = section_steps(skeleton)
    order = [step for step, _ in skeleton]
    detected: list[str] = []
    for sec in written:
        step = step_of.get(sec)
        if step is not None and step not in detected:
            detected.append(step)
    in_seq = _longest_ordered(tuple(detected), order)
    out_of_order = tuple(s for s in detected if s not in in_seq)
    expected = [step for step, secs in skeleton if any(x in has_points for x in secs)]
    missing = tuple(s for s in expected if s not in detected)
    transition = layout.transition and "对策" in written
    denom = max(1, len(expected))
    sc = STRUCTURE_MAX * (
        PRESENT_SHARE * sum(1 for s in detected if s in expected) / denom
        + ORDER_SHARE * sum(1 for s in in_seq if s in expected) / denom
        + TRANSITION_SHARE * transition
    )
    return Structure(
        detected=tuple(detected),
        missing=missing,
        in_order=not out_of_order,
        has_transition=transition,
        score=round(sc, 2),
        out_of_order=out_of_order,
        skeleton=() if skeleton == DEFAULT_SKELETON else tuple(order),
    )


def _longest_ordered(detected: tuple[str, ...], order: list[str]) -> tuple[str, ...]:
    """Longest subsequence of ``detected`` that follows ``order``."""
    ranks = [order.index(s) for s in detected]
    best: list[tuple[str, ...]] = []
    for i, r in enumerate(ranks):
        prev = [best[j] for j in range(i) if ranks[j] < r]
        chain = max(prev, key=len, default=())
        best.append((*chain, detected[i]))
    return max(best, key=len, default=())


# ---------------------------------------------------------------- expression


def length_of(chars: int) -> Length:
    seconds = round(chars / CHARS_PER_MINUTE * 60, 1)
    lo, hi = NORM_SECONDS
    band = "短" if seconds < lo * 0.85 else "长" if seconds > hi * 1.1 else "合适"
    return Length(chars=chars, seconds=seconds, band=band)


def length_credit(seconds: float) -> float:
    """0 at one minute, rising to 1 at three; long answers are warned about, not docked."""
    return max(0.0, min(1.0, (seconds - 60) / (NORM_SECONDS[0] - 60)))


def filler_sentences(prep: Prepared, credited: list[tuple[int, int]]) -> list[int]:
    """Indices of sentences that contain a 套话 phrase and earn no point."""
    out = []
    for k, (a, b) in enumerate(prep.sentences):
        if any(s < b and e > a for s, e in credited):
            continue
        na, nb = prep.pos[a], prep.pos[b - 1] + 1
        if FILLER_RE.search(prep.norm, na, nb):
            out.append(k)
    return out


def expression(length: Length, filler_share: float, repeat_share: float, relevance: float) -> float:
    f = 1 - min(1.0, max(0.0, (filler_share - FILLER_FREE) / (FILLER_NONE - FILLER_FREE)))
    r = 1 - min(1.0, repeat_share / REPEAT_NONE)
    raw = LENGTH_SHARE * length_credit(length.seconds) + FILLER_SHARE * f + REPEAT_SHARE * r
    return EXPRESSION_MAX * raw * min(1.0, relevance / RELEVANCE_AT)
