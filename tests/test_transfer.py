"""Export → import into a fresh TRAINER_HOME round-trips every attempt; re-import adds nothing."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest
from _attempts import make_attempt

from trainer.history.store import open_store

ATTEMPTS = [
    make_attempt(
        "2026-11-18T08:00:00+00:00", "trust-gap/phenomenon-1", verdicts={"wh-form": "miss"}
    ),
    make_attempt(
        "2026-11-18T08:05:00.123456+00:00",
        "trust-gap/opinion-2",
        verdicts={"yy-blame": "partial", "dc-channel": "miss"},
        mode="mock",
        session_id="mock-20261118-1",
        answer='首先，"引号"、逗号, 分号;\n换行之后\r\n还有 Windows 换行，以及 emoji 🙂',
        think=0.0,
        spent=217.333333333,
    ),
    make_attempt(
        "2026-11-19T21:30:00+00:00",
        "burden-relief/phenomenon-1",
        total=66.66666666666667,
        mode="score",
        answer="",
        think=0.0,
        spent=0.0,
    ),
    make_attempt(
        "2026-11-19T21:30:00+00:00", "burden-relief/phenomenon-1"
    ),  # same time, other answer
]


def _fill():
    with open_store() as st:
        for a in ATTEMPTS:
            st.add_attempt(a)
        st.add_attempt(ATTEMPTS[0])  # an exact twin is a separate attempt and must survive too
        return [dataclasses.replace(a, id=None) for a in st.list_attempts(oldest_first=True)]


def _all():
    with open_store() as st:
        return [dataclasses.replace(a, id=None) for a in st.list_attempts(oldest_first=True)]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_import_round_trips_every_attempt(cli, tmp_path, monkeypatch, fmt):
    original = _fill()
    out = tmp_path / f"history.{fmt}"
    result = cli("export", "-o", str(out))
    assert result.exit_code == 0 and "5 条" in result.stderr

    monkeypatch.setenv("TRAINER_HOME", str(tmp_path / "new-machine"))
    result = cli("import", str(out))
    assert result.exit_code == 0, result.stderr
    assert "导入 5 条新记录" in result.stdout
    assert _all() == original

    again = cli("import", str(out))
    assert again.exit_code == 0 and "导入 0 条新记录，跳过 5 条" in again.stdout
    assert _all() == original


def test_import_merges_into_existing_history(cli, tmp_path, monkeypatch):
    original = _fill()
    out = tmp_path / "a.json"
    cli("export", "-o", str(out))
    monkeypatch.setenv("TRAINER_HOME", str(tmp_path / "teacher"))
    mine = make_attempt("2026-11-25T08:00:00+00:00", "trust-gap/opinion-9")
    with open_store() as st:
        st.add_attempt(mine)
    assert cli("import", str(out)).exit_code == 0
    merged = _all()
    assert len(merged) == len(original) + 1
    assert mine in merged and all(a in merged for a in original)
    # exported from the merged machine and imported back home: nothing new except `mine`
    back = tmp_path / "b.csv"
    cli("export", "-o", str(back))
    monkeypatch.setenv("TRAINER_HOME", str(tmp_path / "home2"))
    cli("import", str(out))
    result = cli("import", str(back))
    assert "导入 1 条新记录，跳过 5 条" in result.stdout


def test_export_to_stdout_is_json_and_csv_opens_in_spreadsheets(cli, tmp_path):
    _fill()
    doc = json.loads(cli("export").stdout)
    assert doc["format"] == "gk-trainer/history" and doc["count"] == 5
    assert {"uid", "question_id", "answer", "score", "created_at"} <= set(doc["attempts"][0])
    out = tmp_path / "x.csv"
    cli("export", "-o", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows the Chinese correctly
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == 5
    (mock,) = [r for r in rows if r["question_id"] == "trust-gap/opinion-2"]
    assert mock["answer"] == ATTEMPTS[1].answer and mock["session_id"] == "mock-20261118-1"


def test_bad_import_file_names_record_and_field_and_imports_nothing(cli, tmp_path, monkeypatch):
    _fill()
    out = tmp_path / "h.json"
    cli("export", "-o", str(out))
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["attempts"][2]["total"] = "很高"
    out.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("TRAINER_HOME", str(tmp_path / "fresh"))
    result = cli("import", str(out))
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    assert "attempts[2]" in line and "total" in line and str(out) in line
    assert _all() == []


def test_import_refuses_a_score_that_history_could_not_read(cli, tmp_path, monkeypatch):
    _fill()
    out = tmp_path / "h.json"
    cli("export", "-o", str(out))
    doc = json.loads(out.read_text(encoding="utf-8"))
    del doc["attempts"][1]["score"]["total"]
    out.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("TRAINER_HOME", str(tmp_path / "fresh"))
    result = cli("import", str(out))
    assert result.exit_code == 2
    assert "attempts[1]" in result.stderr and "score" in result.stderr
    assert _all() == []


def test_bad_csv_row_names_its_line(cli, tmp_path):
    _fill()
    out = tmp_path / "h.csv"
    cli("export", "-o", str(out))
    text = out.read_text(encoding="utf-8-sig").replace("2026-11-19T21:30:00+00:00", "昨天晚上", 1)
    out.write_text(text, encoding="utf-8")
    result = cli("import", str(out))
    assert result.exit_code == 2
    assert "created_at" in result.stderr and ":" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "content, needle",
    [
        ('{"attempts": [', "JSON"),
        ('{"format": "something-else", "attempts": []}', "format"),
        ('{"format": "gk-trainer/history", "version": 7, "attempts": []}', "version"),
    ],
)
def test_not_an_export_file(cli, tmp_path, content, needle):
    f = tmp_path / "x.json"
    f.write_text(content, encoding="utf-8")
    result = cli("import", str(f))
    assert result.exit_code == 2 and needle in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_import_file(cli, tmp_path):
    result = cli("import", str(tmp_path / "nope.json"))
    assert result.exit_code == 2 and "找不到文件" in result.stderr


def test_import_from_stdin(cli, tmp_path, monkeypatch):
    original = _fill()
    text = cli("export").stdout
    monkeypatch.setenv("TRAINER_HOME", str(tmp_path / "piped"))
    result = cli("import", "-", input=text)
    assert result.exit_code == 0 and "导入 5 条新记录" in result.stdout
    assert _all() == original
