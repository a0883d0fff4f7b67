"""Best-window search: where in the answer does a point come closest to being said?

A point's *features* are its bigrams (IDF-weighted, summing to ALPHA) and its
keyword groups ((1 - ALPHA) / groups each). Every occurrence of a feature in
the answer's content stream is an interval; the blended similarity of a
window is the summed weight of the *distinct* features with an occurrence
fully inside it, so saying the same thing twice inside a window earns
nothing extra. ``scan`` finds the fixed-width window with the largest
similarity in O(occurrences · log occurrences).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

from trainer.models import Span
from trainer.scoring.lexicon import FUNCTION_CHARS
from trainer.scoring.prepare import ALPHA, MASK, CompiledPoint, Prepared

#: A neighbouring sentence joins the evidence when it adds this share of the window's weight.
FOCUS_GAIN = 0.2
#: How many of the earliest qualifying windows ``scan`` describes (the first that passes
#: the prose and frame checks locates the point for structure).
MAX_FIRSTS = 8
#: Prose checks (keyword salad): factor 0 at the first bound, 1 at the second.
PROSE_DENSITY = (0.02, 0.07)  # function characters outside keywords, per character
PROSE_FREE = (0.25, 0.45)  # share of characters outside rubric keywords
PROSE_REACH = 30  # content characters either side of the evidence that the prose check reads
ANSWER_DENSITY = (0.03, 0.08)  # the same density over the whole answer (real answers: 0.1–0.3)


@dataclass(frozen=True)
class Window:
    similarity: float  # blended: containment share + keyword-group share, 0..1
    containment: float  # IDF-weighted bigram containment of the point wording, 0..1
    coverage: float  # share of keyword groups hit, 0..1
    start: int  # evidence in the content stream: the matched features of the sentence(s)
    end: int  # carrying most of the window's weight (see ``_focus``)


EMPTY = Window(0.0, 0.0, 0.0, 0, 0)

# An occurrence: (start, end, feature id, weight).
Occurrence = tuple[int, int, int, float]


def occurrences(
    cp: CompiledPoint, prep: Prepared, keyword_hits: dict[str, list[tuple[int, int]]]
) -> list[Occurrence]:
    """All feature occurrences of one point in the answer, sorted by start."""
    occ: list[Occurrence] = []
    index = prep.bigram_index
    bigrams = cp.bigrams
    fids = cp.bigram_ids
    # Only the bigrams the answer has (a set intersection: the pooled wordings of a point
    # hold hundreds of bigrams, an answer a few hundred more).
    for bg in bigrams.keys() & index.keys():
        fid, w = fids[bg], bigrams[bg]
        for i in index[bg]:
            occ.append((i, i + 2, fid, w))
    fid = len(bigrams)
    for group in cp.groups:
        for syn in group:
            for s, e in keyword_hits.get(syn, ()):
                occ.append((s, e, fid, cp.group_weight))
        fid += 1
    occ.sort()
    return occ


def scan(cp: CompiledPoint, occ: list[Occurrence], first_at: float) -> tuple[int, list[int]]:
    """Start of the best width-``cp.width`` window, and of the earliest few scoring >= ``first_at``.

    The best window earns the credit and shows the evidence; the earliest qualifying
    windows say *where* the answer first makes the point (structure and order use
    them), which text added later in the answer cannot move. -1 / [] when nothing
    matches. ``describe`` turns a start into a ``Window``.
    """
    if not occ:
        return -1, []
    width = cp.width
    n = len(occ)
    by_end = sorted(range(n), key=[o[1] for o in occ].__getitem__)
    counts: dict[int, int] = {}
    added = bytearray(n)
    cur = 0.0
    best = 0.0
    best_a = -1
    i = j = 0
    prev_a = -1
    firsts: list[int] = []
    for a, _, _, _ in occ:
        if a == prev_a:
            continue
        prev_a = a
        while i < n and occ[i][0] < a:
            if added[i]:
                f = occ[i][2]
                counts[f] -= 1
                if not counts[f]:
                    cur -= occ[i][3]
            i += 1
        limit = a + width
        while j < n and occ[by_end[j]][1] <= limit:
            k = by_end[j]
            if occ[k][0] >= a:
                added[k] = 1
                f = occ[k][2]
                c = counts.get(f, 0)
                if not c:
                    cur += occ[k][3]
                counts[f] = c + 1
            j += 1
        if cur > best + 1e-12:
            best, best_a = cur, a
        if cur >= first_at - 1e-12 and len(firsts) < MAX_FIRSTS:
            firsts.append(a)
    return best_a, firsts


def describe(cp: CompiledPoint, occ: list[Occurrence], a: int, starts: list[int]) -> Window:
    """Similarity of the window starting at ``a`` and its evidence: the sentence(s) carrying most of it."""
    if a < 0:
        return EMPTY
    b = a + cp.width
    seen: set[int] = set()
    cont = cov = 0.0
    n_bigrams = len(cp.bigrams)
    per_sentence: dict[int, dict[int, float]] = {}
    spans: dict[int, list[int]] = {}
    for x in range(bisect_left(occ, (a,)), len(occ)):
        s, e, f, w = occ[x]
        if s >= b:
            break
        if e > b:
            continue
        k = bisect_right(starts, s) - 1
        per_sentence.setdefault(k, {})[f] = w
        lo_hi = spans.get(k)
        if lo_hi is None:
            spans[k] = [s, e]
        else:
            if s < lo_hi[0]:
                lo_hi[0] = s
            if e > lo_hi[1]:
                lo_hi[1] = e
        if f in seen:
            continue
        seen.add(f)
        if f < n_bigrams:
            cont += w
        else:
            cov += w
    # Bigrams pool every wording of the point; one wording said in full is enough.
    alpha = ALPHA if cp.groups else 1.0
    cont = min(cont, alpha)
    containment = cont / alpha
    coverage = cov / (cp.group_weight * len(cp.groups)) if cp.groups else 0.0
    lo, hi = _focus(per_sentence, spans, cont + cov)
    return Window(cont + cov, containment, coverage, lo, hi)


def _focus(
    per_sentence: dict[int, dict[int, float]], spans: dict[int, list[int]], total: float
) -> tuple[int, int]:
    """Best sentence, widened to neighbours that add >= FOCUS_GAIN of the window's weight."""
    best = max(per_sentence, key=lambda k: (sum(per_sentence[k].values()), -k))
    chosen = [best]
    have = dict(per_sentence[best])
    for direction in (-1, 1):
        k = best + direction
        while k in per_sentence:
            gain = sum(w for f, w in per_sentence[k].items() if f not in have)
            if gain < FOCUS_GAIN * total:
                break
            have.update(per_sentence[k])
            chosen.append(k)
            k += direction
    return min(spans[k][0] for k in chosen), max(spans[k][1] for k in chosen)


