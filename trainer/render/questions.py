"""Rendering of question lists, a single question, and validation results."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from trainer.models import SECTIONS, Question, Rubric, skeleton_names
from trainer.render.common import clean, markup_clean


def question_table(
    console: Console,
    questions: Sequence[Question],
    titles: dict[str, str],
    drafts: frozenset[str] = frozenset(),
) -> None:
    table = Table(title=f"题库（共 {len(questions)} 题）", show_lines=False, expand=False)
    table.add_column("题号", style="cyan", no_wrap=True)
    table.add_column("题型", no_wrap=True)
    table.add_column("题目")
    for q in questions:
        text = q.text if len(q.text) <= 70 else q.text[:68] + "……"
        kind = Text(clean(q.kind))
        if q.topic in drafts:
            kind.append(" 草稿", style="warn")
        table.add_row(Text(clean(q.id)), kind, Text(clean(text)))
    console.print(table)
    topics = sorted({q.topic for q in questions})
    for t in topics:
        mark = "（草稿）" if t in drafts else ""
        console.print(f"[muted]{markup_clean(t)}{mark}：{markup_clean(titles.get(t, ''))}[/]")
    console.print("[muted]练习：trainer practice 题号    查看：trainer show 题号[/]")
    if any(q.topic in drafts for q in questions):
        console.print(
            "[muted]草稿主题可按题号或 --topic 练习，但不参与随机抽题、模拟面试、复习与 "
            "model-answer --all；审改后运行：[/]"
        )
        for t in topics:
            if t in drafts:
                console.print(f"  trainer publish {t}", soft_wrap=True, markup=False)


def question_panel(
    console: Console, question: Question, rubric: Rubric, show_points: bool = False
) -> None:
    body = Text(clean(question.text))
    console.print(
        Panel(
            body,
            title=f"[title]{markup_clean(question.id)}[/] · {markup_clean(question.kind)}",
            subtitle=markup_clean(rubric.topic.title),
            expand=False,
        )
    )
    console.print(
        f"[section]结构[/]：{markup_clean(' → '.join(skeleton_names(question.skeleton)))}"
    )
    if question.hints:
        console.print("[section]审题提示[/]")
        for h in question.hints:
            console.print(f"  • {markup_clean(h)}")
    counts = "  ".join(f"{s} {len(rubric.by_section(s))}" for s in SECTIONS)
    console.print(f"[muted]评分要点：{counts}（共 {len(rubric.points)} 个）[/]")
    if show_points:
        for s in SECTIONS:
            pts = rubric.by_section(s)
            if not pts:
                continue
            console.print(f"[section]{s}[/]")
            for p in pts:
                console.print(
                    f"  [{p.weight:g}] {markup_clean(p.text)}  [muted]({markup_clean(p.id)})[/]"
                )


def validation_result(console: Console, n_files: int, n_topics: int, n_questions: int) -> None:
    console.print(f"[hit]✓ 校验通过[/]：{n_files} 个文件，{n_topics} 个主题，{n_questions} 道题")
