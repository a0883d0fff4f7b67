"""Attempt history in SQLite: ``<data dir>/history.sqlite3``.

Design decisions others rely on:

* One file per user, found through :func:`trainer.paths.data_dir` (``TRAINER_HOME``
  overrides). WAL journal, so readers never block the writer; every write is its
  own ``BEGIN IMMEDIATE`` transaction and connections wait up to ``timeout``
  seconds for a lock, so two trainer processes writing at once lose nothing.
* Numbered migrations (:mod:`trainer.history.schema`) are applied on open. A file
  whose schema is newer than this code knows is refused, never touched.
* SQLite can answer "busy" at once, without waiting, in a few WAL corners (a
  reader meeting another connection's WAL recovery or close-time checkpoint), so
  opening and every statement batch are retried with jitter until ``timeout``;
  only then does the user see "locked".
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

import json
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from trainer.errors import InputError, TrainerError
from trainer.history.bulk import (
    create_staging,
    drop_staged,
    read_summaries,
    stage,
    staged,
    stored_seconds,
)
from trainer.history.digest import AttemptSummary, digest_of, to_columns
from trainer.history.schema import (
    SCHEMA_VERSION,
    content_uid,
    migrate,
    normalize_time,
    pointset_id,
    unique_uid,
)
from trainer.models import Attempt

__all__ = ["SCHEMA_VERSION", "Store", "StoreError", "db_path", "normalize_time", "open_store"]

T = TypeVar("T")

DB_NAME = "history.sqlite3"
DEFAULT_TIMEOUT = 10.0  # seconds a writer waits for another process's lock


class StoreError(TrainerError):
    """The history database cannot be used (locked, corrupted, too new, unopenable)."""


def db_path() -> Path:
    from trainer.paths import data_dir

    return data_dir() / DB_NAME


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
        think_seconds=stored_seconds(th),
        answer_seconds=stored_seconds(an),
        session_id=sid,
        id=int(rid),
    )


def _is_busy(exc: sqlite3.Error) -> bool:
    low = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in low or "busy" in low)


def _retry(fn: Callable[[], T], timeout: float) -> T:
    """Run ``fn``, retrying with jitter while SQLite answers busy, for up to ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return fn()
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(random.uniform(0.002, 0.02))


