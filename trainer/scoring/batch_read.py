"""Reading a teacher's class file for ``trainer score --batch``, one row at a time.

Formats: ``.csv`` / ``.tsv`` (UTF-8, UTF-8 with BOM, UTF-16 with BOM, or GBK / GB18030 as
Chinese Excel saves it — detected, never guessed per row), ``.xlsx`` (openpyxl, read-only
mode: the sheet is streamed, not loaded) and ``.jsonl``. Headers may be Chinese or English
(学号/姓名/答案/题号 or id/name/answer/question).

Rows are streamed: :func:`open_batch` checks the file and its header (a file that cannot be
used at all is one ``InputError``, exit 2) and :meth:`Batch.items` yields, in row order,
exactly one :class:`Row` or :class:`Problem` per input row. A CSV record that is not
well-formed (a stray quote that would swallow the rows after it) is reported as a problem
on its own row and the lines after its first are read again as rows of their own.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from trainer.errors import InputError

ANSWER_KEYS = ("answer", "text", "response", "答案", "作答", "回答", "答题内容", "答案内容")
ID_KEYS = ("id", "student_id", "student id", "学号", "编号", "考号", "准考证号")
NAME_KEYS = ("name", "student", "姓名", "名字", "学生", "学生姓名")
QUESTION_KEYS = ("question", "qid", "question_id", "题号", "题目编号")

#: A quoted CSV field may run over this many physical lines before it counts as a stray quote.
MAX_RECORD_LINES = 20_000
#: …or over this many characters (a 1 MB answer is well inside it).
MAX_RECORD_CHARS = 16_000_000

_SURROGATE = re.compile("[\ud800-\udfff]")
_SNIFF = 1 << 20


@dataclass(frozen=True)
class Row:
    """One answer of a batch; ``line`` is the row as the teacher's program numbers it."""

    line: int  # CSV / xlsx: spreadsheet row (header = 1); JSONL: line of the file
    id: str  # the student id, else the name, else "第N行"
    name: str
    answer: str
    question: str | None  # the row's own question id, if it names one


@dataclass(frozen=True)
class Problem:
    """A row that could not be scored, and why (one line of Chinese)."""

    line: int
    id: str  # what the row calls the student ("" when nothing could be read)
    message: str
    who: str = ""  # how a problem line names the student: "学号 s2 · 张三", "姓名 张三"


Item = Row | Problem


def _key(name: Any) -> str:
    return re.sub(r"[\s\u3000]+", " ", str(name if name is not None else "")).strip().lower()


def _find(keys: list[str], wanted: Iterable[str]) -> int | None:
    for w in wanted:
        if w in keys:
            return keys.index(w)
    return None


@dataclass(frozen=True)
class _Columns:
    answer: int
    id: int | None
    name: int | None
    question: int | None
    width: int

    @classmethod
    def of(cls, header: list[Any], where: str) -> _Columns:
        keys = [_key(h) for h in header]
        answer = _find(keys, ANSWER_KEYS)
        if answer is None:
            raise InputError(
                f"{where}: 表头缺少答案列；需要 答案（或 answer / text）列，可选 学号、姓名、题号 列"
            )
        return cls(
            answer,
            _find(keys, ID_KEYS),
            _find(keys, NAME_KEYS),
            _find(keys, QUESTION_KEYS),
            len(keys),
        )


