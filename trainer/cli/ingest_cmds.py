"""Authoring command: ``trainer ingest DOC...`` drafts a topic from raw articles."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from trainer.cli.app import app
from trainer.cli.common import console


def _read_inputs(docs: list[str]) -> list[tuple[str, bytes]]:
    from trainer.errors import InputError

    inputs: list[tuple[str, bytes]] = []
    for name in docs:
        if name == "-":
            buffer = getattr(sys.stdin, "buffer", None)  # a text-only stdin (tests) has none
            data = buffer.read() if buffer is not None else sys.stdin.read().encode("utf-8")
            inputs.append(("-", data))
            continue
        path = Path(name)
        if not path.is_file():
            raise InputError(f"{name}：找不到文件")
        try:
            inputs.append((name, path.read_bytes()))
        except OSError as exc:
            raise InputError(f"{name}：无法读取（{exc.strerror}）") from None
    return inputs


@app.command("ingest")
def ingest_cmd(
    docs: Annotated[
        list[str],
        typer.Argument(
            help="原始文章（UTF-8 或 GB18030 文本）；'-' 表示从标准输入读取。", metavar="DOC..."
        ),
    ],
    topic_id: Annotated[
        str | None,
        typer.Option(
            "--topic-id", help="主题 id（小写字母、数字、连字符）；默认取 -o 的文件名或自动生成。"
        ),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="主题标题；默认取文章标题。")] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="评分要点文件 rubrics/ID.yaml（或题库根目录）；默认写入用户题库，可立即练习。",
            metavar="PATH",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件。")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只分析并显示摘要，不写文件。")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="列出被丢弃的每一行。")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出摘要。")] = False,
) -> None:
    """从原始热点文章生成题目草稿：清理网页杂质、繁转简、分句归类、合并要点、引用原文。"""
    from trainer.ingest.pipeline import ingest
    from trainer.ingest.write import resolve_output, with_id, write_draft
    from trainer.render.ingest import ingest_summary, summary_data

    paths, implied_id = resolve_output(out, topic_id)
    draft = ingest(_read_inputs(docs), topic_id or implied_id, title)
    paths = with_id(paths, draft.topic_id)
    written = [] if dry_run else write_draft(draft, paths, force=force)
    from trainer.ingest.fairness import check, warnings

    unfair = warnings(check(draft))
    if as_json:
        from trainer.render.json_shapes import print_json

        data = summary_data(draft, written)
        data["fairness"] = unfair
        print_json(data)
        return
    ingest_summary(console(), draft, written, verbose=verbose, fairness=unfair)
