"""User and content text never sends control sequences to the terminal (issue 16).

An answer (or a question text, an id, an imported record) holding ``ESC ] 0;…``
(window title), ``ESC ] 52;…`` (clipboard write) or ``ESC [2J`` (clear screen) used
to reach the terminal raw through the report, `history show` and the other
screens. Now every control character except newline and tab is shown as its
control picture (ESC → ␛).
"""

from __future__ import annotations

import dataclasses
import io
import json

from _attempts import make_attempt
from rich.console import Console

from trainer.content.bank import QuestionBank
from trainer.render.common import THEME
from trainer.render.history import attempt_header, history_table, stored_report
from trainer.render.report import render_score
from trainer.scoring.scorer import score
from trainer.text import printable

QID = "trust-gap/phenomenon-1"
TITLE = "\x1b]0;pwned\x07"
CLIP = "\x1b]52;c;cm0gLXJmIH4=\x07"
CLEAR = "\x1b[2J\x1b[H"
CSI8 = "\x9b2J"
HOSTILE = TITLE + CLIP + CLEAR + CSI8 + "\r\x08"


def _no_controls(out: str) -> None:
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out, repr(out[:400])
    assert "\x00" not in out and "\x08" not in out


def _hostile_answer(bank: QuestionBank, hostile: str = HOSTILE) -> str:
    q = bank.get(QID)
    pts = bank.rubric(q).points
    return "\n".join(f"{p.text[:-1]}{hostile}{p.text[-1]}" for p in pts)


def test_printable_shows_controls_and_keeps_newline_and_tab():
    assert printable("a\tb\nc") == "a\tb\nc"
    assert printable("x\x1b[2Jy") == "x␛[2Jy"
    assert printable("line\r\nnext") == "line\nnext"
    assert printable("\x9b") == "<U+009B>" and printable("\u202e") == "<U+202E>"


def test_the_score_report_escapes_control_sequences_in_the_answer_and_question(shipped_bank):
    answer = _hostile_answer(shipped_bank)
    q = dataclasses.replace(shipped_bank.get(QID), text="题目" + HOSTILE, kind="现象" + CLEAR)
    s = score(answer, q, shipped_bank.rubric(q))
    buf = io.StringIO()
    render_score(Console(file=buf, width=120, theme=THEME), s, answer, q)  # a plain rich console
    out = buf.getvalue()
    _no_controls(out)
    assert "␛]52;c;" in out  # visible, not silently swallowed
    assert "✓" in out  # the report itself is intact


def test_history_show_escapes_a_stored_attempt(shipped_bank):
    answer = _hostile_answer(shipped_bank)
    q = shipped_bank.get(QID)
    s = score(answer, q, shipped_bank.rubric(q)).to_dict()
    attempt = dataclasses.replace(
        make_attempt("2026-11-20T08:00:00+00:00", QID + CLEAR, answer=answer),
        question_text="题目" + HOSTILE,
        mode="mock" + TITLE,
        score=s,
    )
    attempt = dataclasses.replace(attempt, id=7)
    buf = io.StringIO()
    console = Console(file=buf, width=100, theme=THEME)
    history_table(console, [attempt], None)
    attempt_header(console, attempt, None)
    stored_report(console, attempt.score)
    out = buf.getvalue()
    _no_controls(out)
    assert "␛]0;pwned" in out


def test_cli_score_report_never_prints_the_escape_sequences(cli, shipped_bank):
    answer = _hostile_answer(shipped_bank, TITLE + CLIP + CLEAR)  # what stdin accepts as text
    result = cli("score", "--question", QID, "--no-save", "-", input=answer)
    assert result.exit_code == 0, result.stderr
    _no_controls(result.stdout + result.stderr)
    assert "␛]0;" in result.stdout


def test_history_show_after_import_never_prints_the_escape_sequences(cli, tmp_path, shipped_bank):
    answer = _hostile_answer(shipped_bank)
    q = shipped_bank.get(QID)
    record = {
        "uid": "evil-1",
        "created_at": "2026-11-20T08:00:00+00:00",
        "question_id": QID,
        "question_text": "题目" + HOSTILE,
        "topic": "trust-gap",
        "mode": "practice",
        "total": 50.0,
        "think_seconds": 0.0,
        "answer_seconds": 60.0,
        "session_id": None,
        "rubric_version": "x",
        "answer": answer,
        "score": score(answer, q, shipped_bank.rubric(q)).to_dict(),
    }
    evil = tmp_path / "evil.json"
    evil.write_text(json.dumps([record]), encoding="utf-8")
    assert cli("import", str(evil)).exit_code == 0
    for args in (("history",), ("history", "show", "1")):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        _no_controls(result.stdout + result.stderr)
    assert "␛" in result.stdout


def test_an_unknown_question_id_in_an_error_line_is_escaped(cli):
    result = cli("show", "no/such" + CLIP)
    assert result.exit_code == 2
    _no_controls(result.stdout + result.stderr)


def test_validate_prints_content_values_escaped(cli, tmp_path):
    from test_content_validation import RUBRIC, make_root

    root = make_root(
        tmp_path, rubric=RUBRIC.replace("section: 危害", r'section: "危害\e]52;c;eA==\a"')
    )
    result = cli("validate", str(root))
    assert result.exit_code == 2
    _no_controls(result.stdout + result.stderr)
    assert "␛]52" in result.stdout


def test_the_product_console_cleans_what_a_renderer_forgot():
    from trainer.render.common import make_console

    buf = io.StringIO()
    make_console(file=buf, width=80).print("raw " + CLIP + CLEAR, markup=False)
    _no_controls(buf.getvalue())
    assert "␛]52;c;" in buf.getvalue()


def test_practice_screen_and_batch_table_escape_content_and_row_ids(shipped_bank):
    from trainer.render.batch import batch_summary, print_problem
    from trainer.render.session import RichView
    from trainer.scoring.batch import ClassSummary, Result
    from trainer.scoring.batch_read import Problem

    q = dataclasses.replace(
        shipped_bank.get(QID), text="题目" + HOSTILE, hints=("提示" + CLIP,), id=QID + CLEAR
    )
    rubric = shipped_bank.rubric(shipped_bank.get(QID))
    buf = io.StringIO()
    console = Console(file=buf, width=100, theme=THEME)
    RichView(console).question(q, rubric, label="第 1 题", hints=True)
    RichView(console).notice("成绩未能记入历史：" + TITLE)
    s = score(_hostile_answer(shipped_bank), shipped_bank.get(QID), rubric)
    summary = ClassSummary()
    summary.add(Result(2, "学生" + CLIP, "姓名" + CLEAR, s))
    summary.problems.append(Problem(3, "s3" + CLIP, "引号不配对" + CLEAR))
    batch_summary(console, summary, output=None)
    print_problem(console, 1, "class.csv", summary.problems[0])
    out = buf.getvalue()
    _no_controls(out)
    assert "␛]52;c;" in out and "␛[2J" in out
