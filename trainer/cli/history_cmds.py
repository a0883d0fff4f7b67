"""History commands: history [show|delete], stats, review, export, import, data path.

Thin: open the store, call trainer.history.stats / trainer.history.review / trainer.history.transfer,
render or print JSON. sqlite3, fsrs and rich are imported inside the commands.
"""

from __future__ import annotations

import io
import sys
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Annotated

import typer

from trainer.cli.app import app
from trainer.cli.common import console, stdin_bytes
from trainer.cli.zh import ZhTyper

history_app = ZhTyper(
    help="练习记录：列出历次作答，或查看某一次的评分报告与作答。",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(history_app, name="history")

data_app = ZhTyper(help="数据目录与历史数据库的位置。", no_args_is_help=True)
app.add_typer(data_app, name="data")


def _now() -> tuple[datetime, tzinfo]:
    """Now in the local zone, and that zone (due dates and day boundaries use it)."""
    now = datetime.now().astimezone()
    assert now.tzinfo is not None  # astimezone() always returns an aware datetime
    return now, now.tzinfo


@history_app.callback()
def history(
    ctx: typer.Context,
    topic: Annotated[str | None, typer.Option("--topic", "-t", help="只看该主题。")] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="最多显示最近 N 条（0 = 全部）。", min=0)
    ] = 20,
    as_json: Annotated[
        bool, typer.Option("--json", help="输出 JSON 数组（不含作答全文与评分详情）。")
    ] = False,
) -> None:
    """列出练习记录（最新在前）；trainer history show 编号 查看某一次。"""
    if ctx.invoked_subcommand:
        return
    from trainer.history.store import open_store

    with open_store() as st:
        attempts = st.list_attempts(topic=topic, limit=limit or None)
        total = st.count() if not topic else None
    if as_json:
        from trainer.render import json_shapes

        json_shapes.print_json(json_shapes.attempt_list(attempts))
        return
    from trainer.render.history import history_table

    history_table(console(), attempts, None, total)


@history_app.command("show")
def history_show(
    attempt_id: Annotated[
        int, typer.Argument(help="记录编号（见 trainer history）。", metavar="ID")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="输出完整记录 JSON。")] = False,
) -> None:
    """再次显示某次作答的评分报告和作答全文。"""
    from trainer.history.store import open_store

    with open_store() as st:
        attempt = st.get(attempt_id)
    if as_json:
        from trainer.render import json_shapes

        json_shapes.print_json(json_shapes.attempt(attempt))
        return
    from trainer.render.history import attempt_header, stored_report

    con = console()
    attempt_header(con, attempt, None, stale=_rubric_changed(attempt))
    # The answer and question too, so the report is the one shown right after answering.
    stored_report(con, attempt.score, attempt.answer, _question_of(attempt))


def _question_of(attempt):
    """The attempt's question from the bank, when it is still there (else the report omits it)."""
    from dataclasses import replace

    from trainer.cli.common import bank
    from trainer.errors import TrainerError

    try:
        q = bank().get(attempt.question_id)
    except (TrainerError, KeyError):
        return None
    # The text as it was asked, should the bank have reworded it since.
    return replace(q, text=attempt.question_text) if attempt.question_text else q


def _can_ask() -> bool:
    """A terminal to ask for confirmation on (monkeypatched in tests)."""
    return sys.stdin.isatty()


@history_app.command("delete")
def history_delete(
    attempt_id: Annotated[
        int, typer.Argument(help="记录编号（见 trainer history）。", metavar="ID")
    ],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="不询问，直接删除（脚本中使用）。")
    ] = False,
) -> None:
    """删除一条练习记录（不可撤销）；会先确认，脚本中加 --yes。"""
    from trainer.errors import InputError
    from trainer.history.store import open_store

    with open_store() as st:
        attempt = st.get(attempt_id)  # an unknown id is a one-line error, exit 2
    when = datetime.fromisoformat(attempt.created_at).astimezone().strftime("%Y-%m-%d %H:%M")
    what = f"#{attempt_id}（{when}，{attempt.question_id}，{round(attempt.total, 1):g} 分）"
    if not yes:
        if not _can_ask():
            raise InputError(
                f"删除记录 {what} 需要确认，但没有终端可以询问；"
                f"确定要删除请运行 trainer history delete {attempt_id} --yes"
            )
        if not typer.confirm(f"删除练习记录 {what}？删除后无法恢复", default=False):
            sys.stdout.write("未删除。\n")
            return
    with open_store() as st:
        if not st.delete(attempt_id):
            raise InputError(f"没有编号为 {attempt_id} 的练习记录（可能刚被删除）。")
    sys.stdout.write(f"已删除练习记录 {what}。\n")


