"""The class report of ``trainer score --batch … --report report.html``: one printable page.

Self-contained (inline CSS, the histogram as inline SVG; no script, no web font, nothing
fetched), A4 print rules. Sections: the class at a glance (scored, not scored, mean, band
counts), the score distribution, the average per section, the points most of the class
missed with their model wording, and one row per student.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

from trainer.models import SECTIONS
from trainer.scoring.batch import ClassSummary

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

CSS = """
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, serif;
  color: #111; background: #fff; margin: 0 auto; max-width: 190mm; padding: 8mm 4mm;
  font-size: 10.5pt; line-height: 1.55; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; margin: 7mm 0 2mm; border-bottom: 1.5px solid #111; padding-bottom: 1mm;
  break-after: avoid; }
.meta { color: #444; font-size: 9.5pt; margin: 0 0 4mm; }
.cards { display: flex; gap: 3mm; flex-wrap: wrap; }
.card { border: 1px solid #999; border-radius: 2mm; padding: 2mm 4mm; min-width: 28mm; }
.card b { display: block; font-size: 15pt; }
.card span { color: #444; font-size: 9pt; }
.band-好 { color: #1b5e20; } .band-中 { color: #8d6e00; } .band-差 { color: #b71c1c; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th, td { border: 1px solid #bbb; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
.bar { display: inline-block; height: 3mm; background: #555; vertical-align: middle; }
.muted { color: #666; }
svg text { font-size: 9px; fill: #222; }
@media print { body { padding: 0; } }
"""


def _e(text: object) -> str:
    return html.escape(_CONTROL.sub("", str(text)), quote=True)


def _histogram(counts: list[int]) -> str:
    width, height, pad = 560, 170, 24
    top = max(counts) or 1
    bw = (width - 2 * pad) / len(counts)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="分数分布">'
    ]
    base = height - pad
    for i, n in enumerate(counts):
        h = (base - pad) * n / top
        x = pad + i * bw
        colour = "#b71c1c" if i < 6 else "#8d6e00" if i < 8 else "#1b5e20"
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{base - h:.1f}" width="{bw - 4:.1f}" height="{h:.1f}" '
            f'fill="{colour}" data-count="{n}"/>'
        )
        parts.append(
            f'<text x="{x + bw / 2:.1f}" y="{base - h - 3:.1f}" text-anchor="middle">{n}</text>'
        )
        label = f"{i * 10}–{i * 10 + 9}" if i < 9 else "90–100"
        parts.append(
            f'<text x="{x + bw / 2:.1f}" y="{base + 12:.1f}" text-anchor="middle">{label}</text>'
        )
    parts.append(
        f'<line x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}" stroke="#333" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def class_report_html(summary: ClassSummary, source: str, now: datetime | None = None) -> str:
    """The whole page as one string."""
    when = (now or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")
    bands = summary.bands
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>班级报告 · {_e(source)}</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>班级报告 · 综合分析</h1>",
        f'<p class="meta">{_e(source)} · {when} · 规则评分（同一答案同一分数）</p>',
        '<div class="cards">',
        f'<div class="card"><b id="scored">{summary.scored}</b><span>已评分</span></div>',
        f'<div class="card"><b id="mean">{summary.mean:.1f}</b><span>平均分（满分 100）</span></div>',
    ]
    for b in ("好", "中", "差"):
        out.append(
            f'<div class="card band-{b}"><b id="band-{b}">{bands[b]}</b><span>{b}档</span></div>'
        )
    out.append(
        f'<div class="card"><b id="problems">{len(summary.problems)}</b><span>未评分的行</span></div>'
    )
    out.append("</div>")

    out.append("<h2>分数分布</h2>")
    out.append(_histogram(summary.histogram))

    out.append("<h2>各段平均得分率</h2>")
    out.append('<table id="sections"><thead><tr><th>段落</th><th class="num">平均得分率</th>')
    out.append("<th>　</th></tr></thead><tbody>")
    for sec in SECTIONS:
        avg = summary.section_average(sec)
        if avg is None:
            continue
        out.append(
            f'<tr><td>{sec}</td><td class="num">{avg * 100:.0f}%</td>'
            f'<td><span class="bar" style="width:{avg * 60:.1f}mm"></span></td></tr>'
        )
    out.append("</tbody></table>")

    missed = summary.most_missed()
    out.append("<h2>多数同学漏掉的要点</h2>")
    if missed:
        out.append(
            '<table id="missed"><thead><tr><th>题号</th><th>段落</th><th>要点（范文说法）</th>'
            '<th class="num">漏掉</th></tr></thead><tbody>'
        )
        for q, pid, sec, wording, n, asked in missed:
            out.append(
                f"<tr><td>{_e(q)}<br><span class='muted'>{_e(pid)}</span></td><td>{_e(sec)}</td>"
                f'<td>{_e(wording)}</td><td class="num">{n}/{asked}（{n / max(1, asked):.0%}）</td></tr>'
            )
        out.append("</tbody></table>")
    else:
        out.append('<p class="muted">没有漏掉的要点。</p>')

    out.append("<h2>每位同学</h2>")
    out.append(
        '<table id="students"><thead><tr><th class="num">行</th><th>学号</th><th>姓名</th>'
        '<th>题号</th><th class="num">总分</th><th>档次</th><th class="num">考场分</th>'
        '<th class="num">漏掉</th></tr></thead><tbody>'
    )
    for st in summary.students:
        note = "答案为空" if st.empty else f"{len(st.missed)} 个"
        out.append(
            f'<tr><td class="num">{st.line}</td><td>{_e(st.id)}</td><td>{_e(st.name)}</td>'
            f'<td>{_e(st.question)}</td><td class="num">{st.total:g}</td>'
            f'<td class="band-{_e(st.band)}">{_e(st.band)}</td>'
            f'<td class="num">{st.exam_score:g}/{st.exam_scale}</td>'
            f'<td class="num">{note}</td></tr>'
        )
    out.append("</tbody></table>")
    if summary.problems:
        out.append("<h2>未评分的行</h2>")
        out.append(
            '<table id="problem-rows"><thead><tr><th class="num">行</th><th>学号/姓名</th>'
            "<th>问题</th></tr></thead><tbody>"
        )
        for p in summary.problems:
            out.append(
                f'<tr><td class="num">{p.line}</td><td>{_e(p.id)}</td><td>{_e(p.message)}</td></tr>'
            )
        out.append("</tbody></table>")
    out.append("</body></html>\n")
    return "\n".join(out)
