"""The score report: what a candidate reads after answering (practice, mock, ``trainer score``).

``render_score(console, score, answer, question)`` prints, in order: the total with
band and exam-scale score; the skeleton line (which sections were found, in what
order, whether there is a 过渡); length and estimated speaking time; one table per
section with every point marked ✓ / ½ / ✗ — the candidate's own sentence with the
matching words highlighted for a hit, the model wording for a miss; warnings;
and the three heaviest missed points as the next thing to practise.

``answer`` and ``question`` are optional so a stored score can be re-rendered
from history (the evidence spans carry their own text).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from trainer.models import ANSWER_STEPS, Question, Score, Span, Verdict, remedy_step
from trainer.render.common import BAND_STYLE, VERDICT_MARK, clean, fit, markup_clean
from trainer.scoring.assess import NORM_SECONDS, SECTION_SATURATION
from trainer.text import (
    CHARS_PER_MINUTE,
    cell_width,
    fmt_points,
    fmt_spoken,
    round_half_up,
    spoken_seconds,
)

_VERDICT_STYLE = {"full": "hit", "partial": "partial", "miss": "miss"}
_SENTENCE_END = "。！？；!?;\n"  # in the *original* answer, so ASCII marks too
_CONTEXT = 40  # characters of the sentence shown either side of the evidence


def render_score(
    console: Console, score: Score, answer: str = "", question: Question | None = None
) -> None:
    """Print the full report for one scored answer (see module doc)."""
    width = console.width
    console.print(_headline(score, question, width))
    why = zero_reason(score)
    if why:
        console.print(fit(Text(why, style="warn"), width))
    console.print(fit(_skeleton(score), width))
    console.print(fit(_length_line(score), width))
    console.print(fit(Text(legend(), style="muted"), width))
    for section in score.sections:
        console.print(_section_table(section, answer, width))
    if score.warnings:
        console.print("[warn]提示[/]")
        for w in score.warnings:
            console.print(
                Padding(fit(Text.assemble(("!", "warn"), clean(w)), width, 2), (0, 0, 0, 2))
            )
    todo = _next_steps(score)
    if todo:
        console.print("[title]下一步[/]：优先补上这几个要点（按权重排序）")
        for v in todo:
            line = Text.assemble("•", (f"{clean(v.section)}：", "section"), clean(v.text))
            console.print(Padding(fit(line, width, 2), (0, 0, 0, 2)))


def _headline(score: Score, question: Question | None, width: int = 80) -> Panel:
    band_style = BAND_STYLE.get(score.band, "title")
    total = Text.assemble(
        ("得分 ", "bold"),
        (fmt_points(score.total), f"bold {band_style}"),
        "/100   ",
        ("档次 ", "bold"),
        (score.band or "—", f"bold {band_style}"),
        f"   考场分 {fmt_points(score.exam_score)} / {score.exam_scale}",
    )
    parts = Text(
        f"内容 {fmt_points(score.content)}/70 · 结构 {fmt_points(score.structure_score)}/15"
        f" · 表达 {fmt_points(score.expression)}/15",
        style="muted",
    )
    title = f"[title]{markup_clean(score.question_id)}[/]"
    if question is not None:
        title += f" · {markup_clean(question.kind)}"
    body: list = [total, parts]
    if question is not None:
        body.insert(0, fit(Text(clean(question.text), style="muted"), width - 4))
    return Panel(Group(*body), title=title, expand=False)


def _skeleton(score: Score) -> Text:
    st = score.structure
    detected = set(st.detected)
    line = Text("结构：", style="bold")
    # The question type's own steps (表态 → 分析 → 对策 → 总结 …), 过渡 before the 对策 step.
    names = ANSWER_STEPS if not st.skeleton else _with_transition(st.skeleton)
    steps = [s for s in names if s != "过渡" or remedy_step(names) in detected]
    for i, step in enumerate(steps):
        if i:
            line.append(" → ", style="muted")
        found = st.has_transition if step == "过渡" else step in detected
        wrong = step in st.out_of_order
        style = "partial" if wrong else "hit" if found else "miss"
        mark = "⇄" if wrong else "✓" if found else "✗"
        line.append(f"{step}{mark}", style=style)
    if st.detected and not st.in_order:
        line.append(clean(f"   实际顺序：{' → '.join(st.detected)}"), style="partial")
    # The header's number, not the structure check's unrounded one: one number per screen.
    line.append(f"   （{fmt_points(score.structure_score)}/15）", style="muted")
    return line


def legend() -> str:
    """What the marks mean, said once per report."""
    return (
        "✓答到 ½答到一部分 ✗没答到 ⇄顺序不对 +言之有理（要点外的分析）"
        f" · 一段答到约 {SECTION_SATURATION:.0%} 权重即得该段满分"
    )


def zero_reason(score: Score) -> str:
    """Why an answer got nothing, in one line (empty unless the total is 0)."""
    if fmt_points(score.total) != "0":
        return ""
    reasons = []
    missing = [s.section for s in score.sections if not s.present]
    if missing:
        reasons.append(f"没有成段的{'、'.join(missing)}")
    if not any(v.verdict != "miss" for s in score.sections for v in s.points):
        reasons.append("一个评分要点也没答到")
    if score.length.band == "短":
        reasons.append(f"只有 {score.length.chars} 字（考场一般 700–900 字）")
    return "得 0 分，因为" + "，".join(reasons) + "。" if reasons else ""


def length_word(chars: int, band: str) -> str:
    """The length verdict shown next to the 3–4 minute advice, consistent with the time shown.

    The scorer tolerates a little under 3 or over 4 minutes (band 合适, no deduction);
    the screen says 略短 / 略长 there rather than calling 2:48 合适 beside "3–4 分钟".
    """
    lo, hi = NORM_SECONDS
    seconds = round_half_up(spoken_seconds(chars))  # the seconds the screen shows
    if band == "短":
        return "偏短"
    if band == "长":
        return "偏长"
    if seconds < lo:
        return "略短"
    if seconds > hi:
        return "略长"
    return "合适"


def _with_transition(steps: tuple[str, ...]) -> tuple[str, ...]:
    """Steps with 过渡 before the remedy step (对策 / 做法 — the one after the analysis)."""
    remedy = remedy_step(steps)
    out: list[str] = []
    for s in steps:
        if s == remedy:
            out.append("过渡")
        out.append(s)
    return tuple(out)


def _length_line(score: Score) -> Text:
    ln = score.length
    word = length_word(ln.chars, ln.band)
    style = "hit" if word == "合适" else "partial"
    lo, hi = NORM_SECONDS
    return Text.assemble(
        ("篇幅：", "bold"),
        f"{ln.chars} 字，按 {CHARS_PER_MINUTE} 字/分钟口述约 ",
        (fmt_spoken(ln.chars), "bold"),
        "（",
        (word, style),
        f"；考场建议 {lo // 60}–{hi // 60} 分钟）",
    )


def _section_table(section, answer: str, width: int = 80) -> Table:
    if not section.present:
        present = "[miss]未成段[/]"
    elif section.earned or section.reasoned:
        present = "[hit]已成段[/]"
    else:  # written and about the question, but none of the reference points is in it
        present = "[partial]已成段·要点未答到[/]"
    table = Table(
        # Point weights are relative (a section's weights need not sum to its share of
        # the 70 content marks), so they are shown as weights and a rate, never as 分.
        title=f"[section]{markup_clean(section.section)}[/]  要点得分率 {_rate(section)}"
        f"（{fmt_points(section.earned)} / {fmt_points(section.possible)} 权重）  {present}",
        title_justify="left",
        show_header=True,
        header_style="muted",
        expand=True,
    )
    table.add_column("", width=2, no_wrap=True)
    table.add_column("要点", no_wrap=True, style="muted", overflow="fold")
    table.add_column("相似度", justify="right", width=6, no_wrap=True)
    table.add_column("你的原话 / 范文表述", ratio=1, overflow="fold")
    # The text column's width, so its lines are broken by our rules (禁则, whole Latin
    # words) rather than folded by rich: the table's width less borders (5), padding
    # (2 per column), the mark (2), the similarity (6) and the widest point label.
    labels = [v.point_id for v in section.points] + [
        f"权重 {fmt_points(v.weight)}" for v in section.points
    ]
    labels += ["要点"] + (["言之有理"] if section.reasoned else [])
    text_width = width - 5 - 8 - 2 - 6 - max(cell_width(x) for x in labels)
    for v in section.points:
        table.add_row(
            VERDICT_MARK.get(v.verdict, "?"),
            f"{markup_clean(v.point_id)}\n[muted]权重 {fmt_points(v.weight)}[/]",
            f"{v.similarity:.2f}",
            _fit_lines(_detail(v, answer), text_width),
        )
    for span in section.reasoned:
        # Sound analysis the reference points do not list: credited, capped, shown.
        table.add_row(
            "[partial]+[/]",
            f"言之有理\n[muted]+{section.bonus:.0%}[/]",
            "",
            _fit_lines(_in_context(span, answer, "partial"), text_width),
        )
    return table


def _fit_lines(text: Text, width: int) -> Text:
    """``fit`` each line of ``text`` (a partial's evidence and its full wording are two)."""
    if width < 8:
        return text
    parts = text.split("\n")
    out = Text()
    for i, part in enumerate(parts):
        if i:
            out.append("\n")
        out.append_text(fit(part, width))
    return out


def _rate(section) -> str:
    return f"{section.earned / section.possible:.0%}" if section.possible else "—"


def _detail(v: Verdict, answer: str) -> Text:
    if v.verdict == "miss" or v.evidence is None:
        return Text.assemble(("范文：", "muted"), (clean(v.text), "italic"))
    out = _in_context(v.evidence, answer, _VERDICT_STYLE[v.verdict])
    if v.verdict == "partial":
        out.append("\n")
        out.append_text(Text.assemble(("完整表述：", "muted"), (clean(v.text), "italic")))
    return out


def _in_context(span: Span, answer: str, style: str) -> Text:
    """The evidence inside its sentence, the matched words highlighted."""
    if not answer or answer[span.start : span.end] != span.text:
        return Text(clean(span.text), style=f"bold {style}")
    a = span.start
    while a > 0 and span.start - a < _CONTEXT and answer[a - 1] not in _SENTENCE_END:
        a -= 1
    b = span.end
    while b < len(answer) and b - span.end < _CONTEXT and answer[b] not in _SENTENCE_END:
        b += 1
    if b < len(answer) and answer[b] in _SENTENCE_END and answer[b] != "\n":
        b += 1
    before = ("…" if a > 0 and answer[a - 1] not in _SENTENCE_END else "") + answer[a : span.start]
    after = answer[span.end : b] + (
        "…" if b < len(answer) and answer[b - 1] not in _SENTENCE_END else ""
    )
    return Text.assemble(_flat(before), (_flat(span.text), f"bold underline {style}"), _flat(after))


def _flat(s: str) -> str:
    return clean(" ".join(s.split()))


def _next_steps(score: Score, limit: int = 3) -> list[Verdict]:
    missed: Iterable[Verdict] = (v for s in score.sections for v in s.points if v.verdict == "miss")
    return sorted(missed, key=lambda v: -v.weight)[:limit]
