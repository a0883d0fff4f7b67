"""Hostile or broken input from the user: one clear line and exit 2, never a crash or a hang.

The hang cases (a FIFO, ``/dev/zero``, endless stdin) run the real console
script in a subprocess with a timeout, so a regression fails instead of
blocking the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

QID = "trust-gap/phenomenon-1"
ANSWER = "上级对基层不放心，基层对上级不交底，信任缺口影响治理效能。"


def run(*args: str, stdin: bytes | None = None, stdin_file: str | None = None, home: Path):
    """The console script with a 30 s timeout; a hang fails the test (TimeoutExpired)."""
    env = {**os.environ, "TRAINER_HOME": str(home), "COLUMNS": "120", "PYTHONUTF8": "1"}
    env.pop("TRAINER_DEBUG", None)
    with open(stdin_file or os.devnull, "rb") as fh:
        return subprocess.run(
            [sys.executable, "-m", "trainer", *args],
            input=stdin,
            stdin=None if stdin is not None else fh,
            capture_output=True,
            timeout=30,
            env=env,
        )


def one_error_line(proc) -> str:
    err = proc.stderr.decode("utf-8")
    lines = err.strip().splitlines()
    assert proc.returncode == 2, (proc.returncode, err)
    assert len(lines) == 1, err
    assert "Traceback" not in err and "程序内部错误" not in err, err
    return lines[0]


# --------------------------------------------------------------------------- hangs


def test_score_of_dev_zero_is_refused_not_read_forever(trainer_home):
    line = one_error_line(run("score", "-q", QID, "/dev/zero", home=trainer_home))
    assert "/dev/zero" in line and "不是普通文件" in line


def test_endless_stdin_is_capped(trainer_home):
    line = one_error_line(
        run("score", "-q", QID, "-", "--no-save", stdin_file="/dev/zero", home=trainer_home)
    )
    assert "标准输入" in line and "太大" in line and "MB" in line


def test_score_of_a_fifo_nobody_writes_is_refused(trainer_home, tmp_path):
    fifo = tmp_path / "answer.txt"
    os.mkfifo(fifo)
    line = one_error_line(run("score", "-q", QID, str(fifo), home=trainer_home))
    assert "answer.txt" in line and "FIFO" in line and "- 从标准输入" in line


def test_an_oversized_answer_file_is_refused(cli, tmp_path):
    from trainer.fileio import ANSWER_LIMIT

    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (ANSWER_LIMIT + 1))
    result = cli("score", "-q", QID, str(big), "--no-save")
    assert result.exit_code == 2 and "big.txt" in result.stderr and "太大" in result.stderr


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("command", [["practice", QID], ["mock", "--seed", "1"]])
def test_non_utf8_stdin_to_practice_and_mock_is_one_line(trainer_home, command):
    proc = run(*command, stdin=ANSWER.encode("gbk"), home=trainer_home)
    line = one_error_line(proc)
    assert line.startswith("标准输入:1:") and "UTF-8" in line and "另存为" in line
    assert not proc.stdout, "nothing is shown before the input is known to be readable"


def test_practice_from_piped_utf8_stdin_still_scores(cli):
    result = cli("practice", QID, input=ANSWER)
    assert result.exit_code == 0, result.stderr
    assert "得分" in result.stdout


@pytest.mark.parametrize(
    "data",
    [
        ANSWER.encode("utf-16"),  # with a BOM (Notepad's "Unicode")
        ("answer: " + ANSWER).encode("utf-16-le"),  # no BOM, Latin letters give NULs
        ("answer: " + ANSWER).encode("utf-16-be"),
    ],
)
def test_utf16_answer_is_named_utf16_with_how_to_convert(cli, tmp_path, data):
    path = tmp_path / "notepad.txt"
    path.write_bytes(data)
    result = cli("score", "-q", QID, str(path), "--no-save")
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "notepad.txt" in line and "UTF-16" in line and "另存为" in line and "UTF-8" in line
    assert "二进制" not in line


def test_a_real_binary_is_still_called_binary():
    from trainer.errors import InputError
    from trainer.fileio import decode

    with pytest.raises(InputError, match="二进制"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "x.png")


def test_undecodable_question_text_argument_is_one_line(cli):
    # What Python makes of `--question-text $'\xff'`: a lone surrogate.
    result = cli("score", "-t", "trust-gap", "--question-text", "\udcff", "-", input=ANSWER)
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert "--question-text" in line and "UTF-8" in line and "\\xff" in line


def test_undecodable_argument_through_the_real_console_script(trainer_home):
    proc = subprocess.run(
        [sys.executable, "-m", "trainer", "show", os.fsdecode(b"\xff")],
        capture_output=True,
        timeout=30,
        env={**os.environ, "TRAINER_HOME": str(trainer_home), "PYTHONUTF8": "1"},
    )
    line = one_error_line(proc)
    assert "UTF-8" in line


# --------------------------------------------------------------------------- float options


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--minutes", "nan"], "--minutes"),
        (["--minutes", "inf"], "--minutes"),
        (["--minutes", "-inf"], "--minutes"),
        (["--minutes", "1e308"], "太大"),
        (["-p", "drill", "--think", "nan"], "--think"),
        (["-p", "drill", "--answer", "inf"], "--answer"),
        (["-p", "drill", "--answer", "1e999"], "--answer"),
    ],
)
def test_mock_float_options_reject_nan_inf_and_absurd_values(cli, args, says):
    result = cli("mock", *args, input=ANSWER)
    assert result.exit_code == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("错误：") and says in line and "程序内部错误" not in line


def test_mock_plan_refuses_non_finite_durations_itself():
    from trainer.errors import InputError
    from trainer.session.results import mock_plan

    with pytest.raises(InputError, match="--minutes"):
        mock_plan("国考", minutes=float("nan"))
    with pytest.raises(InputError, match="--think"):
        mock_plan("drill", think=float("inf"))


def test_validate_of_a_fifo_is_a_problem_line(trainer_home, tmp_path):
    fifo = tmp_path / "demo.yaml"
    os.mkfifo(fifo)
    proc = run("validate", str(fifo), home=trainer_home)
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 2, proc.stderr.decode()
    assert "demo.yaml:1: (file):" in out and "不是普通文件" in out, out


def test_validate_of_dev_zero_is_a_problem_line(trainer_home):
    proc = run("validate", "/dev/zero", home=trainer_home)
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 2 and "/dev/zero:1: (file):" in out and "设备" in out, out
