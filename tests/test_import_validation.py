"""Hostile or damaged export files: one clear line, exit 2, nothing stored; exports round-trip.

Each case is an attack that used to be accepted (and then broke ``history`` and
``stats`` with an OverflowError) or crashed ``import`` with an internal error.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from _attempts import make_attempt

from trainer.history.store import open_store


def _export(cli, tmp_path, attempts=None, fmt="json"):
    with open_store() as st:
        for a in attempts or [make_attempt()]:
            st.add_attempt(a)
    out = tmp_path / f"h.{fmt}"
    assert cli("export", "-o", str(out)).exit_code == 0
    return out


def _stored() -> int:
    with open_store() as st:
        return st.count()


def _refused(cli, path, *needles):
    """Import must refuse with one line naming the file and every needle; nothing is stored."""
    result = cli("import", str(path))
    assert result.exit_code == 2, result.stderr
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1, line
    assert "Traceback" not in line and "内部错误" not in line
    for needle in (str(path), *needles):
        assert needle in line, line
    assert _stored() == 0
    return line


@pytest.fixture
def doc_file(cli, tmp_path, monkeypatch):
    """An exported JSON doc and a writer for a mutated copy, with a fresh home to import into."""
    out = _export(cli, tmp_path)
    doc = json.loads(out.read_text(encoding="utf-8"))
    monkeypatch.setenv("TRAINER_HOME", str(tmp_path / "fresh"))

    def write(text: str):
        f = tmp_path / "attack.json"
        f.write_text(text, encoding="utf-8")
        return f

    return doc, write


@pytest.mark.parametrize("literal", ["Infinity", "-Infinity", "NaN", "1e999", "1e308", "-1"])
def test_impossible_times_are_refused_and_history_keeps_working(cli, doc_file, literal):
    doc, write = doc_file
    text = json.dumps(doc, ensure_ascii=False).replace(
        '"think_seconds": 60.0', f'"think_seconds": {literal}'
    )
    line = _refused(cli, write(text), "attempts[0]", "think_seconds")
    assert "未导入任何记录" in line
    assert cli("history").exit_code == 0 and cli("stats").exit_code == 0


def test_a_5000_digit_integer_is_refused_naming_its_field(cli, doc_file):
    doc, write = doc_file
    text = json.dumps(doc).replace('"answer_seconds": 180.0', '"answer_seconds": ' + "9" * 5000)
    line = _refused(cli, write(text), "attempts[0]", "answer_seconds")
    assert "5000 位" in line


def test_100k_deep_nesting_is_one_line_not_a_crash(cli, doc_file):
    doc, write = doc_file
    text = json.dumps(doc).replace('"details": {}', '"details": ' + "[" * 100_000 + "]" * 100_000)
    _refused(cli, write(text), "嵌套")


def test_nesting_the_parser_survives_is_still_refused(cli, doc_file):
    doc, write = doc_file
    text = json.dumps(doc).replace('"details": {}', '"details": ' + "[" * 500 + "]" * 500)
    _refused(cli, write(text), "attempts[0]", "score.details", "嵌套")


@pytest.mark.parametrize("field", ["answer", "topic", "question_id"])
def test_a_lone_surrogate_is_refused(cli, doc_file, field):
    doc, write = doc_file
    text = json.dumps(doc).replace(f'"{field}": "', f'"{field}": "\\ud800', 1)
    _refused(cli, write(text), "attempts[0]", field, "U+D800")


@pytest.mark.parametrize(
    "when",
    ["1970-01-01T00:00:00", "2999-05-01T08:00:00+00:00", "9999-12-31T23:00:00-05:00", "昨天"],
)
def test_dates_outside_the_years_a_person_practises(cli, doc_file, when):
    doc, write = doc_file
    doc["attempts"][0]["created_at"] = when
    _refused(cli, write(json.dumps(doc)), "attempts[0]", "created_at")


@pytest.mark.parametrize(
    "field, value",
    [
        ("id", 10**30),
        ("id", -5),
        ("id", "第一条"),
        ("total", 101),
        ("total", "很高"),
        ("mode", "hack"),
        ("uid", ""),
        ("session_id", 7),
        ("question_id", "x" * 5000),
    ],
)
def test_ids_scores_and_texts_out_of_bounds(cli, doc_file, field, value):
    doc, write = doc_file
    doc["attempts"][0][field] = value
    _refused(cli, write(json.dumps(doc)), "attempts[0]", field)


@pytest.mark.parametrize(
    "mutate, field",
    [
        (lambda s: s.update(total=float("inf")), "score.total"),
        (lambda s: s.update(total=None), "score.total"),
        (lambda s: s.update(sections=[{"points": "abc"}]), "score.sections[0].points"),
        (lambda s: s.update(sections="危害"), "score.sections"),
        (lambda s: s["sections"]["危害"]["points"][0].update(similarity=7), "similarity"),
        (lambda s: s["sections"]["危害"]["points"][0].update(verdict="perfect"), "verdict"),
        (lambda s: s["sections"]["危害"]["points"][0].update(evidence={"start": "a"}), "start"),
        (lambda s: s.update(warnings="abc"), "score.warnings"),
        (lambda s: s.update(structure=5), "score.structure"),
        (lambda s: s.update(length={"chars": float("inf")}), "score.length.chars"),
        (lambda s: s.update(details=[1, 2]), "score.details"),
    ],
)
def test_score_json_of_the_wrong_shape(cli, doc_file, mutate, field):
    doc, write = doc_file
    mutate(doc["attempts"][0]["score"])
    _refused(cli, write(json.dumps(doc, ensure_ascii=False)), "attempts[0]", field)


def test_one_bad_record_imports_nothing_and_says_so(cli, tmp_path, monkeypatch):
    out = _export(cli, tmp_path, [make_attempt(f"2026-11-2{i}T08:00:00+00:00") for i in range(3)])
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["attempts"][1]["think_seconds"] = "1e999"
    doc["attempts"][2]["answer_seconds"] = -3
    out.write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setenv("TRAINER_HOME", str(tmp_path / "fresh"))
    line = _refused(cli, out, "attempts[1]", "think_seconds", "另有 1 处问题", "未导入任何记录")
    assert "attempts[0]" not in line


def test_csv_cells_are_checked_the_same_way(cli, tmp_path, monkeypatch):
    out = _export(cli, tmp_path, fmt="csv")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    monkeypatch.setenv("TRAINER_HOME", str(tmp_path / "fresh"))
    for field, value, needle in [
        ("think_seconds", "inf", "think_seconds"),
        ("answer_seconds", "9" * 5000, "answer_seconds"),
        ("score_json", '{"total": ' + "[" * 100_000, "score_json"),
        ("score_json", '{"total": 50, "details": "\\ud800"}', "U+D800"),
        ("created_at", "1900-01-01T00:00:00", "created_at"),
    ]:
        bad = dict(rows[0], **{field: value})
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerow(bad)
        out.write_text(buf.getvalue(), encoding="utf-8")
        _refused(cli, out, f"{out}:2", needle)


def test_a_real_scored_answer_passes_the_checks(cli, tmp_path, monkeypatch):
    answer = tmp_path / "a.txt"
    answer.write_text(
        "我认为，信任缺口必须弥合。危害在于挤压基层自主空间。原因是问责泛化。"
        "对策上，上级要敢于放权赋能，畅通沟通渠道。总之，上下同心。",
        encoding="utf-8",
    )
    assert cli("score", "-q", "trust-gap/phenomenon-1", str(answer)).exit_code == 0
    exports = [tmp_path / "real.json", tmp_path / "real.csv"]
    for out in exports:
        assert cli("export", "-o", str(out)).exit_code == 0
    for out in exports:
        monkeypatch.setenv("TRAINER_HOME", str(tmp_path / f"fresh{out.suffix}"))
        result = cli("import", str(out))
        assert result.exit_code == 0 and "导入 1 条新记录" in result.stdout, result.stderr


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_200k_character_answer_round_trips(cli, tmp_path, monkeypatch, fmt):
    long = ("上下级之间的信任缺口必须弥合，" * 14_000)[:200_000] + "\r\n最后一句。"
    original = make_attempt(answer=long)
    out = _export(cli, tmp_path, [original], fmt)
    monkeypatch.setenv("TRAINER_HOME", str(tmp_path / "fresh"))
    result = cli("import", str(out))
    assert result.exit_code == 0, result.stderr
    with open_store() as st:
        (back,) = st.list_attempts()
    assert back.answer == long and back.score == original.score


@pytest.mark.parametrize(
    "row, needle",
    [
        ('{"id": "a", "answer": ' + "[" * 100_000 + "]" * 100_000 + "}", "嵌套"),
        ('{"id": ' + "9" * 5000 + ', "answer": "我认为"}', "位数"),
        ('{"id": "a", "answer": "\\ud800我认为"}', "代理"),
    ],
    ids=["deep", "5000-digits", "surrogate"],
)
def test_hostile_batch_jsonl_rows_are_skipped_with_one_line(cli, tmp_path, row, needle):
    good = json.dumps({"id": "ok", "answer": "我认为，上级要放权赋能，畅通沟通渠道。"})
    batch = tmp_path / "class.jsonl"
    batch.write_text(row + "\n" + good + "\n", encoding="utf-8")
    out = tmp_path / "results.csv"
    result = cli("score", "-q", "trust-gap/phenomenon-1", "--batch", str(batch), "-o", str(out))
    # Some rows could only be reported: exit 1, the results still written (issue 15's rule).
    assert result.exit_code == 1, result.stderr
    assert f"问题 1：{batch} 第 1 行" in result.stderr and needle in result.stderr
    assert "内部错误" not in result.stderr
    assert [r["id"] for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))] == [
        "ok"
    ]
    # a file of nothing but such rows: every row still ends in a named problem, exit 1
    batch.write_text(row + "\n", encoding="utf-8")
    out.unlink()
    result = cli("score", "-q", "trust-gap/phenomenon-1", "--batch", str(batch), "-o", str(out))
    assert result.exit_code == 1 and needle in result.stderr
    assert "内部错误" not in result.stderr
