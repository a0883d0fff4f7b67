"""Stats and review read stored columns, not every score: same results, and a v2 file migrates.

A generated history (several topics, two rubric versions with different point
sets, misses and partials, an unreadable score, time-zone ties) gives the same
``trainer stats``, review queue and history list whether computed from the full
stored scores or from the store's digest columns — and a history file written
by schema v2, with data, migrates to the new columns without changing any of them.
"""

from __future__ import annotations

import dataclasses
import json
import random
import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from _attempts import POINTS, make_attempt

from trainer.history import jsonstream, schema
from trainer.history.review import build_queue
from trainer.history.stats import compute
from trainer.history.store import open_store

BEIJING = timezone(timedelta(hours=8))
VERDICTS = ("full", "full", "partial", "miss")


def generated_history(n: int = 90, seed: int = 7, *, unreadable: bool = True) -> list:
    rng = random.Random(seed)
    start = datetime(2026, 10, 1, 1, 0, tzinfo=UTC)
    qids = ["trust-gap/a", "trust-gap/b", "burden-relief/c", "burden-relief/d"]
    out = []
    for i in range(n):
        when = start + timedelta(hours=rng.choice((5, 11, 23, 30)) * i // 4)
        verdicts = {pid: rng.choice(VERDICTS) for pid, *_ in POINTS}
        a = make_attempt(when.isoformat(), rng.choice(qids), verdicts=verdicts)
        score = a.score
        if i > n // 2:  # a newer rubric: one point reworded, one dropped
            score = json.loads(json.dumps(score))
            score["sections"]["危害"]["points"][0]["text"] = "新版：挤压基层自主空间。"
            score["sections"]["对策"]["points"].pop()
        if i == 5 and unreadable:
            score = {"not": "a score"}
        out.append(dataclasses.replace(a, score=score))
    return out


def _strip_id(a):
    return dataclasses.replace(a, id=None)


def _queue(items):
    return [
        (
            i.question_id,
            i.question_text,
            i.card.due,
            i.card.stability,
            i.reviews,
            i.last_total,
            i.missed,
        )
        for i in items
    ]


def test_stats_and_review_from_columns_equal_those_from_full_scores(tmp_path):
    attempts = generated_history()
    with open_store(tmp_path / "h.sqlite3") as st:
        for a in attempts[:30]:
            st.add_attempt(a)
        st.merge((None, a) for a in attempts[30:])
        full = st.list_attempts(oldest_first=True)
        summaries = st.summaries()
        topic_only = st.summaries(topic="trust-gap")
    today = date(2026, 10, 20)
    assert compute(summaries, today, BEIJING) == compute(full, today, BEIJING)
    assert compute(topic_only, today, BEIJING) == compute(
        [a for a in full if a.topic == "trust-gap"], today, BEIJING
    )
    assert compute(summaries, today, BEIJING).missed  # the comparison is not vacuous
    assert _queue(build_queue(summaries)) == _queue(build_queue(full)) != []


def _write_v2(path: Path, attempts) -> None:
    """A history file exactly as schema v2 left it (the shipped migrations 1 and 2)."""
    conn = sqlite3.connect(path, isolation_level=None)
    assert schema.migrate(conn, target=2) == 2
    for n, a in enumerate(attempts):
        created = schema.normalize_time(a.created_at)
        conn.execute(
            "INSERT INTO attempts (question_id, question_text, topic, answer, mode, total,"
            " score_json, rubric_version, created_at, think_seconds, answer_seconds,"
            " session_id, uid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                a.question_id,
                a.question_text,
                a.topic,
                a.answer,
                a.mode,
                a.total,
                json.dumps(a.score, ensure_ascii=False, sort_keys=True),
                a.rubric_version,
                created,
                a.think_seconds,
                a.answer_seconds,
                a.session_id,
                f"uid{n}",
            ),
        )
    conn.close()


