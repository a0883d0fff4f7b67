"""The history store: records round-trip, migrations, refusal of newer schemas,
corrupted/locked files as one-line errors, and concurrent writers losing nothing."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from _attempts import make_attempt

from trainer.history.store import SCHEMA_VERSION, StoreError, open_store

REPO = Path(__file__).resolve().parent.parent


def _strip_id(a):
    return dataclasses.replace(a, id=None)


def test_store_lives_in_trainer_home_in_wal_mode(trainer_home, cli):
    with open_store() as st:
        st.add_attempt(make_attempt())
    db = trainer_home / "history.sqlite3"
    assert db.is_file()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    assert cli("data", "path").stdout.strip() == str(trainer_home)
    assert cli("data", "path", "--db").stdout.strip() == str(db)


def test_attempt_round_trips_every_field(tmp_path):
    a = make_attempt(
        "2026-11-20T08:00:00.250000+00:00",
        verdicts={"yy-blame": "miss", "dc-trust": "partial"},
        answer="第一行，含“引号”, 逗号\n第二行",
        think=42.5,
        spent=171.25,
        session_id="mock-1",
        mode="mock",
    )
    with open_store(tmp_path / "h.db") as st:
        aid = st.add_attempt(a)
        got = st.get(aid)
    assert got.id == aid
    assert _strip_id(got) == a


def test_list_newest_first_with_topic_and_limit(tmp_path):
    with open_store(tmp_path / "h.db") as st:
        st.add_attempt(make_attempt("2026-11-20T08:00:00+00:00", "trust-gap/a"))
        st.add_attempt(make_attempt("2026-11-22T08:00:00+00:00", "burden-relief/b"))
        st.add_attempt(make_attempt("2026-11-21T08:00:00+00:00", "trust-gap/c"))
        assert [a.question_id for a in st.list_attempts()] == [
            "burden-relief/b",
            "trust-gap/c",
            "trust-gap/a",
        ]
        assert [a.question_id for a in st.list_attempts(topic="trust-gap")] == [
            "trust-gap/c",
            "trust-gap/a",
        ]
        assert [a.question_id for a in st.list_attempts(limit=1)] == ["burden-relief/b"]
        oldest = st.list_attempts(oldest_first=True)
        assert oldest[0].question_id == "trust-gap/a"


def test_times_are_normalised_to_utc_so_order_is_time_order(tmp_path):
    with open_store(tmp_path / "h.db") as st:
        # 09:00 in Beijing is 01:00 UTC: earlier than 02:00 UTC despite the larger digits
        st.add_attempt(make_attempt("2026-11-20T09:00:00+08:00", "t/late-digits"))
        st.add_attempt(make_attempt("2026-11-20T02:00:00Z", "t/utc"))
        rows = st.list_attempts(oldest_first=True)
    assert [a.question_id for a in rows] == ["t/late-digits", "t/utc"]
    assert rows[0].created_at == "2026-11-20T01:00:00+00:00"


def test_identical_twin_attempts_are_both_kept(tmp_path):
    a = make_attempt()
    with open_store(tmp_path / "h.db") as st:
        ids = {st.add_attempt(a), st.add_attempt(a)}
        assert len(ids) == 2 and st.count() == 2


def test_unknown_id_is_a_one_line_error(cli):
    result = cli("history", "show", "42")
    assert result.exit_code == 2
    assert "42" in result.stderr and "trainer history" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# --------------------------------------------------------------------------- migrations

V1_SCHEMA = """
CREATE TABLE attempts (
    id             INTEGER PRIMARY KEY,
    question_id    TEXT NOT NULL,
    question_text  TEXT NOT NULL,
    topic          TEXT NOT NULL,
    answer         TEXT NOT NULL,
    mode           TEXT NOT NULL,
    total          REAL NOT NULL,
    score_json     TEXT NOT NULL,
    rubric_version TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    think_seconds  REAL NOT NULL DEFAULT 0,
    answer_seconds REAL NOT NULL DEFAULT 0
);
CREATE INDEX attempts_created ON attempts(created_at);
PRAGMA user_version = 1;
"""


def _make_v1(path: Path, attempts) -> None:
    """A history file as version 1 of the schema wrote it (frozen here on purpose)."""
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    for a in attempts:
        conn.execute(
            "INSERT INTO attempts (question_id, question_text, topic, answer, mode, total,"
            " score_json, rubric_version, created_at, think_seconds, answer_seconds)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                a.question_id,
                a.question_text,
                a.topic,
                a.answer,
                a.mode,
                a.total,
                json.dumps(a.score, ensure_ascii=False),
                a.rubric_version,
                a.created_at,
                a.think_seconds,
                a.answer_seconds,
            ),
        )
    conn.commit()
    conn.close()


def test_migration_from_v1_keeps_every_attempt_and_backfills_merge_keys(tmp_path, cli):
    old = [
        make_attempt("2026-11-18T08:00:00+00:00", "trust-gap/a", verdicts={"wh-form": "miss"}),
        make_attempt("2026-11-19T08:00:00+00:00", "trust-gap/b"),
        make_attempt("2026-11-19T08:00:00+00:00", "trust-gap/b"),  # an exact twin
        make_attempt(
            "2026-11-19T09:00:00+08:00", "trust-gap/c"
        ),  # 01:00 UTC: the earliest on the 19th
    ]
    db = tmp_path / "home" / "history.sqlite3"
    db.parent.mkdir()
    _make_v1(db, old)

    with open_store(db) as st:
        got = st.list_attempts(oldest_first=True)
        uids = [uid for uid, _ in st.records()]
    normalised = dataclasses.replace(old[3], created_at="2026-11-19T01:00:00+00:00")
    assert [_strip_id(a) for a in got] == [old[0], normalised, old[1], old[2]]
    assert [a.id for a in got] == [1, 4, 2, 3]
    assert len(set(uids)) == 4 and all(uids)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()

    # the backfilled keys make import idempotent for migrated data too
    export = tmp_path / "all.json"
    cli_env = {"TRAINER_HOME": str(db.parent)}
    run = _with_env(cli, cli_env)
    assert run("export", "-o", str(export)).exit_code == 0
    result = run("import", str(export))
    assert result.exit_code == 0 and "导入 0 条" in result.stdout
    with open_store(db) as st:
        assert st.count() == 4


def _with_env(cli, env):
    import os

    def run(*args):
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            return cli(*args)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

    return run


def test_newer_schema_is_refused_and_left_untouched(trainer_home, cli):
    db = trainer_home / "history.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE future (x)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = db.read_bytes()

    with pytest.raises(StoreError, match="v99"):
        open_store()
    result = cli("history")
    assert result.exit_code == 1
    assert "v99" in result.stderr and "升级" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == before


# --------------------------------------------------------------------------- damaged files


@pytest.mark.parametrize(
    "args",
    [("history",), ("history", "show", "1"), ("stats",), ("review", "--list"), ("export",)],
)
def test_garbage_file_gives_one_line_error_with_recovery_hint(trainer_home, cli, args):
    (trainer_home / "history.sqlite3").write_bytes(b"this is not sqlite at all\n" * 200)
    result = cli(*args)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "损坏" in lines[0] and "history.sqlite3" in lines[0] and "改名" in lines[0]
    assert "Traceback" not in result.stderr


def test_damaged_pages_give_one_line_error(trainer_home, cli):
    with open_store() as st:
        for i in range(300):
            st.add_attempt(make_attempt(f"2026-11-20T08:{i // 60:02d}:{i % 60:02d}+00:00"))
    db = trainer_home / "history.sqlite3"
    data = bytearray(db.read_bytes())
    assert len(data) > 8 * 4096  # checkpointed into the main file on close
    data[4096 : len(data) - 4096] = b"\xff" * (len(data) - 8192)
    db.write_bytes(bytes(data))
    result = cli("stats")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "损坏" in result.stderr


def test_locked_database_gives_one_line_error(trainer_home, cli, monkeypatch):
    import trainer.history.store

    with open_store() as st:
        st.add_attempt(make_attempt())
    blocker = sqlite3.connect(trainer_home / "history.sqlite3", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        monkeypatch.setattr(trainer.history.store, "DEFAULT_TIMEOUT", 0.2)
        export = trainer_home / "one.json"
        cli("export", "-o", str(export))  # readers are not blocked in WAL mode
        assert json.loads(export.read_text(encoding="utf-8"))["count"] == 1
        result = cli("import", str(export))
        assert result.exit_code == 1
        assert len(result.stderr.strip().splitlines()) == 1
        assert "占用" in result.stderr and "重试" in result.stderr
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


# --------------------------------------------------------------------------- concurrency

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    sys.path[:0] = [{repo!r}, {tests!r}]
    from _attempts import make_attempt
    from trainer.history.store import open_store
    tag, n, go = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    Path(str(go) + "." + tag).touch()          # ready
    while not go.exists():
        time.sleep(0.002)
    start = time.time()
    for i in range(n):
        with open_store() as st:              # fresh connection each time, like separate commands
            st.add_attempt(make_attempt(
                f"2026-11-20T08:{{i // 60:02d}}:{{i % 60:02d}}+00:00",
                f"t/{{tag}}-{{i}}", answer=f"{{tag}} 第 {{i}} 次作答"))
    print(start, time.time())
    """
)


def test_two_processes_writing_at_once_lose_nothing(trainer_home, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(repo=str(REPO), tests=str(REPO / "tests")), encoding="utf-8")
    go = tmp_path / "go"
    n = 150
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), tag, str(n), str(go)], stdout=subprocess.PIPE, text=True
        )
        for tag in ("A", "B")
    ]
    deadline = time.monotonic() + 30
    while not all(Path(f"{go}.{t}").exists() for t in ("A", "B")):
        assert time.monotonic() < deadline, "writers did not start"
        assert all(p.poll() is None for p in procs), "a writer died before starting"
        time.sleep(0.01)
    go.touch()  # both processes are waiting: release them together
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    # the two writers' time windows really overlapped
    (a0, a1), (b0, b1) = [map(float, out.split()) for out in outs]
    assert max(a0, b0) < min(a1, b1), "writers ran one after the other; the test proved nothing"

    with open_store() as st:
        rows = sorted(st.list_attempts(), key=lambda a: a.id)
    got = [a.question_id for a in rows]
    expected = {f"t/{tag}-{i}" for tag in ("A", "B") for i in range(n)}
    assert len(got) == 2 * n and set(got) == expected