def _rubric_changed(attempt) -> bool:
    """True when the bank's current rubric for this question differs from the stored one."""
    from trainer.cli.common import bank
    from trainer.errors import TrainerError

    try:
        b = bank()
        current = b.rubric(b.get(attempt.question_id)).version
    except (TrainerError, KeyError):
        return False
    return bool(attempt.rubric_version) and current != attempt.rubric_version


@app.command("stats")
def stats(
    topic: Annotated[str | None, typer.Option("--topic", "-t", help="只统计该主题。")] = None,
    days: Annotated[
        int, typer.Option("--days", help="每日走势显示最近多少天。", min=1, max=366)
    ] = 14,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON。")] = False,
) -> None:
    """进步统计：得分走势、各环节得分率、最常漏掉的要点、连续练习天数与用时。"""
    from trainer.history.stats import compute
    from trainer.history.store import open_store

    with open_store() as st:
        attempts = st.summaries(topic=topic)
    now, tz = _now()
    result = compute(attempts, now.date(), tz, days=days)
    if as_json:
        from trainer.render import json_shapes

        json_shapes.print_json(json_shapes.stats(result))
        return
    from trainer.render.stats import stats_screen

    stats_screen(console(), result, _topic_titles())


def _topic_titles() -> dict[str, str]:
    from trainer.cli.common import bank
    from trainer.errors import TrainerError

    try:
        return {t.id: t.title for t in bank().topics.values()}
    except TrainerError:
        return {}


@app.command("review")
def review(
    list_: Annotated[bool, typer.Option("--list", "-l", help="只列出今天到期的复习题。")] = False,
    show_all: Annotated[
        bool, typer.Option("--all", "-a", help="与 --list 同用：列出队列中全部题目。")
    ] = False,
    topic: Annotated[str | None, typer.Option("--topic", "-t", help="只复习该主题。")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="与 --list 同用：输出 JSON。")] = False,
    think: Annotated[
        int | None, typer.Option("--think", help="审题倒计时秒数（默认同 practice）。", min=0)
    ] = None,
    answer: Annotated[
        int | None, typer.Option("--answer", help="作答倒计时秒数（默认同 practice）。", min=0)
    ] = None,
) -> None:
    """间隔复习：把漏过要点的题按 FSRS 排期重练；默认开始下一道到期题。"""
    from trainer.history.review import build_queue, due_items
    from trainer.history.store import open_store

    with open_store() as st:
        attempts = st.summaries(topic=topic)
    now, tz = _now()
    items = build_queue(attempts)
    due = due_items(items, now, tz)
    if as_json:
        rows = items if show_all else due
        from trainer.render import json_shapes

        json_shapes.print_json(json_shapes.review_queue(rows, now, tz))
        return
    from trainer.render.stats import review_list

    con = console()
    if list_ or show_all or not due:
        review_list(con, items, due, now, tz, show_all=show_all)
        if not due and not (list_ or show_all):
            _offer_weakest(con, items, think, answer)
        return
    runnable = _in_bank(due, topic)
    if not runnable:
        con.print(
            f"到期的 {len(due)} 道题已不在题库中（题库更新、自拟题或草稿主题），无法重练；"
            "可用 trainer review --list 查看。"
        )
        return
    item = runnable[0]
    from trainer.cli.session_cmds import run_practice
    from trainer.render.stats import review_missed
    from trainer.session.flow import DEFAULT_ANSWER, DEFAULT_THINK

    review_missed(con, item)  # what to make good this time, before the question

    # 0 means "no countdown" / "no limit": only an absent option takes practice's default.
    run_practice(
        item.question_id,
        think=DEFAULT_THINK if think is None else think,
        answer=DEFAULT_ANSWER if answer is None else answer,
        mode="review",
    )