class Store:
    """An open history database. Use as a context manager (closes on exit)."""

    def __init__(self, conn: sqlite3.Connection, path: Path, timeout: float) -> None:
        self.conn = conn
        self.path = path
        self.timeout = timeout

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
    def _errors(self):
        try:
            yield
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None

    def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        with self._errors():
            return _retry(lambda: fn(self.conn), self.timeout)

    def _write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` in a write transaction that takes the lock up front (no upgrade deadlock)."""

        def once() -> T:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                result = fn(self.conn)
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            return result

        with self._errors():
            return _retry(once, self.timeout)

    # -- writes
    def add_attempt(self, attempt: Attempt) -> int:
        """Store one attempt; returns its id. Never drops or overwrites a record."""
        row = _to_row(attempt)

        def insert(conn: sqlite3.Connection) -> int:
            uid = unique_uid(row["uid"], lambda u: self._has_uid(conn, u))
            return self._insert(conn, {**row, "uid": uid})

        return self._write(insert)

    def merge(self, records: Iterable[tuple[str | None, Attempt]]) -> tuple[int, int]:
        """Import ``(uid, attempt)`` pairs in one transaction; returns (added, skipped).

        A pair whose uid (or, when the uid is None, content key) is already stored
        is skipped, so importing the same file twice adds nothing. Records are
        inserted oldest first so new ids follow time order.

        Streaming: ``records`` is consumed into a temporary table on disk (this
        connection's own, so no lock is held while a large file is parsed), then
        copied in time order in one write transaction. If ``records`` raises, the
        staged rows are dropped and nothing is imported.
        """

        self._read(create_staging)
        try:
            batch: list[dict[str, Any]] = []
            for uid, a in records:
                batch.append(_to_row(a, uid))
                if len(batch) >= 500:
                    self._stage(batch)
                    batch = []
            self._stage(batch)

            def insert_new(conn: sqlite3.Connection) -> tuple[int, int]:
                added = skipped = 0
                ids: dict[str, int] = {}
                for row in staged(conn):
                    if self._has_uid(conn, row["uid"]):
                        skipped += 1
                    else:
                        self._insert(conn, row, ids)
                        added += 1
                return added, skipped

            return self._write(insert_new)
        finally:
            self._read(drop_staged)

    def _stage(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            self._read(lambda c: stage(c, rows))

    def delete(self, attempt_id: int) -> bool:
        """Remove one attempt for good; False when there is no attempt with that id."""

        def remove(conn: sqlite3.Connection) -> bool:
            cur = conn.execute("DELETE FROM attempts WHERE id = ?", (int(attempt_id),))
            return cur.rowcount > 0

        return self._write(remove)

    @staticmethod
    def _has_uid(conn: sqlite3.Connection, uid: str) -> bool:
        return conn.execute("SELECT 1 FROM attempts WHERE uid = ?", (uid,)).fetchone() is not None

    @staticmethod
    def _insert(
        conn: sqlite3.Connection, row: dict[str, Any], ids: dict[str, int] | None = None
    ) -> int:
        row = dict(row)
        row["pointset_id"] = pointset_id(conn, row.pop("points_json"), {} if ids is None else ids)
        cols = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        cur = conn.execute(f"INSERT INTO attempts ({cols}) VALUES ({marks})", row)
        assert cur.lastrowid is not None  # set by every successful INSERT
        return cur.lastrowid

    # -- reads
    def get(self, attempt_id: int) -> Attempt:
        row = self._read(
            lambda c: c.execute(
                f"SELECT {_COLUMNS} FROM attempts WHERE id = ?", (int(attempt_id),)
            ).fetchone()
        )
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
        rows = self._read(lambda c: c.execute(sql, args).fetchall())
        attempts = [_row_to_attempt(r) for r in rows]
        if oldest_first:
            attempts.reverse()
        return attempts

    def records(self) -> list[tuple[str, Attempt]]:
        """Every attempt with its uid, oldest first (small histories; export streams)."""
        return list(self.iter_records())

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One read transaction: what is read inside sees one state of the history (WAL)."""
        with self._errors():
            _retry(lambda: self.conn.execute("BEGIN"), self.timeout)
            try:
                _retry(lambda: self.conn.execute("SELECT count(*) FROM attempts"), self.timeout)
                yield
            finally:
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")

    def iter_records(self, batch: int = 200) -> Iterator[tuple[str, Attempt]]:
        """Every attempt with its uid, oldest first, read ``batch`` rows at a time.

        Memory stays bounded by ``batch``. Inside :meth:`snapshot` (as export uses
        it, with :meth:`count`), a writer committing meanwhile is not seen.
        """
        with self._errors():
            cur = self.conn.execute(f"SELECT {_COLUMNS} FROM attempts ORDER BY created_at, id")
            while rows := cur.fetchmany(batch):
                for r in rows:
                    yield r[1], _row_to_attempt(r)

    def summaries(self, topic: str | None = None) -> list[AttemptSummary]:
        """Attempts as stats and review read them, oldest first: no answer, a digest instead of
        the score, and each question's latest wording as ``question_text`` (what review shows)."""

        return self._read(lambda c: read_summaries(c, topic))

    def count(self) -> int:
        return int(self._read(lambda c: c.execute("SELECT count(*) FROM attempts").fetchone()[0]))


def _to_row(attempt: Attempt, uid: str | None = None) -> dict[str, Any]:
    try:
        created = normalize_time(attempt.created_at)
    except ValueError:
        raise InputError(
            f"练习记录的时间无效：created_at = {attempt.created_at!r}；应为 ISO 8601，"
            "如 2026-11-24T05:10:00+00:00。"
        ) from None
    band, sections_json, verdicts, points_json = to_columns(digest_of(attempt.score))
    return {
        "uid": uid
        or content_uid(
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
        "band": band,
        "sections_json": sections_json,
        "verdicts": verdicts,
        "points_json": points_json,  # resolved to pointset_id on insert
    }


def open_store(path: Path | None = None, *, timeout: float | None = None) -> Store:
    """Open (creating and migrating as needed) the history database.

    ``path`` defaults to :func:`db_path`; ``timeout`` (default :data:`DEFAULT_TIMEOUT`)
    is how long to wait for another process's write lock. Raises :class:`StoreError`
    (one line, with a hint) when the file is locked past ``timeout``, corrupted,
    unopenable, or has a schema newer than this program knows.
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
    try:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise _translate(exc, path) from None
    try:
        _retry(lambda: _prepare(conn, path), timeout)
    except StoreError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise _translate(exc, path) from None
    return Store(conn, path, timeout)


def _prepare(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a newer schema, switch to WAL, migrate (idempotent, so it can be retried)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"历史数据库的结构版本为 v{version}，比本程序支持的 v{SCHEMA_VERSION} 新：{path}；"
            "请升级 trainer（pip install -U gk-trainer），或设置 TRAINER_HOME 使用另一个目录。"
        )
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    if version < SCHEMA_VERSION:
        migrate(conn)
