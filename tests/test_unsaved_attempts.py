"""An attempt that could not be saved to history is a failure (exit 1), not a success.

The report is still shown and the user is told in one line; the answer is not lost
(a practice draft is kept, see tests/test_session.py). The history database is made
unwritable by putting a directory where the file should be.
"""

from __future__ import annotations

import pytest

from trainer.history.store import db_path

ANSWER = (
    "我认为，上下级之间的信任缺口必须弥合。危害在于挤压基层自主空间，干部积极性受挫。"
    "原因是问责泛化，基层怕担责。对策上，上级要敢于放权赋能，畅通沟通渠道。总之，上下同心。"
)
QID = "trust-gap/phenomenon-1"


@pytest.fixture
def broken_history(trainer_home):
    db_path().mkdir(parents=True)  # open_store refuses: "历史数据库路径是一个目录"


def _told_once(result) -> None:
    text = result.stdout + result.stderr
    assert text.count("未能记入历史") == 1, text
    assert "Traceback" not in text and "内部错误" not in text


def test_score_exits_1_when_history_cannot_be_written(cli, tmp_path, broken_history):
    answer = tmp_path / "a.txt"
    answer.write_text(ANSWER, encoding="utf-8")
    result = cli("score", "-q", QID, str(answer))
    assert result.exit_code == 1
    assert "得分" in result.stdout  # the report is still there
    _told_once(result)
    assert "--no-save" in result.stderr


def test_score_json_still_prints_its_json(cli, tmp_path, broken_history):
    import json

    answer = tmp_path / "a.txt"
    answer.write_text(ANSWER, encoding="utf-8")
    result = cli("score", "-q", QID, str(answer), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["total"] > 0


def test_score_no_save_does_not_touch_history_and_succeeds(cli, tmp_path, broken_history):
    answer = tmp_path / "a.txt"
    answer.write_text(ANSWER, encoding="utf-8")
    assert cli("score", "-q", QID, str(answer), "--no-save").exit_code == 0


def test_practice_exits_1_when_history_cannot_be_written(cli, broken_history):
    result = cli("practice", QID, input=ANSWER)
    assert result.exit_code == 1
    assert "得分" in result.stdout
    _told_once(result)


def test_mock_exits_1_when_history_cannot_be_written(cli, broken_history):
    result = cli("mock", "--preset", "drill", "--seed", "1", input=ANSWER)
    assert result.exit_code == 1
    assert "第 1/1 题" in result.stdout
    _told_once(result)


def test_a_working_history_still_exits_0(cli):
    assert cli("practice", QID, input=ANSWER).exit_code == 0
    assert cli("mock", "--preset", "drill", "--seed", "1", input=ANSWER).exit_code == 0
