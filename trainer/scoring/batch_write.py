"""Writing a batch's results as they come: ``.csv`` (Excel-safe), ``.xlsx`` and ``.json``.

Every writer streams into a temporary file that replaces the target only when the batch
finishes (``trainer.fileio.open_atomic``), so an interrupted run never leaves half a file.
CSV is UTF-8 with a BOM (Excel then reads it as UTF-8) and every text cell that a
spreadsheet would take for a formula (starting with = + - @, tab or CR) gets a leading
``'``. In ``.xlsx`` every text cell is written as text, never as a formula.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any, Protocol

from trainer.errors import InputError
from trainer.fileio import open_atomic
from trainer.models import SECTIONS
from trainer.scoring.batch import Problem, Result, missed_points, section_rates

OUTPUT_SUFFIXES = (".csv", ".xlsx", ".json")

RESULT_FIELDS = (
    "row",
    "id",
    "name",
    "question",
    "total",
    "band",
    "exam_score",
    "exam_scale",
    "content",
    "structure",
    "expression",
    *(f"rate_{s}" for s in SECTIONS),
    "chars",
    "seconds",
    "full",
    "partial",
    "missed",
    "sections_missing",
    "warnings",
)
XLSX_HEADER = (
    "行号",
    "学号",
    "姓名",
    "题号",
    "总分",
    "档次",
    "考场分",
    "满分",
    "内容",
    "结构",
    "表达",
    *(f"{s}得分率" for s in SECTIONS),
    "字数",
    "时长(秒)",
    "答到的要点",
    "部分答到",
    "漏掉的要点",
    "缺少的段落",
    "提示",
)
PROBLEM_HEADER = ("行号", "学号/姓名", "问题")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A text cell a spreadsheet will not run: ``'`` before = + - @ tab CR."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def result_record(result: Result) -> dict[str, Any]:
    """One flat result row for a scored answer."""
    score = result.score
    verdicts = [v for s in score.sections for v in s.points]
    rates = section_rates(score)
    return {
        "row": result.line,
        "id": result.id,
        "name": result.name,
        "question": score.question_id,
        "total": score.total,
        "band": score.band,
        "exam_score": score.exam_score,
        "exam_scale": score.exam_scale,
        "content": score.content,
        "structure": score.structure_score,
        "expression": score.expression,
        **{f"rate_{s}": ("" if r is None else round(r, 3)) for s, r in rates.items()},
        "chars": score.length.chars,
        "seconds": score.length.seconds,
        "full": " ".join(v.point_id for v in verdicts if v.verdict == "full"),
        "partial": " ".join(v.point_id for v in verdicts if v.verdict == "partial"),
        "missed": " ".join(missed_points(score)),
        "sections_missing": " ".join(score.structure.missing),
        "warnings": "；".join(score.warnings),
    }


def result_json(result: Result) -> dict[str, Any]:
    """The full score of one row, as ``--json`` and the .json file carry it."""
    return {"id": result.id, "name": result.name, "row": result.line, **result.score.to_dict()}


class ResultWriter(Protocol):
    def result(self, result: Result) -> None: ...
    def problem(self, problem: Problem) -> None: ...


class _CsvWriter:
    def __init__(self, fh: IO[str]) -> None:
        import csv

        fh.write("\ufeff")
        self._w = csv.writer(fh, lineterminator="\r\n")
        self._w.writerow(RESULT_FIELDS)

    def result(self, result: Result) -> None:
        rec = result_record(result)
        self._w.writerow([safe_cell(rec[k]) for k in RESULT_FIELDS])

    def problem(self, problem: Problem) -> None:
        pass  # problems are printed, and in the .xlsx; a results CSV holds results


class JsonArrayWriter:
    """A JSON list written one element at a time."""

    def __init__(self, fh: IO[str]) -> None:
        self._fh = fh
        self._first = True
        fh.write("[")

    def result(self, result: Result) -> None:
        self._fh.write("\n  " if self._first else ",\n  ")
        self._first = False
        self._fh.write(json.dumps(result_json(result), ensure_ascii=False))

    def problem(self, problem: Problem) -> None:
        pass

    def close(self) -> None:
        self._fh.write("\n]\n" if not self._first else "]\n")


class _XlsxWriter:
    """openpyxl write-only workbook: results and problems go to two sheets as they come."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self._wb = Workbook(write_only=True)
        self._results = self._wb.create_sheet("评分结果")
        self._problems = self._wb.create_sheet("未评分的行")
        self._results.append(list(XLSX_HEADER))
        self._problems.append(list(PROBLEM_HEADER))

    def _row(self, ws: Any, values: list[Any]) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        cells = []
        for v in values:
            if isinstance(v, str):
                c = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", v))
                c.data_type = "s"  # text, even when it starts with "=": never a formula
                cells.append(c)
            else:
                cells.append(v)
        ws.append(cells)

    def result(self, result: Result) -> None:
        rec = result_record(result)
        self._row(self._results, [rec[k] for k in RESULT_FIELDS])

    def problem(self, problem: Problem) -> None:
        self._row(self._problems, [problem.line, problem.id, problem.message])

    def save(self, fh: IO[bytes]) -> None:
        self._wb.save(fh)


@contextmanager
def open_results(path: Path) -> Iterator[ResultWriter]:
    """A writer for ``path`` by its suffix; the file appears when the block ends normally."""
    suffix = path.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise InputError(f"-o：输出文件应以 .csv、.xlsx 或 .json 结尾：{path}")
    with ExitStack() as stack:
        if suffix == ".xlsx":
            xw = _XlsxWriter()
            yield xw
            fb = stack.enter_context(open_atomic(path, binary=True))
            xw.save(fb)
            return
        fh = stack.enter_context(open_atomic(path))
        if suffix == ".csv":
            yield _CsvWriter(fh)
        else:
            jw = JsonArrayWriter(fh)
            yield jw
            jw.close()
