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
from collections.abc import Iterable
from typing import Any

from trainer.errors import InputError
from trainer.fileio import csv_cell, csv_uncell
from trainer.models import Attempt
from trainer.scoring.serialize import score_from_dict

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


def export_json(records: Iterable[tuple[str, Attempt]], exported_at: str) -> str:
    items = [attempt_record(uid, a) for uid, a in records]
    doc = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": exported_at,
        "count": len(items),
        "attempts": items,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def export_csv(records: Iterable[tuple[str, Attempt]]) -> str:
    buf = io.StringIO()
    # CRLF rows (RFC 4180): the writer then quotes every cell holding a lone CR, which
    # with "\n" rows it left bare, so an answer with a CR split its row on import.
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for uid, a in records:
        rec = attempt_record(uid, a)
        score = rec.pop("score")
        rec["score_json"] = json.dumps(score, ensure_ascii=False, sort_keys=True)
        rec = {
            k: csv_cell("" if v is None else repr(v) if isinstance(v, float) else str(v))
            for k, v in rec.items()
        }
        writer.writerow(rec)
    return buf.getvalue()


def sniff_format(text: str) -> str:
    head = text.lstrip("\ufeff \t\r\n")[:1]
    return "json" if head in ("{", "[") else "csv"


def parse_export(
    text: str, source: str, fmt: str | None = None
) -> list[tuple[str | None, Attempt]]:
    """Parse an export file's text into ``(uid, attempt)`` pairs.

    Raises :class:`InputError` with one line naming ``source``, the record (JSON
    index or CSV line), the field and the problem; the count of further problems
    is appended.
    """
    text = text.lstrip("\ufeff")
    fmt = fmt or sniff_format(text)
    if fmt == "json":
        located = _json_records(text, source)
    elif fmt == "csv":
        located = _csv_records(text, source)
    else:
        raise InputError(f"不支持的导入格式 {fmt!r}：只支持 json 或 csv。")
    pairs: list[tuple[str | None, Attempt]] = []
    problems: list[str] = []
    for where, rec in located:
        try:
            pairs.append(_to_attempt(rec))
        except _Bad as bad:
            problems.append(f"{source}:{where}: {bad.field}: {bad.message}")
    if problems:
        more = f"（另有 {len(problems) - 1} 处问题）" if len(problems) > 1 else ""
        raise InputError(f"{problems[0]}{more}；文件未导入任何记录，请修正后重试。")
    return pairs


class _Bad(Exception):
    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message


def _json_records(text: str, source: str) -> list[tuple[str, dict]]:
    if not text.strip():
        raise InputError(f"{source}: 文件是空的；请选择 trainer export 导出的文件。")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source}:{exc.lineno}: 不是有效的 JSON（第 {exc.colno} 列）；"
            "文件可能不完整，请重新用 trainer export 导出。"
        ) from None
    if isinstance(doc, dict):
        fmt = doc.get("format")
        if fmt != EXPORT_FORMAT:
            raise InputError(
                f"{source}: format: 应为 {EXPORT_FORMAT!r}"
                + (f"，实际为 {fmt!r}" if fmt is not None else "，文件中没有这一项")
                + "；这不是 trainer export 导出的文件。"
            )
        version = doc.get("version")
        if not isinstance(version, int) or version > EXPORT_VERSION:
            raise InputError(
                f"{source}: version: 导出文件版本 {version!r} 比本程序支持的 {EXPORT_VERSION} 新；请升级 trainer。"
            )
        items = doc.get("attempts")
        if not isinstance(items, list):
            raise InputError(f"{source}: attempts: 缺少记录列表（应为数组）。")
    elif isinstance(doc, list):
        items = doc
    else:
        raise InputError(f"{source}: 顶层应为对象或数组。")
    out = []
    for i, rec in enumerate(items):
        if not isinstance(rec, dict):
            out.append((f"attempts[{i}]", {"__not_object__": True}))
        else:
            out.append((f"attempts[{i}]", rec))
    return out


def _csv_records(text: str, source: str) -> list[tuple[str, dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [f for f in CSV_FIELDS if f not in header and f not in ("uid", "id", "session_id")]
    if missing:
        raise InputError(
            f"{source}:1: 表头缺少列：{', '.join(missing)}；请用 trainer export --format csv 导出的文件。"
        )
    out = []
    try:
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
                rec["score"] = json.loads(sj) if sj else None
            except ValueError:
                rec["score"] = _Invalid("score_json 不是合法的 JSON")
            for k in ("uid", "id", "session_id"):
                if rec.get(k) == "":
                    rec[k] = None
            out.append((str(reader.line_num), rec))
    except csv.Error as exc:
        raise InputError(f"{source}:{reader.line_num}: CSV 格式错误：{exc}。") from None
    return out


class _Invalid:
    def __init__(self, why: str) -> None:
        self.why = why


def _to_attempt(rec: dict) -> tuple[str | None, Attempt]:
    from trainer.history.store import normalize_time

    if rec.get("__not_object__"):
        raise _Bad("-", "记录应为对象")
    if rec.get("__extra__"):
        raise _Bad("-", "这一行的列数比表头多")
    for f in _REQUIRED_NONEMPTY:
        if not isinstance(rec.get(f), str) or not rec[f].strip():
            raise _Bad(f, "缺少或为空")
    for f in _STR_FIELDS:
        if not isinstance(rec.get(f), str):
            raise _Bad(f, f"应为字符串，实际为 {rec.get(f)!r}")
    nums: dict[str, float] = {}
    for f in _NUM_FIELDS:
        v = rec.get(f, 0 if f != "total" else None)
        if v is None or isinstance(v, bool):
            raise _Bad(f, f"应为数字，实际为 {v!r}")
        try:
            nums[f] = float(v)
        except (TypeError, ValueError):
            raise _Bad(f, f"应为数字，实际为 {v!r}") from None
        if not (nums[f] >= 0):
            raise _Bad(f, f"应为非负数，实际为 {v!r}")
    if nums["total"] > 100:
        raise _Bad("total", f"应在 0–100 之间，实际为 {rec['total']!r}")
    try:
        normalize_time(rec["created_at"])
    except ValueError:
        raise _Bad("created_at", f"不是 ISO 8601 时间：{rec['created_at']!r}") from None
    score = rec.get("score")
    if isinstance(score, _Invalid):
        raise _Bad("score_json", score.why)
    try:
        if not isinstance(score, dict):
            raise ValueError("not an object")
        score_from_dict(score)  # what history show, stats and review will read it with
    except ValueError:
        raise _Bad("score", "应为评分结果对象（trainer score --json 的输出）") from None
    sid = rec.get("session_id")
    if sid is not None and not isinstance(sid, str):
        raise _Bad("session_id", f"应为字符串，实际为 {sid!r}")
    uid = rec.get("uid")
    if uid is not None and (not isinstance(uid, str) or not uid.strip()):
        raise _Bad("uid", f"应为非空字符串，实际为 {uid!r}")
    attempt = Attempt(
        question_id=rec["question_id"],
        question_text=rec["question_text"],
        topic=rec["topic"],
        answer=rec["answer"],
        mode=rec["mode"],
        total=nums["total"],
        score=score,
        rubric_version=rec["rubric_version"],
        created_at=rec["created_at"],
        think_seconds=nums["think_seconds"],
        answer_seconds=nums["answer_seconds"],
        session_id=sid,
    )
    return uid, attempt
