"""Rubric scorer: ``score(answer, question, rubric) -> Score`` — pure, deterministic, explainable.

The only module that imports rapidfuzz; no I/O, no clock, no mutable globals.
The method (documented for users in ``docs/scoring.md``):

1. Normalise (``trainer.text``: 繁→简, 全角→半角, punctuation, whitespace) and
   match on the *content stream* — the answer without punctuation or spaces —
   so punctuation and line breaks never change a verdict.
2. Mask runs of >= 6 characters copied from the question.
3. Per point, find the best fixed-width window: IDF-weighted bigram
   containment of the model wording blended 50/50 with keyword-group coverage
   (rapidfuzz supplies near-miss keyword spellings). Each point credits once,
   from its best window. The window must read as prose — a run of keywords
   with no function characters (keyword salad) is discounted, and so is a
   sentence frame repeated with only the keywords swapped.
4. Verdict full / partial / miss from the similarity; content is weighted
   credit, each section saturating at 30 % of its weight, times a *depth*
   factor: the speaking time spent near the credited points (a one-minute
   answer cannot reach the top however many points it names).
5. Structure (a section counts when its cue is there *and* one of its points
   matched), expression (length, 套话, repetition — worth nothing for an
   irrelevant answer), total, band and exam scale.

Expensive work on the rubric is done once by ``compile_rubric``; pass its result
as ``rubric`` to score many answers (batch mode does).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from rapidfuzz import fuzz, process

from trainer.models import (
    Question,
    Rubric,
    Score,
    Verdict,
)
from trainer.scoring import assess
from trainer.scoring.focus import OFF_FOCUS_FACTOR, Focus
from trainer.scoring.lexicon import ORDINAL_RE, REASON_RE
from trainer.scoring.prepare import (
    MASK,
    CompiledRubric,
    Prepared,
    compile_rubric,
    content_stream,
    prepare,
    question_focus,
)
from trainer.scoring.result import empty_score, section_results, warnings_for
from trainer.scoring.sections import Layout, about_question, layout
from trainer.scoring.windows import (
    ANSWER_DENSITY,
    ProseMeter,
    Window,
    describe,
    evidence_span,
    in_frame,
    keyword_mask,
    occurrences,
    prose_factor,
    ramp,
    scan,
)
from trainer.text import normalize

__all__ = ["CompiledRubric", "compile_rubric", "score"]

#: Similarity factor for a window inside a sentence frame repeated >= 3 times.
FRAME_FACTOR = 0.4
#: A keyword right after one of these is negated (不交底, 没回应, 未落实): it does not count
#: as that keyword (a keyword that itself starts with one, 不交底, is matched as written).
NEGATIONS = "不没未无别莫"
#: A focus point matched this well names the phenomenon even without a focus word.
FOCUS_POINT_AT = 0.55
#: A question's *own* focus point (its 释义 / 表态 ``extra_point``, written to name this
#: question and no other) engages the question once it is earned in full: the
#: candidate has explained this saying or weighed this view, in whatever words.
#: A 对策 point found where nothing is proposed (no 要 / 应 / 建议 … around it) keeps this share.
NO_PROPOSAL_FACTOR = 0.8
_PROPOSAL = re.compile(
    # 要 / 应 / 得 / 需 inside ordinary words (重要、要求、回应、觉得、需求…) propose nothing
    "(?<![重主只紧])要(?![求是么点素紧])|(?<![回响反适相供答效呼])应(?![付])|该|须"
    "|(?<![觉获取值懂记难晓])得(?![到罪])|建议|需(?![求])|可以|不妨|推动|建立|完善|加强"
    "|改进|精简|整治|别|不能|不要|莫"
)
#: Bigram containment at which a window counts without any keyword of the point.
WORDING_ALONE = 0.6
#: A point's best window this similar hints which section a cue-less paragraph argues.
HINT_AT = 0.15
DUP_RATIO = 85  # rapidfuzz ratio above which two sentences are near-duplicates
FRAME_RATIO = 85
#: Fuzzy keyword hits: rapidfuzz partial_ratio cut-off by keyword length.
FUZZY_MIN_LEN = 4
_HASH_RUN = re.compile("#+")


def score(
    answer: str,
    question: Question,
    rubric: Rubric | CompiledRubric,
    *,
    exam_scale: int = 20,
) -> Score:
    """Score ``answer`` against the rubric of ``question`` (see module doc)."""
    compiled = rubric if isinstance(rubric, CompiledRubric) else compile_rubric(rubric)
    rub = compiled.rubric
    if question.text == rub.question.text:
        qchars, focus = compiled.question_chars, compiled.focus
    else:  # a question the user brings: its own copy mask and focus
        qchars = content_stream(normalize(question.text))
        focus = question_focus(compiled.points, question)
    prep = prepare(answer, qchars)
    if not prep.stream:
        return empty_score(question, compiled, exam_scale)
    chars = sum(1 for ch in answer if ch.isalnum()) if prep.truncated else len(prep.stream)
    hits, exact = _keyword_hits(prep, compiled.synonyms)
    meter = ProseMeter(prep.stream, keyword_mask(len(prep.stream), hits))
    starts = [a for a, _ in prep.sentences]
    density = meter.density(0, len(prep.stream))
    whole = ramp(density, ANSWER_DENSITY)
    sent_text = [_sentence_text(prep, a, b) for a, b in prep.sentences]
    dups = _near_duplicates(sent_text)
    frames = _repeated_frames(prep, keyword_mask(len(prep.stream), exact), dups)

    verdicts: list[Verdict] = []
    located: list[assess.Located] = []
    signals: dict[str, dict[str, float]] = {}
    salad_windows = 0
    credited: list[tuple[int, int]] = []
    factor = _factors(prep, meter, frames, whole)
    hints: list[tuple[str, int, float]] = []
    for cp in compiled.points:
        occ = occurrences(cp, prep, hits)
        best_at, firsts = scan(cp, occ, HINT_AT)
        win = describe(cp, occ, best_at, starts)
        prose, frame = factor(win)
        sim = win.similarity * prose * frame
        # Where the answer first comes close to the point: the earliest window, not the
        # best, so text added later cannot move a hint out of an earlier paragraph.
        early = _Early(cp, occ, firsts, starts)
        # (no window can hint when the best one does not: skip the walk for most points)
        hint = (
            None if sim < HINT_AT else next((w for w in early if _passes(w, factor, HINT_AT)), None)
        )
        if hint is not None:
            prose_h, frame_h = factor(hint)
            hints.append((cp.point.section, hint.start, hint.similarity * prose_h * frame_h))
        if cp.point.section == "对策" and sim and not _proposes(prep, best_at, cp.width):
            sim *= NO_PROPOSAL_FACTOR  # names the problem a measure solves, proposes nothing
        if cp.groups and not win.coverage and win.containment < WORDING_ALONE:
            # Bigrams pooled from many wordings, with none of the point's key terms, are
            # topic vocabulary, not the point: evidence needs a keyword or close wording.
            sim = min(sim, assess.PARTIAL_AT - 0.01)
        verdict, credit = assess.verdict_of(sim)
        if win.similarity >= assess.PARTIAL_AT and prose < 1.0:
            salad_windows += 1
        evidence = None
        if verdict != "miss":
            evidence = evidence_span(prep, win)
            credited.append((win.start, win.end))
            # Where the point is first made (stable when text is added later).
            first = next((w for w in early if _passes(w, factor)), win)
            located.append(assess.Located(cp.point.section, first.start, first.end))
            credited.append((first.start, first.end))
        p = cp.point
        verdicts.append(
            Verdict(p.id, p.section, verdict, round(sim, 3), credit, p.weight, p.text, evidence)
        )
        signals[p.id] = {
            "containment": round(win.containment, 3),
            "coverage": round(win.coverage, 3),
            "prose": round(prose, 2),
            "frame": frame,
        }

    has_points = {v.section for v in verdicts}
    said = [(w, s) for w, spans in hits.items() for s, _ in spans]
    plan = layout(
        prep, [(loc.section, loc.start) for loc in located], compiled.topic_terms, hints, said
    )
    struct = assess.structure_of(plan, has_points, question.skeleton)
    length = assess.length_of(chars)
    filler = assess.filler_sentences(prep, credited)
    n = max(1, len(prep.stream))
    filler_share = sum(prep.sentences[k][1] - prep.sentences[k][0] for k in filler) / n
    repeat_share = sum(prep.sentences[k][1] - prep.sentences[k][0] for k in dups) / n
    excluded = {*filler, *dups, *frames}
    # Sentences about this question: a rubric term and the topic's vocabulary, in a section
    # that is about the question (one apt word in a story about something else is not).
    per_sentence = _terms_per_sentence(prep, hits)
    terms = compiled.topic_terms
    topical = [
        k
        for k, (a, b) in enumerate(prep.sentences)
        if k not in excluded
        and plan.about_at(a)
        and (per_sentence[k] >= 2 or per_sentence[k] and about_question(prep.stream, a, b, terms))
    ]
    reasoned = _reasoned(prep, plan, topical, credited)
    bonus = {s: assess.reasoned_bonus(len(v)) for s, v in reasoned.items()}
    ratio = assess.content_ratio(verdicts, bonus) * whole
    depth = assess.depth_chars(
        prep, credited, sorted(excluded), [prep.sentences[k] for k in topical]
    )
    sections = section_results(
        verdicts,
        set(plan.written),
        {
            s: tuple(evidence_span(prep, _span_window(a, b)) for a, b in v)
            for s, v in reasoned.items()
        },
        bonus,
    )
    on_focus = _engages(focus, prep, hits, verdicts)
    off = 1.0 if on_focus else OFF_FOCUS_FACTOR
    content = assess.CONTENT_MAX * ratio * assess.depth_factor(depth) * off
    expr = assess.expression(length, filler_share, repeat_share, ratio) * off
    structure_pts = struct.score * off  # a skeleton built around another question's topic
    total = round(min(100.0, content + structure_pts + expr), 1)
    warnings = warnings_for(
        prep, struct, length, filler, filler_share, dups, frames, salad_windows, density
    )
    if not on_focus:
        named = "”“".join(focus.named[:3])
        warnings.insert(
            0,
            f"疑似跑题：答案没有回应题目的核心（“{named}”），"
            f"内容、结构和表达分只按 {OFF_FOCUS_FACTOR:.0%} 计；请先针对题目说的现象表态、分析。",
        )
    return Score(
        question_id=question.id,
        rubric_version=rub.version,
        total=total,
        content=round(content, 1),
        structure_score=round(structure_pts, 1),
        expression=round(expr, 1),
        band=assess.band_of(total),
        exam_score=assess.exam_score(total, exam_scale),
        exam_scale=exam_scale,
        sections=sections,
        structure=struct,
        length=length,
        warnings=tuple(warnings),
        details={
            "copied_chars": prep.copied,
            "truncated": prep.truncated,
            "function_density": round(density, 3),
            "filler_share": round(filler_share, 3),
            "repeat_share": round(repeat_share, 3),
            "content_ratio": round(ratio, 3),
            "reasoned": {s: len(v) for s, v in reasoned.items() if v},
            "on_focus": on_focus,
            "focus_words": list(focus.named),
            "depth_chars": depth,
            "points": signals,
        },
    )


# ---------------------------------------------------------------- matching helpers


def _proposes(prep: Prepared, start: int, width: int) -> bool:
    """Does the matched window (fixed width, so punctuation cannot move it) propose something?"""
    # On the content stream, so spaces or punctuation typed inside a word change nothing.
    return bool(_PROPOSAL.search(prep.stream, max(0, start), start + width))


def _terms_per_sentence(prep: Prepared, hits: dict[str, list[tuple[int, int]]]) -> list[int]:
    """For each sentence, how many different rubric keywords are said inside it."""
    starts = [a for a, _ in prep.sentences]
    seen: list[set[str]] = [set() for _ in starts]
    for word, spans in hits.items():
        for s, e in spans:
            k = bisect_right(starts, s) - 1
            if k >= 0 and e <= prep.sentences[k][1]:
                seen[k].add(word)
    return [len(x) for x in seen]


def _span_window(a: int, b: int) -> Window:
    return Window(0.0, 0.0, 0.0, a, b)


def _reasoned(
    prep: Prepared, plan: Layout, topical: list[int], credited: list[tuple[int, int]]
) -> dict[str, list[tuple[int, int]]]:
    """言之有理: on-topic, reasoned sentences of a written section that earn no point.

    Only 危害 / 原因 / 对策 take analysis the rubric does not list; a sentence that
    overlaps a credited point's evidence already counts there.
    """
    out: dict[str, list[tuple[int, int]]] = {}
    for k in topical:
        a, b = prep.sentences[k]
        if b - a < assess.REASONED_MIN_CHARS:
            continue
        if any(s < b and e > a for s, e in credited):
            continue
        section = plan.section_at(a)
        if section not in ("危害", "原因", "对策"):
            continue
        if not REASON_RE.search(prep.stream, a, b):
            continue
        out.setdefault(section, []).append((a, b))
    return out


def _factors(prep: Prepared, meter: ProseMeter, frames: set[int], whole: float):
    """window → (prose factor, frame factor): the discounts for salad and for a repeated frame."""
    n = len(prep.stream)

    def factor(win: Window) -> tuple[float, float]:
        prose = whole * prose_factor(meter, n, win)
        return prose, FRAME_FACTOR if in_frame(prep, win, frames) else 1.0

    return factor


def _engages(
    focus: Focus,
    prep: Prepared,
    hits: dict[str, list[tuple[int, int]]],
    verdicts: list[Verdict],
) -> bool:
    """Does the answer engage with the question's focus (see trainer.scoring.focus)?

    Words copied from the question count here (they earn no point, but they do show
    which question is being answered); only an answer that never names the
    question's phenomenon, in any words, is off focus.
    """
    if not focus:
        return True
    if any(w in hits for w in focus.words):
        return True
    for v in verdicts:
        if v.point_id in focus.points and (
            v.similarity >= FOCUS_POINT_AT or (v.point_id in focus.own and v.verdict == "full")
        ):
            return True
    if not prep.copied:
        return False
    unmasked = "".join(prep.norm[i] for i in prep.pos).lower()
    return any(w in unmasked for w in focus.words)


class _Early:
    """The earliest windows of a point, described on demand and remembered (each costs a walk)."""

    def __init__(self, cp, occ, starts_at: list[int], sentence_starts: list[int]) -> None:
        self._args = (cp, occ)
        self._at = starts_at
        self._starts = sentence_starts
        self._done: list[Window] = []

    def __iter__(self):
        yield from self._done
        for a in self._at[len(self._done) :]:
            w = describe(*self._args, a, self._starts)
            self._done.append(w)
            yield w


def _passes(win: Window, factor, at: float = assess.LOCATE_AT) -> bool:
    prose, frame = factor(win)
    return win.similarity * prose * frame >= at


def _keyword_hits(
    prep: Prepared, synonyms: tuple[str, ...]
) -> tuple[dict[str, list[tuple[int, int]]], dict[str, list[tuple[int, int]]]]:
    """Occurrences of every keyword alternative: exact, else a near-miss spelling (rapidfuzz).

    Returns (all hits, exact hits only).
    """
    stream = prep.stream
    present = set(stream)
    hits: dict[str, list[tuple[int, int]]] = {}
    exact: dict[str, list[tuple[int, int]]] = {}
    grams = prep.bigram_index
    for syn in synonyms:
        n = len(syn)
        found = []
        if n < 2 or syn[:2] in grams:  # cheap test first: the answer has its first bigram
            i = stream.find(syn)
            while i >= 0:
                # 交底 inside 不交底 says the opposite: not a hit of 交底
                if not (i and stream[i - 1] in NEGATIONS and syn[0] not in NEGATIONS):
                    found.append((i, i + n))
                i = stream.find(syn, i + 1)
        if found:
            exact[syn] = found
        # A one-character slip leaves n - 1 of the keyword's characters in the answer
        # (and, for n >= 4, at least one of its bigrams intact).
        elif (
            n >= FUZZY_MIN_LEN
            and len(set(syn) - present) <= 1
            and any(syn[k : k + 2] in grams for k in range(n - 1))
        ):
            found = _fuzzy_hits(prep, syn)
        if found:
            hits[syn] = found
    return hits, exact


def _fuzzy_hits(prep: Prepared, syn: str) -> list[tuple[int, int]]:
    """A keyword typed with one wrong character (一杆子插到底): at most one hit per anchor region."""
    n = len(syn)
    cutoff = 75 if n <= 4 else 80
    anchors = sorted({i for k in range(n - 1) for i in prep.bigram_index.get(syn[k : k + 2], ())})
    out: list[tuple[int, int]] = []
    last_end = -1
    for p in anchors:
        if p < last_end:
            continue
        lo = max(0, p - n)
        region = prep.stream[lo : p + n + 2]
        al = fuzz.partial_ratio_alignment(syn, region, score_cutoff=cutoff)
        if al is None or al.dest_end - al.dest_start < n - 1:
            continue
        if MASK in region[al.dest_start : al.dest_end]:
            continue
        s, e = lo + al.dest_start, lo + al.dest_end
        out.append((s, e))
        last_end = e
    return out


def _sentence_text(prep: Prepared, a: int, b: int) -> str:
    return prep.stream[a:b].replace(MASK, "")


def _near_duplicates(sentences: list[str]) -> list[int]:
    """Sentences that repeat an earlier one almost word for word (rapidfuzz ratio)."""
    dups: list[int] = []
    for k in range(1, len(sentences)):
        s = sentences[k]
        if len(s) < 6:
            continue
        earlier = sentences[:k]
        if process.extractOne(s, earlier, scorer=fuzz.ratio, score_cutoff=DUP_RATIO):
            dups.append(k)
    return dups


def _repeated_frames(prep: Prepared, kw_mask: bytearray, dups: list[int]) -> set[int]:
    """Sentences sharing one frame with only the rubric keywords swapped, >= 3 times.

    A sentence's skeleton is its text with every keyword run replaced by one ``#``
    and enumeration words removed: 其次要看到#和#的危害很大 ≈ 首先要看到#的危害很大.
    """
    stream = prep.stream
    skeletons = []
    for a, b in prep.sentences:
        sk = "".join("#" if kw_mask[i] else stream[i] for i in range(a, b) if stream[i] != MASK)
        skeletons.append(_HASH_RUN.sub("#", ORDINAL_RE.sub("", sk)))
    dupset = set(dups)
    members: set[int] = set()
    for k, sk in enumerate(skeletons):
        if k in dupset or len(sk.replace("#", "")) < 6 or "#" not in sk:
            continue
        group = [
            j
            for j, other in enumerate(skeletons)
            if j != k and j not in dupset and fuzz.ratio(sk, other) >= FRAME_RATIO
        ]
        if len(group) >= 2:
            members.add(k)
            members.update(group)
    return members
