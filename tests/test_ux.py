"""Rough edges a new candidate or teacher hits first: usage errors, defaults, typos."""

from __future__ import annotations

import json

import pytest

from trainer.cli import session_cmds


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["history", "show", "abc"], "abc 不是整数"),
        (["practice", "--think", "-1"], "--think：-1 超出允许范围"),
        (["list", "--topi", "x"], "是不是想用 --topic"),
        (["show"], "缺少参数 题号"),
        (["list", "extra"], "多余的参数：extra"),
        (["score", "--scale", "15", "-q", "x"], "--scale：只能是 10 或 20"),
        (["nosuch"], "没有这个命令：nosuch"),
    ],
)
def test_usage_errors_are_one_chinese_line_with_exit_2(cli, args, says):
    result = cli(*args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("错误：") and says in lines[0], lines[0]
    assert "-h` 查看用法" in lines[0]
    for english in ("Usage", "Error", "Invalid value", "Missing", "No such"):
        assert english not in result.stderr


def test_mock_without_preset_is_a_national_exam_mock(cli):
    answers = "\n---\n".join(["上级要信任基层。"] * 4)
    result = cli("mock", "--seed", "1", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "国考模拟：4 道题共用 20 分钟" in result.stdout


def test_mock_accepts_chinese_name_for_drill(cli):
    result = cli("mock", "--preset", "单题", "--seed", "1", input="上级要信任基层。")
    assert result.exit_code == 0, result.stderr
    assert "第 1/1 题" in result.stdout and "国考" not in result.stdout


def test_question_picker_asks_again_after_a_typo(monkeypatch, capsys):
    from trainer.cli.common import bank
    from trainer.session.editor import TerminalSource

    replies = iter(["99", "trust-gap/phenom", "9"])
    monkeypatch.setattr(TerminalSource, "ask", lambda self, message: next(replies))
    b = bank()
    chosen = session_cmds._pick_question(b, None)
    assert chosen == b.filter(None)[8].id
    out = capsys.readouterr().out
    assert "没有序号 99" in out
    assert "相近的题目" in out


ANSWER = "上级对基层不放心，危害很大。原因是考核过多。对策是信任基层、给基层松绑。"


@pytest.mark.parametrize("columns", ["80", "60"])
def test_history_and_review_tables_keep_their_headers_on_narrow_terminals(
    cli, monkeypatch, columns
):
    for qid in ("burden-relief/phenomenon-1", "trust-gap/opinion-1"):
        assert cli("practice", qid, input=ANSWER).exit_code == 0
    monkeypatch.setenv("COLUMNS", columns)
    history = cli("history").stdout
    for header in ("编号", "时间", "方式", "得分", "档次", "用时"):
        assert header in history, history
    assert "…" not in history
    queue = cli("review", "--list", "--all").stdout
    for header in ("到期", "上次", "评级", "次数"):
        assert header in queue, queue
    assert all(len(line) <= int(columns) for line in queue.splitlines())


def test_report_shows_point_weights_as_weights_not_marks(cli):
    """Section weights sum to ~110 while content is out of 70: '28 分' read as marks."""
    result = cli("score", "-q", "trust-gap/opinion-1", "-", input=ANSWER)
    assert result.exit_code == 0
    assert "内容" in result.stdout and "/70" in result.stdout
    assert "要点得分率" in result.stdout and "权重" in result.stdout
    assert " 分  未成段" not in result.stdout and " 分  已成段" not in result.stdout


def test_an_unexpected_bug_is_one_line_not_a_traceback(cli, monkeypatch):
    from trainer.content.bank import QuestionBank

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(QuestionBank, "load", broken)
    result = cli("list")
    assert result.exit_code == 1
    assert result.stderr.startswith("错误：程序内部错误（RuntimeError：boom）")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("content", "says"),
    [("", "文件是空的"), ('{"a":', "不是有效的 JSON"), ('{"bad": 1}', "文件中没有这一项")],
)
def test_import_of_a_wrong_file_says_what_is_wrong_in_chinese(cli, tmp_path, content, says):
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Expecting" not in result.stderr and "None" not in result.stderr


@pytest.mark.parametrize("args", [["model-answer", "--all"], ["list"], ["list", "--json"]])
def test_piping_into_head_exits_0(args, trainer_home):
    """`trainer … | head -1` under `set -o pipefail` must not fail the script."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "TRAINER_HOME": str(trainer_home)}
    proc = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"{sys.executable} -m trainer {' '.join(args)} | head -1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() and proc.stderr == ""


def test_batch_lists_an_empty_answer_with_0_not_as_a_missing_column(cli, tmp_path):
    sheet = tmp_path / "class.csv"
    sheet.write_text(f"id,answer\n张三,{ANSWER}\n李四,\n", encoding="utf-8")
    result = cli("score", "-q", "trust-gap/opinion-1", "--batch", str(sheet), "--json")
    assert result.exit_code == 0
    empty = json.loads(result.stdout)[1]
    assert empty["id"] == "李四" and empty["total"] == 0 and "答案为空" in empty["warnings"][0]
    assert "缺少答案字段" not in result.stderr


def test_piped_practice_without_a_question_id_is_a_usage_error(cli):
    result = cli("practice", input="上级要信任基层。")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and "题号" in lines[0], lines


def test_next_question_never_repeats_until_the_topic_is_done():
    import random

    from trainer.cli.common import bank

    b = bank()
    topic = b.questions[0].topic
    pick = session_cmds._next_question(b, topic, random.Random(3))
    pool = {q.id for q in b.filter(topic)}
    current = b.filter(topic)[0]
    seen = [current.id]
    for _ in range(len(pool) - 1):
        current = pick(current)
        assert current.id not in seen
        seen.append(current.id)
    assert set(seen) == pool
    assert pick(current).id != current.id  # a new round, still not the one just answered
