"""Best-window search: where in the answer does a point come closest to being said?

A point's *features* are its bigrams (IDF-weighted, summing to ALPHA) and its
keyword groups ((1 - ALPHA) / groups each). Every occurrence of a feature in
the answer's content stream is an interval; the blended similarity of a
window is the summed weight of the *distinct* features with an occurrence
fully inside it, so saying the same thing twice inside a window earns
nothing extra. ``best_window`` finds the fixed-width window with the largest
similarity in O(occurrences · log occurrences).
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.scoring.prepare import CompiledPoint, Prepared


@dataclass(frozen=True)
class Window:
    similarity: float  # blended: containment share + keyword-group share, 0..1
    containment: float  # IDF-weighted bigram containment of the point wording, 0..1
    coverage: float  # share of keyword groups hit, 0..1
    start: int  # tight span in the content stream: first..last matched feature
    end: int


EMPTY = Window(0.0, 0.0, 0.0, 0, 0)

# An occurrence: (start, end, feature id, weight).
Occurrence = tuple[int, int, int, float]


def occurrences(
    cp: CompiledPoint, prep: Prepared, keyword_hits: dict[str, list[tuple[int, int]]]
) -> list[Occurrence]:
    """All feature occurrences of one point in the answer, sorted by start."""
    occ: list[Occurrence] = []
    fid = 0
    index = prep.bigram_index
    for bg, w in cp.bigrams.items():
        for i in index.get(bg, ()):
            occ.append((i, i + 2, fid, w))
        fid += 1
    for group in cp.groups:
        for syn in group:
            for s, e in keyword_hits.get(syn, ()):
                occ.append((s, e, fid, cp.group_weight))
        fid += 1
    occ.sort()
    return occ


def best_window(cp: CompiledPoint, occ: list[Occurrence]) -> Window:
    """The width-``cp.width`` window with the largest weight of distinct features."""
    if not occ:
        return EMPTY
    width = cp.width
    n = len(occ)
    by_end = sorted(range(n), key=lambda k: occ[k][1])
    counts: dict[int, int] = {}
    added = bytearray(n)
    cur = 0.0
    best = 0.0
    best_a = -1
    i = j = 0
    prev_a = -1
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
    if best_a < 0:
        return EMPTY
    return _describe(cp, occ, best_a, best_a + width)


def _describe(cp: CompiledPoint, occ: list[Occurrence], a: int, b: int) -> Window:
    seen: set[int] = set()
    cont = cov = 0.0
    lo, hi = b, a
    n_bigrams = len(cp.bigrams)
    for s, e, f, w in occ:
        if s < a or e > b or f in seen:
            continue
        seen.add(f)
        lo, hi = min(lo, s), max(hi, e)
        if f < n_bigrams:
            cont += w
        else:
            cov += w
    alpha = sum(cp.bigrams.values()) or 1.0
    containment = cont / alpha
    coverage = cov / (cp.group_weight * len(cp.groups)) if cp.groups else 0.0
    return Window(cont + cov, containment, coverage, lo, hi)
