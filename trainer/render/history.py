"""Screens for history: the attempt list and a stored attempt's report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from trainer.models import SECTIONS, Attempt
from trainer.render.common import VERDICT_MARK, fmt_seconds

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
        band = str(a.score.get("band", "")) if isinstance(a.score, dict) else ""
        table.add_row(
            str(a.id),
            local_time(a.created_at, tz, short=console.width < 80),
            MODE_LABEL.get(a.mode, a.mode),
            escape(a.question_id),
            f"{a.total:.1f}",
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
        f"{local_time(attempt.created_at, tz)} · {MODE_LABEL.get(attempt.mode, attempt.mode)}"
        f" · 审题 {fmt_seconds(attempt.think_seconds)} · 作答 {fmt_seconds(attempt.answer_seconds)}"
    )
    console.print(
        Panel(
            Text(attempt.question_text),
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
    console.print(Text(attempt.answer.strip() or "（空）"), soft_wrap=True)
    console.print()


def stored_report(console: Console, score: dict) -> None:
    """Render a stored score JSON: total, each section's points ✓/½/✗ with evidence."""
    total = _f(score.get("total"))
    band = score.get("band", "")
    line = f"[title]总分 {total:.1f}[/]"
    if band:
        line += f" · 档次 [bold]{escape(str(band))}[/]"
    if score.get("exam_scale"):
        line += f" · 折合 {_f(score.get('exam_score')):.1f}/{score.get('exam_scale')}"
    console.print(line)
    sections = score.get("sections") or {}
    if isinstance(sections, list):
        sections = {s.get("section", "?"): s for s in sections if isinstance(s, dict)}
    order = [s for s in SECTIONS if s in sections] + [s for s in sections if s not in SECTIONS]
    missed: list[str] = []
    for name in order:
        sec = sections[name]
        if not isinstance(sec, dict):
            continue
        present = "" if sec.get("present", True) else " [muted]（未成段）[/]"
        console.print(
            f"[section]{escape(name)}[/] {_f(sec.get('earned')):.1f}/{_f(sec.get('possible')):.1f}{present}"
        )
        for p in sec.get("points") or ():
            if not isinstance(p, dict):
                continue
            verdict = p.get("verdict", "miss")
            mark = VERDICT_MARK.get(verdict, "?")
            text = escape(str(p.get("text", "")))
            ev = p.get("evidence")
            if verdict != "miss" and isinstance(ev, dict) and ev.get("text"):
                console.print(f"  {mark} {text}\n      [muted]← 「{escape(str(ev['text']))}」[/]")
            else:
                console.print(f"  {mark} {text}")
            if verdict == "miss":
                missed.append(str(p.get("text", "")))
    structure = score.get("structure")
    if isinstance(structure, dict) and structure:
        detected = " → ".join(structure.get("detected") or ()) or "无"
        order_ok = "顺序正确" if structure.get("in_order") else "顺序有误"
        lack = "、".join(structure.get("missing") or ())
        console.print(
            f"[section]结构[/] {escape(detected)}（{order_ok}{'；缺 ' + escape(lack) if lack else ''}）"
        )
    length = score.get("length")
    if isinstance(length, dict) and length:
        console.print(
            f"[section]篇幅[/] {int(_f(length.get('chars')))} 字 · 约 {fmt_seconds(_f(length.get('seconds')))} · {escape(str(length.get('band', '')))}"
        )
    for w in score.get("warnings") or ():
        console.print(f"[warn]![/] {escape(str(w))}")
    if missed:
        console.print(f"[muted]漏掉 {len(missed)} 个要点；上面 ✗ 后面即范文表述。[/]")


def _f(value: object) -> float:
    """A number from stored score JSON, 0 for anything else (missing, null, text)."""
    if not isinstance(value, int | float | str):
        return 0.0
    try:
        return float(value)
    except ValueError:
        return 0.0


def imported(console: Console, added: int, skipped: int, source: str) -> None:
    console.print(
        f"[hit]✓[/] 从 {escape(source)} 导入 {added} 条新记录，跳过 {skipped} 条已有记录。"
    )
