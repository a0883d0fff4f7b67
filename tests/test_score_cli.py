"""``trainer score``: file / stdin / JSON / custom question / batch, and bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest
from scoring_data import labelled

from trainer.models import SECTIONS

QID = "trust-gap/phenomenon-1"
GOOD = next(a for a in labelled() if a.id == "tg-01")
WEAK = next(a for a in labelled() if a.id == "tg-09")


@pytest.fixture
def answer_file(tmp_path):
    path = tmp_path / "answer.txt"
    path.write_text(GOOD.text, encoding="utf-8")
    return path


def test_report_shows_total_skeleton_time_evidence_and_missed_wording(cli, answer_file):
    result = cli("score", "--question", QID, str(answer_file))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "得分" in out and "/100" in out and "考场分" in out and "/ 20" in out
    assert "结构：点题✓" in out and "总结✓" in out
    assert "230 字/分钟" in out and "3:" in out  # spoken time of a ~3.5 minute answer
    for section in SECTIONS:
        assert section in out
    assert "✓" in out
    assert "疲于应付" in out  # the candidate's own words are quoted as evidence


def test_missed_points_show_their_model_wording(cli, tmp_path):
    path = tmp_path / "weak.txt"
    path.write_text(WEAK.text, encoding="utf-8")
    out = cli("score", "-q", QID, str(path)).stdout
    assert "✗" in out and "范文：" in out
    assert "下一步" in out and "缺少段落" in out


def test_json_has_the_documented_schema(cli, answer_file):
    result = cli("score", "--question", QID, str(answer_file), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {"total", "band", "sections", "structure", "length", "warnings"} <= set(data)
    assert 0 <= data["total"] <= 100 and data["band"] in ("好", "中", "差")
    assert set(data["sections"]) == set(SECTIONS)
    for sec in data["sections"].values():
        for p in sec["points"]:
            assert {"id", "verdict", "similarity", "evidence"} <= set(p)
            if p["evidence"]:
                ev = p["evidence"]
                assert GOOD.text[ev["start"] : ev["end"]] == ev["text"]
    assert data["length"]["seconds"] > 0
    assert {"detected", "missing", "in_order", "has_transition"} <= set(data["structure"])


def test_reads_stdin_with_dash_or_without_a_file(cli):
    a = json.loads(cli("score", "-q", QID, "-", "--json", input=GOOD.text).stdout)
    b = json.loads(cli("score", "-q", QID, "--json", input=GOOD.text).stdout)
    assert a == b and a["band"] == "好"


def test_empty_answer_is_zero_with_a_message_not_an_error(cli, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("\n  \n", encoding="utf-8")
    result = cli("score", "-q", QID, str(path), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["total"] == 0 and any("答案为空" in w for w in data["warnings"])


def test_binary_file_is_a_one_line_error_exit_2(cli, tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = cli("score", "-q", QID, str(path))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "photo.png" in lines[0] and "二进制" in lines[0]
    assert "Traceback" not in result.stderr and not result.stdout


def test_non_utf8_file_is_a_one_line_error_exit_2(cli, tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("上级对基层不放心，基层对上级不交底。".encode("gbk"))
    result = cli("score", "-q", QID, str(path))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "gbk.txt" in lines[0] and "UTF-8" in lines[0]


def test_missing_file_and_unknown_question(cli, tmp_path):
    missing = cli("score", "-q", QID, str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2 and "找不到文件" in missing.stderr
    unknown = cli("score", "-q", "trust-gap/nope", "-", input="随便写点")
    assert unknown.exit_code == 2 and "找不到题目" in unknown.stderr


def test_usage_errors(cli, answer_file):
    assert cli("score", str(answer_file)).exit_code == 2  # no question
    assert cli("score", "-t", "trust-gap", str(answer_file)).exit_code == 2  # no question text
    assert cli("score", "--question-text", "题", str(answer_file)).exit_code == 2  # no topic
    assert cli("score", "-q", QID, "--scale", "15", str(answer_file)).exit_code == 2
    assert cli("score", "-q", QID, "-o", "x.csv", str(answer_file)).exit_code == 2


def test_a_question_the_user_brings(cli, answer_file):
    result = cli(
        "score",
        "--topic",
        "trust-gap",
        "--question-text",
        "有人说，基层干部报喜不报忧，根子在上级。你怎么看？",
        str(answer_file),
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["question_id"].startswith("trust-gap/custom-") and data["band"] == "好"


def test_exam_scale_10(cli, answer_file):
    data = json.loads(cli("score", "-q", QID, str(answer_file), "--json", "--scale", "10").stdout)
    assert data["exam_scale"] == 10 and data["exam_score"] <= 10


def _jsonl(rows) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def test_batch_jsonl_to_csv_keeps_every_good_row_and_reports_bad_ones(cli, tmp_path):
    answers = [a for a in labelled() if a.question.startswith("trust-gap")][:5]
    good = [{"id": a.id, "answer": a.text, "question": a.question} for a in answers]
    lines = _jsonl(good[:2]) + "{not json\n" + _jsonl([{"id": "n", "answer": 7}])
    lines += _jsonl([{"id": "q", "answer": "文字", "question": "nope/q"}]) + _jsonl(good[2:])
    src = tmp_path / "class.jsonl"
    src.write_text(lines, encoding="utf-8")
    out = tmp_path / "results.csv"
    result = cli("score", "--batch", str(src), "-o", str(out))
    assert result.exit_code == 1, result.stderr  # results written, some rows only reported
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r["id"] for r in rows] == [a.id for a in answers]
    assert all(0 <= float(r["total"]) <= 100 and r["band"] in ("好", "中", "差") for r in rows)
    for i, n in enumerate((3, 4, 5), start=1):  # the three bad rows, numbered, named by line
        assert f"问题 {i}：{src} 第 {n} 行" in result.stderr
    assert "未评分 3 行" in result.stdout


def test_batch_csv_with_default_question_to_json(cli, tmp_path):
    src = tmp_path / "class.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["姓名", "答案"])
        w.writerow(["张三", GOOD.text])
        w.writerow(["李四", WEAK.text])
        w.writerow(["王五", ""])
    out = tmp_path / "results.json"
    result = cli("score", "-q", QID, "--batch", str(src), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["id"] for d in data] == ["张三", "李四", "王五"]
    assert data[0]["total"] > data[1]["total"]
    assert data[2]["total"] == 0 and "答案为空" in data[2]["warnings"][0]  # listed with its 0


def test_batch_json_to_stdout_and_bad_output_suffix(cli, tmp_path):
    src = tmp_path / "b.jsonl"
    src.write_text(_jsonl([{"id": "a", "answer": GOOD.text}]), encoding="utf-8")
    data = json.loads(cli("score", "-q", QID, "--batch", str(src), "--json").stdout)
    assert data[0]["id"] == "a" and data[0]["band"] == "好"
    bad = cli("score", "-q", QID, "--batch", str(src), "-o", str(tmp_path / "r.txt"))
    assert bad.exit_code == 2 and not (tmp_path / "r.txt").exists()


def test_batch_of_a_binary_file_is_exit_2(cli, tmp_path):
    src = tmp_path / "b.csv"
    src.write_bytes(b"\x00\x01\x02binary")
    result = cli("score", "-q", QID, "--batch", str(src))
    assert result.exit_code == 2 and "二进制" in result.stderr


def test_a_scored_answer_is_recorded_in_history_unless_no_save(cli, answer_file):
    from trainer.history.store import open_store

    result = cli("score", "-q", QID, str(answer_file), "--json")
    assert result.exit_code == 0 and "已记入历史" in result.stderr
    json.loads(result.stdout)  # the notice never mixes into the JSON
    with open_store() as st:
        [attempt] = st.list_attempts()
    assert attempt.mode == "score" and attempt.question_id == QID
    assert attempt.total == json.loads(result.stdout)["total"]

    assert cli("score", "-q", QID, str(answer_file), "--no-save").exit_code == 0
    with open_store() as st:
        assert len(st.list_attempts()) == 1


def test_batch_never_writes_the_teachers_history(cli, tmp_path):
    from trainer.history.store import open_store

    batch = tmp_path / "class.jsonl"
    batch.write_text(
        json.dumps({"id": "s1", "answer": GOOD.text}, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    assert cli("score", "-q", QID, "--batch", str(batch), "--json").exit_code == 0
    with open_store() as st:
        assert st.list_attempts() == []
