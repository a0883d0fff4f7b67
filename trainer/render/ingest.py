"""The summary shown after ``trainer ingest``: sources, points per section, warnings."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from trainer.ingest.clean import REASONS
from trainer.ingest.records import TopicDraft
from trainer.models import SECTIONS
from trainer.render.common import markup_clean as escape


def _dropped_summary(reasons: Counter[str]) -> str:
    return "、".join(f"{REASONS[r]} {n}" for r, n in reasons.most_common())


def summary_data(draft: TopicDraft, written: list[Path]) -> dict:
    """The summary as plain data (``--json``)."""
    return {
        "topic": draft.topic_id,
        "title": draft.title,
        "question": f"{draft.topic_id}/phenomenon-1",
        "sources": [
            {
                "id": s.id,
                "name": s.clean.name,
                "title": s.clean.title,
                "encoding": s.clean.encoding,
                "kept_lines": s.clean.kept,
                "dropped_lines": len(s.clean.dropped),
                "dropped_by_reason": dict(Counter(d.reason for d in s.clean.dropped)),
                "sentences": len(s.sentences),
                "body_found": bool(s.sentences),
            }
            for s in draft.sources
        ],
        "sections": {
            sec: {
                "points": len(draft.by_section(sec)),
                "sources": sorted({d for p in draft.by_section(sec) for d, _ in p.support}),
            }
            for sec in SECTIONS
        },
        "points": [
            {
                "id": p.id,
                "section": p.section,
                "weight": p.weight,
                "text": p.text,
                "phrasings": list(p.phrasings),
                "keywords": [list(g) for g in p.keywords],
                "source": {"doc": p.doc, "quote": p.quote},
                "support": [{"doc": d, "sentence": n} for d, n in p.support],
            }
            for p in draft.points
        ],
        "materials": len(draft.materials),
        "warnings": list(draft.warnings),
        "written": [str(p) for p in written],
    }


def _cmd(console: Console, text: str) -> None:
    """A command the user copies: its own line, never wrapped, no markup or highlighting."""
    console.print(f"  {text}", soft_wrap=True, markup=False, highlight=False)


def ingest_summary(
    console: Console,
    draft: TopicDraft,
    written: list[Path],
    verbose: bool = False,
    fairness: list[str] | None = None,
) -> None:
    """The summary, laid out for 80 columns: short labels, wrapped cells, lists below."""
    docs = Table(title=f"来源文档（{len(draft.sources)} 篇）", expand=False)
    docs.add_column("来源", style="cyan", no_wrap=True)
    docs.add_column("文件 · 标题", overflow="fold", min_width=16, max_width=40)
    docs.add_column("编码", no_wrap=True)
    docs.add_column("留行", justify="right", no_wrap=True)
    docs.add_column("丢行", justify="right", no_wrap=True)
    docs.add_column("句数", justify="right", no_wrap=True)
    for s in draft.sources:
        name = Path(s.clean.name).name if s.clean.name != "-" else "（标准输入）"
        title = escape(s.clean.title) if s.clean.title else "[muted]（无标题）[/]"
        docs.add_row(
            s.id,
            f"{escape(name)}\n{title}",
            s.clean.encoding,
            str(s.clean.kept),
            str(len(s.clean.dropped)),
            str(len(s.sentences)) if s.sentences else "[warn]无正文[/]",
        )
    console.print(docs)
    for s in draft.sources:
        reasons = Counter(d.reason for d in s.clean.dropped)
        if reasons:
            console.print(f"  [muted]{s.id} 丢弃：{escape(_dropped_summary(reasons))}[/]")
    if verbose:
        for s in draft.sources:
            for d in s.clean.dropped:
                console.print(
                    f"[muted]{s.id}:{d.lineno} 丢弃（{REASONS[d.reason]}）[/] {escape(d.text[:60])}"
                )

    pts = Table(title=f"要点草稿：{escape(draft.title)}", expand=False)
    pts.add_column("段落", style="section", no_wrap=True)
    pts.add_column("点数", justify="right", no_wrap=True)
    pts.add_column("多源", justify="right", no_wrap=True)
    pts.add_column("来源", no_wrap=True)
    pts.add_column("首个要点", min_width=20, overflow="fold")
    for sec in SECTIONS:
        items = draft.by_section(sec)
        srcs = sorted({d for p in items for d, _ in p.support}, key=lambda d: int(d[1:]))
        multi = sum(1 for p in items if len({d for d, _ in p.support}) > 1)
        first = items[0].text if items else ""
        pts.add_row(
            sec,
            str(len(items)) if items else "[warn]0[/]",
            str(multi),
            " ".join(srcs) or "—",
            escape(first if len(first) <= 40 else first[:38] + "……"),
        )
    console.print(pts)
    console.print(
        f"共 {len(draft.points)} 个要点，{len(draft.materials)} 条素材；"
        f"丢弃 {sum(len(s.clean.dropped) for s in draft.sources)} 行非正文。"
    )
    console.print(f"[section]题目草稿[/] {escape(draft.question)}对此，你怎么看？")
    for w in draft.warnings:
        console.print(f"[warn]⚠ {escape(w)}[/]")
    if fairness is not None:
        if fairness:
            console.print(
                f"[warn]公平性检查：{len(fairness)} 个要点只有原句能答中，请补写说法：[/]"
            )
            for w in fairness:
                console.print(f"  [warn]⚠ {escape(w)}[/]")
        else:
            console.print("[hit]✓ 公平性检查：每个要点的原文句子改写后仍能得分[/]")
    if written:
        console.print("[hit]✓ 已写入（格式校验通过，状态为草稿）：[/]")
        for p in written:
            _cmd(console, str(p))
        qid = f"{draft.topic_id}/phenomenon-1"
        console.print("[muted]下一步：编辑上面的 YAML 草稿，然后查看、试练、发布：[/]")
        _cmd(console, f"trainer show {qid} --points")
        _cmd(console, f"trainer practice {qid}")
        _cmd(console, f"trainer publish {draft.topic_id}")
    else:
        console.print("[muted]（--dry-run：未写入文件）[/]")
