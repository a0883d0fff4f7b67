"""Export and import of attempt history (JSON or CSV), with validation on the way in.

Format (documented in README, "导出与导入"):

* JSON: ``{"format": "gk-trainer/history", "version": 1, "exported_at": ISO,
  "count": N, "attempts": [record, ...]}``; a bare list of records is accepted too.
* CSV (UTF-8 with BOM so spreadsheet programs show Chinese): one row per record,
  columns :data:`CSV_FIELDS`, the score as a JSON string in ``score_json``. A cell
  that starts like a formula (``=``, ``+``, ``-``, ``@``, tab, CR) is written with a
  leading ``'`` so a spreadsheet shows it as text; import drops exactly that ``'``
  (``trainer.fileio.csv_cell`` / ``csv_uncell``).

A record is an :class:`~trainer.models.Attempt` as a dict (``score`` holds the
score JSON) plus ``uid``, the merge key; ``id`` is informational (ids are
renumbered on import). No I/O here: the CLI reads and writes the files.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from trainer.errors import InputError
from trainer.fileio import csv_cell, csv_uncell
from trainer.history import validate as check
from trainer.history.jsonstream import JSONStreamError, iter_items
from trainer.models import Attempt

EXPORT_FORMAT = "gk-trainer/history"
EXPORT_VERSION = 1

CSV_FIELDS: tuple[str, ...] = (
    "uid",
    "id",
    "created_at",
    "question_id",
    "topic",
    "mode",
    "total",
    "think_seconds",
    "answer_seconds",
    "session_id",
    "rubric_version",
    "question_text",
    "answer",
    "score_json",
)

_STR_FIELDS = ("question_id", "question_text", "topic", "answer", "mode", "rubric_version")
_REQUIRED_NONEMPTY = ("question_id", "topic", "mode", "created_at")
_NUM_FIELDS = ("total", "think_seconds", "answer_seconds")


def attempt_record(uid: str, attempt: Attempt) -> dict[str, Any]:
    return {
        "uid": uid,
        "id": attempt.id,
        "created_at": attempt.created_at,
        "question_id": attempt.question_id,
        "question_text": attempt.question_text,
        "topic": attempt.topic,
        "mode": attempt.mode,
        "total": attempt.total,
        "think_seconds": attempt.think_seconds,
        "answer_seconds": attempt.answer_seconds,
        "session_id": attempt.session_id,
        "rubric_version": attempt.rubric_version,
        "answer": attempt.answer,
        "score": attempt.score,
    }


def write_json(
    records: Iterable[tuple[str, Attempt]], count: int, exported_at: str, out: TextIO
) -> int:
    """Stream the JSON export to ``out`` one record at a time; returns the records written.

    The header members one per line, then each record on one line of its own
    (compact: indenting every score would make the file twice as large and the
    export five times slower), so memory does not grow with history.
    """
    head = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exported_at": exported_at}
    out.write("{\n")
    for k, v in {**head, "count": count}.items():
        out.write(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n")
    out.write('  "attempts": [')
    n = 0
    for uid, a in records:
        item = json.dumps(attempt_record(uid, a), ensure_ascii=False)
        out.write(("\n    " if n == 0 else ",\n    ") + item)
        n += 1
    out.write("\n  ]\n}\n" if n else "]\n}\n")
    return n


def write_csv(records: Iterable[tuple[str, Attempt]], out: TextIO) -> int:
    """Stream the CSV export to ``out`` row by row; returns the records written."""
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    n = 0
    for uid, a in records:
        rec = attempt_record(uid, a)
        score = rec.pop("score")
        rec["score_json"] = json.dumps(score, ensure_ascii=False, sort_keys=True)
        rec = {
            k: csv_cell("" if v is None else repr(v) if isinstance(v, float) else str(v))
            for k, v in rec.items()
        }
        writer.writerow(rec)
        n += 1
    return n


def export_json(records: Iterable[tuple[str, Attempt]], exported_at: str) -> str:
    items = list(records)
    buf = io.StringIO()
    write_json(items, len(items), exported_at, buf)
    return buf.getvalue()


def export_csv(records: Iterable[tuple[str, Attempt]]) -> str:
    buf = io.StringIO()
    write_csv(records, buf)
    return buf.getvalue()


def sniff_format(text: str) -> str:
    head = text.lstrip("\ufeff \t\r\n")[:1]
    return "json" if head in ("{", "[") else "csv"


def parse_export(
    text: str, source: str, fmt: str | None = None
) -> list[tuple[str | None, Attempt]]:
    """Parse an export file's text into ``(uid, attempt)`` pairs (see :func:`iter_export`)."""
    text = text.lstrip("\ufeff")
    return list(iter_export(io.StringIO(text, newline=""), source, fmt or sniff_format(text)))


