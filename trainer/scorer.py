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
   credit with each section saturating at 60 % of its weight.
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
    SECTIONS,
    Question,
    Rubric,
    Score,
    SectionResult,
    Span,
    Structure,
    Verdict,
)
from trainer.scoring import assess
from trainer.scoring.lexicon import ORDINAL_RE
from trainer.scoring.prepare import (
    MASK,
    CompiledRubric,
    Prepared,
    compile_rubric,
    content_stream,
    prepare,
)
from trainer.scoring.windows import (
    EMPTY,
    ProseMeter,
    Window,
    best_window,
    keyword_mask,
    occurrences,
)
from trainer.text import normalize

__all__ = ["CompiledRubric", "compile_rubric", "score"]

#: Prose checks (keyword salad): factor 0 at the first bound, 1 at the second.
PROSE_DENSITY = (0.02, 0.07)  # function characters outside keywords, per character
PROSE_FREE = (0.25, 0.45)  # share of characters outside rubric keywords
ANSWER_DENSITY = (0.03, 0.08)  # the same density over the whole answer (real answers: 0.1–0.3)
#: Similarity factor for a window inside a sentence frame repeated >= 3 times.
PROSE_REACH = 40  # the prose check reads the evidence's sentence, at most this far either side
FRAME_FACTOR = 0.5
DUP_RATIO = 85  # rapidfuzz ratio above which two sentences are near-duplicates
FRAME_RATIO = 85
#: Fuzzy keyword hits: rapidfuzz partial_ratio cut-off by keyword length.
FUZZY_MIN_LEN = 4


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
    qchars = (
        compiled.question_chars
        if question.text == rub.question.text
        else content_stream(normalize(question.text))
    )
    prep = prepare(answer, qchars)
    if not prep.stream:
        return _empty(question, compiled, exam_scale)
    chars = sum(1 for ch in answer if ch.isalnum()) if prep.truncated else len(prep.stream)
    hits = _keyword_hits(prep, compiled.synonyms)
    meter = ProseMeter(prep.stream, keyword_mask(len(prep.stream), hits))
    starts = [a for a, _ in prep.sentences]
    density = meter.density(0, len(prep.stream))
    whole = _ramp(density, ANSWER_DENSITY)
    sent_text = [_sentence_text(prep, a, b) for a, b in prep.sentences]
    dups = _near_duplicates(sent_text)
    frames = _repeated_frames(sent_text, compiled.synonyms, dups)

    verdicts: list[Verdict] = []
    located: list[assess.Located] = []
    signals: dict[str, dict[str, float]] = {}
    salad_windows = 0
    for cp in compiled.points:
        win = best_window(cp, occurrences(cp, prep, hits), starts)
        prose = whole * _prose_factor(meter, prep, starts, win)
        frame = FRAME_FACTOR if _in_frame(prep, win, frames) else 1.0
        sim = win.similarity * prose * frame
        verdict, credit = assess.verdict_of(sim)
        if win.similarity >= assess.PARTIAL_AT and prose < 1.0:
            salad_windows += 1
        evidence = _evidence(prep, win) if verdict != "miss" else None
        if verdict != "miss":
            located.append(assess.Located(cp.point.section, win.start, win.end))
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
    struct = assess.structure(prep, located, has_points)
    sections = _sections(verdicts, set(struct.detected))
    length = assess.length_of(chars)
    credited = [(v.start, v.end) for v in located]
    filler = assess.filler_sentences(prep, credited)
    n = max(1, len(prep.stream))
    filler_share = sum(prep.sentences[k][1] - prep.sentences[k][0] for k in filler) / n
    repeat_share = sum(prep.sentences[k][1] - prep.sentences[k][0] for k in dups) / n
    ratio = assess.content_ratio(verdicts)
    content = assess.CONTENT_MAX * ratio
    expr = assess.expression(length, filler_share, repeat_share, ratio)
    total = round(min(100.0, content + struct.score + expr), 1)
    warnings = _warnings(
        prep, struct, length, filler, dups, frames, salad_windows, density, sent_text
    )
    return Score(
        question_id=question.id,
        rubric_version=rub.version,
        total=total,
        content=round(content, 1),
        structure_score=round(struct.score, 1),
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
            "points": signals,
        },
    )


# ---------------------------------------------------------------- matching helpers


def _keyword_hits(prep: Prepared, synonyms: tuple[str, ...]) -> dict[str, list[tuple[int, int]]]:
    """Occurrences of every keyword alternative: exact, else a near-miss spelling (rapidfuzz)."""
    stream = prep.stream
    present = set(stream)
    hits: dict[str, list[tuple[int, int]]] = {}
    for syn in synonyms:
        n = len(syn)
        found = []
        i = stream.find(syn)
        while i >= 0:
            found.append((i, i + n))
            i = stream.find(syn, i + 1)
        # A one-character slip leaves n - 1 of the keyword's characters in the answer.
        if not found and n >= FUZZY_MIN_LEN and sum(c in present for c in syn) >= n - 1:
            found = _fuzzy_hits(prep, syn)
        if found:
            hits[syn] = found
    return hits


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


