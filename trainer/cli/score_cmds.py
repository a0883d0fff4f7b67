"""``trainer score``: score a written answer (file or stdin), or a teacher's batch."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from trainer.cli.app import app
from trainer.cli.common import bank, bank_for, console, stdin_bytes
from trainer.cli.common import compiled as compiled_rubric

if TYPE_CHECKING:
    from trainer.content.bank import QuestionBank


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
        typer.Option(
            "--output", "-o", help="批量结果写入 .csv、.xlsx 或 .json 文件。", metavar="FILE"
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", help="批量评分：另写一份可打印的班级报告（.html）。", metavar="FILE"
        ),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            help="批量评分用几个进程；0 = 自动（200 行以上的文件每个 CPU 核一个进程，"
            "结果与顺序不变）。",
            metavar="N",
        ),
    ] = 0,
    force: Annotated[
        bool, typer.Option("--force", help="-o / --report 的文件已存在时覆盖它（输入文件除外）。")
    ] = False,
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
        _batch(batch, output, question, topic, question_text, as_json, scale, report, jobs, force)
        return
    if output is not None:
        raise typer.BadParameter("--output 只用于 --batch 批量评分", param_hint="--output")
    if report is not None:
        raise typer.BadParameter("--report 只用于 --batch 批量评分", param_hint="--report")
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


class _Resolver:
    """A row's question (or the batch's default) and its compiled rubric, each compiled once.

    Picklable, so ``--jobs`` workers build their own from the same content directories.
    """

    def __init__(
        self, content_dirs: list[Path], question: str | None, topic: str | None, text: str | None
    ) -> None:
        self.content_dirs = list(content_dirs)
        self.question, self.topic, self.text = question, topic, text
        self._bank: QuestionBank | None = None
        self._cache: dict[str | None, tuple] = {}

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_bank": None, "_cache": {}}

    def __call__(self, qid: str | None) -> tuple:
        from trainer.cli.app import state
        from trainer.errors import TrainerError

        hit = self._cache.get(qid)
        if hit is not None:
            return hit
        if self._bank is None:
            state.content_dirs = self.content_dirs
            self._bank = bank()
        b = self._bank
        if qid is not None:
            q = b.get(qid)
        elif self.topic:
            q = b.custom_question(self.topic, self.text or "")
        elif self.question:
            q = b.get(self.question)
        else:
            raise TrainerError("没有题号：请用 --question 指定，或在该行的题号（question）列给出")
        hit = self._cache[qid] = (q, compiled_rubric(b.rubric(q)))
        return hit


def _batch(
    path: Path,
    output: Path | None,
    question: str | None,
    topic: str | None,
    question_text: str | None,
    as_json: bool,
    scale: int,
    report: Path | None,
    jobs: int,
    force: bool,
) -> None:
    from contextlib import ExitStack

    from trainer.cli.app import state
    from trainer.fileio import check_target
    from trainer.render.batch import batch_summary, print_problem, progress
    from trainer.scoring.batch import ClassSummary, Problem, open_batch, score_items
    from trainer.scoring.batch_write import OUTPUT_SUFFIXES, JsonArrayWriter, open_results

    if jobs < 0:
        raise typer.BadParameter("进程数不能为负；0 表示自动", param_hint="--jobs")
    if output is not None:
        if output.suffix.lower() not in OUTPUT_SUFFIXES:
            raise typer.BadParameter(
                "输出文件应以 .csv、.xlsx 或 .json 结尾", param_hint="--output"
            )
        check_target(output, "-o", force=force, inputs=[path])
    if report is not None:
        if report.suffix.lower() not in (".html", ".htm"):
            raise typer.BadParameter("班级报告应以 .html 结尾", param_hint="--report")
        check_target(report, "--report", force=force, inputs=[path, *([output] if output else [])])
    batch = open_batch(path)
    resolve = _Resolver(state.content_dirs, question, topic, question_text)
    if question or topic:
        resolve(None)  # an unknown default question is a usage error, before any row
    summary = ClassSummary()
    err = console(stderr=True)
    with ExitStack() as stack:
        writer = stack.enter_context(open_results(output)) if output is not None else None
        stdout_json = JsonArrayWriter(sys.stdout) if as_json and output is None else None
        advance = stack.enter_context(progress(err, None))
        for item in score_items(batch.items(), resolve, scale, jobs):
            if isinstance(item, Problem):
                summary.problem(item)
                print_problem(err, len(summary.problems), batch.name, item)
            else:
                summary.add(item)
            if writer is not None:
                (writer.problem if isinstance(item, Problem) else writer.result)(item)  # type: ignore[arg-type]
            if stdout_json is not None and not isinstance(item, Problem):
                stdout_json.result(item)
            advance()
        if stdout_json is not None:
            stdout_json.close()
    if report is not None:
        from trainer.fileio import write_text_atomic
        from trainer.render.class_report import class_report_html

        write_text_atomic(report, class_report_html(summary, batch.name), "--report")
    if stdout_json is None:
        batch_summary(
            console(), summary, str(output) if output else None, str(report) if report else None
        )
    else:
        batch_summary(err, summary, None, str(report) if report else None, table=False)
    if summary.problems:
        raise typer.Exit(1)
