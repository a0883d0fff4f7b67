"""Screens of practice and mock sessions: question panel, notices, mock final report.

``RichView`` implements ``trainer.session.flow.SessionView``. The per-answer report
is ``trainer.render.report.render_score`` and the model answer is
``trainer.render.modelanswer.render_model_answer``, both imported when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from trainer.models import Question, Rubric, Score
from trainer.render.common import BAND_STYLE, clean, fit, fmt_seconds, markup_clean
from trainer.session.results import EMPTY, UNANSWERED
from trainer.session.timing import SUBMITTED, TIMEOUT
from trainer.text import fmt_points

PRESET_LABEL = {"drill": "单题限时训练"}  # preset ids stay ASCII on the command line

if TYPE_CHECKING:
    from trainer.session.results import MockResult

STATUS_TEXT = {
    SUBMITTED: "已提交",
    TIMEOUT: "[warn]超时自动提交[/]",
    EMPTY: "[muted]空白提交[/]",
    UNANSWERED: "[miss]未作答[/]",
}


class RichView:
    def __init__(self, console: Console) -> None:
        self.console = console

    def question(self, question: Question, rubric: Rubric, *, label: str, hints: bool) -> None:
        title = f"[title]{markup_clean(question.id)}[/] · {markup_clean(question.kind)}"
        if label:
            title = f"[warn]{label}[/]  " + title
        self.console.print()
        self.console.print(
            Panel(
                fit(clean(question.text), self.console.width - 4),
                title=title,
                subtitle=markup_clean(rubric.topic.title),
                expand=False,
            )
        )
        if hints and question.hints:
            self.console.print("[section]审题提示[/]")
            for h in question.hints:
                self.console.print(f"  • {markup_clean(h)}")

    def notice(self, message: str) -> None:
        self.console.print(f"[title]›[/] {clean(message)}")

    def report(self, score: Score, answer: str, question: Question) -> None:
        from trainer.render.report import render_score

        render_score(self.console, score, answer, question)

    def model_answer(self, question: Question, rubric: Rubric) -> None:
        from trainer.render.modelanswer import render_model_answer

        render_model_answer(self.console, question, rubric)

    def mock_report(self, result: MockResult) -> None:
        for i, r in enumerate(result.results, 1):
            if r.score is not None and r.answered:
                self.console.print(Rule(f"第 {i} 题 · {markup_clean(r.question.id)}"))
                self.report(r.score, r.answer, r.question)
        mock_summary(self.console, result)


def question_picker(console: Console, questions: list[Question], titles: dict[str, str]) -> None:
    """The numbered list ``trainer practice`` offers when no question is given."""
    if console.width < 100:  # a table would leave the question a few characters wide
        console.print(f"[title]选一道题练习（共 {len(questions)} 题）[/]")
        for i, q in enumerate(questions, 1):
            text = q.text if len(q.text) <= 60 else q.text[:58] + "……"
            console.print(f"[bold]{i:>2}[/] [cyan]{markup_clean(q.id)}[/] · {markup_clean(q.kind)}")
            console.print(Padding(fit(clean(text), console.width, 3), (0, 0, 0, 3)))
    else:
        table = Table(title=f"选一道题练习（共 {len(questions)} 题）", expand=False)
        table.add_column("序号", justify="right")
        table.add_column("题号", style="cyan", no_wrap=True)
        table.add_column("题型", no_wrap=True)
        table.add_column("题目")
        for i, q in enumerate(questions, 1):
            text = q.text if len(q.text) <= 60 else q.text[:58] + "……"
            table.add_row(str(i), Text(clean(q.id)), Text(clean(q.kind)), Text(clean(text)))
        console.print(table)
    for t in sorted({q.topic for q in questions}):
        console.print(fit(clean(f"{t}：{titles.get(t, '')}"), console.width), style="muted")


def mock_summary(console: Console, result: MockResult) -> None:
    plan = result.plan
    label = PRESET_LABEL.get(plan.preset, plan.preset)
    # Narrow terminals: the question id is the one column that folds; every number stays
    # whole, and below 80 columns the 100-point column (the report repeats it) is dropped.
    wide = console.width >= 80
    table = Table(title=f"模拟面试成绩 · {label}", expand=False)
    table.add_column("题", justify="right", no_wrap=True)
    table.add_column("题号", style="cyan", overflow="fold")
    table.add_column("状态", no_wrap=True)
    table.add_column("用时", justify="right", no_wrap=True)
    table.add_column("得分", justify="right", no_wrap=True)
    if wide:
        table.add_column("百分制", justify="right", no_wrap=True)
    table.add_column("档次", justify="center", no_wrap=True)
    for i, r in enumerate(result.results, 1):
        if r.score is not None and r.answered:
            exam = f"{fmt_points(r.score.exam_score)}/{r.score.exam_scale}"
            total = fmt_points(r.score.total)
            band = f"[{BAND_STYLE.get(r.score.band, '')}]{r.score.band}[/]"
        else:
            scale = f"/{r.score.exam_scale}" if r.score is not None else ""
            exam, total, band = f"0{scale}", "—", "—"
        spent = fmt_seconds(r.seconds + r.think_seconds)
        cells: list[Text | str] = [
            str(i),
            Text(clean(r.question.id)),
            STATUS_TEXT.get(r.status, r.status),
            spent,
            exam,
        ]
        table.add_row(*cells, *([total] if wide else []), band)
    console.print(table)
    budget = plan.shared_seconds
    used = f"总用时 {fmt_seconds(result.seconds_used)}"
    if budget:
        used += f" / {fmt_seconds(budget)}"
    console.print(
        f"[title]总分[/] {fmt_points(result.exam_total)} / {fmt_points(result.exam_possible)}"
        f"（考场分制）   {used}"
    )
    weakest = result.weakest_section()
    if weakest is not None:
        section, rate = weakest
        console.print(f"[title]最弱环节[/] [section]{section}[/]（要点得分率 {rate:.0%}）")
    if result.session_id:
        console.print(
            f"[muted]各题已记入练习记录（场次 {result.session_id}），用 trainer history 查看。[/]"
        )
