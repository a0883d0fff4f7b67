"""``trainer model-answer``: choosing questions, formats, and writing files safely."""

from __future__ import annotations

import json
import os

import pytest

from trainer.modelanswer.assemble import build_model_answer
from trainer.render.booklet import render


@pytest.fixture(scope="module")
def expected(shipped_bank):
    """What ``render`` gives for these question ids of the shipped bank."""

    def render_ids(qids, fmt, **opts) -> str:
        qs = [shipped_bank.get(q) for q in qids]
        return render([build_model_answer(q, shipped_bank.rubric(q)) for q in qs], fmt, **opts)

    return render_ids


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_one_question_to_stdout_in_each_format(cli, fmt, expected):
    result = cli("model-answer", "trust-gap/opinion-1", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected(["trust-gap/opinion-1"], fmt)


def test_rich_is_the_default_and_shows_the_six_steps(cli):
    result = cli("model-answer", "trust-gap/debate-1")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    # a 正反观点类 answer is headed by its type's steps
    for name in ("【表态】", "【分析】", "【过渡】", "【对策】", "【总结】", "审题", "口述约"):
        assert name in out
    assert "【点题】" not in out and "【危害】" not in out
    assert "\x1b[" not in out  # not a terminal: plain text


def test_outline_and_cite_options_reach_the_output(cli, expected):
    outline = cli("model-answer", "trust-gap/slogan-2", "--format", "md", "--outline")
    assert outline.stdout == expected(["trust-gap/slogan-2"], "md", outline=True)
    cited = cli("model-answer", "trust-gap/slogan-2", "--format", "txt", "--cite", "--width", "50")
    assert cited.stdout == expected(["trust-gap/slogan-2"], "txt", cite=True, width=50)
    assert "[1] 《" in cited.stdout


def test_topic_and_all_select_questions_in_bank_order(cli, shipped_bank, expected):
    topic = cli("model-answer", "--topic", "burden-relief", "--format", "md")
    ids = [q.id for q in shipped_bank.filter("burden-relief")]
    assert topic.exit_code == 0 and topic.stdout == expected(ids, "md")
    everything = cli("model-answer", "--all", "--format", "txt")
    # a contents page, then one page per question
    assert everything.stdout.count("\f") == len(shipped_bank.questions)
    positions = [everything.stdout.index(q.id + " · ") for q in shipped_bank.questions]
    assert positions == sorted(positions)


def test_booklet_with_one_command(cli, tmp_path, shipped_bank, expected):
    out = tmp_path / "booklet.html"
    result = cli("model-answer", "--all", "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert str(out) in result.stderr and f"{len(shipped_bank.questions)} 题" in result.stderr
    page = out.read_text(encoding="utf-8")
    assert page == expected([q.id for q in shipped_bank.questions], "html")
    assert page.count('<article class="page') == len(shipped_bank.questions)
    assert [p.name for p in tmp_path.iterdir()] == ["booklet.html"]  # no temp file left


@pytest.mark.parametrize(("name", "fmt"), [("a.md", "md"), ("a.TXT", "txt"), ("a.htm", "html")])
def test_format_is_inferred_from_the_output_suffix(cli, tmp_path, name, fmt, expected):
    out = tmp_path / name
    result = cli("model-answer", "trust-gap/quote-1", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == expected(["trust-gap/quote-1"], fmt)


def test_output_overwrites_a_file_atomically_keeping_its_mode(cli, tmp_path):
    out = tmp_path / "answer.md"
    out.write_text("old", encoding="utf-8")
    os.chmod(out, 0o640)
    refused = cli("model-answer", "trust-gap/quote-1", "-o", str(out))
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert out.read_text(encoding="utf-8") == "old"
    result = cli("model-answer", "trust-gap/quote-1", "-o", str(out), "--force")
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("## trust-gap/quote-1")
    assert out.stat().st_mode & 0o777 == 0o640


def test_output_refuses_a_directory_and_a_missing_parent(cli, tmp_path):
    result = cli("model-answer", "--all", "--format", "html", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "是一个目录" in result.stderr and str(tmp_path) in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
    missing = cli("model-answer", "--all", "-o", str(tmp_path / "no" / "b.html"))
    assert missing.exit_code == 2 and "目录不存在" in missing.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "三者之一"),
        (("trust-gap/quote-1", "--all"), "三者之一"),
        (("--topic", "trust-gap", "--all"), "三者之一"),
        (("trust-gap/quote-1", "--format", "pdf"), "不支持 'pdf'"),
        (("trust-gap/quote-1", "--format", "rich", "-o", "x.txt"), "只能显示在终端"),
        (("trust-gap/quote-1", "-o", "answer.docx"), "无法从文件名"),
        (("trust-gap/quote-1", "--format", "txt", "--width", "10"), "太窄"),
        (("no-such-question",), "找不到题目"),
        (("--topic", "trust-gapp"), "trust-gap"),
    ],
)
def test_usage_errors_are_one_chinese_line_with_exit_2(cli, args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("model-answer", *args)
    assert result.exit_code == 2, (args, result.stdout, result.stderr)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_list_json_ids_all_have_model_answers(cli):
    ids = [q["id"] for q in json.loads(cli("list", "--json").stdout)]
    for qid in ids:
        result = cli("model-answer", qid, "--format", "md", "--outline")
        assert result.exit_code == 0 and qid in result.stdout


def test_practice_screen_shows_this_model_answer(shipped_bank):
    """The session's rich view finds ``render_model_answer`` and prints the 6-step answer."""
    import io

    from trainer.render.common import make_console
    from trainer.render.session import RichView

    q = shipped_bank.get("trust-gap/slogan-2")
    out = io.StringIO()
    RichView(make_console(file=out, width=100)).model_answer(q, shipped_bank.rubric(q))
    text = out.getvalue()
    ma = build_model_answer(q, shipped_bank.rubric(q))
    assert "审题" in text and "口述约" in text
    for name in ("【释义】", "【分析】", "【过渡】", "【做法】", "【总结】"):  # 标语类
        assert name in text
    assert ma.steps[-1].text[:10] in text.replace("\n", "")
