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

from trainer.models import ANSWER_STEPS, Question, Score, Span, Verdict
from trainer.render.common import BAND_STYLE, VERDICT_MARK, clean, fmt_seconds, markup_clean
from trainer.text import CHARS_PER_MINUTE

_VERDICT_STYLE = {"full": "hit", "partial": "partial", "miss": "miss"}
_SENTENCE_END = "。！？；!?;\n"  # in the *original* answer, so ASCII marks too
_CONTEXT = 40  # characters of the sentence shown either side of the evidence


def render_score(
    console: Console, score: Score, answer: str = "", question: Question | None = None
) -> None:
    """Print the full report for one scored answer (see module doc)."""
    console.print(_headline(score, question))
    console.print(_skeleton(score))
    console.print(_length_line(score))
    for section in score.sections:
        console.print(_section_table(section, answer))
    if score.warnings:
        console.print("[warn]提示[/]")
        for w in score.warnings:
            console.print(Padding(Text.assemble(("!", "warn"), clean(w)), (0, 0, 0, 2)))
    todo = _next_steps(score)
    if todo:
        console.print("[title]下一步[/]：优先补上这几个要点（按权重排序）")
        for v in todo:
            line = Text.assemble("•", (f"{clean(v.section)}：", "section"), clean(v.text))
            console.print(Padding(line, (0, 0, 0, 2)))


def _headline(score: Score, question: Question | None) -> Panel:
    band_style = BAND_STYLE.get(score.band, "title")
    total = Text.assemble(
        ("得分 ", "bold"),
        (f"{score.total:.0f}", f"bold {band_style}"),
        "/100   ",
        ("档次 ", "bold"),
        (score.band or "—", f"bold {band_style}"),
        f"   考场分 {score.exam_score:g} / {score.exam_scale}",
    )
    parts = Text(
        f"内容 {score.content:g}/70 · 结构 {score.structure_score:g}/15 · 表达 {score.expression:g}/15",
        style="muted",
    )
    title = f"[title]{markup_clean(score.question_id)}[/]"
    if question is not None:
        title += f" · {markup_clean(question.kind)}"
    body: list = [total, parts]
    if question is not None:
        body.insert(0, Text(clean(question.text), style="muted"))
    return Panel(Group(*body), title=title, expand=False)


def _skeleton(score: Score) -> Text:
    st = score.structure
    detected = set(st.detected)
    line = Text("结构：", style="bold")
    # The question type's own steps (表态 → 分析 → 对策 → 总结 …), 过渡 before the 对策 step.
    names = ANSWER_STEPS if not st.skeleton else _with_transition(st.skeleton)
    steps = [s for s in names if s != "过渡" or _remedy_step(names) in detected]
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
    line.append(f"   （{st.score:g}/15）", style="muted")
    return line


def _with_transition(steps: tuple[str, ...]) -> tuple[str, ...]:
    """Steps with 过渡 before the remedy step (对策 / 做法 — the one after the analysis)."""
    remedy = _remedy_step(steps)
    out: list[str] = []
    for s in steps:
        if s == remedy:
            out.append("过渡")
        out.append(s)
    return tuple(out)


def _remedy_step(steps: tuple[str, ...]) -> str:
    for name in ("对策", "做法"):
        if name in steps:
            return name
    return "对策"


def _length_line(score: Score) -> Text:
    ln = score.length
    style = {"合适": "hit", "短": "partial", "长": "partial"}.get(ln.band, "muted")
    return Text.assemble(
        ("篇幅：", "bold"),
        f"{ln.chars} 字，按 {CHARS_PER_MINUTE} 字/分钟口述约 ",
        (fmt_seconds(ln.seconds), "bold"),
        "（",
        (ln.band, style),
        "；考场建议 3–4 分钟）",
    )


def _section_table(section, answer: str) -> Table:
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
        f"（{section.earned:g} / {section.possible:g} 权重）  {present}",
        title_justify="left",
        show_header=True,
        header_style="muted",
        expand=True,
    )
    table.add_column("", width=2, no_wrap=True)
    table.add_column("要点", no_wrap=True, style="muted", overflow="fold")
    table.add_column("相似度", justify="right", width=6, no_wrap=True)
    table.add_column("你的原话 / 范文表述", ratio=1, overflow="fold")
    for v in section.points:
        table.add_row(
            VERDICT_MARK.get(v.verdict, "?"),
            f"{markup_clean(v.point_id)}\n[muted]权重 {v.weight:g}[/]",
            f"{v.similarity:.2f}",
            _detail(v, answer),
        )
    for span in section.reasoned:
        # Sound analysis the reference points do not list: credited, capped, shown.
        table.add_row(
            "[partial]+[/]",
            f"言之有理\n[muted]+{section.bonus:.0%}[/]",
            "",
            _in_context(span, answer, "partial"),
        )
    return table


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
