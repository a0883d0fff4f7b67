"""The terminal view of a model answer (rich).

``render_model_answer(console, question, rubric)`` is the public entry point:
``trainer model-answer`` uses it, and the practice screen calls it after an
answer to show the model answer for the same question — keep its name and
signature. ``print_model_answer`` renders an already built ``ModelAnswer``.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from trainer.modelanswer.assemble import ModelAnswer, Sentence, build_model_answer, emphasis
from trainer.models import Question, Rubric
from trainer.render.booklet import (
    break_lines,
    length_line,
    note_line,
    split_tokens,
    structure_line,
)
from trainer.render.common import clean, markup_clean


def render_model_answer(
    console: Console,
    question: Question,
    rubric: Rubric,
    *,
    outline: bool = False,
    cite: bool = False,
) -> None:
    """Build and print the model answer of ``question`` (scored against ``rubric``)."""
    print_model_answer(console, build_model_answer(question, rubric), outline=outline, cite=cite)


def print_model_answers(
    console: Console, answers: Sequence[ModelAnswer], *, outline: bool = False, cite: bool = False
) -> None:
    for i, ma in enumerate(answers):
        if i:
            console.rule(style="muted")
        print_model_answer(console, ma, outline=outline, cite=cite)


def _sentence_text(sentence: Sentence, cite: bool) -> Text:
    text = Text()
    for run, bold in emphasis(sentence):
        text.append(clean(run), style="bold" if bold else "")
    if cite and sentence.notes:
        text.append("".join(f"[{n}]" for n in sentence.notes), style="muted")
    return text


def _paragraph(sentences: Sequence[Sentence], cite: bool, width: int) -> Text:
    """A step as an indented paragraph, pre-wrapped with the booklet's 禁则 line breaking.

    Rich folds CJK text anywhere (a line may start with '，'); breaking lines
    here keeps punctuation and footnote marks with the text they follow.
    """
    paragraph = Text("　　")
    tokens = ["　　"]
    for s in sentences:
        paragraph.append_text(_sentence_text(s, cite))
        tokens += split_tokens(clean(s.text))
        if cite and s.notes:
            tokens.append("".join(f"[{n}]" for n in s.notes))
    offsets, pos = [], 0
    for line in break_lines(tokens, width):
        pos += sum(len(t) for t in line)
        offsets.append(pos)
    return Text("\n").join(paragraph.divide(offsets[:-1]))


def _bullets(lines: Sequence[str]) -> Table:
    """Lines as a bulleted list that wraps under its text (a hanging indent)."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for line in lines:
        grid.add_row("•", Text(clean(line)))
    return grid


def _header(ma: ModelAnswer) -> Panel:
    q = ma.question
    brief = Table.grid(padding=(0, 1), expand=True)
    brief.add_column(style="section", no_wrap=True)
    brief.add_column(ratio=1)
    structure = Text(clean(structure_line(ma)))
    brief.add_row("审题", Group(structure, _bullets(q.hints)) if q.hints else structure)
    brief.add_row("篇幅", Text(length_line(ma)))
    brief.add_row("范文", Text(ma.origin_label))
    return Panel(
        Group(Text(clean(q.text)), Text(""), brief),
        title=f"[title]{markup_clean(q.id)}[/] · {markup_clean(q.kind)}",
        subtitle=Text(clean(ma.topic_title), style="muted"),
        expand=True,
    )


def print_model_answer(
    console: Console, ma: ModelAnswer, *, outline: bool = False, cite: bool = False
) -> None:
    """Print one model answer: header, then its type's steps (or the outline card)."""
    console.print(_header(ma))
    if outline:
        table = Table(show_header=False, box=None, padding=(0, 1), expand=False)
        table.add_column(style="section", no_wrap=True)
        table.add_column()
        for step_name, items in ma.part_outline:
            phrases = [i.phrase for i in items]
            table.add_row(step_name, _bullets(phrases) if phrases else Text("—"))
        console.print(Panel(table, title="提纲卡", expand=False))
        return
    for part in ma.parts:
        console.print(Text(f"【{part.name}】", style="section"))
        for step in part.steps:
            console.print(_paragraph(step.sentences, cite, console.width))
    if cite and ma.footnotes:
        notes = Table.grid(padding=(0, 1))
        notes.add_column(style="muted", no_wrap=True, justify="right")
        notes.add_column(style="muted")
        for note in ma.footnotes:
            notes.add_row(Text(f"[{note.number}]"), Text(clean(note_line(ma, note.number))))
        console.print()
        console.print(notes)
