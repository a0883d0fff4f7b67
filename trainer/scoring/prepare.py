"""Compile a rubric once; prepare an answer for matching.

Matching works on the *content stream*: the normalised answer with every
punctuation mark and space removed (``text.is_content_char``). Windows,
bigrams and keyword hits live in that stream, so adding, removing or
swapping punctuation and whitespace cannot change a point's verdict; each
content character keeps its offset into the original answer for evidence.

Before matching, every run of >= ``COPY_RUN`` content characters that also
occurs in the question is masked (``MASK``): reading the question back earns
nothing.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from trainer.models import Point, Question, Rubric
from trainer.scoring.focus import Focus, focus_of
from trainer.scoring.lexicon import FUNCTION_CHARS
from trainer.text import SENTENCE_END, normalize, normalize_with_offsets, strip_punct

MASK = "\x00"
COPY_RUN = 6
#: Share of the blended similarity carried by bigram containment (the rest: keyword groups).
ALPHA = 0.5
#: Window width as a multiple of the point wording's length (at least 16, at most WIDTH_MAX characters).
WIDTH_FACTOR = 2.5
WIDTH_MAX = 100
#: Answers longer than this many content characters are scored on their first part only
#: (≈ 26 minutes of speech; an exam answer is 3–4 minutes).
MAX_SCORED_CHARS = 6000


@dataclass(frozen=True)
class CompiledPoint:
    """One rubric point, pre-digested: feature weights and its window width."""

    point: Point
    chars: str  # the point's model wording as a content stream
    bigrams: dict[str, float]  # bigram → feature weight (one average wording sums to ALPHA)
    groups: tuple[tuple[str, ...], ...]  # normalised synonyms per keyword group
    group_weight: float  # feature weight of one group ((1 - ALPHA) / number of groups)
    width: int  # window width, in content characters
    bigram_ids: dict[str, int] = field(default_factory=dict)  # bigram → feature id (its rank)


@dataclass(frozen=True)
class CompiledRubric:
    """A rubric compiled for scoring: build once per rubric, reuse for every answer."""

    rubric: Rubric
    points: tuple[CompiledPoint, ...]
    synonyms: tuple[str, ...]  # every keyword alternative of every point, longest first
    question_chars: str  # the question as a content stream (for the copy mask)
    focus: Focus  # the question's phenomenon words (see trainer.scoring.focus)
    topic_terms: frozenset[str] = frozenset()  # bigrams that mark text as about this topic

    @property
    def version(self) -> str:
        return self.rubric.version


@lru_cache(maxsize=65536)
def _stream_of(text: str) -> str:
    """Content stream of a content string (point wording, phrasing, keyword), memoised:
    every question of a topic compiles the same strings."""
    return content_stream(normalize(text))


def content_stream(text: str) -> str:
    """Normalised text → content stream (letters lower-cased so APP = app)."""
    return "".join(map(_fold_case, strip_punct(text)))


def _fold_case(ch: str) -> str:
    return ch.lower() if ch.isascii() else ch


def _bigrams(s: str) -> list[str]:
    return [s[i : i + 2] for i in range(len(s) - 1)]


def _char_weight(bigram: str) -> float:
    """Bigrams made of function characters say little about a point."""
    n = sum(1 for ch in bigram if ch in FUNCTION_CHARS)
    return (1.0, 0.5, 0.15)[n]


def compile_rubric(rubric: Rubric) -> CompiledRubric:
    """Pre-compute everything ``score`` needs from the rubric (a few ms for 20 points).

    A point is said in many ways: its features pool the character bigrams of its
    model wording *and* every phrasing. Each bigram is weighted by its IDF over the
    rubric's points (words every point shares, like 基层, count little), by how many
    of the point's wordings use it (the idea's core vocabulary counts most) and by
    its function characters. The weights are scaled so that saying one average
    wording in full reaches ALPHA; a window earns at most ALPHA from bigrams, so a
    candidate is credited for saying the idea once in any of its wordings, not for
    reciting them all.
    """
    variants = [
        [s for s in (_stream_of(t) for t in (p.text, *p.phrasings)) if s] for p in rubric.points
    ]
    sets = [[set(_bigrams(v)) for v in vs] for vs in variants]
    df: Counter[str] = Counter()
    for vsets in sets:
        df.update(set().union(*vsets) if vsets else set())
    n = len(variants)
    points = []
    synonyms: set[str] = set()
    for p, vs, vsets in zip(rubric.points, variants, sets, strict=True):
        support: Counter[str] = Counter()
        for bs in vsets:
            support.update(bs)
        k = max(1, len(vsets))
        raw = {
            b: math.log((n + 1) / (df[b] + 0.5)) * _char_weight(b) * (0.5 + 0.5 * c / k)
            for b, c in support.items()
        }
        per_variant = [sum(raw[b] for b in bs) for bs in vsets] or [1.0]
        norm = (sum(per_variant) / len(per_variant)) or 1.0
        bigrams = {b: ALPHA * w / norm for b, w in raw.items()}
        groups = tuple(
            tuple(dict.fromkeys(g for g in (_stream_of(k) for k in group) if g))
            for group in p.keywords
        )
        groups = tuple(g for g in groups if g)
        for g in groups:
            synonyms.update(g)
        lengths = sorted(len(v) for v in vs) or [16]
        width = max(16, min(WIDTH_MAX, round(lengths[len(lengths) // 2] * WIDTH_FACTOR)))
        gw = (1 - ALPHA) / len(groups) if groups else 0.0
        if not groups:  # no keyword groups: containment alone carries the similarity
            bigrams = {b: w / ALPHA for b, w in bigrams.items()}
        ids = {b: i for i, b in enumerate(bigrams)}
        points.append(CompiledPoint(p, vs[0] if vs else "", bigrams, groups, gw, width, ids))
    qchars = content_stream(normalize(rubric.question.text))
    return CompiledRubric(
        rubric=rubric,
        points=tuple(points),
        synonyms=tuple(sorted(synonyms, key=lambda w: (-len(w), w))),
        question_chars=qchars,
        focus=question_focus(tuple(points), rubric.question),
        topic_terms=_topic_terms(rubric, variants, qchars),
    )


#: A bigram the wordings of this many points share is topic vocabulary.
TOPIC_POINTS = 3
#: Version of the compiled form below: bump when CompiledRubric's features change, so a
#: stored compiled rubric of an older scorer is rebuilt.
COMPILED_FORMAT = 3
#: Bigrams too common in any answer on any government topic to show what it is about.
GENERIC_BIGRAMS = frozenset(
    "我们 我认为 认为 工作 问题 方面 进行 加强 完善 建立 提高 推动 发展 社会 国家 人民 重要 "
    "必须 需要 应该 相关 部门 有关 这种 这个 一些 一个 没有 可以 就是 还是 因此 所以 同时 "
    "作用 意义 重视 措施 机制 落实 实际 真正 更加 不断 进一步 各种 大家 "
    "不好 做不 越来越 慢慢 上不去 处理 一样 时候 现在 情况 东西 事情 办法 地方 这样 那样 "
    "怎么 什么 已经 大量 很多 不少 特别 非常 其实 确实 真的 能够 成为 变成 出现 存在 方式 "
    "过程 结果 效果 影响 政策 资源 压力 信心 环境 时间 生活 城市 企业 经济 国家 政府".split()
)


def _topic_terms(rubric: Rubric, variants: list[list[str]], qchars: str) -> frozenset[str]:
    """Bigrams that show an answer is about this topic.

    The question's own bigrams, the keyword alternatives', and those the wordings of at
    least TOPIC_POINTS different points share (the topic's recurring vocabulary: 基层,
    上级, 检查, 问责 …) — not a word one phrasing happens to use (浪费, 白白). Bigrams with
    a function character or from generic words (GENERIC_BIGRAMS) are left out.
    """
    generic = {w[i : i + 2] for w in GENERIC_BIGRAMS for i in range(len(w) - 1)}
    spread: Counter[str] = Counter()
    for vs in variants:
        spread.update({b for v in vs for b in _bigrams(v)})
    keywords = [_stream_of(k) for p in rubric.points for g in p.keywords for k in g]
    candidates = {b for t in [qchars, *keywords] for b in _bigrams(t)}
    candidates |= {b for b, c in spread.items() if c >= TOPIC_POINTS}
    return frozenset(
        b
        for b in candidates
        if b not in generic and MASK not in b and not any(ch in FUNCTION_CHARS for ch in b)
    )


def compiled_to_dict(cr: CompiledRubric) -> dict:
    """The compiled features as plain JSON data (the rubric itself is not included)."""
    return {
        "format": COMPILED_FORMAT,
        "version": cr.rubric.version,
        "points": [
            {
                "id": cp.point.id,
                "chars": cp.chars,
                "bigrams": cp.bigrams,
                "groups": [list(g) for g in cp.groups],
                "group_weight": cp.group_weight,
                "width": cp.width,
            }
            for cp in cr.points
        ],
        "synonyms": list(cr.synonyms),
        "question_chars": cr.question_chars,
        "focus": {
            "points": cr.focus.points,
            "words": cr.focus.words,
            "named": cr.focus.named,
            "own": cr.focus.own,
        },
        "topic_terms": sorted(cr.topic_terms),
    }


def compiled_from_dict(data: dict, rubric: Rubric) -> CompiledRubric:
    """Rebuild a CompiledRubric for ``rubric``; ValueError when ``data`` is not its compiled form."""
    try:
        if data["format"] != COMPILED_FORMAT or data["version"] != rubric.version:
            raise ValueError("stale compiled rubric")
        raw = data["points"]
        if [r["id"] for r in raw] != [p.id for p in rubric.points]:
            raise ValueError("points differ")
        points = []
        for p, r in zip(rubric.points, raw, strict=True):
            bigrams = {str(b): float(w) for b, w in r["bigrams"].items()}
            points.append(
                CompiledPoint(
                    p,
                    str(r["chars"]),
                    bigrams,
                    tuple(tuple(str(w) for w in g) for g in r["groups"]),
                    float(r["group_weight"]),
                    int(r["width"]),
                    {b: i for i, b in enumerate(bigrams)},
                )
            )
        f = data["focus"]
        return CompiledRubric(
            rubric=rubric,
            points=tuple(points),
            synonyms=tuple(str(w) for w in data["synonyms"]),
            question_chars=str(data["question_chars"]),
            focus=Focus(tuple(f["points"]), tuple(f["words"]), tuple(f["named"]), tuple(f["own"])),
            topic_terms=frozenset(str(b) for b in data["topic_terms"]),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a compiled rubric: {exc}") from None


_QUOTED = re.compile(r"[“\"‘'「『]([^“”\"‘’'「」『』]{1,20})[”\"’'」』]")


def question_focus(points: tuple[CompiledPoint, ...], question: Question) -> Focus:
    """The question's focus (``trainer.scoring.focus``) against compiled points."""
    text = normalize(question.text)
    quoted = tuple(q for q in (content_stream(m.group(1)) for m in _QUOTED.finditer(text)) if q)
    groups = tuple((cp.point.id, cp.point.section, cp.groups) for cp in points)
    own = frozenset(p.id for p in question.extra_points)
    return focus_of(groups, content_stream(text), quoted, own)


