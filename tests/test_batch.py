"""``trainer score --batch`` on the class files a teacher really has.

GBK / GB18030 / UTF-8-BOM CSV from Excel, .xlsx, .jsonl with odd rows; a stray quote, an
empty answer and a 1 MB answer; every row ends in exactly one place (a result or a
numbered problem line, in row order); the output rule (-o never overwrites without
--force, never the input); Excel-safe CSV; the xlsx's two sheets; the class report in
a real browser; --jobs gives the same results in the same order.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from openpyxl import Workbook, load_workbook
from scoring_data import labelled
from test_booklet import _run_chromium, needs_chromium, screenshot_shows_a_page

QID = "trust-gap/phenomenon-1"
GOOD = next(a for a in labelled() if a.id == "tg-01")
WEAK = next(a for a in labelled() if a.id == "tg-09")
FLAT = WEAK.text.replace("\n", "").replace(",", "，")


def write_csv(path, rows, encoding="utf-8"):
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def read_results(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def problem_lines(stderr):
    return [line for line in stderr.splitlines() if line.startswith("问题 ")]


# ----------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_any_encoding_excel_writes(cli, tmp_path, encoding):
    src = write_csv(
        tmp_path / "class.csv",
        [["学号", "姓名", "答案"], ["s1", "张三", GOOD.text], ["s2", "李四", WEAK.text]],
        encoding,
    )
    out = tmp_path / "r.csv"
    result = cli("score", "-q", QID, "--batch", str(src), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    rows = read_results(out)
    assert [(r["id"], r["name"]) for r in rows] == [("s1", "张三"), ("s2", "李四")]
    assert float(rows[0]["total"]) > float(rows[1]["total"])


def test_an_undecodable_or_binary_file_is_exit_2(cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"id,answer\n1,\xff\xfe\xfa\xfb\n")
    assert cli("score", "-q", QID, "--batch", str(bad)).exit_code == 2
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\x00\x01binary")
    result = cli("score", "-q", QID, "--batch", str(binary))
    assert result.exit_code == 2 and "二进制" in result.stderr
    nohead = write_csv(tmp_path / "h.csv", [["学号", "姓名"], ["s1", "张三"]])
    result = cli("score", "-q", QID, "--batch", str(nohead))
    assert result.exit_code == 2 and "答案列" in result.stderr


# ----------------------------------------------------------------------------- one place per row


def test_a_stray_quote_never_swallows_the_rows_after_it(cli, tmp_path):
    src = tmp_path / "class.csv"
    text = (
        "学号,姓名,答案\r\n"
        f"s1,张三,{FLAT[:200]}\r\n"
        f's2,李四,"他说"好的"，就这样\r\n'
        f"s3,王五,{FLAT[:150]}\r\n"
        f"s4,赵六,{FLAT[:120]}\r\n"
        f"s5,钱七,{FLAT[:100]}\r\n"
        f's6,孙八,"{GOOD.text}"\r\n'
    )
    src.write_text(text, encoding="gbk", errors="ignore")
    out = tmp_path / "r.csv"
    result = cli("score", "-q", QID, "--batch", str(src), "-o", str(out))
    assert result.exit_code == 1, result.stderr
    assert [r["id"] for r in read_results(out)] == ["s1", "s3", "s4", "s5", "s6"]
    [line] = problem_lines(result.stderr)
    assert line.startswith("问题 1：") and "第 3 行" in line and "s2" in line and "引号" in line


def test_an_unclosed_quote_to_the_end_of_file_loses_only_its_row(cli, tmp_path):
    src = tmp_path / "class.csv"
    src.write_text('id,name,answer\ns1,a,"好的\ns2,b,一些回答\ns3,c,另一回答\n', encoding="utf-8")
    out = tmp_path / "r.json"
    result = cli("score", "-q", QID, "--batch", str(src), "-o", str(out))
    assert result.exit_code == 1
    assert [d["id"] for d in json.loads(out.read_text(encoding="utf-8"))] == ["s2", "s3"]
    assert "第 2 行（学号 s1 · a）" in result.stderr


def test_multi_line_quoted_answers_are_one_row(cli, tmp_path):
    src = write_csv(
        tmp_path / "c.csv",
        [["id", "answer"], ["s1", GOOD.text.replace("。", "。\n", 3)], ["s2", '他说"好"。']],
    )
    out = tmp_path / "r.csv"
    assert cli("score", "-q", QID, "--batch", str(src), "-o", str(out)).exit_code == 0
    assert [r["row"] for r in read_results(out)] == ["2", "3"]


def test_a_1mb_answer_is_scored_like_any_other(cli, tmp_path):
    huge = (GOOD.text + "\n") * (1_000_000 // len(GOOD.text) + 1)
    assert len(huge) > 1_000_000
    src = write_csv(
        tmp_path / "c.csv",
        [["学号", "答案"], ["s1", WEAK.text], ["s2", huge], ["s3", GOOD.text]],
    )
    out = tmp_path / "r.csv"
    result = cli("score", "-q", QID, "--batch", str(src), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    rows = read_results(out)
    assert [r["id"] for r in rows] == ["s1", "s2", "s3"]
    assert int(rows[1]["chars"]) > 500_000


def test_an_empty_answer_is_a_zero_with_its_reason(cli, tmp_path):
    src = write_csv(tmp_path / "c.csv", [["姓名", "答案"], ["张三", GOOD.text], ["王五", ""]])
    out = tmp_path / "r.csv"
    result = cli("score", "-q", QID, "--batch", str(src), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    rows = read_results(out)
    assert rows[1]["id"] == "王五" and float(rows[1]["total"]) == 0
    assert "答案为空" in rows[1]["warnings"]
    assert "空答案 1 份" in result.stdout


def test_problems_are_numbered_in_row_order_and_in_chinese(cli, tmp_path):
    src = write_csv(
        tmp_path / "c.csv",
        [
            ["学号", "答案", "题号"],
            ["s1", GOOD.text, ""],
            ["s2", "文字", "nope/q"],
            ["s3", WEAK.text, ""],
            ["s4", "a", "b", "c", "d"],
            ["s5", "文字", "nope/r"],
        ],
    )
    result = cli("score", "-q", QID, "--batch", str(src), "-o", str(tmp_path / "r.csv"))
    assert result.exit_code == 1
    lines = problem_lines(result.stderr)
    assert [re.match(r"问题 (\d+)：", x).group(1) for x in lines] == ["1", "2", "3"]
    assert ["s2" in lines[0], "s4" in lines[1], "s5" in lines[2]] == [True] * 3
    assert [re.search(r"第 (\d+) 行", x).group(1) for x in lines] == ["3", "5", "6"]
    messages = re.sub(r"'[^']*'|`[^`]*`", "", "".join(x.split("：", 2)[-1] for x in lines))
    assert not re.search(r"[A-Za-z]{4,}", messages)  # Chinese, not a parser's English


def test_jsonl_odd_rows_are_reported_and_good_rows_kept(cli, tmp_path):
    good = json.dumps({"id": "a", "answer": GOOD.text}, ensure_ascii=False)
    lines = [
        good,
        "[" * 100_000 + "]" * 100_000,
        '{"id": "big", "answer": "x", "n": ' + "9" * 5000 + "}",
        '{"id": "sur", "answer": "坏\\ud800字"}',
        b'{"id": "raw", "answer": "\xed\xa0\x80"}'.decode("utf-8", "surrogateescape"),
        "{not json",
        json.dumps({"id": "e", "answer": ""}),
        json.dumps({"id": "b", "answer": WEAK.text}, ensure_ascii=False),
    ]
    src = tmp_path / "c.jsonl"
    src.write_bytes("\n".join(lines).encode("utf-8", "surrogateescape") + b"\n")
    out = tmp_path / "r.csv"
    result = cli("score", "-q", QID, "--batch", str(src), "-o", str(out))
    assert result.exit_code == 1, result.stderr
    assert [r["id"] for r in read_results(out)] == ["a", "e", "b"]
    found = problem_lines(result.stderr)
    assert [re.search(r"第 (\d+) 行", x).group(1) for x in found] == ["2", "3", "4", "5", "6"]
    assert "嵌套太深" in found[0] and "位数" in found[1] and "sur" in found[2]
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr


def test_exit_0_when_every_row_has_a_result(cli, tmp_path):
    src = tmp_path / "c.jsonl"
    src.write_text(json.dumps({"id": "a", "answer": GOOD.text}, ensure_ascii=False) + "\n")
    result = cli("score", "-q", QID, "--batch", str(src), "--json")
    assert result.exit_code == 0
    [row] = json.loads(result.stdout)
    assert row["id"] == "a" and row["band"] == "好"


# ----------------------------------------------------------------------------- xlsx


def test_xlsx_in_and_out(cli, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["学号", "姓名", "答案"])
    ws.append([2023001, "张三", GOOD.text])
    ws.append([None, None, None])  # a blank row is nobody's answer
    ws.append([2023002, '=HYPERLINK("x")', WEAK.text])
    ws.append([2023003, "王五", None])
    ws["B4"].data_type = "s"  # a name Excel keeps as text that looks like a formula
    src = tmp_path / "class.xlsx"
    wb.save(src)
    out = tmp_path / "r.xlsx"
    result = cli("score", "-q", QID, "--batch", str(src), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["评分结果", "未评分的行"]
    rows = list(book["评分结果"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:6] == ("行号", "学号", "姓名", "题号", "总分", "档次")
    assert "点题得分率" in header and "漏掉的要点" in header
    assert [r[1] for r in rows[1:]] == ["2023001", "2023002", "2023003"]
    assert [r[0] for r in rows[1:]] == [2, 4, 5]
    cell = book["评分结果"].cell(row=3, column=3)
    assert cell.value == '=HYPERLINK("x")' and cell.data_type in ("s", "inlineStr")  # not a formula
    assert rows[3][4] == 0  # the empty answer


def test_xlsx_problems_sheet(cli, tmp_path):
    wb = Workbook()
    wb.active.append(["id", "answer", "question"])
    wb.active.append(["s1", GOOD.text, None])
    wb.active.append(["s2", "文字", "nope/q"])
    src = tmp_path / "c.xlsx"
    wb.save(src)
    out = tmp_path / "r.xlsx"
    assert cli("score", "-q", QID, "--batch", str(src), "-o", str(out)).exit_code == 1
    problems = list(load_workbook(out)["未评分的行"].iter_rows(values_only=True))
    assert problems[1][:2] == (3, "s2")


def test_a_damaged_xlsx_is_exit_2(cli, tmp_path):
    src = tmp_path / "c.xlsx"
    src.write_bytes(b"PK\x03\x04 not really a zip")
    result = cli("score", "-q", QID, "--batch", str(src))
    assert result.exit_code == 2 and ".xlsx" in result.stderr


# ----------------------------------------------------------------------------- outputs


def test_results_csv_is_excel_safe(cli, tmp_path):
    src = write_csv(
        tmp_path / "c.csv",
        [["id", "name", "answer"], ["=1+1", "+cmd", GOOD.text], ["@x", "-2", WEAK.text]],
    )
    out = tmp_path / "r.csv"
    assert cli("score", "-q", QID, "--batch", str(src), "-o", str(out)).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = read_results(out)
    assert [(r["id"], r["name"]) for r in rows] == [("'=1+1", "'+cmd"), ("'@x", "'-2")]


def test_output_never_overwrites_without_force_and_never_the_input(cli, tmp_path):
    src = write_csv(tmp_path / "c.csv", [["id", "answer"], ["s1", GOOD.text]])
    before = src.read_bytes()
    for args in (["-o", str(src)], ["-o", str(src), "--force"]):
        result = cli("score", "-q", QID, "--batch", str(src), *args)
        assert result.exit_code == 2 and "输入文件" in result.stderr
    assert src.read_bytes() == before
    report = cli("score", "-q", QID, "--batch", str(src), "--report", str(src), "--force")
    assert report.exit_code == 2 and src.read_bytes() == before
    out = tmp_path / "r.csv"
    out.write_text("keep", encoding="utf-8")
    result = cli("score", "-q", QID, "--batch", str(src), "-o", str(out))
    assert result.exit_code == 2 and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep"
    assert cli("score", "-q", QID, "--batch", str(src), "-o", str(out), "--force").exit_code == 0
    assert read_results(out)[0]["id"] == "s1"


def test_model_answer_and_export_follow_the_same_output_rule(cli, tmp_path):
    page = tmp_path / "a.md"
    page.write_text("keep", encoding="utf-8")
    result = cli("model-answer", QID, "-o", str(page))
    assert result.exit_code == 2 and "--force" in result.stderr
    assert page.read_text(encoding="utf-8") == "keep"
    assert cli("model-answer", QID, "-o", str(page), "--force").exit_code == 0
    assert page.read_text(encoding="utf-8") != "keep"
    dump = tmp_path / "h.json"
    dump.write_text("keep", encoding="utf-8")
    result = cli("export", "-o", str(dump))
    assert result.exit_code == 2 and dump.read_text(encoding="utf-8") == "keep"
    assert cli("export", "-o", str(dump), "--force").exit_code == 0
    assert json.loads(dump.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- --jobs


def test_jobs_give_the_same_results_in_the_same_order(cli, tmp_path):
    answers = [a for a in labelled() if a.question.startswith("trust-gap")][:6]
    rows = [["学号", "答案", "题号"]]
    for i in range(40):
        a = answers[i % len(answers)]
        rows.append([f"s{i:02d}", a.text if i % 7 else "", a.question if i != 13 else "nope/q"])
    src = write_csv(tmp_path / "c.csv", rows)
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"r{jobs}.json"
        result = cli("score", "-q", QID, "--batch", str(src), "-o", str(out), "--jobs", jobs)
        assert result.exit_code == 1
        outs.append((out.read_text(encoding="utf-8"), problem_lines(result.stderr)))
    assert outs[0] == outs[1]
    assert len(json.loads(outs[0][0])) == 39


def test_by_default_a_big_file_is_scored_on_every_core_with_the_same_results(
    cli, tmp_path, monkeypatch
):
    import concurrent.futures

    from trainer.scoring import batch

    answers = [a for a in labelled() if a.question.startswith("trust-gap")][:5]
    rows = [["学号", "答案", "题号"]] + [
        [f"s{i:02d}", answers[i % 5].text, answers[i % 5].question] for i in range(30)
    ]
    src = write_csv(tmp_path / "c.csv", rows)
    pools: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor

    def counting_pool(n, *args, **kwargs):
        pools.append(n)
        return real(n, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", counting_pool)
    monkeypatch.setattr(batch, "usable_cpus", lambda: 2)
    one = cli("score", "--batch", str(src), "-o", str(tmp_path / "one.csv"), "--jobs", "1")
    assert one.exit_code == 0 and pools == []
    small = cli("score", "--batch", str(src), "-o", str(tmp_path / "small.csv"))
    assert small.exit_code == 0 and pools == []  # under AUTO_MIN_ROWS: no workers to start
    monkeypatch.setattr(batch, "AUTO_MIN_ROWS", 10)
    auto = cli("score", "--batch", str(src), "-o", str(tmp_path / "auto.csv"))
    assert auto.exit_code == 0 and pools == [2]
    expected = (tmp_path / "one.csv").read_bytes()
    assert (tmp_path / "small.csv").read_bytes() == expected
    assert (tmp_path / "auto.csv").read_bytes() == expected


# ----------------------------------------------------------------------------- the class report


def _class(tmp_path, n=12):
    answers = [a for a in labelled() if a.question == QID] or [GOOD, WEAK]
    rows = [["学号", "姓名", "答案"]]
    for i in range(n):
        rows.append([f"s{i:02d}", f"学生{i}", answers[i % len(answers)].text if i != 3 else ""])
    rows.append(["s99", "坏行", "a", "b"])
    return write_csv(tmp_path / "class.csv", rows, "gbk")


def test_class_report_has_every_part(cli, tmp_path):
    src = _class(tmp_path)
    page = tmp_path / "report.html"
    result = cli("score", "-q", QID, "--batch", str(src), "--report", str(page))
    assert result.exit_code == 1, result.stderr
    text = page.read_text(encoding="utf-8")
    for part in ("分数分布", "各段平均得分率", "多数同学漏掉的要点", "每位同学", "未评分的行"):
        assert part in text
    assert "<svg" in text and 'id="band-好"' in text
    assert text.count('<tr><td class="num">') >= 12  # one row per student (and problems)
    assert "http" not in text.replace("http://www.w3.org/2000/svg", "")  # self-contained
    assert "<script" not in text
    assert "s99" in text


@needs_chromium
def test_class_report_renders_in_headless_chromium(cli, tmp_path):
    page = tmp_path / "report.html"
    assert (
        cli(
            "score", "-q", QID, "--batch", str(_class(tmp_path, 30)), "--report", str(page)
        ).exit_code
        == 1
    )
    screenshot_shows_a_page(tmp_path, page)
    pdf = tmp_path / "report.pdf"
    _run_chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.is_file() and re.search(
        rb"/MediaBox\s*\[\s*0 0 59[45]\.?\d* 84[12]", pdf.read_bytes()
    )
