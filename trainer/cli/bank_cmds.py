"""Question-bank commands: list, show, validate."""

from pathlib import Path
from typing import Annotated

import typer

from trainer.cli.app import app
from trainer.cli.common import bank, console


@app.command("list")
def list_questions(
    topic: Annotated[str | None, typer.Option("--topic", "-t", help="只列出该主题的题目。")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="输出 JSON 数组：{id, topic, template, text}。")
    ] = False,
) -> None:
    """列出题库中的全部题目。"""
    b = bank()
    questions = b.filter(topic)
    drafts = frozenset(t.id for t in b.topics.values() if t.draft)
    if as_json:
        from trainer.render import json_shapes

        json_shapes.print_json(json_shapes.question_list(questions, drafts))
        return
    from trainer.render.questions import question_table

    question_table(console(), questions, {t.id: t.title for t in b.topics.values()}, drafts)


@app.command("show")
def show(
    qid: Annotated[str, typer.Argument(help="题号，如 trust-gap/phenomenon-1。", metavar="QID")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON。")] = False,
    points: Annotated[
        bool, typer.Option("--points", help="同时显示评分要点（会剧透答案）。")
    ] = False,
) -> None:
    """显示一道题目及审题提示。"""
    b = bank()
    q = b.get(qid)
    rubric = b.rubric(q)
    if as_json:
        from trainer.render import json_shapes

        json_shapes.print_json(json_shapes.question_detail(q, rubric, points))
        return
    from trainer.render.questions import question_panel

    question_panel(console(), q, rubric, show_points=points)


@app.command("validate")
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="要检查的内容文件或目录；不给则检查全部已安装内容。", metavar="[PATH]..."
        ),
    ] = None,
) -> None:
    """检查题库内容文件（YAML），逐条列出问题：文件:行: 字段: 说明。"""
    from trainer.cli.app import state
    from trainer.content.loader import load_content, validate_paths

    for p in paths or []:
        if not p.exists():
            raise typer.BadParameter(f"找不到文件或目录：{p}", param_hint="PATH")
    if paths:
        content = validate_paths(paths, state.content_dirs)
    else:
        content = load_content(state.content_dirs, strict=False, check_quotes=True)
        content.problems = sorted(set(content.problems))
    if content.problems:
        import sys

        for problem in content.problems:
            sys.stdout.write(f"{problem}\n")
        sys.stderr.write(f"发现 {len(content.problems)} 个问题。\n")
        raise typer.Exit(2)
    from trainer.content.bank import QuestionBank

    qb = QuestionBank(content)
    from trainer.render.questions import validation_result

    validation_result(console(), len(content.files), len(content.topics), len(qb.questions))
