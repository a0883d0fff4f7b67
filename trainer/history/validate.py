"""What an imported record must be before it is stored: types, ranges, a readable score.

An export file is user input: it may have been edited by hand, produced by
another tool or crafted. Whatever gets into the database is later summed,
formatted and rendered by ``history``, ``stats`` and ``review``, so every field
is checked here once, on the way in:

* every number is finite (no ``Infinity``, ``NaN``, ``1e999``), every integer
  literal has at most :data:`MAX_DIGITS` digits, nesting is at most
  :data:`MAX_DEPTH` levels, and no string holds a lone surrogate (``"\\ud800"``,
  which SQLite cannot store as UTF-8);
* times are 0 … :data:`MAX_SECONDS`; ``created_at`` lies in the years a person
  practises (:data:`FIRST_YEAR` … next year); ``total`` is 0 … 100; ids, modes and
  texts are within bounds;
* the score JSON has the shape :func:`trainer.scoring.serialize.score_from_dict`
  reads, with every number in its range.

Problems are :class:`RecordProblem` (field path + message); ``transfer`` turns
them into ``file:record: field: message``. :func:`load_json` parses an export's
text with the same limits and reports a hostile document as one line.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from typing import Any

from trainer.models import VERDICTS

MAX_DEPTH = 32  # a real record is 6 levels deep (score → sections → points → evidence)
MAX_DIGITS = 30  # integer literals longer than this are no number a record holds
MAX_SECONDS = 24 * 3600.0  # think / answer time of one attempt
FIRST_YEAR = 2000
MAX_ID = 2**63 - 1  # SQLite's INTEGER
MODES = ("practice", "mock", "score", "review")
#: Longest text per field (characters); answers may be long (200k 字 round-trip).
TEXT_LIMITS = {
    "uid": 100,
    "question_id": 200,
    "topic": 100,
    "mode": 20,
    "rubric_version": 100,
    "session_id": 100,
    "question_text": 20_000,
    "answer": 5_000_000,
}


class RecordProblem(Exception):
    """One thing wrong with a record: ``field`` (a path such as ``score.total``) and why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


