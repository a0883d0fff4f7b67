"""Batch scoring screens: progress while scoring, each problem row as it comes, a summary after."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from trainer.render.common import BAND_STYLE, clean, fmt_seconds, markup_clean
from trainer.scoring.batch import ClassSummary, Problem
from trainer.text import fmt_points


@contextmanager
def progress(console: Console, total: int | None, description: str = "评分中") -> Iterator:
    """A progress bar on ``console`` (a running count when ``total`` is None); yields
    ``advance()`` to call once per item."""
    columns: list[ProgressColumn] = [TextColumn("{task.description}")]
    if total is not None:
        columns += [BarColumn(), MofNCompleteColumn()]
    else:
        columns += [TextColumn("{task.completed} 行")]
    bar = Progress(
        *columns,
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
        auto_refresh=False,  # no refresh thread: --jobs workers fork from this process
    )
    with bar:
        task = bar.add_task(description, total=total)
        last = [0.0]

        def advance() -> None:
            bar.advance(task)
            now = time.monotonic()
            if now - last[0] > 0.1:
                last[0] = now
                bar.refresh()

        yield advance


def problem_line(n: int, file: str, p: Problem) -> str:
    """``问题 3：class.csv 第 4 行（学号 s2）：引号不配对……，这一行没有评分``."""
    named = f"（{p.who}）" if p.who else ""
    return clean(f"问题 {n}：{file} 第 {p.line} 行{named}：{p.message}；这一行没有评分")


def print_problem(console: Console, n: int, file: str, p: Problem) -> None:
    """One row that could not be scored, numbered, in the warning colour."""
    console.print(Text(problem_line(n, file, p), style="warn"), soft_wrap=True)


#: With a results file, the table on screen shows only this many rows (the file has all).
SHOWN_WITH_FILE = 20


def batch_summary(
    console: Console,
    summary: ClassSummary,
    output: str | None,
    report: str | None = None,
    table: bool = True,
) -> None:
    """One row per scored answer (the first SHOWN_WITH_FILE when a results file was written),
    then counts per band, the rows not scored and where the results went."""
    students = summary.students
    shown = students if output is None else students[:SHOWN_WITH_FILE]
    if table:
        t = Table(title=f"批量评分（{summary.scored} 份）", title_justify="left")
        t.add_column("行", justify="right", style="muted")
        t.add_column("学号/姓名", style="cyan", no_wrap=True)
        t.add_column("题号", no_wrap=True)
        t.add_column("总分", justify="right")
        t.add_column("档次", justify="center")
        t.add_column("考场分", justify="right")
        t.add_column("时长", justify="right")
        t.add_column("漏掉的要点", overflow="fold")
        for st in shown:
            missed = st.missed
            t.add_row(
                str(st.line),
                Text(clean(st.id if not st.name or st.name == st.id else f"{st.id} {st.name}")),
                Text(clean(st.question)),
                fmt_points(st.total),
                f"[{BAND_STYLE.get(st.band, 'muted')}]{st.band}[/]",
                f"{fmt_points(st.exam_score)}/{st.exam_scale}",
                fmt_seconds(st.seconds),
                "答案为空"
                if st.empty
                else f"{len(missed)} 个"
                if len(missed) > 4
                else " ".join(missed) or "—",
            )
        console.print(t)
        if len(shown) < len(students):
            console.print(
                f"[muted]……其余 {len(students) - len(shown)} 份见 {markup_clean(output)}[/]"
            )
    counts = summary.bands
    empty = sum(1 for st in students if st.empty)
    console.print(
        f"已评 {summary.scored} 份 · 平均 {summary.mean:.1f} 分 · 好 {counts['好']} · 中 {counts['中']}"
        f" · 差 {counts['差']}"
        + (f" · 空答案 {empty} 份（0 分）" if empty else "")
        + (
            f" · [warn]未评分 {len(summary.problems)} 行（见上方问题）[/]"
            if summary.problems
            else ""
        )
    )
    if output:
        console.print(f"[muted]结果已写入 {markup_clean(output)}[/]", highlight=False)
    if report:
        console.print(f"[muted]班级报告已写入 {markup_clean(report)}[/]", highlight=False)
