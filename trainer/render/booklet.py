"""Printable model answers: Markdown, plain text and a self-contained HTML booklet.

Each formatter takes a sequence of ``ModelAnswer`` (see ``trainer.modelanswer.assemble``)
and returns one string; output is deterministic (no dates, no random ids), so
it can be snapshot-tested and diffed. No rich here and no new dependency: the
HTML is built from string templates with every piece of content escaped.

- ``to_markdown``: headings per step, key phrases in ``**bold**``, ``--cite``
  as Markdown footnotes ``[^n]`` (numbered per question).
- ``to_text``: plain text wrapped to a display width (a CJK character counts
  two columns; no line starts with a closing punctuation mark), for narrow
  printers; questions are separated by a form feed so each starts a new page.
- ``to_html``: one A4 page per question (``@page { size: A4 }``,
  ``page-break-after``), section headings, key phrases in ``<strong>``, a
  contents page when there are several questions.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence

from trainer.modelanswer.assemble import ModelAnswer, Sentence, emphasis
from trainer.text import CHARS_PER_MINUTE
from trainer.text import printable as clean  # the one sanitiser; this module has no rich

FORMATS = ("md", "txt", "html")
STEP_ARROW = " → "
BOOKLET_TITLE = "综合分析 · 你怎么看 — 范文手册"

# ----------------------------------------------------------------------------- shared pieces


def duration(seconds: float) -> str:
    """Spoken time as Chinese minutes and seconds, e.g. ``3 分 51 秒``."""
    total = max(0, int(round(seconds)))
    return f"{total // 60} 分 {total % 60:02d} 秒"


def skeleton_line(ma: ModelAnswer) -> str:
    """The question type and its answer skeleton: ``名言类：释义 → 分析 → 过渡 → 做法 → 总结``."""
    return f"{ma.question.kind}：{STEP_ARROW.join(p.name for p in ma.parts)}"


def structure_line(ma: ModelAnswer) -> str:
    """The 审题 line: question type, the answer skeleton and points per step."""
    steps = STEP_ARROW.join(p.name for p in ma.parts)
    counts = " · ".join(f"{name} {n}" for name, n in ma.part_counts)
    return f"{ma.question.kind}；结构：{steps}（要点：{counts}）"


def length_line(ma: ModelAnswer) -> str:
    return f"约 {ma.chars} 字，口述约 {duration(ma.seconds)}（按 {CHARS_PER_MINUTE} 字/分钟）"


def note_line(ma: ModelAnswer, number: int) -> str:
    note = ma.footnotes[number - 1]
    title = f"《{note.doc_title}》" if note.doc_title else note.doc
    return f"{title}：“{note.quote}”"


def marks(sentence: Sentence, fmt: str) -> str:
    return "".join(fmt.format(n=n) for n in sentence.notes)


# ----------------------------------------------------------------------------- Markdown


def _md_escape(text: str) -> str:
    """Content as literal Markdown text: no markup, no HTML, no control characters."""
    return "".join("\\" + ch if ch in "\\`*_[]<>#|&~!" else ch for ch in clean(text))


def _md_sentence(sentence: Sentence, cite: bool, qn: int) -> str:
    body = "".join(
        f"**{_md_escape(t)}**" if bold else _md_escape(t) for t, bold in emphasis(sentence)
    )
    return body + (marks(sentence, f"[^{qn}-{{n}}]") if cite else "")


def _md_one(ma: ModelAnswer, qn: int, outline: bool, cite: bool) -> str:
    q = ma.question
    out = [
        f"## {_md_escape(q.id)} · {_md_escape(q.kind)}",
        "",
        f"> {_md_escape(q.text)}",
        "",
        f"- **主题**：{_md_escape(ma.topic_title)}",
        f"- **审题**：{_md_escape(structure_line(ma))}",
    ]
    out += [f"  - {_md_escape(h)}" for h in q.hints]
    out += [f"- **篇幅**：{_md_escape(length_line(ma))}"]
    out += [f"- **范文**：{_md_escape(ma.origin_label)}", ""]
    if outline:
        for step_name, items in ma.part_outline:
            out.append(f"### {_md_escape(step_name)}")
            out.append("")
            out += [f"- {_md_escape(i.phrase)}" for i in items] or ["- （无）"]
            out.append("")
        return "\n".join(out).rstrip() + "\n"
    for part in ma.parts:
        out += [f"### {_md_escape(part.name)}", ""]
        for step in part.steps:
            out.append("".join(_md_sentence(s, cite, qn) for s in step.sentences))
            out.append("")
    if cite and ma.footnotes:
        out += [f"[^{qn}-{n.number}]: {_md_escape(note_line(ma, n.number))}" for n in ma.footnotes]
    return "\n".join(out).rstrip() + "\n"


def to_markdown(
    answers: Sequence[ModelAnswer], *, outline: bool = False, cite: bool = False
) -> str:
    """Markdown, one ``##`` section per question (``---`` between questions).

    Several questions get a title and a contents list (id, type and skeleton,
    the question text) first.
    """
    parts = [_md_one(ma, i + 1, outline, cite) for i, ma in enumerate(answers)]
    if len(answers) <= 1:
        return "\n---\n\n".join(parts)
    head = ["# " + BOOKLET_TITLE + ("（提纲）" if outline else ""), "", "## 目录", ""]
    for i, ma in enumerate(answers, 1):
        q = ma.question
        head.append(
            f"{i}. **{_md_escape(q.id)}** · {_md_escape(skeleton_line(ma))}"
            f"（{_md_escape(ma.origin_label)}）：{_md_escape(q.text)}"
        )
    return "\n".join(head) + "\n\n---\n\n" + "\n---\n\n".join(parts)


# ----------------------------------------------------------------------------- plain text

# Footnote marks ``[n]`` count as closing: they stay on the line of their sentence.
_NO_LINE_START = set("，。、；：？！…）》」』”’%·,.;:?!)][")
_NO_LINE_END = set("（《「『“‘(")


def _cells(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def split_tokens(text: str) -> list[str]:
    """Characters, with runs of ASCII letters/digits kept whole (APP, 30, AI)."""
    out: list[str] = []
    for ch in text:
        if out and ch.isascii() and ch.isalnum() and out[-1][-1:].isascii() and out[-1].isalnum():
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _width(text: str) -> int:
    return sum(_cells(c) for c in text)


def break_lines(
    tokens: Sequence[str], width: int, first_used: int = 0, indent_used: int = 0
) -> list[list[str]]:
    """Group ``tokens`` into lines of at most ``width`` display columns (CJK = 2).

    ``first_used`` / ``indent_used`` are the columns already taken on the first
    / following lines. 禁则: a line never starts with a closing mark nor ends
    with an opening one — the last token(s) of the line move down instead, so
    no line exceeds ``width`` (unless a single token is wider than a line).
    """
    groups: list[list[str]] = []
    cur: list[str] = []
    used = first_used
    for tok in tokens:
        if cur and used + _width(tok) > width:
            carry = [tok]
            while len(cur) > 1 and carry[0][0] in _NO_LINE_START:
                carry.insert(0, cur.pop())
            while len(cur) > 1 and cur[-1][-1] in _NO_LINE_END:
                carry.insert(0, cur.pop())
            groups.append(cur)
            cur = carry
            used = indent_used + sum(_width(t) for t in cur)
        else:
            cur.append(tok)
            used += _width(tok)
    if cur:
        groups.append(cur)
    return groups


def wrap(
    text: str,
    width: int,
    indent: str = "",
    first: str | None = None,
    tokens: list[str] | None = None,
) -> list[str]:
    """Wrap ``text`` to ``width`` display columns with ``break_lines``.

    ``first`` prefixes the first line (default ``indent``), ``indent`` the rest;
    ``tokens`` replaces the tokenised ``text`` (to keep a footnote mark whole).
    """
    first = indent if first is None else first
    groups = break_lines(
        split_tokens(text) if tokens is None else tokens, width, _width(first), _width(indent)
    )
    return [
        (first + "".join(g) if i == 0 else indent + "".join(g).lstrip()).rstrip()
        for i, g in enumerate(groups)
    ]


def _txt_one(ma: ModelAnswer, outline: bool, cite: bool, width: int) -> str:
    q = ma.question
    out = [*wrap(f"{q.id} · {q.kind}", width), "=" * width]
    out += wrap(q.text, width, "  ", "题目：")
    out += wrap(ma.topic_title, width, "  ", "主题：")
    out += wrap(structure_line(ma), width, "  ", "审题：")
    for h in q.hints:
        out += wrap(h, width, "    ", "  · ")
    out += wrap(length_line(ma), width, "  ", "篇幅：")
    out += wrap(ma.origin_label, width, "  ", "范文：")
    out.append("")
    if outline:
        for step_name, items in ma.part_outline:
            out.append(f"【{step_name}】")
            for item in items:
                out += wrap(item.phrase, width, "    ", "  · ")
        return "\n".join(out) + "\n"
    for part in ma.parts:
        out.append(f"【{part.name}】")
        for step in part.steps:
            tokens = [
                tok
                for s in step.sentences
                for tok in (
                    *split_tokens(s.text),
                    *([marks(s, "[{n}]")] if cite and s.notes else []),
                )
            ]
            out += wrap("", width, "", "　　", tokens)
        out.append("")
    if cite and ma.footnotes:
        out.append("-" * min(width, 20))
        for n in ma.footnotes:
            out += wrap(note_line(ma, n.number), width, "    ", f"[{n.number}] ")
    return "\n".join(out).rstrip() + "\n"


def to_text(
    answers: Sequence[ModelAnswer], *, outline: bool = False, cite: bool = False, width: int = 64
) -> str:
    """Plain text for printing, ``width`` display columns; form feed between questions.

    Several questions start with a contents page (one entry per question).
    """
    width = max(24, width)
    pages = [clean(_txt_one(ma, outline, cite, width)) for ma in answers]
    if len(answers) > 1:
        head = [*wrap(BOOKLET_TITLE + ("（提纲）" if outline else ""), width), "=" * width]
        head += wrap(f"目录（共 {len(answers)} 题）", width)
        for i, ma in enumerate(answers, 1):
            lead = f"{i:>2}. "
            pad = " " * len(lead)
            head += wrap(f"{ma.question.id} · {skeleton_line(ma)}", width, pad, lead)
            head += wrap(f"（{ma.origin_label}）{ma.question.text}", width, pad + "  ", pad)
        pages.insert(0, clean("\n".join(head) + "\n"))
    return "\f\n".join(pages)


# ----------------------------------------------------------------------------- HTML

CSS = """
@page { size: A4; margin: 12mm 14mm 11mm 14mm; }
* { box-sizing: border-box; }
html { background: #e9e9e4; }
body {
  margin: 0; color: #1b1b1b; background: #e9e9e4;
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", serif;
  font-size: 10pt; line-height: 1.55;
}
.page {
  width: 210mm; min-height: 297mm; margin: 8mm auto; padding: 14mm 15mm;
  background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.25);
  page-break-after: always; break-after: page;
}
.page:last-child { page-break-after: auto; break-after: auto; }
.qid { margin: 0; font: 9pt/1.4 "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; color: #666; }
.topic { margin: 0 0 2mm; font-size: 9pt; color: #666; }
h1 { font-size: 12pt; line-height: 1.5; margin: 0 0 2mm; padding: 2mm 3mm;
  border-left: 3pt solid #8a1c1c; background: #f6f1ea; font-weight: 700; }
.brief { margin: 0 0 1mm; font-size: 9pt; line-height: 1.45; color: #333; }
.brief dt { float: left; clear: left; width: 3em; font-weight: 700; color: #8a1c1c; }
.brief dd { margin: 0 0 0.6mm 3.2em; }
.brief ul { margin: 0; padding-left: 1.2em; }
h2 { font: 700 10.5pt/1.3 "Noto Sans CJK SC", "Source Han Sans SC", sans-serif;
  color: #8a1c1c; margin: 2.2mm 0 0.6mm; padding-bottom: 0.4mm; border-bottom: 0.5pt solid #d9c7b5; }
p.answer { margin: 0; text-indent: 2em; text-align: justify; }
strong { font-weight: 700; color: #000; }
sup { font-size: 7pt; line-height: 0; color: #8a1c1c; }
sup a { color: inherit; text-decoration: none; }
.notes { margin-top: 2.5mm; padding-top: 1mm; border-top: 0.5pt solid #bbb; font-size: 7.5pt; line-height: 1.35; color: #444; }
.cited { font-size: 9.2pt; line-height: 1.42; }
.notes p { margin: 0 0 0.8mm; text-align: justify; }
.notes cite { font-style: normal; font-weight: 700; }
.notes b { font-weight: 400; color: #8a1c1c; }
.outline td, .outline th { vertical-align: top; padding: 1.2mm 2mm; border-bottom: 0.5pt solid #ddd; text-align: left; }
.outline { border-collapse: collapse; width: 100%; }
.outline th { width: 4.5em; color: #8a1c1c; white-space: nowrap; }
.outline ul { margin: 0; padding-left: 1.1em; }
.cover h1 { font-size: 20pt; border: 0; background: none; padding: 10mm 0 4mm; text-align: center; }
.cover h1 + .muted { margin-top: 0; }
.cover ol { font-size: 9pt; line-height: 1.45; padding-left: 2.2em; }
.cover li { margin-bottom: 1.6mm; break-inside: avoid; }
.cover .origin { color: #666; }
.cover .qtext { display: block; color: #333; font-size: 8.5pt; }
.cover .muted { color: #666; text-align: center; }
@media print {
  html, body { background: #fff; }
  .page { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
}
"""

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
{body}
</body>
</html>
"""

_QUESTION = """<article class="page{extra}" id="{anchor}">
<p class="qid">{qid} · {kind} · 范文：{origin}</p>
<p class="topic">{topic}</p>
<h1>{text}</h1>
<dl class="brief">
<dt>审题</dt><dd>{structure}{hints}</dd>
<dt>篇幅</dt><dd>{length}</dd>
</dl>
{body}
</article>"""


def _e(text: str) -> str:
    return html.escape(clean(text), quote=True)


def _anchor(qid: str) -> str:
    return "q-" + "".join(c if c.isascii() and c.isalnum() else "-" for c in qid)


def _html_sentence(sentence: Sentence, cite: bool, anchor: str) -> str:
    body = "".join(f"<strong>{_e(t)}</strong>" if b else _e(t) for t, b in emphasis(sentence))
    if cite:
        body += "".join(f'<sup><a href="#{anchor}-n{n}">[{n}]</a></sup>' for n in sentence.notes)
    return body


def _html_notes(ma: ModelAnswer, anchor: str) -> str:
    """Footnotes grouped by source document (the title once, then its quotes) to save room."""
    by_doc: dict[str, list] = {}
    for note in ma.footnotes:
        by_doc.setdefault(note.doc, []).append(note)
    paras = []
    for notes in by_doc.values():
        title = f"《{notes[0].doc_title}》" if notes[0].doc_title else notes[0].doc
        quotes = " ".join(
            f'<span id="{anchor}-n{n.number}"><b>[{n.number}]</b>“{_e(n.quote)}”</span>'
            for n in notes
        )
        paras.append(f"<p><cite>{_e(title)}</cite>：{quotes}</p>")
    return f'<section class="notes">{"".join(paras)}</section>'


def _html_one(ma: ModelAnswer, outline: bool, cite: bool) -> str:
    q = ma.question
    anchor = _anchor(q.id)
    hints = "".join(f"<li>{_e(h)}</li>" for h in q.hints)
    parts: list[str] = []
    if outline:
        rows = []
        for step_name, items in ma.part_outline:
            cells = "".join(f"<li>{_e(i.phrase)}</li>" for i in items) or "<li>（无）</li>"
            rows.append(f"<tr><th>{_e(step_name)}</th><td><ul>{cells}</ul></td></tr>")
        parts.append(f'<table class="outline">{"".join(rows)}</table>')
    else:
        for part in ma.parts:
            paras = "\n".join(
                '<p class="answer">'
                + "".join(_html_sentence(s, cite, anchor) for s in step.sentences)
                + "</p>"
                for step in part.steps
            )
            parts.append(f"<h2>{_e(part.name)}</h2>\n{paras}")
        if cite and ma.footnotes:
            parts.append(_html_notes(ma, anchor))
    return _QUESTION.format(
        extra=" cited" if cite and not outline else "",
        anchor=anchor,
        qid=_e(q.id),
        kind=_e(q.kind),
        topic=_e(ma.topic_title),
        text=_e(q.text),
        structure=_e(structure_line(ma)),
        hints=f"<ul>{hints}</ul>" if hints else "",
        length=_e(length_line(ma)),
        origin=_e(ma.origin_label),
        body="\n".join(parts),
    )


def _cover(answers: Sequence[ModelAnswer], outline: bool) -> str:
    items = "".join(
        f'<li><a href="#{_anchor(ma.question.id)}">{_e(ma.question.id)}</a> · '
        f'{_e(skeleton_line(ma))}<span class="origin">（{_e(ma.origin_label)}）</span>'
        f'<span class="qtext">{_e(ma.question.text)}</span></li>'
        for ma in answers
    )
    sub = "提纲卡" if outline else "每题一页：题目、审题（题型与答题结构）、范文"
    return (
        f'<section class="page cover"><h1>{_e(BOOKLET_TITLE)}</h1>'
        f'<p class="muted">共 {len(answers)} 题 · {sub}</p><ol>{items}</ol></section>'
    )


def to_html(answers: Sequence[ModelAnswer], *, outline: bool = False, cite: bool = False) -> str:
    """A self-contained printable page; a contents page first when there are several."""
    pages = [_html_one(ma, outline, cite) for ma in answers]
    if len(answers) > 1:
        pages.insert(0, _cover(answers, outline))
        title = BOOKLET_TITLE
    else:
        title = f"{answers[0].question.id} 范文" if answers else BOOKLET_TITLE
    return _PAGE.format(title=_e(title), css=CSS.strip(), body="\n".join(pages))


def render(
    answers: Sequence[ModelAnswer],
    fmt: str,
    *,
    outline: bool = False,
    cite: bool = False,
    width: int = 64,
) -> str:
    """Dispatch on ``fmt`` (one of ``FORMATS``)."""
    if fmt == "md":
        return to_markdown(answers, outline=outline, cite=cite)
    if fmt == "txt":
        return to_text(answers, outline=outline, cite=cite, width=width)
    if fmt == "html":
        return to_html(answers, outline=outline, cite=cite)
    raise ValueError(f"unknown format {fmt!r}")
