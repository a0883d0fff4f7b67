"""A teacher's batch for ``trainer score --batch``: reading answer rows and writing results.

A batch is JSONL (one object per line) or
CSV with a header row; each row needs an answer (``answer`` / ``text`` /
``答案``) and may carry an id (``id`` / ``name`` / ``student`` / ``姓名`` /
``学号``) and its own ``question`` id. Bad rows are collected as problems
(``file:line: message``) and skipped — nothing else is lost. Results are
written to a temporary file and renamed into place, so a crash never leaves a
half-written results file.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.errors import InputError
from trainer.fileio import decode, write_text_atomic
from trainer.models import Score

ANSWER_KEYS = ("answer", "text", "答案", "作答")
ID_KEYS = ("id", "name", "student", "姓名", "学号", "编号")
QUESTION_KEYS = ("question", "qid", "题号")

RESULT_FIELDS = (
    "id",
    "question",
    "total",
    "band",
    "exam_score",
    "exam_scale",
    "content",
    "structure",
    "expression",
    "chars",
    "seconds",
    "full",
    "partial",
    "missed",
    "sections_missing",
    "warnings",
)


@dataclass(frozen=True)
class Row:
    """One answer of a batch."""

    line: int  # JSONL: line of the file; CSV: row as a spreadsheet numbers it (header = 1)
    id: str
    answer: str
    question: str | None  # the row's own question id, if it names one


def read_batch(path: Path) -> tuple[list[Row], list[str]]:
    """Rows of a .jsonl / .csv batch and the problems of the rows that were skipped."""
    try:
        text = decode(path.read_bytes(), str(path))
    except FileNotFoundError:
        raise InputError(f"{path}：找不到批量答案文件") from None
    except IsADirectoryError:
        raise InputError(f"{path}：这是目录，不是批量答案文件") from None
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return _read_jsonl(text, str(path))
    if suffix in (".csv", ".tsv"):
        return _read_csv(text, str(path), "\t" if suffix == ".tsv" else ",")
    raise InputError(f"{path}：不支持的批量文件类型 '{suffix}'；请用 .jsonl 或 .csv")


def _pick(obj: dict[str, Any], keys: Iterable[str]) -> Any:
    lowered = {str(k).strip().lower(): v for k, v in obj.items()}
    for k in keys:
        if k in lowered and lowered[k] not in (None, ""):
            return lowered[k]
    return None


def _row(obj: dict[str, Any], line: int, name: str, problems: list[str]) -> Row | None:
    answer = _pick(obj, ANSWER_KEYS)
    if answer is None:
        present = {str(k).strip().lower() for k in obj} & set(ANSWER_KEYS)
        problems.append(
            f"{name}:{line}: 跳过：答案为空"
            if present
            else f"{name}:{line}: 跳过：缺少答案字段（answer / text / 答案）"
        )
        return None
    if not isinstance(answer, str):
        problems.append(f"{name}:{line}: 跳过：答案应为文本，实际是 {type(answer).__name__}")
        return None
    rid = _pick(obj, ID_KEYS)
    question = _pick(obj, QUESTION_KEYS)
    for field, value in (("答案", answer), ("id", rid), ("question", question)):
        if isinstance(value, str) and not _encodable(value):
            problems.append(
                f"{name}:{line}: 跳过：{field} 含有无效的字符（孤立的代理项，如 \\ud800）"
            )
            return None
    return Row(
        line=line,
        id=str(rid) if rid is not None else f"第{line}行",
        answer=answer,
        question=str(question) if question is not None else None,
    )


def _encodable(text: str) -> bool:
    """False for a lone surrogate (JSON ``"\\ud800"``), which no UTF-8 output can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _read_jsonl(text: str, name: str) -> tuple[list[Row], list[str]]:
    rows: list[Row] = []
    problems: list[str] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{name}:{n}: 跳过：不是合法的 JSON（{exc.msg}，第 {exc.colno} 列）")
            continue
        except RecursionError:  # a hostile row nested 100k deep
            problems.append(f"{name}:{n}: 跳过：JSON 嵌套过深，不是一行答案记录")
            continue
        except ValueError:  # an integer literal longer than Python converts (4,300 digits)
            problems.append(f"{name}:{n}: 跳过：数字位数过多，不是一行答案记录")
            continue
        if not isinstance(obj, dict):
            problems.append(
                f'{name}:{n}: 跳过：每行应是一个 JSON 对象，如 {{"id": …, "answer": …}}'
            )
            continue
        row = _row(obj, n, name, problems)
        if row is not None:
            rows.append(row)
    return rows, problems


def _read_csv(text: str, name: str, delimiter: str) -> tuple[list[Row], list[str]]:
    import csv  # lazy: single-answer scoring never needs it

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return [], []
    except csv.Error as exc:
        raise InputError(f"{name}:1: 表头无法解析（{exc}）") from None
    keys = [h.strip() for h in header]
    if _pick(dict.fromkeys(keys, "x"), ANSWER_KEYS) is None:
        raise InputError(f"{name}:1: 表头缺少答案列；需要 answer（或 text / 答案）列，可选 id 列")
    rows: list[Row] = []
    problems: list[str] = []
    line = 1  # spreadsheet row number (the header is row 1), not the physical line
    while True:
        line += 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(f"{name}:{line}: 跳过：CSV 格式错误（{exc}）")
            continue
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(keys):
            problems.append(
                f"{name}:{line}: 跳过：有 {len(values)} 列，表头有 {len(keys)} 列（答案里的逗号要用引号括起来）"
            )
            continue
        row = _row(dict(zip(keys, values, strict=True)), line, name, problems)
        if row is not None:
            rows.append(row)
    return rows, problems


def result_record(row_id: str, score: Score) -> dict[str, Any]:
    """One flat result row (CSV) for a scored answer."""
    verdicts = [v for s in score.sections for v in s.points]
    return {
        "id": row_id,
        "question": score.question_id,
        "total": score.total,
        "band": score.band,
        "exam_score": score.exam_score,
        "exam_scale": score.exam_scale,
        "content": score.content,
        "structure": score.structure_score,
        "expression": score.expression,
        "chars": score.length.chars,
        "seconds": score.length.seconds,
        "full": " ".join(v.point_id for v in verdicts if v.verdict == "full"),
        "partial": " ".join(v.point_id for v in verdicts if v.verdict == "partial"),
        "missed": " ".join(v.point_id for v in verdicts if v.verdict == "miss"),
        "sections_missing": " ".join(score.structure.missing),
        "warnings": "；".join(score.warnings),
    }


def write_results(path: Path, results: list[tuple[str, Score]]) -> None:
    """Write ``results`` as CSV (flat) or JSON (full scores), by the file's suffix, atomically."""
    import csv

    suffix = path.suffix.lower()
    if suffix == ".json":
        payload = json.dumps(
            [{"id": rid, **score.to_dict()} for rid, score in results],
            ensure_ascii=False,
            indent=2,
        )
    elif suffix == ".csv":
        buf = io.StringIO(newline="")
        writer = csv.DictWriter(buf, fieldnames=RESULT_FIELDS, lineterminator="\n")
        writer.writeheader()
        for rid, score in results:
            writer.writerow(result_record(rid, score))
        payload = "\ufeff" + buf.getvalue()  # BOM: spreadsheet software then reads UTF-8
    else:
        raise InputError(f"{path}：输出文件应以 .csv 或 .json 结尾")
    write_text_atomic(path, payload)