def iter_export(stream: TextIO, source: str, fmt: str) -> Iterator[tuple[str | None, Attempt]]:
    """Yield the ``(uid, attempt)`` pairs of an export file read from ``stream``, one at a time.

    Memory stays bounded by the largest record. Every record is checked; the
    valid ones are yielded as they come, and when the file had problems an
    :class:`InputError` is raised at the end with one line naming ``source``, the
    record (JSON index or CSV line), the field and the problem, plus the count of
    further problems — the caller (``Store.merge``) then imports nothing.
    """
    if fmt == "json":
        located = _json_records(stream, source)
    elif fmt == "csv":
        located = _csv_records(stream, source)
    else:
        raise InputError(f"不支持的导入格式 {fmt!r}：只支持 json 或 csv。")
    first: str | None = None
    problems = 0
    for where, rec in located:
        try:
            pair = _to_attempt(rec)
        except check.RecordProblem as bad:
            problems += 1
            first = first or f"{source}:{where}: {bad.field}: {bad.message}"
            continue
        if not problems:
            yield pair
    if first is not None:
        more = f"（另有 {problems - 1} 处问题）" if problems > 1 else ""
        raise InputError(f"{first}{more}；文件未导入任何记录，请修正后重试。")


def _json_records(stream: TextIO, source: str) -> Iterator[tuple[str, dict]]:
    header: dict[str, Any] = {}
    items = iter_items(stream, header)
    try:
        for i, rec in enumerate(items):
            if i == 0:
                _check_header(header, source)
            if not isinstance(rec, dict):
                yield f"attempts[{i}]", {"__not_object__": True}
            else:
                yield f"attempts[{i}]", rec
    except JSONStreamError as exc:
        raise InputError(
            f"{source}:{exc.line}: 不是有效的 JSON（第 {exc.col} 列）；"
            "文件可能不完整，请重新用 trainer export 导出。"
        ) from None
    except (RecursionError, ValueError):  # nesting or an integer too large to be a record
        raise InputError(
            f"{source}: JSON 嵌套过深或数字位数过多，不是 trainer export 导出的记录；"
            "文件未导入任何记录。"
        ) from None
    if header.get("__kind__") == "empty":
        raise InputError(f"{source}: 文件是空的；请选择 trainer export 导出的文件。")
    header["__done__"] = True
    _check_header(header, source)


def _check_header(header: dict[str, Any], source: str) -> None:
    """The checks of the top level; with records before ``format``, they run again at the end."""
    kind = header.get("__kind__")
    if kind == "list":
        return
    if kind != "object":
        raise InputError(f"{source}: 顶层应为对象或数组。")
    fmt = header.get("format")
    if fmt != EXPORT_FORMAT:
        if "format" not in header and not header.get("__done__"):
            return  # may come after the records; checked again when the file is read
        raise InputError(
            f"{source}: format: 应为 {EXPORT_FORMAT!r}"
            + (f"，实际为 {fmt!r}" if fmt is not None else "，文件中没有这一项")
            + "；这不是 trainer export 导出的文件。"
        )
    version = header.get("version")
    if not isinstance(version, int) or version > EXPORT_VERSION:
        raise InputError(
            f"{source}: version: 导出文件版本 {version!r} 比本程序支持的 {EXPORT_VERSION} 新；请升级 trainer。"
        )
    if header.get("__done__") and not header.get("__attempts__"):
        raise InputError(f"{source}: attempts: 缺少记录列表（应为数组）。")


