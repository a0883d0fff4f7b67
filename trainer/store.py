"""Attempt history in SQLite: ``<data dir>/history.sqlite3``.

Design decisions others rely on:

* One file per user, found through :func:`trainer.paths.data_dir` (``TRAINER_HOME``
  overrides). WAL journal, so readers never block the writer; every write is its
  own ``BEGIN IMMEDIATE`` transaction and connections wait up to ``timeout``
  seconds for a lock, so two trainer processes writing at once lose nothing.
* The schema version lives in ``PRAGMA user_version``. Numbered migrations in
  :data:`MIGRATIONS` are applied on open, inside one write transaction (a second
  process opening a fresh file waits, re-reads the version and finds nothing to
  do). A file whose version is newer than :data:`SCHEMA_VERSION` is refused,
  never touched. Shipped migrations are never edited; add a new one instead.
* Every attempt has a ``uid``: a content hash of (question, time, mode, mock
  session, answer). Export files carry it and ``merge`` skips uids already
  present, so import is idempotent. ``add_attempt`` never drops a record: an
  exact twin of a stored attempt (same second, same answer) gets ``<uid>-2``.
* ``created_at`` is normalised to ISO 8601 in UTC on the way in, so text order is
  time order.
* sqlite errors never escape as tracebacks: a locked, corrupted or unopenable
  file becomes a one-line :class:`~trainer.errors.TrainerError` with a recovery
  hint (see :func:`_translate`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from trainer.errors import InputError, TrainerError
from trainer.models import Attempt

DB_NAME = "history.sqlite3"
DEFAULT_TIMEOUT = 10.0  # seconds a writer waits for another process's lock


class StoreError(TrainerError):
    """The history database cannot be used (locked, corrupted, too new, unopenable)."""


def db_path() -> Path:
    from trainer.paths import data_dir

    return data_dir() / DB_NAME


# --------------------------------------------------------------------------- migrations


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
    """v2: mock-session grouping and the uid that makes import idempotent (backfilled)."""
    conn.execute("ALTER TABLE attempts ADD COLUMN session_id TEXT")
    conn.execute("ALTER TABLE attempts ADD COLUMN uid TEXT")
    rows = conn.execute(
        "SELECT id, question_id, created_at, mode, answer FROM attempts ORDER BY id"
    ).fetchall()
    seen: set[str] = set()
    for row_id, qid, created_at, mode, answer in rows:
        uid = _unique(_uid(qid, created_at, mode, None, answer), seen.__contains__)
        seen.add(uid)
        conn.execute("UPDATE attempts SET uid = ? WHERE id = ?", (uid, row_id))
    conn.execute("CREATE UNIQUE INDEX attempts_uid ON attempts(uid)")
    conn.execute("CREATE INDEX attempts_topic ON attempts(topic, created_at)")
    conn.execute("CREATE INDEX attempts_question ON attempts(question_id, created_at)")


#: MIGRATIONS[i] brings the schema from version i to i + 1.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_m1_attempts, _m2_merge_keys)
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
        conn.execute("ROLLBACK")
        raise
    return max(version, target)


# --------------------------------------------------------------------------- uid & time


def _uid(qid: str, created_at: str, mode: str, session_id: str | None, answer: str) -> str:
    payload = json.dumps([qid, created_at, mode, session_id, answer], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


def _unique(uid: str, exists: Callable[[str], bool]) -> str:
    candidate, n = uid, 1
    while exists(candidate):
        n += 1
        candidate = f"{uid}-{n}"
    return candidate


def attempt_uid(attempt: Attempt) -> str:
    """The content key of an attempt (before any twin suffix)."""
    return _uid(
        attempt.question_id,
        normalize_time(attempt.created_at),
        attempt.mode,
        attempt.session_id,
        attempt.answer,
    )


def normalize_time(value: str) -> str:
    """ISO 8601 in UTC (naive times are taken as UTC); raises ValueError if unparseable."""
    dt = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat()


# --------------------------------------------------------------------------- errors


def _translate(exc: sqlite3.Error, path: Path) -> StoreError:
    """One line: what is wrong with which file, and what to do about it."""
    msg = str(exc)
    low = msg.lower()
    if "locked" in low or "busy" in low:
        return StoreError(
            f"历史数据库正被另一个 trainer 进程占用：{path}；请等它结束（或关闭它）后重试。"
        )
    if isinstance(exc, sqlite3.DatabaseError) and (
        "not a database" in low or "malformed" in low or "corrupt" in low
    ):
        return StoreError(
            f"历史数据库已损坏（{msg}）：{path}；请把它改名备份（如 {path.name}.bad）后重新运行，"
            f"程序会新建空库，再用 trainer import 导入以前导出的文件。"
        )
    if "unable to open" in low or "readonly" in low or "read-only" in low:
        return StoreError(
            f"无法写入历史数据库（{msg}）：{path}；请检查目录权限，或用环境变量 TRAINER_HOME 指定另一个目录。"
        )
    if "disk" in low and ("full" in low or "i/o" in low):
        return StoreError(f"写入历史数据库失败（{msg}）：{path}；请检查磁盘空间后重试。")
    return StoreError(
        f"历史数据库出错（{msg}）：{path}；可运行 trainer data path 找到它，改名备份后重试。"
    )


# --------------------------------------------------------------------------- the store

_COLUMNS = (
    "id, uid, question_id, question_text, topic, answer, mode, total, score_json,"
    " rubric_version, created_at, think_seconds, answer_seconds, session_id"
)


def _row_to_attempt(row: Sequence[Any]) -> Attempt:
    (rid, _uid_, qid, qtext, topic, answer, mode, total, score_json, rv, created, th, an, sid) = row
    try:
        score = json.loads(score_json)
    except ValueError:
        score = {}
    return Attempt(
        question_id=qid,
        question_text=qtext,
        topic=topic,
        answer=answer,
        mode=mode,
        total=float(total),
        score=score,
        rubric_version=rv,
        created_at=created,
        think_seconds=float(th),
        answer_seconds=float(an),
        session_id=sid,
        id=int(rid),
    )


class Store:
    """An open history database. Use as a context manager (closes on exit)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    # -- lifecycle
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:  # pragma: no cover - closing never loses data in WAL mode
            pass

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the write lock up front (no upgrade deadlocks)."""
        with self._errors():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    # -- writes
    def add_attempt(self, attempt: Attempt) -> int:
        """Store one attempt; returns its id. Never drops or overwrites a record."""
        row = _to_row(attempt)
        with self._write() as conn:
            uid = _unique(row["uid"], lambda u: self._has_uid(conn, u))
            return self._insert(conn, {**row, "uid": uid})

    def merge(self, records: Iterable[tuple[str | None, Attempt]]) -> tuple[int, int]:
        """Import ``(uid, attempt)`` pairs in one transaction; returns (added, skipped).

        A pair whose uid (or, when the uid is None, content key) is already stored
        is skipped, so importing the same file twice adds nothing. Records are
        inserted oldest first so new ids follow time order.
        """
        rows = [_to_row(a, uid) for uid, a in records]
        rows.sort(key=lambda r: r["created_at"])
        added = skipped = 0
        with self._write() as conn:
            for row in rows:
                if self._has_uid(conn, row["uid"]):
                    skipped += 1
                    continue
                self._insert(conn, row)
                added += 1
        return added, skipped

    @staticmethod
    def _has_uid(conn: sqlite3.Connection, uid: str) -> bool:
        return conn.execute("SELECT 1 FROM attempts WHERE uid = ?", (uid,)).fetchone() is not None

    @staticmethod
    def _insert(conn: sqlite3.Connection, row: dict[str, Any]) -> int:
        cols = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        cur = conn.execute(f"INSERT INTO attempts ({cols}) VALUES ({marks})", row)
        return int(cur.lastrowid)

    # -- reads
    def get(self, attempt_id: int) -> Attempt:
        with self._errors():
            row = self.conn.execute(
                f"SELECT {_COLUMNS} FROM attempts WHERE id = ?", (int(attempt_id),)
            ).fetchone()
        if row is None:
            raise InputError(
                f"没有编号为 {attempt_id} 的练习记录；用 trainer history 查看已有记录的编号。"
            )
        return _row_to_attempt(row)

    def list_attempts(
        self,
        topic: str | None = None,
        limit: int | None = None,
        *,
        question_id: str | None = None,
        oldest_first: bool = False,
    ) -> list[Attempt]:
        """Attempts, newest first (``limit`` keeps the newest N); ``oldest_first`` flips the order."""
        where, args = [], []
        if topic is not None:
            where.append("topic = ?")
            args.append(topic)
        if question_id is not None:
            where.append("question_id = ?")
            args.append(question_id)
        sql = f"SELECT {_COLUMNS} FROM attempts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created_at DESC, id DESC"
        if limit is not None:
            sql += f" LIMIT {max(0, int(limit))}"
        with self._errors():
            rows = self.conn.execute(sql, args).fetchall()
        attempts = [_row_to_attempt(r) for r in rows]
        if oldest_first:
            attempts.reverse()
        return attempts

    def records(self) -> list[tuple[str, Attempt]]:
        """Every attempt with its uid, oldest first (for export)."""
        with self._errors():
            rows = self.conn.execute(
                f"SELECT {_COLUMNS} FROM attempts ORDER BY created_at, id"
            ).fetchall()
        return [(r[1], _row_to_attempt(r)) for r in rows]

    def count(self) -> int:
        with self._errors():
            return int(self.conn.execute("SELECT count(*) FROM attempts").fetchone()[0])

    def topics(self) -> list[str]:
        with self._errors():
            rows = self.conn.execute("SELECT DISTINCT topic FROM attempts ORDER BY topic")
            return [r[0] for r in rows]


def _to_row(attempt: Attempt, uid: str | None = None) -> dict[str, Any]:
    try:
        created = normalize_time(attempt.created_at)
    except ValueError:
        raise InputError(
            f"练习记录的时间无效：created_at = {attempt.created_at!r}；应为 ISO 8601，"
            "如 2026-11-24T05:10:00+00:00。"
        ) from None
    return {
        "uid": uid or _uid(
            attempt.question_id, created, attempt.mode, attempt.session_id, attempt.answer
        ),
        "question_id": attempt.question_id,
        "question_text": attempt.question_text,
        "topic": attempt.topic,
        "answer": attempt.answer,
        "mode": attempt.mode,
        "total": float(attempt.total),
        "score_json": json.dumps(attempt.score, ensure_ascii=False, sort_keys=True),
        "rubric_version": attempt.rubric_version,
        "created_at": created,
        "think_seconds": float(attempt.think_seconds),
        "answer_seconds": float(attempt.answer_seconds),
        "session_id": attempt.session_id,
    }


def open_store(path: Path | None = None, *, timeout: float | None = None) -> Store:
    """Open (creating and migrating as needed) the history database.

    ``path`` defaults to :func:`db_path`; ``timeout`` (default :data:`DEFAULT_TIMEOUT`)
    is how long to wait for another process's write lock. Raises :class:`StoreError` (one line, with a
    hint) when the file is locked past ``timeout``, corrupted, unopenable, or has a
    schema newer than this program knows.
    """
    path = Path(path) if path is not None else db_path()
    timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"无法创建数据目录 {path.parent}（{exc.strerror}）；请检查权限，"
            "或用环境变量 TRAINER_HOME 指定另一个目录。"
        ) from None
    if path.is_dir():
        raise StoreError(f"历史数据库路径是一个目录：{path}；请移走它后重试。")
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            conn.close()
            raise StoreError(
                f"历史数据库的结构版本为 v{version}，比本程序支持的 v{SCHEMA_VERSION} 新：{path}；"
                "请升级 trainer（pip install -U gk-trainer），或设置 TRAINER_HOME 使用另一个目录。"
            )
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        if version < SCHEMA_VERSION:
            migrate(conn)
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise _translate(exc, path) from None
    return Store(conn, path)