def _cell(value: Any) -> str:
    """A spreadsheet cell as text: 2023001.0 → "2023001", None → ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _ident(rid: str, name: str, line: int) -> str:
    return rid.strip() or name.strip() or f"第{line}行"


def who(rid: str, name: str) -> str:
    """How a problem line names the student: 学号 s2 · 张三 / 姓名 张三 / ""."""
    rid, name = rid.strip()[:40], name.strip()[:40]
    if rid and name:
        return f"学号 {rid} · {name}"
    return f"学号 {rid}" if rid else f"姓名 {name}" if name else ""


class Batch:
    """An opened class file: its name, and its rows as a stream (:meth:`items`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = str(path)

    def items(self) -> Iterator[Item]:  # pragma: no cover - overridden
        raise NotImplementedError

    def _row(self, line: int, rid: str, name: str, answer: Any, question: Any) -> Item:
        ident = _ident(rid, name, line)
        if not isinstance(answer, str):
            kind = type(answer).__name__
            return Problem(line, ident, f"答案应为文本，实际是 {kind}", who(rid, name))
        for field, value in (("答案", answer), ("学号", rid), ("姓名", name)):
            m = _SURROGATE.search(value)
            if m:
                clean = field == "答案"
                return Problem(
                    line,
                    ident if clean else "",
                    f"{field}里有无法保存的字符（孤立的代理码 U+{ord(m.group()):04X}）",
                    who(rid, name) if clean else "",
                )
        q = str(question).strip() if question not in (None, "") else None
        return Row(line, ident, name.strip(), answer, q or None)


# ----------------------------------------------------------------------------- CSV


def detect_encoding(path: Path) -> str:
    """The text encoding of a CSV file, read through once (streamed)."""
    with path.open("rb") as fh:
        head = fh.read(_SNIFF)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        if b"\x00" in head[:65536]:
            raise InputError(f"{path}：这是二进制文件，不是 CSV 文本；Excel 文件请直接用 .xlsx")
        for encoding in ("utf-8-sig", "gb18030"):
            fh.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                while chunk := fh.read(_SNIFF):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return encoding
    raise InputError(
        f"{path}：无法识别文字编码（不是 UTF-8，也不是 GBK/GB18030）；请在 Excel 里另存为"
        "「CSV UTF-8」或直接用 .xlsx"
    )


class _Lines:
    """Physical lines of a file, with the lines of the current record kept for a re-read."""

    def __init__(self, fh: IO[str]) -> None:
        self._fh = fh
        self._back: deque[str] = deque()
        self.taken: list[str] = []
        self._chars = 0

    def start(self) -> None:
        self.taken = []
        self._chars = 0

    def reread_after_first(self) -> None:
        """Give back every line of the current record but its first."""
        self._back.extendleft(reversed(self.taken[1:]))
        self.taken = self.taken[:1]

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._back.popleft() if self._back else next(self._fh)
        self.taken.append(line)
        self._chars += len(line)
        if len(self.taken) > MAX_RECORD_LINES or self._chars > MAX_RECORD_CHARS:
            raise _RunawayRecord
        return line


class _RunawayRecord(Exception):
    """A quoted field ran on past every plausible answer: a stray quote."""


class CsvBatch(Batch):
    def __init__(self, path: Path, delimiter: str) -> None:
        super().__init__(path)
        self.encoding = detect_encoding(path)
        self.delimiter = delimiter
        limit = 2**31 - 1  # a 1 MB answer is one field like any other
        if csv.field_size_limit() < limit:
            csv.field_size_limit(limit)
        with self._open() as fh:
            lines = _Lines(fh)
            header = self._records(lines)
            first = next(header, None)
        if first is None:
            raise InputError(f"{path}：文件是空的；第 1 行应是表头（学号,姓名,答案）")
        if isinstance(first, str):
            raise InputError(f"{path}:1: 表头无法解析（{first}）")
        self.columns = _Columns.of(first, f"{path}:1")

    def _open(self) -> IO[str]:
        return self.path.open(encoding=self.encoding, newline="")

    def _records(self, lines: _Lines) -> Iterator[list[str] | str]:
        """Each record's values, or (a str) why the record at this row is not well-formed."""
        reader = csv.reader(lines, delimiter=self.delimiter, strict=True)
        while True:
            lines.start()
            try:
                values = next(reader)
            except StopIteration:
                return
            except (csv.Error, _RunawayRecord):
                lines.reread_after_first()
                yield "引号不配对（一个引号没有闭合，会吞掉后面的行）"
                reader = csv.reader(lines, delimiter=self.delimiter, strict=True)
                continue
            yield values

    def _guess(self, lines: list[str]) -> tuple[str, str]:
        """The id and name on the first line of a record that is not well-formed."""
        if not lines:
            return "", ""
        try:
            first = next(csv.reader([lines[0]], delimiter=self.delimiter), [])
        except csv.Error:
            return "", ""
        cols = self.columns

        def at(i: int | None) -> str:
            return first[i].strip()[:40] if i is not None and i < len(first) else ""

        return at(cols.id), at(cols.name)

    def items(self) -> Iterator[Item]:
        cols = self.columns
        with self._open() as fh:
            lines = _Lines(fh)
            records = self._records(lines)
            next(records, None)  # the header
            line = 1
            for rec in records:
                line += 1
                if isinstance(rec, str):
                    rid, name = self._guess(lines.taken)
                    yield Problem(line, _ident(rid, name, line), rec, who(rid, name))
                    continue
                if not any(v.strip() for v in rec):
                    continue  # a blank row is nobody's answer
                rid = rec[cols.id] if cols.id is not None and cols.id < len(rec) else ""
                name = rec[cols.name] if cols.name is not None and cols.name < len(rec) else ""
                ident = _ident(rid, name, line)
                extra = rec[cols.width :]
                if any(v.strip() for v in extra):
                    yield Problem(
                        line,
                        ident,
                        f"有 {len(rec)} 列，表头只有 {cols.width} 列"
                        "（答案里的英文逗号要用引号括起来）",
                        who(rid, name),
                    )
                    continue
                if cols.answer >= len(rec):
                    yield Problem(line, ident, f"只有 {len(rec)} 列，缺少答案列", who(rid, name))
                    continue
                question = rec[cols.question] if cols.question is not None else None
                if cols.question is not None and cols.question >= len(rec):
                    question = None
                yield self._row(line, rid, name, rec[cols.answer], question)


# ----------------------------------------------------------------------------- xlsx


class XlsxBatch(Batch):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._check()

    def _open(self) -> Any:
        from zipfile import BadZipFile

        import openpyxl  # lazy: only an .xlsx batch pays for it

        try:
            return openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except FileNotFoundError:
            raise InputError(f"{self.path}：找不到批量答案文件") from None
        except (BadZipFile, KeyError, OSError, ValueError) as exc:
            raise InputError(
                f"{self.path}：不是可读的 .xlsx 文件（{type(exc).__name__}）；"
                "请在 Excel 里另存为「Excel 工作簿 (.xlsx)」"
            ) from None

    def _check(self) -> None:
        wb = self._open()
        try:
            ws = wb.worksheets[0] if wb.worksheets else None
            header = next(ws.iter_rows(max_row=1, values_only=True), None) if ws else None
        finally:
            wb.close()
        if header is None:
            raise InputError(f"{self.path}：第一个工作表是空的；第 1 行应是表头（学号,姓名,答案）")
        self.columns = _Columns.of(list(header), f"{self.path}:1")

    def items(self) -> Iterator[Item]:
        cols = self.columns
        wb = self._open()
        try:
            ws = wb.worksheets[0]
            for line, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
                if not any(_cell(v).strip() for v in values):
                    continue

                def at(i: int | None, vals: tuple[Any, ...] = values) -> Any:
                    return vals[i] if i is not None and i < len(vals) else None

                answer = at(cols.answer)
                answer = "" if answer is None else answer
                if isinstance(answer, int | float):
                    answer = _cell(answer)
                yield self._row(
                    line,
                    _cell(at(cols.id)),
                    _cell(at(cols.name)),
                    answer if isinstance(answer, str) else str(answer),
                    _cell(at(cols.question)),
                )
        finally:
            wb.close()


# ----------------------------------------------------------------------------- JSONL


class JsonlBatch(Batch):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        with path.open("rb") as fh:
            head = fh.read(65536)
        if b"\x00" in head:
            raise InputError(f"{path}：这是二进制文件，不是 JSONL 文本（每行一个 JSON 对象）")

    def items(self) -> Iterator[Item]:
        with self.path.open("rb") as fh:
            for n, raw in enumerate(fh, start=1):
                if n == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                yield from self._line(n, raw)

    def _line(self, n: int, raw: bytes) -> Iterator[Item]:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Problem(n, "", f"不是 UTF-8 编码（本行第 {exc.start + 1} 字节无法解码）")
            return
        if not text.strip():
            return
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Problem(n, "", f"不是合法的 JSON（第 {exc.colno} 列附近有格式错误）")
            return
        except RecursionError:
            yield Problem(n, "", "JSON 嵌套太深，无法读取")
            return
        except ValueError:  # int max str digits
            yield Problem(
                n, "", f"JSON 里有位数过多的数字（超过 {sys.get_int_max_str_digits()} 位）"
            )
            return
        if not isinstance(obj, dict):
            yield Problem(n, "", '每行应是一个 JSON 对象，如 {"id": …, "answer": …}')
            return
        keys = [_key(k) for k in obj]
        values = list(obj.values())

        def get(wanted: Iterable[str]) -> Any:
            i = _find(keys, wanted)
            return values[i] if i is not None else None

        def text_of(v: Any) -> str:
            return v if isinstance(v, str) else "" if v is None else _small(v)

        rid, name = text_of(get(ID_KEYS)), text_of(get(NAME_KEYS))
        answer = get(ANSWER_KEYS)
        if _find(keys, ANSWER_KEYS) is None:
            yield Problem(
                n, _ident(rid, name, n), "缺少答案字段（answer / text / 答案）", who(rid, name)
            )
            return
        yield self._row(n, rid, name, "" if answer is None else answer, text_of(get(QUESTION_KEYS)))


def _small(v: Any) -> str:
    """A non-text id as text, never the whole of a huge nested value."""
    if isinstance(v, bool | int | float):
        return str(v)
    return json.dumps(v, ensure_ascii=False)[:40]


def open_batch(path: Path) -> Batch:
    """Check ``path`` and its header; InputError (exit 2) when the file cannot be used at all."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}：这是目录，不是批量答案文件")
    if not path.is_file():
        raise InputError(f"{path}：找不到批量答案文件")
    suffix = path.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson", ".json"):
            return JsonlBatch(path)
        if suffix in (".csv", ".tsv", ".txt"):
            return CsvBatch(path, "\t" if suffix == ".tsv" else ",")
        if suffix in (".xlsx", ".xlsm"):
            return XlsxBatch(path)
    except PermissionError:
        raise InputError(f"{path}：没有读取权限") from None
    if suffix == ".xls":
        raise InputError(f"{path}：不支持旧版 .xls；请在 Excel 里另存为 .xlsx 或「CSV UTF-8」")
    raise InputError(f"{path}：不支持的批量文件类型 '{suffix}'；请用 .csv、.xlsx 或 .jsonl")