def _prose_factor(meter: ProseMeter, prep: Prepared, starts: list[int], win: Window) -> float:
    """1 for a window that reads as a sentence, down to 0 for a bare list of keywords.

    Read over the evidence's sentence(s), at most PROSE_REACH characters either side:
    real prose has function characters (的/了/要/让…) outside the keywords, or at least
    plenty of words that are not rubric keywords (看实绩、到现场看 has few particles).
    """
    if win is EMPTY or win.end <= win.start:
        return 1.0
    first = bisect_right(starts, win.start) - 1
    last = bisect_right(starts, max(win.start, win.end - 1)) - 1
    a = max(prep.sentences[first][0], win.start - PROSE_REACH)
    b = min(prep.sentences[last][1], win.end + PROSE_REACH)
    return max(_ramp(meter.density(a, b), PROSE_DENSITY), _ramp(meter.free_share(a, b), PROSE_FREE))


def _ramp(x: float, bounds: tuple[float, float]) -> float:
    lo, hi = bounds
    return max(0.0, min(1.0, (x - lo) / (hi - lo)))


def _evidence(prep: Prepared, win: Window) -> Span:
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


_HASH_RUN = re.compile("#+")
_BOUNDARY = set("。！？；…\n，、：,.;:!?\"“”'‘’「」（）() ")


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


def _repeated_frames(sentences: list[str], synonyms: tuple[str, ...], dups: list[int]) -> set[int]:
    """Sentences sharing one frame with only the rubric keywords swapped, >= 3 times."""
    skeletons = []
    for s in sentences:
        sk = ORDINAL_RE.sub("", s)
        for syn in synonyms:
            if syn in sk:
                sk = sk.replace(syn, "#")
        skeletons.append(_HASH_RUN.sub("#", sk))
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


def _in_frame(prep: Prepared, win: Window, frames: set[int]) -> bool:
    """True when most of the window's span lies in repeated-frame sentences."""
    if not frames or win is EMPTY or win.end <= win.start:
        return False
    inside = 0
    for k in frames:
        a, b = prep.sentences[k]
        inside += max(0, min(b, win.end) - max(a, win.start))
    return inside * 2 >= win.end - win.start


# ---------------------------------------------------------------- assembling the result


def _sections(verdicts: list[Verdict], present: set[str]) -> tuple[SectionResult, ...]:
    out = []
    for s in SECTIONS:
        vs = tuple(v for v in verdicts if v.section == s)
        if not vs:
            continue
        out.append(
            SectionResult(
                section=s,
                present=s in present,
                points=vs,
                earned=round(sum(v.credit * v.weight for v in vs), 2),
                possible=sum(v.weight for v in vs),
            )
        )
    return tuple(out)


def _warnings(
    prep: Prepared,
    struct: Structure,
    length,
    filler: list[int],
    dups: list[int],
    frames: set[int],
    salad_windows: int,
    density: float,
    sent_text: list[str],
) -> list[str]:
    w: list[str] = []
    minutes = f"{int(length.seconds // 60)} 分 {int(length.seconds % 60)} 秒"
    if length.band == "短":
        w.append(
            f"篇幅偏短：约 {length.chars} 字，口述约 {minutes}；考场作答一般 3–4 分钟（700–900 字）。"
        )
    elif length.band == "长":
        w.append(f"篇幅偏长：约 {length.chars} 字，口述约 {minutes}；超过 4 分钟容易被考官打断。")
    if prep.truncated:
        w.append(f"答案过长，只评了前 {len(prep.stream)} 字。")
    if prep.copied >= 12:
        w.append(f"有 {prep.copied} 字照抄题干，这些文字不计分；请用自己的话点题。")
    if density < ANSWER_DENSITY[1] or salad_windows >= 3:
        w.append("疑似关键词堆砌：要点必须用完整的句子说出来，罗列词语不计分。")
    if frames:
        w.append(f"有 {len(frames)} 句套用同一句式、只替换关键词，这些句子只计部分分。")
    if filler:
        w.append(f"套话偏多：{len(filler)} 句是放在任何题目都成立的万能句，没有答到本题要点。")
    if dups:
        w.append(f"重复：有 {len(dups)} 句与前文几乎相同，重复不加分。")
    if struct.missing:
        w.append(f"缺少段落：{'、'.join(struct.missing)}。")
    if struct.out_of_order:
        w.append(
            f"顺序不当：{'、'.join(struct.out_of_order)} 的位置不符合 点题→危害→原因→对策→总结。"
        )
    if "对策" in struct.detected and not struct.has_transition:
        w.append("缺少过渡：分析完原因后，用一句话（如“对此，我建议……”）引出对策。")
    return w


def _empty(question: Question, compiled: CompiledRubric, exam_scale: int) -> Score:
    verdicts = [
        Verdict(p.id, p.section, "miss", 0.0, 0.0, p.weight, p.text, None)
        for p in compiled.rubric.points
    ]
    sections = _sections(verdicts, set())
    return Score(
        question_id=question.id,
        rubric_version=compiled.version,
        total=0.0,
        content=0.0,
        structure_score=0.0,
        expression=0.0,
        band=assess.band_of(0.0),
        exam_score=0.0,
        exam_scale=exam_scale,
        sections=sections,
        structure=Structure((), tuple(s.section for s in sections), True, False, 0.0),
        length=assess.length_of(0),
        warnings=("答案为空：没有可评分的文字，得 0 分。",),
        details={"empty": True},
    )
