"""Screens for history: the attempt list and a stored attempt's report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, tzinfo

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from trainer.models import ANSWER_STEPS, Attempt, Question, Score
from trainer.render.common import clean, fmt_seconds
from trainer.render.common import markup_clean as escape
from trainer.scoring.serialize import score_from_dict
from trainer.text import fmt_points

MODE_LABEL = {"practice": "练习", "mock": "模拟", "score": "评分", "review": "复习"}


def local_time(created_at: str, tz: tzinfo | None, short: bool = False) -> str:
    """Local ``YYYY-MM-DD HH:MM``; ``short`` drops the year (narrow terminals)."""
    try:
        dt = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    except ValueError:
        return created_at
    return dt.astimezone(tz).strftime("%m-%d %H:%M" if short else "%Y-%m-%d %H:%M")


def history_table(
    console: Console, attempts: Sequence[Attempt], tz: tzinfo | None, total: int | None = None
) -> None:
    if not attempts:
        console.print("还没有练习记录。用 [bold]trainer practice[/] 开始第一题。")
        return
    shown = (
        f"最近 {len(attempts)} 条" if total and total > len(attempts) else f"共 {len(attempts)} 条"
    )
    table = Table(title=f"练习记录（{shown}）", expand=False)
    table.add_column("编号", justify="right", style="cyan", no_wrap=True)
    table.add_column("时间", no_wrap=True)
    table.add_column("方式", no_wrap=True)
    table.add_column("题号", overflow="fold")  # the only column that may wrap on narrow terminals
    table.add_column("得分", justify="right", no_wrap=True)
    table.add_column("档次", justify="center", no_wrap=True)
    table.add_column("用时", justify="right", no_wrap=True)
    for a in attempts:
        stored = _stored(a.score)
        band = stored.band if stored is not None else ""
        table.add_row(
            str(a.id),
            escape(local_time(a.created_at, tz, short=console.width < 80)),
            escape(MODE_LABEL.get(a.mode, a.mode)),
            escape(a.question_id),
            fmt_points(a.total),
            band,
            fmt_seconds(a.think_seconds + a.answer_seconds),
        )
    console.print(table)
    console.print("[muted]查看某次的评分与作答：trainer history show 编号[/]")


def attempt_header(
    console: Console, attempt: Attempt, tz: tzinfo | None, stale: bool = False
) -> None:
    """Question, when and how it was answered, and the answer itself."""
    meta = (
        f"{escape(local_time(attempt.created_at, tz))} · {escape(MODE_LABEL.get(attempt.mode, attempt.mode))}"
        f" · 审题 {fmt_seconds(attempt.think_seconds)} · 作答 {fmt_seconds(attempt.answer_seconds)}"
    )
    console.print(
        Panel(
            Text(clean(attempt.question_text)),
            title=f"[title]#{attempt.id} {escape(attempt.question_id)}[/]",
            expand=False,
        )
    )
    console.print(f"[muted]{meta}[/]")
    if stale:
        console.print(
            f"[warn]注意[/]：题库要点已更新，本记录按当时的版本（{escape(attempt.rubric_version)}）评分。"
        )
    console.print("[section]作答[/]")
    console.print(Text(clean(attempt.answer.strip()) or "（空）"), soft_wrap=True)
    console.print()


def stored_report(
    console: Console, score: dict, answer: str = "", question: Question | None = None
) -> None:
    """A stored score JSON as the report screen of ``trainer score`` (without the answer).

    The JSON is read with ``score_from_dict``, the one reader of stored scores,
    so the screen is the same as right after answering — ✓/½/✗ with evidence,
    the skeleton line with its ⇄ marks, warnings. Given the attempt's ``answer`` and
    ``question`` it is exactly the live report (evidence inside its sentence, the
    question's kind in the title).
    """
    from trainer.render.report import render_score

    rebuilt = _stored(score)
    if rebuilt is None:
        console.print(
            "[warn]![/] 这条记录的评分数据无法读取（不是 trainer 的评分结果），未显示评分。"
        )
        return
    render_score(console, rebuilt, answer, question)


def _stored(score: dict) -> Score | None:
    try:
        rebuilt = score_from_dict(score)
    except ValueError:
        return None
    # The store writes JSON with sorted keys, which puts 点题 last; the report goes in
    # answer order, as the scorer made it.
    rank = {step: i for i, step in enumerate(ANSWER_STEPS)}
    ordered = sorted(rebuilt.sections, key=lambda s: rank.get(s.section, len(rank)))
    return replace(rebuilt, sections=tuple(ordered))


def imported(console: Console, added: int, skipped: int, source: str) -> None:
    console.print(
        f"[hit]✓[/] 从 {escape(source)} 导入 {added} 条新记录，跳过 {skipped} 条已有记录。"
    )
