"""Ingest, step 3: split cleaned bodies into sentences and classify them by cue words.

Each sentence gets a score per role — 点题 危害 原因 对策 总结 (rubric
sections) plus 现象 (what happened: material for the question) — from:

* cue words in the sentence ("导致/造成/使得" → 危害, "根源在于/之所以" → 原因,
  "要/应/需/必须/建议" → 对策, "直接关系/基石/亟待" → 点题, "总之/只有…才能" → 总结);
* the 小标题 it sits under ("对策建议", "原因分析", "突出问题", "第二步——危害"),
  which sets a context until the next top-level heading;
* position (the opening paragraph leans 点题/现象, the last one 总结) and
  enumerators (一方面/另一方面, 首先/其次, 一是/二是, 1./(1)) that mark an item.

A short enumerated label ("一方面，感情上相信基层，工作中尊重实际。") and the
sentence elaborating it form one *unit*, the thing that becomes a point.
Scores are plain sums so a draft's choices can be explained; the weights were
set by reading the four seed articles, not fitted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trainer.ingest.cues import (  # noqa: F401 - ROLES etc. are re-exported
    _CUES,
    _EXAMPLE_RE,
    _HEADING_CONTEXTS,
    _ITEM_RE,
    _NOT_YAO,
    _QUESTION_RE,
    _TOP_HEADING,
    ATTRIBUTION_RE,
    CUES,
    ENUM_RE,
    HEADING_CONTEXTS,
    NEWS_LEAD_RE,
    POINT_SECTIONS,
    ROLES,
)
from trainer.text import content_length, split_sentences


@dataclass
class SourceSentence:
    """One sentence of one cleaned document."""

    doc: int  # index of the document (0-based)
    no: int  # 1-based sentence number within the document
    text: str  # normalised text (trainer.text.normalize)
    raw: str  # exact text in the cleaned body (what quotes are cut from)
    line: int  # 0-based line (paragraph) index in the cleaned body
    heading: bool  # a short heading line of its own
    context: str  # section context from the headings above ("" = none)
    enum: bool  # starts with an enumerator (一方面, 首先, 1. …)
    first_para: bool
    last_para: bool
    block: int = 0  # index of the top-level heading block (一、/第X步…) it sits in
    line_start: bool = False  # the sentence opens its line
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def is_example(self) -> bool:
        return bool(_EXAMPLE_RE.search(strip_lead(self.text)))

    @property
    def is_question(self) -> bool:
        return self.context == "题目" or bool(_QUESTION_RE.search(self.text))

    def best(self, roles: tuple[str, ...] = POINT_SECTIONS) -> tuple[str, float]:
        role = max(roles, key=lambda r: (self.scores.get(r, 0.0), -roles.index(r)))
        return role, self.scores.get(role, 0.0)


def strip_lead(text: str) -> str:
    """Remove a leading enumerator and attribution ("一方面，有干部表示，…")."""
    prev = None
    while prev != text:
        prev = text
        text = ENUM_RE.sub("", text, count=1)
        text = ATTRIBUTION_RE.sub("", text, count=1)
    return text


def cue_scores(text: str) -> dict[str, float]:
    """Cue-word score per role for one sentence (enumerators and attribution removed first)."""
    core = strip_lead(text)
    out: dict[str, float] = {}
    for role, cues in _CUES.items():
        total = 0.0
        for rx, weight in cues:
            if rx.search(core):
                total += weight
        out[role] = total
    if NEWS_LEAD_RE.search(core):
        # "出台措施/作出部署" reports a measure already taken; the 对策 cue is not a proposal.
        out["对策"] = 0.0
        out["现象"] += 3
    return out


def heading_context(text: str) -> str | None:
    """The context a heading sets, or None when it names no section."""
    for rx, ctx in _HEADING_CONTEXTS:
        if rx.search(text):
            return ctx
    return None


def _is_heading(line: str) -> bool:
    n = content_length(line)
    return n <= 30 and not re.search(r"[。！？!?]$|。", line.rstrip("…"))


def sentences_of(body: str, doc: int) -> list[SourceSentence]:
    """Split a cleaned body into classified sentences."""
    lines = body.split("\n")
    line_starts = []
    pos = 0
    for text in lines:
        line_starts.append(pos)
        pos += len(text) + 1
    last_line = max((i for i, x in enumerate(lines) if not _is_heading(x)), default=0)
    first_line = min((i for i, x in enumerate(lines) if not _is_heading(x)), default=0)
    # One paragraph (a short pasted article): position is the sentence's, not the line's,
    # else every sentence would lean 点题 and 总结 alike.
    one_para = first_line == last_line
    segs = split_sentences(body)
    body_segs = [
        k for k, g in enumerate(segs) if not _is_heading(lines[_line_of(line_starts, g.start)])
    ]
    out: list[SourceSentence] = []
    context = ""
    sub_context: str | None = None
    block = 0
    for k, seg in enumerate(segs):
        line = _line_of(line_starts, seg.start)
        raw = body[seg.start : seg.end]
        heading = _is_heading(lines[line])
        line_start = seg.start == line_starts[line]
        if heading and line_start:
            ctx = heading_context(lines[line])
            if (
                _TOP_HEADING.match(lines[line])
                or ctx is not None
                and not ENUM_RE.match(lines[line])
            ):
                context = ctx or ""
                sub_context = None
            elif ctx is not None:
                sub_context = ctx
        if line_start and (heading or _ITEM_RE.match(lines[line])):
            block += 1  # a 小标题 or a numbered item opens a new argument
        s = SourceSentence(
            doc=doc,
            no=len(out) + 1,
            text=seg.text,
            raw=raw,
            line=line,
            heading=heading,
            context=sub_context or context,
            enum=bool(ENUM_RE.match(seg.text)),
            first_para=line == first_line and (not one_para or k == body_segs[0]),
            last_para=line == last_line and (not one_para or k == body_segs[-1]),
            block=block,
            line_start=line_start,
        )
        s.scores = _scores(s)
        out.append(s)
    _share_enumeration(out)
    _mark_lead_ins(out)
    return out


def _line_of(line_starts: list[int], pos: int) -> int:
    return max(i for i, s in enumerate(line_starts) if s <= pos)


def _mark_lead_ins(sentences: list[SourceSentence]) -> None:
    """A 总起句 right under a heading, followed by a numbered list, only announces the list."""
    for i, s in enumerate(sentences[:-1]):
        prev = sentences[i - 1] if i else None
        nxt = sentences[i + 1]
        if (
            prev is not None
            and prev.heading
            and not s.heading
            and not s.enum
            and nxt.enum
            and nxt.line > s.line
        ):
            for role in POINT_SECTIONS:
                s.scores[role] -= 3


def add_title_cue(sentences: list[SourceSentence], title: str) -> None:
    """Sentences that restate the title are thesis lines: +2 点题 (first half of the text only)."""
    from trainer.text import normalize, strip_punct

    t = strip_punct(normalize(title))
    tg = {t[i : i + 2] for i in range(len(t) - 1)}
    if len(tg) < 3:
        return
    half = len(sentences) // 2
    for s in sentences[:half]:
        x = strip_punct(s.text)
        sg = {x[i : i + 2] for i in range(len(x) - 1)}
        if not s.heading and len(tg & sg) / len(tg) >= 0.4:
            s.scores["点题"] += 2


_ENUM_FAMILIES = [
    re.compile(p)
    for p in (
        r"^(一方面|另一方面)",
        r"^(首先|其次|再次|最后)",
        r"^其[一二三四五六]",
        r"^第[一二三四五六七八九十]+",
        r"^[一二三四五六七八九十]是",
        r"^\d+[.、．]",
        r"^[(（][一二三四五六七八九十\d]+[)）]",
    )
]


def _share_enumeration(sentences: list[SourceSentence]) -> None:
    """Items of one enumeration (一是/二是/三是…) share a section: the run's strongest.

    "二是顾虑“言多必失”" has no cue of its own; its sibling "一是顾虑“言而无用”。…根子在上面"
    does, and the list is one argument, so each item gets +2 for the run's section.
    """
    runs: list[list[SourceSentence]] = []
    for fam in _ENUM_FAMILIES:
        run: list[SourceSentence] = []
        for s in sentences:
            if s.heading and s.context and run and s.context != run[-1].context:
                run = []
            if fam.match(s.text):
                if run and s.line - run[-1].line > 6:
                    runs.append(run)
                    run = []
                run.append(s)
        if run:
            runs.append(run)
    for run in runs:
        if len(run) < 2:
            continue
        totals = {r: sum(max(0.0, s.scores[r]) for s in run) for r in POINT_SECTIONS}
        section = max(POINT_SECTIONS, key=lambda r: (totals[r], -POINT_SECTIONS.index(r)))
        if totals[section] <= 0:
            continue
        for s in run:
            s.scores[section] += 2


def _scores(s: SourceSentence) -> dict[str, float]:
    scores = cue_scores(s.text)
    ctx = s.context
    if ctx in POINT_SECTIONS:
        scores[ctx] += 3 + (1 if s.enum else 0)
    elif ctx == "问题":
        scores["原因"] += 2
        scores["现象"] += 1
        # under "存在的问题" a 要/不能 describes the fault ("不能落地"), it prescribes nothing
        scores["对策"] -= 2
    if s.first_para:
        scores["点题"] += 2
        scores["现象"] += 1
    if s.last_para:
        scores["总结"] += 2
    if s.heading and ctx not in POINT_SECTIONS:
        # A bare heading ("二、材料多了≠实绩好了") is a label, not a point, unless it carries cues.
        for role in POINT_SECTIONS:
            scores[role] -= 1
    return scores


@dataclass
class Unit:
    """A point candidate: a sentence, or an enumerated label plus the sentence explaining it."""

    parts: list[SourceSentence]
    #: A 小标题 block's sentences arguing one section: the point is worded from
    #: ``parts[lead]`` and the other sentences are its support (see ``block_units``).
    lead: int | None = None
    section: str | None = None

    @property
    def doc(self) -> int:
        return self.parts[0].doc

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.parts)

    @property
    def scores(self) -> dict[str, float]:
        out = {r: max(p.scores.get(r, 0.0) for p in self.parts) for r in ROLES}
        if self.section is not None and len(self.parts) > 1:
            out[self.section] += 1  # several sentences of one block argue it
        return out

    def best(self, roles: tuple[str, ...] = POINT_SECTIONS) -> tuple[str, float]:
        sc = self.scores
        role = max(roles, key=lambda r: (sc[r], -roles.index(r)))
        return role, sc[role]

    @property
    def enum(self) -> bool:
        return self.parts[0].enum

    @property
    def core_text(self) -> str:
        """What the unit says, for merging: a block unit's lead sentence, else all of it.

        A block unit's other sentences only support the lead; comparing their text
        too would let one block swallow every idea of the other article.
        """
        return self.parts[self.lead].text if self.lead is not None else self.text


#: In a 小标题 block, a sentence joins its section's unit from this cue score on.
BLOCK_MIN = 2.0


def _block_units(block: list[SourceSentence]) -> tuple[list[Unit], list[SourceSentence]]:
    """Group a 小标题 block's sentences by section: one unit per section it argues.

    An article organised as "一、工作部署了≠工作完成了" headings argues one idea per
    block: a diagnosis (危害/原因) and a prescription (要/可以/不妨 → 对策) spread over
    several sentences, none of which says it all. Each section the block argues becomes
    one unit citing all its sentences, worded from the strongest; sentences without a
    clear cue stay single (and rarely become points).
    """
    groups: dict[str, list[SourceSentence]] = {}
    rest: list[SourceSentence] = []
    for s in block:
        role, score = s.best()
        if score >= BLOCK_MIN and not s.is_question and not s.is_example:
            groups.setdefault(role, []).append(s)
        else:
            rest.append(s)
    units = []
    for role, parts in groups.items():
        lead = max(range(len(parts)), key=lambda k: (parts[k].scores[role], -k))
        units.append(Unit(parts, lead=lead, section=role))
    return units, rest


def units_of(sentences: list[SourceSentence]) -> list[Unit]:
    """Group a short enumerated label with the sentence that follows and explains it.

    Sentences under a 小标题 that names no section ("二、材料多了≠实绩好了") are grouped
    per block instead (``_block_units``).
    """
    units: list[Unit] = []
    i = 0
    while i < len(sentences):
        s = sentences[i]
        if s.heading and s.line_start and not s.context and heading_context(s.text) is None:
            j = i + 1
            while (
                j < len(sentences)
                and not sentences[j].heading
                and sentences[j].block == s.block
                and not sentences[j].context
            ):
                j += 1
            listed = sum(
                1 for x in sentences[i + 1 : j] if any(f.match(x.text) for f in _ENUM_FAMILIES)
            )
            if j - i > 2 and listed < 2:  # a block with its own 一是/二是 list keeps its items
                grouped, rest = _block_units(sentences[i + 1 : j])
                units.append(Unit([s]))
                units.extend(grouped)
                units.extend(Unit([x]) for x in rest)
                i = j
                continue
        # "1.精准施策，强化…：首先要…。建立健全…。同时，应…。" — one numbered item, one unit.
        if s.enum and s.line_start and re.search(r"^.{2,30}?：", s.text):
            j = i + 1
            while j < len(sentences) and sentences[j].line == s.line:
                j += 1
            if j - i > 1:
                units.append(Unit(sentences[i:j]))
                i = j
                continue
        nxt = sentences[i + 1] if i + 1 < len(sentences) else None
        label = (
            s.enum
            and not s.heading
            and content_length(strip_lead(s.text)) <= 24
            and not s.raw.endswith("……")
        )
        if (
            label
            and nxt is not None
            and not nxt.enum
            and not nxt.heading
            and not nxt.is_example
            and nxt.line - s.line <= 1
            and nxt.context == s.context
        ):
            units.append(Unit([s, nxt]))
            i += 2
            continue
        units.append(Unit([s]))
        i += 1
    return units