class ProseMeter:
    """Function characters outside keywords per content character, for any span, in O(1).

    Function characters inside keyword occurrences do not count (过度干预 has a 过,
    获得感 a 得), so a list of rubric keywords measures ~0 however it is punctuated.
    """

    def __init__(self, stream: str, keyword_mask: bytearray) -> None:
        real = [c != MASK for c in stream]
        func = [
            r and c in FUNCTION_CHARS and not m
            for r, c, m in zip(real, stream, keyword_mask, strict=True)
        ]
        free = [r and not m for r, m in zip(real, keyword_mask, strict=True)]
        self._n = [0, *accumulate(real)]
        self._f = [0, *accumulate(func)]
        self._free = [0, *accumulate(free)]

    def density(self, a: int, b: int) -> float:
        """Function characters outside keywords per character of [a, b)."""
        n = self._n[b] - self._n[a]
        return (self._f[b] - self._f[a]) / n if n else 0.0

    def free_share(self, a: int, b: int) -> float:
        """Share of [a, b) that is not inside any rubric keyword."""
        n = self._n[b] - self._n[a]
        return (self._free[b] - self._free[a]) / n if n else 0.0


def keyword_mask(n: int, hits: dict[str, list[tuple[int, int]]]) -> bytearray:
    """1 for every content character inside a keyword occurrence."""
    mask = bytearray(n)
    for spans in hits.values():
        for s, e in spans:
            mask[s:e] = b"\x01" * (e - s)
    return mask


def prose_factor(meter: ProseMeter, n: int, win: Window) -> float:
    """1 for a window that reads as a sentence, down to 0 for a bare list of keywords.

    Read over the evidence and PROSE_REACH content characters either side (not
    sentence-bounded, so punctuation cannot change it): real prose has function
    characters (的/了/要/让…) outside the keywords, or plenty of words that are not
    rubric keywords (看实绩、到现场看 has few particles); a keyword list has neither.
    """
    if win is EMPTY or win.end <= win.start:
        return 1.0
    a, b = max(0, win.start - PROSE_REACH), min(n, win.end + PROSE_REACH)
    return max(ramp(meter.density(a, b), PROSE_DENSITY), ramp(meter.free_share(a, b), PROSE_FREE))


def ramp(x: float, bounds: tuple[float, float]) -> float:
    lo, hi = bounds
    return max(0.0, min(1.0, (x - lo) / (hi - lo)))


def evidence_span(prep: Prepared, win: Window) -> Span:
    """The matched span, widened to clause boundaries when they are close (for display)."""
    start, end = prep.original_span(win.start, win.end)
    text = prep.original
    limit = 12
    a = start
    while a > 0 and start - a < limit and text[a - 1] not in _BOUNDARY:
        a -= 1
    if start - a < limit:
        start = a
    b = end
    while b < len(text) and b - end < limit and text[b] not in _BOUNDARY:
        b += 1
    if b - end < limit:
        end = b
    return Span(start, end, text[start:end])


_BOUNDARY = set("。！？；…\n，、：,.;:!?\"“”'‘’「」（）() ")


_BOUNDARY = set("。！？；…\n，、：,.;:!?\"“”'‘’「」（）() ")


def in_frame(prep: Prepared, win: Window, frames: set[int]) -> bool:
    """True when most of the window's span lies in repeated-frame sentences."""
    if not frames or win is EMPTY or win.end <= win.start:
        return False
    inside = 0
    for k in frames:
        a, b = prep.sentences[k]
        inside += max(0, min(b, win.end) - max(a, win.start))
    return inside * 2 >= win.end - win.start
