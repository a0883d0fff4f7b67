"""``trainer score``: score a written answer (file or stdin), or a teacher's batch."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from trainer.cli.app import app
from trainer.cli.common import bank, bank_for, console, stdin_bytes
from trainer.cli.common import compiled as compiled_rubric


@app.command("score")
def score_cmd(
    file: Annotated[
        str | None,
        typer.Argument(
            help="答案文件（UTF-8 文本）；写 - 或省略则从标准输入读取。", metavar="[FILE|-]"
        ),
    ] = None,
    question: Annotated[
        str | None,
        typer.Option("--question", "-q", help="题号，如 trust-gap/phenomenon-1。", metavar="QID"),
    ] = None,
    topic: Annotated[
        str | None,
        typer.Option("--topic", "-t", help="自带题目时：按该主题的评分要点打分。", metavar="T"),
    ] = None,
    question_text: Annotated[
        str | None,
        typer.Option(
            "--question-text", help="自带题目的题干（与 --topic 一起用）。", metavar="TEXT"
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="输出 JSON（total, band, sections, structure, length, warnings…）。"
        ),
    ] = False,
    batch: Annotated[
        Path | None,
        typer.Option(
            "--batch",
            help="批量评分：.jsonl（每行 {id, answer[, question]}）或 .csv（表头含 answer 列）。",
            metavar="FILE",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="批量结果写入 .csv 或 .json 文件。", metavar="FILE"),
    ] = None,
    scale: Annotated[
        int, typer.Option("--scale", help="考场分的满分：10 或 20。", metavar="10|20")
    ] = 20,
    no_save: Annotated[
        bool,
        typer.Option(
            "--no-save", help="不记入练习历史（老师给学生答案打分时用；--batch 从不记入）。"
        ),
    ] = False,
) -> None:
    """给一份写好的答案打分：逐段逐点判定、原话依据、结构、时长与提示。"""
    if scale not in (10, 20):
        raise typer.BadParameter("只能是 10 或 20", param_hint="--scale")
    if question_text is not None and topic is None:
        raise typer.BadParameter("--question-text 需要和 --topic 一起用", param_hint="--topic")
    if question and topic:
        raise typer.BadParameter("--question 与 --topic 只能选一个", param_hint="--topic")
    if topic is not None and not (question_text or "").strip():
        raise typer.BadParameter(
            "用 --topic 时请用 --question-text 给出题干", param_hint="--question-text"
        )
    if batch is not None:
        if file is not None:
            raise typer.BadParameter("--batch 模式下不要再给答案文件", param_hint="FILE")
        _batch(batch, output, question, topic, question_text, as_json, scale)
        return
    if output is not None:
        raise typer.BadParameter("--output 只用于 --batch 批量评分", param_hint="--output")
    if not question and topic is None:
        raise typer.BadParameter(
            "请用 --question 指定题号（trainer list 查看），或用 --topic 加 --question-text",
            param_hint="--question",
        )

    from trainer.fileio import ANSWER_LIMIT, read_answer
    from trainer.scoring.scorer import score

    b = bank([topic]) if topic else bank_for(question)
    if topic:
        q = b.custom_question(topic, question_text or "")
    else:
        assert question is not None  # checked above: one of --question / --topic
        q = b.get(question)
    rubric = b.rubric(q)
    answer = read_answer(
        None if file in (None, "-") else Path(file), stdin_bytes(file), limit=ANSWER_LIMIT
    )
    result = score(answer, q, compiled_rubric(rubric), exam_scale=scale)
    if as_json:
        from trainer.render import json_shapes

        json_shapes.print_json(json_shapes.score(result))
    else:
        from trainer.render.report import render_score

        render_score(console(), result, answer, q)
    if not no_save and answer.strip():
        _save(q, answer, result)


def _save(question, answer: str, result) -> None:
    """Record a scored answer in history (mode "score"); a history problem never hides the score."""
    from datetime import UTC, datetime

    from trainer.errors import ExitCode, TrainerError
    from trainer.history.store import open_store
    from trainer.models import Attempt

    attempt = Attempt(
        question_id=question.id,
        question_text=question.text,
        topic=question.topic,
        answer=answer,
        mode="score",
        total=result.total,
        score=result.to_dict(),
        rubric_version=result.rubric_version,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    try:
        with open_store() as st:
            attempt_id = st.add_attempt(attempt)
    except TrainerError as exc:
        # The report above stands and the answer is the user's file; the exit code says
        # the attempt is missing from history (scripts must not count it as recorded).
        sys.stderr.write(f"错误：成绩未能记入历史：{exc}（报告见上；只要评分可加 --no-save）\n")
        raise typer.Exit(ExitCode.FAILURE) from None
    sys.stderr.write(f"已记入历史（#{attempt_id}；不想记入请加 --no-save）。\n")


def _batch(
    path: Path,
    output: Path | None,
    question: str | None,
    topic: str | None,
    question_text: str | None,
    as_json: bool,
    scale: int,
) -> None:
    from trainer.errors import ExitCode, TrainerError
    from trainer.render.batch import batch_summary, print_problems, progress
    from trainer.scoring.batch import read_batch, write_results
    from trainer.scoring.scorer import score

    if output is not None and output.suffix.lower() not in (".csv", ".json"):
        raise typer.BadParameter("输出文件应以 .csv 或 .json 结尾", param_hint="--output")
    rows, problems = read_batch(path)
    b = bank()
    default = b.custom_question(topic, question_text or "") if topic else None
    if default is None and question:
        default = b.get(question)
    compiled: dict[str, tuple] = {}
    results = []
    err = console(stderr=True)
    with progress(err, len(rows)) as advance:
        for row in rows:
            try:
                q = b.get(row.question) if row.question else default
                if q is None:
                    raise TrainerError("没有题号：请用 --question 指定，或在该行给出 question")
                if q.id not in compiled:
                    compiled[q.id] = (q, compiled_rubric(b.rubric(q)))
                q, cr = compiled[q.id]
                results.append((row.id, score(row.answer, q, cr, exam_scale=scale)))
            except TrainerError as exc:
                problems.append(f"{path}:{row.line}: 跳过：{exc}")
            advance()
    print_problems(err, problems)
    if problems and not rows:  # not one readable row: bad input, and no empty results file
        raise typer.Exit(ExitCode.USAGE)
    if output is not None:
        write_results(output, results)
    if as_json and output is None:
        from trainer.render import json_shapes

        json_shapes.print_json(json_shapes.batch(results))
    else:
        batch_summary(console(), results, len(problems), str(output) if output else None)
    if rows and not results:
        raise typer.Exit(1)
