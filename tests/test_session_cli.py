"""`trainer practice` / `trainer mock` without a terminal: answers piped on stdin.

The in-process tests swap in a small deterministic scorer (tests/_fakes.py) and
collect history writes, so they check the session flow independently of scorer
tuning; the subprocess test at the end runs the real scorer and store.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _fakes import fake_score

from trainer.cli import main, session_cmds
from trainer.session.drafts import DraftStore
from trainer.text import fmt_points

ROOT = Path(__file__).resolve().parent.parent
CONTENT = Path(__file__).parent / "data" / "session"
Q1 = "session-demo/phenomenon-1"


@pytest.fixture
def run(monkeypatch, tmp_path, capsys):
    """Run ``trainer --content <fixture> ARGS`` in-process with ``stdin`` piped."""
    monkeypatch.setenv("TRAINER_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(session_cmds, "_score_fn", lambda: fake_score)
    saved: list = []

    def save_fn(view):
        def save(attempt):
            saved.append(attempt)
            return len(saved)

        return save

    monkeypatch.setattr(session_cmds, "_save_fn", save_fn)

    def invoke(args: list[str], stdin: str = ""):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        with pytest.raises(SystemExit) as exc:
            main(["--content", str(CONTENT), *args])
        out, err = capsys.readouterr()
        return exc.value.code, out, err

    invoke.saved = saved
    return invoke


def test_practice_reads_the_answer_from_stdin(run):
    answer = "文山会海必须重视。\n干部顾不上走访群众，要精简会议。"
    code, out, err = run(["practice", Q1], answer + "\n")
    assert code == 0, err
    assert "一周五个工作日有三天在开会" in out  # the question panel
    assert "思考时间" not in out and "剩余" not in out  # no countdown UI
    score = fake_score(answer, *_question_and_rubric())
    assert f"得分 {fmt_points(score.total)}/100" in out
    [attempt] = run.saved
    assert (attempt.question_id, attempt.mode, attempt.answer) == (Q1, "practice", answer)


def test_practice_random_draws_from_the_topic(run):
    code, out, _ = run(["practice", "--random", "--topic", "session-demo"], "要精简会议。")
    assert code == 0
    assert run.saved[0].question_id.startswith("session-demo/")


def test_piped_answer_leaves_a_pending_draft_alone(run, tmp_path):
    drafts = DraftStore(tmp_path / "home" / "drafts")
    drafts.save(Q1, "Ctrl-C 时留下的草稿")
    code, _, _ = run(["practice", Q1], "另一份答案")
    assert code == 0 and run.saved[0].answer == "另一份答案"
    assert drafts.load(Q1).text == "Ctrl-C 时留下的草稿"


def test_mock_splits_stdin_answers_and_prints_the_final_report(run):
    stdin = "文山会海必须重视。\n---\n要精简会议。\n---\n"
    code, out, err = run(["mock", "--preset", "省考", "--seed", "7"], stdin)
    assert code == 0, err
    assert "模拟面试成绩 · 省考" in out
    assert "未作答" in out or "空白提交" in out  # the third answer was empty
    assert "总分" in out and "最弱环节" in out
    assert [a.answer for a in run.saved] == ["文山会海必须重视。", "要精简会议。"]
    assert len({a.session_id for a in run.saved}) == 1 and run.saved[0].session_id


def test_mock_seed_draws_the_same_questions(run):
    _, first, _ = run(["mock", "--preset", "drill", "--seed", "3"], "要精简会议。")
    ids1 = [a.question_id for a in run.saved]
    run.saved.clear()
    _, second, _ = run(["mock", "--preset", "drill", "--seed", "3"], "要精简会议。")
    assert [a.question_id for a in run.saved] == ids1


@pytest.mark.parametrize(
    "args",
    [
        ["mock", "--preset", "面试"],
        ["mock", "--preset", "drill", "--minutes", "3"],
        ["practice", Q1, "--random"],
        ["practice", "no-such-question"],
        ["practice", Q1, "--topic", "no-such-topic"],
    ],
)
def test_bad_usage_exits_2_with_one_line(run, args):
    code, out, err = run(args)
    assert code == 2
    assert err.startswith("错误：") and err.strip().count("\n") == 0, err
    assert run.saved == []


def test_session_commands_have_help(capsys):
    for cmd in ("practice", "mock"):
        with pytest.raises(SystemExit) as exc:
            main([cmd, "--help"])
        assert exc.value.code == 0
        assert "用法：" in capsys.readouterr().out


def _question_and_rubric():
    from trainer.content.bank import QuestionBank

    b = QuestionBank.load([CONTENT])
    q = b.get(Q1)
    return q, b.rubric(q)


def test_piped_practice_with_the_real_scorer(tmp_path):
    env = {**os.environ, "TRAINER_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    answer = "我认为文山会海必须重视。干部顾不上走访群众。要精简会议和文件，改进考核。"
    proc = subprocess.run(
        [sys.executable, "-m", "trainer", "--content", str(CONTENT), "practice", Q1],
        input=answer,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    from trainer.scoring.scorer import score

    expected = score(answer, *_question_and_rubric())
    assert fmt_points(expected.total) in proc.stdout