class JsonProblem(Exception):
    """An export file that is no JSON this program reads; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


class BigInt:
    """An integer literal with more than :data:`MAX_DIGITS` digits (kept so its field is named)."""

    def __init__(self, digits: int) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"<{self.digits} 位整数>"


def _parse_int(literal: str) -> int | BigInt:
    digits = len(literal.lstrip("-"))
    return BigInt(digits) if digits > MAX_DIGITS else int(literal)


def load_json(text: str) -> Any:
    """``json.loads`` that survives hostile input; raises :class:`JsonProblem`.

    Over-long integers become :class:`BigInt` (the record check names the field);
    nesting too deep for the parser is reported with the line where it goes too deep.
    """
    try:
        return json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise JsonProblem(exc.lineno, f"不是有效的 JSON（第 {exc.colno} 列）") from None
    except RecursionError:
        line = _too_deep_line(text)
        raise JsonProblem(line, f"JSON 嵌套超过 {MAX_DEPTH} 层，不是 trainer 导出的记录") from None


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)


def _too_deep_line(text: str) -> int:
    depth = 0
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return text.count("\n", 0, m.start()) + 1
        elif tok in "]}":
            depth -= 1
    return 1


def check_tree(value: Any, field: str) -> None:
    """Depth, finite numbers, short integers and encodable strings, everywhere in ``value``."""
    if _sound(value, 1):
        return  # the common case, without building a path for every node
    _locate(value, field)


def _sound(v: Any, depth: int) -> bool:
    t = type(v)
    if t is str:
        return v.isascii() or _encodable(v)
    if t is dict:
        return depth <= MAX_DEPTH and all(
            type(k) is str and (k.isascii() or _encodable(k)) and _sound(c, depth + 1)
            for k, c in v.items()
        )
    if t is list:
        return depth <= MAX_DEPTH and all(_sound(c, depth + 1) for c in v)
    if t is float:
        return math.isfinite(v)
    if t is int:
        return -MAX_ID <= v <= MAX_ID
    return v is None or t is bool


def _encodable(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _locate(value: Any, field: str) -> None:
    """Raise the problem :func:`_sound` found, naming the field path."""
    stack: list[tuple[Any, str, int]] = [(value, field, 1)]
    while stack:
        v, path, depth = stack.pop()
        if isinstance(v, dict | list):
            if depth > MAX_DEPTH:
                short = path if len(path) <= 40 else path[:40] + "…"
                raise RecordProblem(short, f"嵌套超过 {MAX_DEPTH} 层")
            items = v.items() if isinstance(v, dict) else enumerate(v)
            for k, child in items:
                if isinstance(k, str):
                    _check_str(k, f"{path}（键）")
                    sub = f"{path}.{k}" if path else k
                else:
                    sub = f"{path}[{k}]"
                stack.append((child, sub, depth + 1))
        elif isinstance(v, BigInt):
            raise RecordProblem(path, f"数字位数过多（{v.digits} 位）")
        elif isinstance(v, float) and not math.isfinite(v):
            raise RecordProblem(path, f"应为有限的数字，实际为 {v!r}")
        elif isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_ID:
            raise RecordProblem(path, f"数字超出范围：{v}")
        elif isinstance(v, str):
            _check_str(v, path)


def _check_str(s: str, path: str) -> None:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise RecordProblem(
            path, f"含有无效的字符 U+{ord(s[exc.start]):04X}（孤立的代理项），无法保存"
        ) from None


# --------------------------------------------------------------------------- fields


def number(rec: dict, field: str, lo: float, hi: float, default: Any = None) -> float:
    """``rec[field]`` as a finite float in ``lo … hi`` (CSV cells are strings)."""
    v = rec.get(field, default)
    if v is None or isinstance(v, bool | BigInt):
        raise RecordProblem(field, f"应为数字，实际为 {v!r}")
    try:
        x = float(v)
    except (TypeError, ValueError, OverflowError):
        raise RecordProblem(field, f"应为数字，实际为 {v!r}") from None
    if not math.isfinite(x):
        raise RecordProblem(field, f"应为有限的数字，实际为 {v!r}")
    if not lo <= x <= hi:
        raise RecordProblem(field, f"应在 {lo:g}–{hi:g} 之间，实际为 {v!r}")
    return x


def text(rec: dict, field: str, *, required: bool = False, optional: bool = False) -> str | None:
    v = rec.get(field)
    if v is None and optional:
        return None
    if not isinstance(v, str):
        raise RecordProblem(field, "缺少或为空" if v is None else f"应为字符串，实际为 {v!r}")
    if required and not v.strip():
        raise RecordProblem(field, "缺少或为空")
    limit = TEXT_LIMITS.get(field)
    if limit is not None and len(v) > limit:
        raise RecordProblem(field, f"过长（{len(v)} 字符，最多 {limit}）")
    return v


def created_at(value: str, now: datetime | None = None) -> None:
    """A parseable time in the years a person practises (UTC year FIRST_YEAR … next year)."""
    from trainer.history.schema import normalize_time

    last = (now or datetime.now(UTC)).year + 1
    try:
        year = datetime.fromisoformat(normalize_time(value)).year
    except ValueError:
        raise RecordProblem(
            "created_at", f"不是 ISO 8601 时间：{value!r}（应如 2026-11-24T05:10:00+00:00）"
        ) from None
    except OverflowError:  # e.g. 9999-12-31T23:00-05:00 is past the end of the calendar
        year = FIRST_YEAR - 1
    if not FIRST_YEAR <= year <= last:
        raise RecordProblem("created_at", f"年份应在 {FIRST_YEAR}–{last} 之间，实际为 {value!r}")


def record_id(value: Any) -> None:
    """The informational ``id`` (renumbered on import): absent or a positive integer."""
    if value is None:
        return
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise RecordProblem("id", f"应为正整数（记录编号），实际为 {value!r}")


def mode(value: str) -> None:
    if value not in MODES:
        raise RecordProblem("mode", f"应为 {' / '.join(MODES)} 之一，实际为 {value!r}")


# --------------------------------------------------------------------------- the score


def score(data: Any) -> None:
    """The score JSON has the shape and ranges ``score_from_dict`` and the renderers expect."""
    from trainer.scoring.serialize import score_from_dict

    if not isinstance(data, dict) or "total" not in data:
        raise RecordProblem("score", "应为评分结果对象（trainer score --json 的输出）")
    for key in ("total", "content", "structure_score", "expression"):
        if key in data or key == "total":
            _num(data, key, "score", 0, 100)
    scale = _num(data, "exam_scale", "score", 1, 100, default=20)
    _num(data, "exam_score", "score", 0, scale, default=0)
    for key in ("question_id", "rubric_version", "band"):
        _str(data, key, "score")
    sections = data.get("sections", {})
    if isinstance(sections, dict):
        named = [(f"score.sections.{k}", v) for k, v in sections.items()]
    elif isinstance(sections, list):
        named = [(f"score.sections[{i}]", v) for i, v in enumerate(sections)]
    else:
        raise RecordProblem("score.sections", "应为对象或数组")
    for where, sec in named:
        _section(sec, where)
    st = _obj(data, "structure", "score")
    for key in ("detected", "missing", "out_of_order"):
        _strs(st, key, "score.structure")
    _num(st, "score", "score.structure", 0, 100, default=0)
    ln = _obj(data, "length", "score")
    _num(ln, "chars", "score.length", 0, MAX_ID, default=0)
    _num(ln, "seconds", "score.length", 0, 10**9, default=0)
    _str(ln, "band", "score.length")
    _strs(data, "warnings", "score")
    _obj(data, "details", "score")
    try:
        score_from_dict(data)  # what history show, stats and review will read it with
    except (ValueError, TypeError):
        raise RecordProblem("score", "应为评分结果对象（trainer score --json 的输出）") from None


def _section(sec: Any, where: str) -> None:
    if not isinstance(sec, dict):
        raise RecordProblem(where, "应为对象")
    for key in ("earned", "possible", "bonus"):
        _num(sec, key, where, 0, 10**6, default=0)
    points = sec.get("points", [])
    if not isinstance(points, list):
        raise RecordProblem(f"{where}.points", "应为数组")
    for i, p in enumerate(points):
        at = f"{where}.points[{i}]"
        if not isinstance(p, dict):
            raise RecordProblem(at, "应为对象")
        verdict = p.get("verdict", "miss")
        if verdict not in VERDICTS:
            raise RecordProblem(f"{at}.verdict", f"应为 {' / '.join(VERDICTS)}，实际为 {verdict!r}")
        for key in ("similarity", "credit"):
            _num(p, key, at, 0, 1, default=0)
        _num(p, "weight", at, 0, 10**6, default=0)
        for key in ("point_id", "id", "section", "text"):
            _str(p, key, at)
        ev = p.get("evidence")
        if ev is not None:
            _span(ev, f"{at}.evidence")
    reasoned = sec.get("reasoned", [])
    if not isinstance(reasoned, list):
        raise RecordProblem(f"{where}.reasoned", "应为数组")
    for i, sp in enumerate(reasoned):
        _span(sp, f"{where}.reasoned[{i}]")


def _span(sp: Any, where: str) -> None:
    if not isinstance(sp, dict):
        raise RecordProblem(where, "应为对象")
    for key in ("start", "end"):
        v = sp.get(key, 0)
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_ID:
            raise RecordProblem(f"{where}.{key}", f"应为非负整数，实际为 {v!r}")
    _str(sp, "text", where)


def _num(d: dict, key: str, where: str, lo: float, hi: float, default: Any = None) -> float:
    v = d.get(key, default)
    if type(v) in (int, float) and lo <= v <= hi:  # NaN and ±inf fail the comparison
        return float(v)
    try:
        return number(d, key, lo, hi, default)
    except RecordProblem as p:
        raise RecordProblem(f"{where}.{key}", p.message) from None


def _str(d: dict, key: str, where: str) -> None:
    v = d.get(key)
    if v is not None and not isinstance(v, str):
        raise RecordProblem(f"{where}.{key}", f"应为字符串，实际为 {v!r}")


def _strs(d: dict, key: str, where: str) -> None:
    v = d.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise RecordProblem(f"{where}.{key}", "应为字符串数组")


def _obj(d: dict, key: str, where: str) -> dict:
    v = d.get(key, {})
    if not isinstance(v, dict):
        raise RecordProblem(f"{where}.{key}", f"应为对象，实际为 {v!r}")
    return v
