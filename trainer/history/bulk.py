"""Reading and writing many attempts at once: the stats/review summaries and merge's staging.

Used by :class:`trainer.history.store.Store` inside its retry and error handling;
every function takes an open connection.

* :func:`read_summaries` reads only the covering index ``attempts_summary``
  (schema v3), never the rows with their answers and score JSON.
* Staging (:func:`create_staging`, :func:`stage`, :func:`staged`): an import is
  parsed into this connection's temporary table (on disk, no lock on the
  history), then copied oldest first in one write transaction.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from typing import Any

from trainer.history.digest import (
    AttemptSummary,
    Digest,
    PointSet,
    parse_sections,
    pointset_from_json,
)

#: The staging table of merge: the keys of a row of ``store._to_row``.
STAGE_COLUMNS: tuple[str, ...] = (
    "uid",
    "question_id",
    "question_text",
    "topic",
    "answer",
    "mode",
    "total",
    "score_json",
    "rubric_version",
    "created_at",
    "think_seconds",
    "answer_seconds",
    "session_id",
    "band",
    "sections_json",
    "verdicts",
    "points_json",
)
_INSERT = (
    f"INSERT INTO temp.incoming ({', '.join(STAGE_COLUMNS)})"
    f" VALUES ({', '.join(':' + c for c in STAGE_COLUMNS)})"
)


def stored_seconds(value: Any) -> float:
    """A stored time; an impossible one (Infinity from an import before validation) reads as 0,
    so history and stats still open and the record can be seen and deleted."""
    x = float(value)
    return x if math.isfinite(x) and 0 <= x <= 10**7 else 0.0


def read_summaries(c: sqlite3.Connection, topic: str | None) -> list[AttemptSummary]:
    sets: dict[int, PointSet] = {
        int(i): pointset_from_json(p) for i, p in c.execute("SELECT id, points FROM point_sets")
    }
    # Only the covering index is read (INDEXED BY: also with a topic filter).
    sql = (
        "SELECT id, question_id, topic, mode, total, created_at, think_seconds,"
        " answer_seconds, band, sections_json, verdicts, pointset_id"
        " FROM attempts INDEXED BY attempts_summary"
    )
    args: list[Any] = []
    if topic is not None:
        sql += " WHERE topic = ?"
        args.append(topic)
    sql += " ORDER BY created_at, id"
    rows = c.execute(sql, args).fetchall()
    texts = {
        qid: c.execute(
            "SELECT question_text FROM attempts WHERE question_id = ?"
            " ORDER BY created_at DESC, id DESC LIMIT 1",
            (qid,),
        ).fetchone()[0]
        for qid in {r[1] for r in rows}
    }
    sections: dict[str, tuple[tuple[str, float, float], ...]] = {}  # one parse per distinct
    return [
        AttemptSummary(
            int(rid),
            qid,
            texts[qid],
            tp,
            mode,
            float(total),
            created,
            stored_seconds(th),
            stored_seconds(an),
            None
            if secs is None or psid not in sets
            else Digest(
                band,
                sections.get(secs) or sections.setdefault(secs, parse_sections(secs)),
                sets[psid],
                vs,
            ),
        )
        for rid, qid, tp, mode, total, created, th, an, band, secs, vs, psid in rows
    ]


def create_staging(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA temp_store = FILE")
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS incoming ({', '.join(STAGE_COLUMNS)})")
    conn.execute("DELETE FROM temp.incoming")


def stage(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    conn.execute("BEGIN")  # writes only the temp database: no lock on the history
    try:
        conn.executemany(_INSERT, rows)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def staged(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """The staged rows oldest first (ties in the order staged), 200 at a time."""
    cur = conn.execute(
        f"SELECT {', '.join(STAGE_COLUMNS)} FROM temp.incoming ORDER BY created_at, rowid"
    )
    while rows := cur.fetchmany(200):
        for values in rows:
            yield dict(zip(STAGE_COLUMNS, values, strict=True))


def drop_staged(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM temp.incoming")
