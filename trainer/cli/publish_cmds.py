"""Authoring command: ``trainer publish TOPIC`` turns a checked draft into a bank topic."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from trainer.cli.app import app, state
from trainer.cli.common import console


@app.command("publish")
def publish(
    topic: Annotated[str, typer.Argument(help="草稿主题 id，如 draft-1a2b3c。", metavar="TOPIC")],
) -> None:
    """发布草稿主题：先校验它的评分要点与题目文件，通过后去掉 status: draft，使其参与随机抽题、模拟面试、复习与范文手册。"""
    from trainer.content.loader import load_content, validate_paths
    from trainer.content.rubric import without_draft_status
    from trainer.errors import InputError
    from trainer.fileio import write_text_atomic

    content = load_content(state.content_dirs, strict=False)
    found = content.topics.get(topic)
    if found is None:
        drafts = ", ".join(sorted(t for t, v in content.topics.items() if v.draft)) or "（无）"
        raise InputError(f"找不到主题 '{topic}'；草稿主题：{drafts}")
    path = Path(found.path)
    if not found.draft:
        console().print(f"主题 {topic} 已是正式题目（{path} 没有 status: draft），无需发布。")
        return
    checked = validate_paths([path], state.content_dirs)
    if checked.problems:
        for problem in checked.problems:
            sys.stdout.write(f"{problem}\n")
        sys.stderr.write(
            f"发现 {len(checked.problems)} 个问题，未发布；改正后再运行 trainer publish {topic}\n"
        )
        raise typer.Exit(2)
    text = without_draft_status(path.read_text(encoding="utf-8"))
    if text is None:
        raise InputError(f"{path}：找不到顶层的 status: draft 一行；请手工删除 status 字段")
    write_text_atomic(path, text)
    out = console()
    out.print(f"[hit]✓ 已发布 {topic}[/]（{path}）：现在会参与随机抽题、模拟面试、复习与 --all。")
