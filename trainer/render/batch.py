"""Batch scoring screens: a progress bar while scoring, a summary table after."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from trainer.models import Score
from trainer.render.common import BAND_STYLE, clean, fmt_seconds, markup_clean
from trainer.text import fmt_points


@contextmanager
def progress(console: Console, total: int, description: str = "评分中") -> Iterator:
    """A progress bar on ``console``; yields ``advance()`` to call once per item."""
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    with bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)


def print_problems(console: Console, problems: Sequence[str]) -> None:
    """Skipped rows, one line each (``file:line: why``), in the warning colour."""
    for p in problems:
        console.print(Text(clean(p), style="warn"))


#: With a results file, the table on screen shows only this many rows (the file has all).
SHOWN_WITH_FILE = 20


def batch_summary(
    console: Console, results: Sequence[tuple[str, Score]], skipped: int, output: str | None
) -> None:
    """One row per scored answer (the first SHOWN_WITH_FILE when a results file was written),
    then counts per band and where the results went."""
    shown = results if output is None else results[:SHOWN_WITH_FILE]
    table = Table(title=f"批量评分（{len(results)} 份）", title_justify="left")
    table.add_column("编号", style="cyan", no_wrap=True)
    table.add_column("题号", no_wrap=True)
    table.add_column("总分", justify="right")
    table.add_column("档次", justify="center")
    table.add_column("考场分", justify="right")
    table.add_column("时长", justify="right")
    table.add_column("漏掉的要点", overflow="fold")
    style = BAND_STYLE
    for rid, s in shown:
        missed = [v.point_id for sec in s.sections for v in sec.points if v.verdict == "miss"]
        table.add_row(
            Text(clean(rid)),
            Text(clean(s.question_id)),
            fmt_points(s.total),
            f"[{style.get(s.band, 'muted')}]{s.band}[/]",
            f"{fmt_points(s.exam_score)}/{s.exam_scale}",
            fmt_seconds(s.length.seconds),
            Text(clean(f"{len(missed)} 个" if len(missed) > 4 else " ".join(missed) or "—")),
        )
    console.print(table)
    if len(shown) < len(results):
        console.print(f"[muted]……其余 {len(results) - len(shown)} 份见 {markup_clean(output)}[/]")
    counts = {b: sum(1 for _, s in results if s.band == b) for b in ("好", "中", "差")}
    mean = sum(s.total for _, s in results) / len(results) if results else 0.0
    console.print(
        f"平均 {mean:.1f} 分 · 好 {counts['好']} · 中 {counts['中']} · 差 {counts['差']}"
        + (f" · [warn]跳过 {skipped} 行[/]" if skipped else "")
    )
    if output:
        console.print(f"[muted]结果已写入 {markup_clean(output)}[/]")