def _offer_weakest(con, items: list, think: int | None, answer: int | None) -> None:
    """Nothing due: the next useful step is the question last answered worst."""
    runnable = _in_bank(items)
    if not runnable:
        return
    weakest = min(runnable, key=lambda i: (i.last_total, i.due))
    from trainer.render.stats import offer_weakest

    offer_weakest(con, weakest)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return
    from trainer.session.editor import TerminalSource

    if not TerminalSource().confirm("现在就练这一题？", default=True):
        return
    from trainer.cli.session_cmds import run_practice
    from trainer.render.stats import review_missed
    from trainer.session.flow import DEFAULT_ANSWER, DEFAULT_THINK

    review_missed(con, weakest)
    run_practice(
        weakest.question_id,
        think=DEFAULT_THINK if think is None else think,
        answer=DEFAULT_ANSWER if answer is None else answer,
        mode="practice",  # early: the review schedule is left as it is
    )


def _in_bank(items: list, topic: str | None = None) -> list:
    """Due items whose question is in the bank and not a draft (custom or removed questions cannot be rerun)."""
    from trainer.cli.common import bank
    from trainer.errors import TrainerError

    try:
        ids = {q.id for q in bank().drawable(topic)}
    except TrainerError:
        return list(items)
    return [i for i in items if i.question_id in ids]


@app.command("export")
def export(
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="json 或 csv（默认按 -o 的扩展名，否则 json）。"),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="写入文件（默认输出到终端）。")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="-o 的文件已存在时覆盖它。")] = False,
) -> None:
    """导出全部练习记录（换电脑或交给老师）；用 trainer import 导回。"""
    from trainer.errors import InputError
    from trainer.fileio import check_target
    from trainer.history.store import db_path, open_store
    from trainer.history.transfer import write_csv, write_json

    if output is not None:  # before any work; the history database itself is never a target
        check_target(output, force=force, inputs=[db_path()])

    if fmt is None:
        fmt = "csv" if output is not None and output.suffix.lower() == ".csv" else "json"
    fmt = fmt.lower()
    if fmt not in ("json", "csv"):
        raise InputError(f"--format：不支持 {fmt!r}；可选 json 或 csv。")
    exported_at = datetime.now().astimezone().isoformat(timespec="seconds")

    # Streamed: one record at a time from the store to the output, never the whole history.
    def write(out) -> int:
        with open_store() as st, st.snapshot():
            records = st.iter_records()
            if fmt == "json":
                return write_json(records, st.count(), exported_at, out)
            return write_csv(records, out)

    if output is None:
        write(sys.stdout)
        return
    from trainer.fileio import open_atomic

    with open_atomic(output, encoding="utf-8-sig" if fmt == "csv" else "utf-8") as fh:
        n = write(fh)
    sys.stderr.write(f"已导出 {n} 条记录到 {output}\n")


@app.command("import")
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="trainer export 导出的 JSON 或 CSV 文件（- 为标准输入）。", metavar="FILE"
        ),
    ],
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="json 或 csv（默认自动识别）。")
    ] = None,
) -> None:
    """导入练习记录并合并到本机历史，已有的记录不会重复。"""
    from trainer.errors import InputError
    from trainer.fileio import open_text_stream
    from trainer.history.store import open_store
    from trainer.history.transfer import iter_export, sniff_format

    source = str(file)
    # Streamed: records are parsed one at a time into the store's staging table, so memory
    # does not grow with the file; "\r\n" inside CSV answers is kept exactly as exported.
    raw = stdin_bytes(source)
    if raw is not None and not isinstance(raw, io.IOBase):
        raw = io.BytesIO(raw.read())  # a text stdin re-encoded (tests, embedders): small
    stream, head = open_text_stream(None if source == "-" else file, raw)
    if fmt is None and file.suffix.lower() in (".json", ".csv"):
        fmt = file.suffix.lower()[1:]
    with stream:
        try:
            with open_store() as st:
                added, skipped = st.merge(
                    iter_export(stream, source, fmt.lower() if fmt else sniff_format(head))
                )
        except UnicodeDecodeError:
            raise InputError(
                f"{source}: 不是 UTF-8 编码（文件中间有无法解码的字节）；请另存为 UTF-8 后重试"
            ) from None
    from trainer.render.history import imported

    imported(console(), added, skipped, source)


@data_app.command("path")
def data_path(
    db: Annotated[bool, typer.Option("--db", help="打印历史数据库文件的路径。")] = False,
) -> None:
    """打印数据目录（历史数据库、草稿、自定义题库所在处）。"""
    from trainer.history.store import db_path
    from trainer.paths import data_dir

    sys.stdout.write(f"{db_path() if db else data_dir()}\n")