@dataclass
class Prepared:
    """An answer ready for matching (see module doc)."""

    original: str
    norm: str  # normalised text (punctuation kept)
    norm_off: list[int]  # norm index → original index
    stream: str  # content stream, masked where copied from the question
    pos: list[int]  # stream index → norm index
    stream_of_norm: list[int]  # norm index → number of content chars before it
    copied: int  # content characters masked as copied from the question
    truncated: bool
    sentences: list[tuple[int, int]]  # content-stream ranges of sentences
    bigram_index: dict[str, list[int]]

    def original_span(self, a: int, b: int) -> tuple[int, int]:
        """Content-stream range [a, b) → original-text range."""
        return self.norm_off[self.pos[a]], self.norm_off[self.pos[b - 1]] + 1


def _truncate(answer: str) -> tuple[str, bool]:
    """Keep roughly the first MAX_SCORED_CHARS content characters (cheap, before normalising)."""
    limit = MAX_SCORED_CHARS * 2
    if len(answer) <= limit:
        return answer, False
    head = answer[:limit]
    count = 0
    for i, ch in enumerate(head):
        if ch.isalnum():
            count += 1
            if count >= MAX_SCORED_CHARS:
                return answer[: i + 1], True
    return head, True


def prepare(answer: str, question_chars: str) -> Prepared:
    """Normalise ``answer``, build its content stream and mask what it copied from the question."""
    text, truncated = _truncate(answer)
    norm, norm_off = normalize_with_offsets(text)
    pos: list[int] = []
    stream_of_norm: list[int] = []
    sentences: list[tuple[int, int]] = []  # content-stream ranges
    start = 0
    for i, ch in enumerate(norm):
        k = len(pos)
        stream_of_norm.append(k)
        if ch.isalnum():  # text.is_content_char, inlined: this loop is hot
            pos.append(i)
        elif ch in SENTENCE_END:
            if k > start:
                sentences.append((start, k))
            start = k
    if len(pos) > start:
        sentences.append((start, len(pos)))
    chars = [_fold_case(norm[i]) for i in pos]
    copied = _mask_copies(chars, question_chars)
    stream = "".join(chars)
    index: dict[str, list[int]] = {}
    for i, bg in enumerate(map(str.__add__, stream, stream[1:])):
        if bg in index:
            index[bg].append(i)
        else:
            index[bg] = [i]
    if copied:
        index = {bg: v for bg, v in index.items() if MASK not in bg}
    return Prepared(
        original=answer,
        norm=norm,
        norm_off=norm_off,
        stream=stream,
        pos=pos,
        stream_of_norm=stream_of_norm,
        copied=copied,
        truncated=truncated,
        sentences=sentences,
        bigram_index=index,
    )


def _mask_copies(chars: list[str], question: str) -> int:
    """Mask (in place) every run of >= COPY_RUN characters that also occurs in the question."""
    if len(question) < COPY_RUN or len(chars) < COPY_RUN:
        return 0
    grams = {question[i : i + COPY_RUN] for i in range(len(question) - COPY_RUN + 1)}
    s = "".join(chars)
    covered = bytearray(len(chars))
    for i in range(len(s) - COPY_RUN + 1):
        if s[i : i + COPY_RUN] in grams:
            covered[i : i + COPY_RUN] = b"\x01" * COPY_RUN
    n = 0
    for i, c in enumerate(covered):
        if c:
            chars[i] = MASK
            n += 1
    return n