def _csv_records(stream: TextIO, source: str) -> Iterator[tuple[str, dict]]:
    # csv's default cell limit (128 KiB) would refuse a long answer this program
    # exported itself; a streamed file's length is unknown, so no limit but memory.
    limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)
    try:
        yield from _csv_rows(stream, source)
    finally:
        csv.field_size_limit(limit)


def _csv_rows(stream: TextIO, source: str) -> Iterator[tuple[str, dict]]:
    reader = csv.DictReader(stream)
    try:
        header = reader.fieldnames or []
        missing = [
            f for f in CSV_FIELDS if f not in header and f not in ("uid", "id", "session_id")
        ]
        if missing:
            raise InputError(
                f"{source}:1: 表头缺少列：{', '.join(missing)}；请用 trainer export --format csv 导出的文件。"
            )
        for row in reader:
            rec: dict[str | None, Any] = dict(row)  # cells past the header come under None
            if None in rec:
                rec.pop(None)
                rec["__extra__"] = True
            for k, v in rec.items():
                if isinstance(v, str):
                    rec[k] = csv_uncell(v)  # the export's formula guard (trainer.fileio)
            sj = rec.pop("score_json", "")
            try:
                rec["score"] = check.load_json(sj) if sj else None
            except check.JsonProblem as exc:
                rec["score"] = _Invalid(f"score_json {exc.message}")
            for k in ("uid", "id", "session_id"):
                if rec.get(k) == "":
                    rec[k] = None
            yield str(reader.line_num), rec
    except csv.Error as exc:
        raise InputError(f"{source}:{reader.line_num}: CSV 格式错误：{exc}。") from None


class _Invalid:
    def __init__(self, why: str) -> None:
        self.why = why


def _to_attempt(rec: dict) -> tuple[str | None, Attempt]:
    """One record as an attempt, or :class:`~trainer.history.validate.RecordProblem`."""
    if rec.get("__not_object__"):
        raise check.RecordProblem("-", "记录应为对象")
    if rec.get("__extra__"):
        raise check.RecordProblem("-", "这一行的列数比表头多")
    score = rec.get("score")
    if isinstance(score, _Invalid):
        raise check.RecordProblem("score_json", score.why)
    check.check_tree(rec, "")
    for f in _REQUIRED_NONEMPTY:
        check.text(rec, f, required=True)
    for f in _STR_FIELDS:
        check.text(rec, f)
    sid = check.text(rec, "session_id", optional=True)
    uid = check.text(rec, "uid", optional=True)
    if uid is not None and not uid.strip():
        raise check.RecordProblem("uid", f"应为非空字符串，实际为 {uid!r}")
    check.record_id(rec.get("id"))
    check.mode(rec["mode"])
    check.created_at(rec["created_at"])
    total = check.number(rec, "total", 0, 100)
    think = check.number(rec, "think_seconds", 0, check.MAX_SECONDS, default=0)
    spent = check.number(rec, "answer_seconds", 0, check.MAX_SECONDS, default=0)
    check.score(score)
    assert isinstance(score, dict)  # check.score refuses anything else
    attempt = Attempt(
        question_id=rec["question_id"],
        question_text=rec["question_text"],
        topic=rec["topic"],
        answer=rec["answer"],
        mode=rec["mode"],
        total=total,
        score=score,
        rubric_version=rec["rubric_version"],
        created_at=rec["created_at"],
        think_seconds=think,
        answer_seconds=spent,
        session_id=sid,
    )
    return uid, attempt
