"""Screens for ``trainer stats`` and ``trainer review --list``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from trainer.render.common import fit
from trainer.render.common import markup_clean as escape
from trainer.text import fmt_points

if TYPE_CHECKING:  # runtime imports would pull fsrs into every screen
    from trainer.history.review import ReviewItem
    from trainer.history.stats import Stats

SPARK = "▁▂▃▄▅▆▇█"
WEEKDAY = "一二三四五六日"
RATING_LABEL = {1: "重来", 2: "困难", 3: "良好", 4: "轻松"}


def sparkline(values: Sequence[float], lo: float = 0.0, hi: float = 100.0) -> str:
    """One block per value on a fixed 0–100 scale, so topics compare at a glance."""
    out = []
    for v in values:
        frac = (min(max(v, lo), hi) - lo) / (hi - lo)
        out.append(SPARK[min(len(SPARK) - 1, int(frac * len(SPARK)))])
    return "".join(out)


def bar(value: float, width: int = 24, hi: float = 100.0) -> str:
    filled = round(width * min(max(value, 0.0), hi) / hi)
    return "█" * filled + "·" * (width - filled)


def _style(pct: float) -> str:
    return "hit" if pct >= 70 else "partial" if pct >= 50 else "miss"


def _hours(seconds: float) -> str:
    minutes = int(round(seconds / 60))
    return f"{minutes // 60} 小时 {minutes % 60} 分" if minutes >= 60 else f"{minutes} 分钟"


def stats_screen(console: Console, st: Stats, titles: dict[str, str] | None = None) -> None:
    titles = titles or {}
    ov = st.overview
    if ov.count == 0:
        console.print("还没有练习记录。用 [bold]trainer practice[/] 练一题，这里就会显示进步曲线。")
        return
    # -- where they stand
    trend = ""
    if ov.previous_mean is not None and ov.recent_mean is not None:
        delta = ov.recent_mean - ov.previous_mean
        arrow = "↑" if delta > 0.5 else "↓" if delta < -0.5 else "→"
        trend = f"，比之前 {ov.window} 次 {arrow}{fmt_points(abs(delta))}"
    console.print(
        f"[title]共 {ov.count} 次作答[/]（{ov.first_day} 至 {ov.last_day}）"
        f" · 平均 {fmt_points(ov.mean)} · 最高 {fmt_points(ov.best)}"
    )
    console.print(
        f"最近 {min(ov.window, ov.count)} 次平均 [bold]{fmt_points(ov.recent_mean)}[/]{trend}"
    )
    s = st.streak
    today = "今天已练" if s.practiced_today else "今天还没练"
    t = st.time
    console.print(
        f"连续练习 [bold]{s.current}[/] 天（{today}；最长 {s.longest} 天，累计 {s.days} 天）"
    )
    console.print(
        f"练习用时：审题 {_hours(t.think)}、作答 {_hours(t.answer)}；近 {t.days} 天共 {_hours(t.recent)}"
    )
    console.print()

    # -- daily trend
    console.print(f"[section]每日平均分（近 {len(st.daily)} 天）[/]")
    for d in st.daily:
        label = f"{d.day:%m-%d} 周{WEEKDAY[d.day.weekday()]}"
        if d.mean is None:
            console.print(f"  {label} [muted]{'·' * 24}   —[/]")
        else:
            console.print(
                f"  {label} [{_style(d.mean)}]{bar(d.mean)}[/] {fmt_points(d.mean):>5}  [muted]{d.count} 题[/]"
            )
    console.print()

    # -- per topic sparkline
    table = Table(title="各主题得分走势（每格一次，0–100）", expand=False, title_justify="left")
    # The topic (with its whole title) is the column that wraps; numbers never do.
    table.add_column("主题", overflow="fold")
    table.add_column("走势", no_wrap=True)
    table.add_column("次数", justify="right", no_wrap=True)
    table.add_column("首次", justify="right", no_wrap=True)
    table.add_column("最近", justify="right", no_wrap=True)
    table.add_column("平均", justify="right", no_wrap=True)
    for tt in st.topics:
        name = titles.get(tt.topic, "")
        label = f"{escape(tt.topic)}" + (f"\n[muted]{escape(name)}[/]" if name else "")
        table.add_row(
            label,
            sparkline(tt.totals[-30:]),
            str(len(tt.totals)),
            fmt_points(tt.first),
            f"[{_style(tt.last)}]{fmt_points(tt.last)}[/]",
            fmt_points(tt.mean),
        )
    console.print(table)

    # -- sections
    if st.sections:
        weakest = min(st.sections, key=lambda x: x.recent_pct)
        table = Table(title="各环节得分率", expand=False, title_justify="left")
        table.add_column("环节", no_wrap=True)
        table.add_column("平均", no_wrap=True)
        table.add_column("", justify="right")
        table.add_column("最近 5 次", justify="right")
        for sa in st.sections:
            table.add_row(
                escape(sa.section),
                f"[{_style(sa.mean_pct)}]{bar(sa.mean_pct, 16)}[/]",
                f"{sa.mean_pct:.0f}%",
                f"{sa.recent_pct:.0f}%",
            )
        console.print(table)
        tied = [
            x.section for x in st.sections if f"{x.recent_pct:.0f}" == f"{weakest.recent_pct:.0f}"
        ]
        if len(tied) == 1:
            console.print(
                f"最需要加强的环节：[bold]{escape(weakest.section)}[/]"
                f"（最近得分率 {weakest.recent_pct:.0f}%）"
            )
        elif len(tied) < len(st.sections):  # a tie is said as a tie, not decided by order
            console.print(
                f"最需要加强的环节：[bold]{escape('、'.join(tied))}[/]"
                f"（最近得分率都是 {weakest.recent_pct:.0f}%）"
            )
        console.print()

    # -- most missed points
    if st.missed:
        table = Table(
            title=f"最常漏掉的 {len(st.missed)} 个要点（附范文表述）",
            expand=False,
            title_justify="left",
            show_lines=True,
        )
        table.add_column("#", justify="right")
        table.add_column("环节", no_wrap=True)
        table.add_column("漏/半/共", justify="right", no_wrap=True)
        table.add_column("范文表述")
        for i, m in enumerate(st.missed, 1):
            table.add_row(
                str(i),
                escape(m.section),
                f"{m.misses}/{m.partials}/{m.seen}",
                f"{escape(m.text)}\n[muted]{escape(m.topic)} · {escape(m.point_id)}[/]",
            )
        console.print(table)
    console.print("[muted]复习漏掉的要点：trainer review[/]")


def review_list(
    console: Console,
    items: Sequence[ReviewItem],
    due: Sequence[ReviewItem],
    now: datetime,
    tz: tzinfo,
    show_all: bool = False,
) -> None:
    if not items:
        console.print("复习队列是空的：某题漏掉要点后，会自动排进复习队列。")
        return
    rows = list(items) if show_all else list(due)
    today = now.astimezone(tz).date()
    if not rows:
        nxt = min(items, key=lambda i: i.due)
        console.print(
            f"今天没有到期的复习题（队列共 {len(items)} 题）。下一题 {escape(nxt.question_id)} "
            f"在 {nxt.due_day(tz)}（{(nxt.due_day(tz) - today).days} 天后）到期。"
        )
        return
    title = (
        f"复习队列（共 {len(items)} 题）"
        if show_all
        else f"今天到期 {len(due)} 题（队列共 {len(items)} 题）"
    )
    table = Table(title=title, expand=False, title_justify="left")
    # 题号 and the missed points wrap on narrow terminals; the short columns never do.
    table.add_column("题号", style="cyan", overflow="fold")
    table.add_column("到期", no_wrap=True)
    table.add_column("上次", justify="right", no_wrap=True)
    table.add_column("评级", no_wrap=True)
    table.add_column("次数", justify="right", no_wrap=True)
    table.add_column("上次漏掉的要点", min_width=6)
    for it in rows:
        days = (it.due_day(tz) - today).days
        when = "今天" if days == 0 else f"逾期 {-days} 天" if days < 0 else f"{days} 天后"
        style = "miss" if days < 0 else "" if days > 0 else "warn"
        missed = "；".join(m[:24] + ("…" if len(m) > 24 else "") for m in it.missed[:2])
        if len(it.missed) > 2:
            missed += f" 等 {len(it.missed)} 点"
        table.add_row(
            escape(it.question_id),
            f"[{style}]{when}[/]" if style else when,
            fmt_points(it.last_total),
            RATING_LABEL.get(int(it.last_rating), str(it.last_rating)),
            str(it.reviews),
            escape(missed) or "[muted]—[/]",
        )
    console.print(table)
    console.print("[muted]开始复习下一题：trainer review[/]")


def review_missed(console: Console, item: ReviewItem) -> None:
    """Before a review question: the points missed last time, so this answer can make them good."""
    if not item.missed:
        return
    console.print(
        f"[title]上次（{fmt_points(item.last_total)} 分）漏掉的要点[/]，这次先想想怎么答到："
    )
    for m in item.missed:
        console.print(fit(f"  • {m}", console.width))


def offer_weakest(console: Console, item: ReviewItem) -> None:
    """Nothing due today: name the question last answered worst as the thing to do now."""
    console.print(
        f"不想等？先练上次得分最低的一题：[cyan]{escape(item.question_id)}[/]"
        f"（上次 {fmt_points(item.last_total)} 分）。"
    )
    console.print(f"[muted]用 trainer practice {escape(item.question_id)} 开始。[/]")
