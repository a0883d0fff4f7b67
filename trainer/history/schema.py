"""The history schema: numbered migrations, the merge key (uid), time normalisation.

``PRAGMA user_version`` holds the schema version. ``MIGRATIONS[i]`` brings a file
from version ``i`` to ``i + 1``; :func:`migrate` applies the pending ones inside a
single ``BEGIN IMMEDIATE`` transaction and re-reads the version under the lock,
so two processes opening a fresh file at once migrate it exactly once.
Shipped migrations are never edited; add a new one (and a test that migrates
a file of the previous version, with data, like tests/test_store.py does).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime


def _m1_attempts(conn: sqlite3.Connection) -> None:
    """v1: the attempt record."""
    conn.execute(
        """
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
        )
        """
    )
    conn.execute("CREATE INDEX attempts_created ON attempts(created_at)")


def _m2_merge_keys(conn: sqlite3.Connection) -> None:
    """v2: mock-session grouping, the uid that makes import idempotent (backfilled), and
    times normalised to UTC so that text order is time order."""
    conn.execute("ALTER TABLE attempts ADD COLUMN session_id TEXT")
    conn.execute("ALTER TABLE attempts ADD COLUMN uid TEXT")
    rows = conn.execute(
        "SELECT id, question_id, created_at, mode, answer FROM attempts ORDER BY id"
    ).fetchall()
    seen: set[str] = set()
    for row_id, qid, created_at, mode, answer in rows:
        try:
            created_at = normalize_time(created_at)
        except ValueError:
            pass  # keep what v1 stored rather than lose the attempt
        uid = unique_uid(content_uid(qid, created_at, mode, None, answer), seen.__contains__)
        seen.add(uid)
        conn.execute(
            "UPDATE attempts SET uid = ?, created_at = ? WHERE id = ?", (uid, created_at, row_id)
        )
    conn.execute("CREATE UNIQUE INDEX attempts_uid ON attempts(uid)")
    conn.execute("CREATE INDEX attempts_topic ON attempts(topic, created_at)")
    conn.execute("CREATE INDEX attempts_question ON attempts(question_id, created_at)")


def _m3_digest_columns(conn: sqlite3.Connection) -> None:
    """v3: what stats and review read, in its own columns (see trainer.history.digest), so
    they no longer parse every stored score: band, per-section credit, one verdict letter per
    point, and the point set (ids, sections, wordings) kept once per distinct set.
    Backfilled in batches by id, so a large history migrates in bounded memory; a covering
    index holds these columns with the time, topic and total, so reading them for 100,000
    attempts reads megabytes, not the gigabyte of answers and scores."""
    from trainer.history.digest import digest_of, to_columns

    conn.execute("CREATE TABLE point_sets (id INTEGER PRIMARY KEY, points TEXT NOT NULL UNIQUE)")
    conn.execute("ALTER TABLE attempts ADD COLUMN band TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE attempts ADD COLUMN sections_json TEXT")
    conn.execute("ALTER TABLE attempts ADD COLUMN verdicts TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE attempts ADD COLUMN pointset_id INTEGER REFERENCES point_sets(id)")
    ids: dict[str, int] = {}
    last = 0
    while True:
        rows = conn.execute(
            "SELECT id, score_json FROM attempts WHERE id > ? ORDER BY id LIMIT 500", (last,)
        ).fetchall()
        if not rows:
            break
        for row_id, score_json in rows:
            try:
                score = json.loads(score_json)
            except ValueError:
                score = None
            band, sections, verdicts, points = to_columns(digest_of(score))
            conn.execute(
                "UPDATE attempts SET band = ?, sections_json = ?, verdicts = ?, pointset_id = ?"
                " WHERE id = ?",
                (band, sections, verdicts, pointset_id(conn, points, ids), row_id),
            )
        last = rows[-1][0]
    # Covering index: stats and review read every attempt from it alone, never touching the
    # rows, whose answer and score JSON (kilobytes each) would have to be read past.
    conn.execute(
        "CREATE INDEX attempts_summary ON attempts(created_at, question_id, topic, mode, total,"
        " think_seconds, answer_seconds, band, sections_json, verdicts, pointset_id)"
    )


def pointset_id(conn: sqlite3.Connection, points: str | None, cache: dict[str, int]) -> int | None:
    """The id of point set ``points`` (JSON), added when new; ``cache`` spares repeat lookups."""
    if points is None:
        return None
    if points in cache:
        return cache[points]
    row = conn.execute("SELECT id FROM point_sets WHERE points = ?", (points,)).fetchone()
    if row is None:
        cur = conn.execute("INSERT INTO point_sets (points) VALUES (?)", (points,))
        row = (cur.lastrowid,)
    cache[points] = int(row[0])
    return cache[points]


#: MIGRATIONS[i] brings the schema from version i to i + 1.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _m1_attempts,
    _m2_merge_keys,
    _m3_digest_columns,
)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply pending migrations up to ``target`` in one transaction; return the new version.

    ``conn`` must be in autocommit mode (``isolation_level=None``).
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for v in range(version, target):
            MIGRATIONS[v](conn)
        if target > version:
            conn.execute(f"PRAGMA user_version = {int(target)}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return max(version, target)


# --------------------------------------------------------------------------- uid & time


def content_uid(qid: str, created_at: str, mode: str, session_id: str | None, answer: str) -> str:
    """The merge key of an attempt: same question, time, mode, mock session and answer."""
    payload = json.dumps([qid, created_at, mode, session_id, answer], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


def unique_uid(uid: str, exists: Callable[[str], bool]) -> str:
    """``uid``, or ``uid-2``, ``uid-3``… for exact twins, so no attempt is ever dropped."""
    candidate, n = uid, 1
    while exists(candidate):
        n += 1
        candidate = f"{uid}-{n}"
    return candidate


def normalize_time(value: str) -> str:
    """ISO 8601 in UTC (naive times are taken as UTC); raises ValueError if unparseable."""
    dt = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat()
