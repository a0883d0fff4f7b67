"""Model-answer command: ``trainer model-answer QID|--topic T|--all [--format …] [-o FILE]``."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from trainer.cli.app import app
from trainer.cli.common import bank, console
from trainer.errors import InputError

_SUFFIX_FORMAT = {".md": "md", ".markdown": "md", ".txt": "txt", ".html": "html", ".htm": "html"}
_FORMATS = ("rich", "md", "txt", "html")


def _pick_format(fmt: str | None, output: Path | None, force: bool = False) -> str:
    if output is not None:
        from trainer.fileio import check_target

        check_target(output, force=force)
    if fmt is not None:
        fmt = fmt.lower()
        if fmt not in _FORMATS:
            raise InputError(f"--format：不支持 '{fmt}'；可选：{' / '.join(_FORMATS)}")
        if fmt == "rich" and output is not None:
            raise InputError("--format rich 只能显示在终端；写文件请用 --format md、txt 或 html")
        return fmt
    if output is None:
        return "rich"
    inferred = _SUFFIX_FORMAT.get(output.suffix.lower())
    if inferred is None:
        raise InputError(f"-o：无法从文件名 '{output.name}' 判断格式；请加 --format md|txt|html")
    return inferred


@app.command("model-answer")
def model_answer(
    qid: Annotated[
        str | None, typer.Argument(help="题号，如 trust-gap/phenomenon-1。", metavar="[QID]")
    ] = None,
    topic: Annotated[
        str | None, typer.Option("--topic", "-t", help="输出该主题全部题目的范文。")
    ] = None,
    all_questions: Annotated[
        bool, typer.Option("--all", help="输出全部题目的范文（范文手册）。")
    ] = False,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="rich（终端，默认）/ md / txt（窄幅打印）/ html（A4 打印页）；给了 -o 时按扩展名推断。",
            metavar="FORMAT",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="写入文件（原子写入，不会留下半个文件）。", metavar="FILE"
        ),
    ] = None,
    outline: Annotated[
        bool, typer.Option("--outline", help="只输出提纲卡：按题型的答题结构列出每个要点的关键词。")
    ] = False,
    cite: Annotated[
        bool, typer.Option("--cite", help="以脚注标出每个要点的出处（文章与原文短引）。")
    ] = False,
    width: Annotated[
        int, typer.Option("--width", help="txt 格式的行宽（半角列数，一个汉字占 2 列）。")
    ] = 64,
    force: Annotated[bool, typer.Option("--force", help="-o 的文件已存在时覆盖它。")] = False,
) -> None:
    """显示或打印范文：按题型的答题结构分段（如名言类 释义→分析→做法→总结），可导出 md / txt / html 范文手册。"""
    chosen = sum((qid is not None, topic is not None, all_questions))
    if chosen != 1:
        raise InputError(
            "请给出题号、--topic 主题 或 --all 三者之一，例如：trainer model-answer --all -o booklet.html"
        )
    if width < 24:
        raise InputError(f"--width：{width} 太窄；至少 24 列")
    form = _pick_format(fmt, output, force)
    b = bank()
    questions = [b.get(qid)] if qid is not None else b.drawable(topic)
    from trainer.modelanswer.assemble import build_model_answer

    answers = [build_model_answer(q, b.rubric(q)) for q in questions]
    if form == "rich":
        from trainer.render.modelanswer import print_model_answers

        print_model_answers(console(), answers, outline=outline, cite=cite)
        return
    from trainer.render.booklet import render

    text = render(answers, form, outline=outline, cite=cite, width=width)
    if output is None:
        sys.stdout.write(text)
        return
    from trainer.fileio import write_text_atomic

    write_text_atomic(output, text)
    console(stderr=True).print(f"已写入 {output}（{len(answers)} 题，{form}）", markup=False)