def test_v2_history_with_data_migrates_with_stats_review_and_history_unchanged(tmp_path):
    attempts = generated_history()
    db = tmp_path / "history.sqlite3"
    _write_v2(db, attempts)
    today = date(2026, 10, 20)
    # What this code computes from the full v2 rows (score JSON), before migrating.
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    conn.close()
    expected_rows = sorted(
        attempts, key=lambda a: (schema.normalize_time(a.created_at), attempts.index(a))
    )
    expected_stats = compute(attempts, today, BEIJING)
    expected_queue = _queue(build_queue(attempts))

    with open_store(db) as st:
        assert st.count() == len(attempts)
        summaries = st.summaries()
        history = st.list_attempts(limit=20)
        listed = st.list_attempts(oldest_first=True)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM point_sets").fetchone()[0] == 2
    conn.close()

    assert compute(summaries, today, BEIJING) == expected_stats
    assert _queue(build_queue(summaries)) == expected_queue
    normalised = [
        dataclasses.replace(a, created_at=schema.normalize_time(a.created_at))
        for a in expected_rows
    ]
    assert [_strip_id(a) for a in listed] == normalised
    assert [_strip_id(a) for a in history] == normalised[::-1][:20]


def test_cli_stats_and_review_read_the_migrated_file(trainer_home, cli):
    _write_v2(trainer_home / "history.sqlite3", generated_history(40))
    stats = cli("stats", "--json")
    review = cli("review", "--list", "--all", "--json")
    assert stats.exit_code == 0 and review.exit_code == 0
    assert json.loads(stats.stdout)["overview"]["count"] == 40
    assert json.loads(review.stdout)


# --------------------------------------------------------------------------- streaming


def _stored():
    with open_store() as st:
        return [_strip_id(a) for a in st.list_attempts(oldest_first=True)]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_streamed_export_and_import_round_trip_across_read_boundaries(
    cli, trainer_home, tmp_path, monkeypatch, fmt
):
    # Reads of 7 characters: every record, string and number straddles a boundary.
    monkeypatch.setattr(jsonstream, "CHUNK", 7)
    attempts = generated_history(25, unreadable=False)
    attempts[3] = dataclasses.replace(attempts[3], answer="长答案" * 3000 + '"\\\n\r\n🙂')
    with open_store() as st:
        st.merge((None, a) for a in attempts)
    original = _stored()
    out = tmp_path / f"all.{fmt}"
    result = cli("export", "-o", str(out))
    assert result.exit_code == 0 and "已导出 25 条记录" in result.stderr
    if fmt == "json":
        doc = json.loads(out.read_text(encoding="utf-8"))
        assert doc["count"] == 25 and len(doc["attempts"]) == 25
    monkeypatch.setenv("TRAINER_HOME", str(tmp_path / "fresh"))
    result = cli("import", str(out))
    assert result.exit_code == 0 and "导入 25 条新记录" in result.stdout
    assert _stored() == original


def test_import_reads_any_layout_of_an_export_file(cli, trainer_home, tmp_path, monkeypatch):
    monkeypatch.setattr(jsonstream, "CHUNK", 5)
    attempts = generated_history(6, unreadable=False)
    with open_store() as st:
        st.merge((None, a) for a in attempts)
    original = _stored()
    doc = json.loads(cli("export").stdout)
    # records before the header, compact, no spaces; and a bare list
    reordered = {"attempts": doc["attempts"], "version": 1, "format": doc["format"]}
    for i, text in enumerate(
        [json.dumps(reordered, separators=(",", ":")), json.dumps(doc["attempts"], indent=4)]
    ):
        f = tmp_path / f"v{i}.json"
        f.write_text(text, encoding="utf-8")
        monkeypatch.setenv("TRAINER_HOME", str(tmp_path / f"home{i}"))
        result = cli("import", str(f))
        assert result.exit_code == 0 and "导入 6 条新记录" in result.stdout
        assert _stored() == original


def test_bad_record_far_into_a_streamed_file_imports_nothing(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(jsonstream, "CHUNK", 64)
    with open_store() as st:
        st.merge((None, a) for a in generated_history(30, unreadable=False))
    doc = json.loads(cli("export").stdout)
    doc["attempts"][27]["total"] = "很高"
    f = tmp_path / "h.json"
    f.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    broken = tmp_path / "cut.json"
    text = f.read_text(encoding="utf-8")
    broken.write_text(text[: len(text) // 2], encoding="utf-8")
    monkeypatch.setenv("TRAINER_HOME", str(tmp_path / "fresh"))

    result = cli("import", str(f))
    assert result.exit_code == 2 and "attempts[27]" in result.stderr and "total" in result.stderr
    result = cli("import", str(broken))
    assert result.exit_code == 2 and "不是有效的 JSON" in result.stderr
    # the line named is the line where the cut file ends
    assert f":{text[: len(text) // 2].count(chr(10)) + 1}:" in result.stderr
    assert _stored() == []
