"""Assembling a ``Score``: per-section results, the warnings a candidate reads, the empty answer."""

from __future__ import annotations

from trainer.models import (
    DEFAULT_SKELETON,
    SECTIONS,
    Length,
    Question,
    Score,
    SectionResult,
    Span,
    Structure,
    Verdict,
    remedy_step,
)
from trainer.scoring import assess
from trainer.scoring.prepare import CompiledRubric, Prepared
from trainer.scoring.windows import ANSWER_DENSITY


def section_results(
    verdicts: list[Verdict],
    present: set[str],
    reasoned: dict[str, tuple[Span, ...]] | None = None,
    bonus: dict[str, float] | None = None,
) -> tuple[SectionResult, ...]:
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
                reasoned=(reasoned or {}).get(s, ()),
                bonus=round((bonus or {}).get(s, 0.0), 3),
            )
        )
    return tuple(out)


def warnings_for(
    prep: Prepared,
    struct: Structure,
    length: Length,
    filler: list[int],
    filler_share: float,
    dups: list[int],
    frames: set[int],
    salad_windows: int,
    density: float,
) -> list[str]:
    """What the candidate should fix, one line each, most basic first."""
    w: list[str] = []
    secs = round(length.seconds)
    minutes = f"{secs // 60} 分 {secs % 60} 秒"
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
    if filler and filler_share >= assess.FILLER_FREE:
        w.append(f"套话偏多：{len(filler)} 句是放在任何题目都成立的万能句，没有答到本题要点。")
    if dups:
        w.append(f"重复：有 {len(dups)} 句与前文几乎相同，重复不加分。")
    if struct.missing:
        w.append(f"缺少段落：{'、'.join(struct.missing)}。")
    if struct.out_of_order:
        order = "→".join(struct.skeleton or SECTIONS)
        w.append(f"顺序不当：{'、'.join(struct.out_of_order)} 的位置不符合 {order}。")
    if remedy_step(struct.skeleton or SECTIONS) in struct.detected and not struct.has_transition:
        w.append("缺少过渡：分析完原因后，用一句话（如“对此，我建议……”）引出对策。")
    return w


def _empty_structure(question: Question) -> Structure:
    steps = tuple(step for step, _ in question.skeleton)
    named = () if question.skeleton == DEFAULT_SKELETON else steps
    return Structure((), steps, True, False, 0.0, (), named)


def empty_score(question: Question, compiled: CompiledRubric, exam_scale: int) -> Score:
    verdicts = [
        Verdict(p.id, p.section, "miss", 0.0, 0.0, p.weight, p.text, None)
        for p in compiled.rubric.points
    ]
    sections = section_results(verdicts, set())
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
        structure=_empty_structure(question),
        length=assess.length_of(0),
        warnings=("答案为空：没有可评分的文字，得 0 分。",),
        details={"empty": True},
    )
