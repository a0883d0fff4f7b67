"""History commands: history [show], stats, review, export, import, data path.

Thin: open the store, call trainer.history.stats / trainer.history.review / trainer.history.transfer,
render or print JSON. sqlite3, fsrs and rich are imported inside the commands.
"""

from __future__ import annotations

import sys
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Annotated

import typer

from trainer.cli.app import app
from trainer.cli.common import console, stdin_bytes

history_app = typer.Typer(
    help="练习记录：列出历次作答，或查看某一次的评分报告与作答。",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(history_app, name="history")

data_app = typer.Typer(help="数据目录与历史数据库的位置。", no_args_is_help=True)
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
    stored_report(con, attempt.score)


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
        attempts = st.list_attempts(topic=topic, oldest_first=True)
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
        attempts = st.list_attempts(topic=topic, oldest_first=True)
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
        return
    runnable = _in_bank(due)
    if not runnable:
        con.print(
            f"到期的 {len(due)} 道题已不在题库中（题库更新或自拟题），无法重练；"
            "可用 trainer review --list 查看。"
        )
        return
    item = runnable[0]
    from trainer.cli.session_cmds import run_practice
    from trainer.session.flow import DEFAULT_ANSWER, DEFAULT_THINK

    # 0 means "no countdown" / "no limit": only an absent option takes practice's default.
    run_practice(
        item.question_id,
        think=DEFAULT_THINK if think is None else think,
        answer=DEFAULT_ANSWER if answer is None else answer,
        mode="review",
    )


def _in_bank(items: list) -> list:
    """Due items whose question is still in the bank (custom or removed questions cannot be rerun)."""
    from trainer.cli.common import bank
    from trainer.errors import TrainerError

    try:
        ids = {q.id for q in bank().questions}
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
    from trainer.history.transfer import export_csv, export_json

    if output is not None:  # before any work; the history database itself is never a target
        check_target(output, force=force, inputs=[db_path()])

    if fmt is None:
        fmt = "csv" if output is not None and output.suffix.lower() == ".csv" else "json"
    fmt = fmt.lower()
    if fmt not in ("json", "csv"):
        raise InputError(f"--format：不支持 {fmt!r}；可选 json 或 csv。")
    with open_store() as st:
        records = st.records()
    if fmt == "json":
        text = export_json(records, datetime.now().astimezone().isoformat(timespec="seconds"))
    else:
        text = export_csv(records)
    if output is None:
        sys.stdout.write(text)
        return
    from trainer.fileio import write_text_atomic

    write_text_atomic(output, text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    sys.stderr.write(f"已导出 {len(records)} 条记录到 {output}\n")


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
    from trainer.fileio import read_answer
    from trainer.history.store import open_store
    from trainer.history.transfer import parse_export

    source = str(file)
    # Bytes decoded as a whole keep "\r\n" inside CSV answers exactly as exported.
    text = read_answer(None if source == "-" else file, stdin_bytes(source))
    if fmt is None and file.suffix.lower() in (".json", ".csv"):
        fmt = file.suffix.lower()[1:]
    pairs = parse_export(text, source, fmt.lower() if fmt else None)
    with open_store() as st:
        added, skipped = st.merge(pairs)
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
