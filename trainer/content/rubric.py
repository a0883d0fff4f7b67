"""Readers for the content YAML files: typed fields out of line-tracked YAML, every problem collected.

Each ``_read_*`` function takes the parsed data of one file (see
``trainer.content.yamlsrc``) and appends ``Problem`` records instead of raising, so
``trainer validate`` can list every mistake at once. The format is documented
in ``docs/content-format.md``; orchestration (roots, overrides, cross-file
checks) lives in ``trainer.content.loader``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.content.checker import ID_RE as ID_RE
from trainer.content.checker import WEIGHT_MAX as WEIGHT_MAX
from trainer.content.checker import Checker, Problem, line_of
from trainer.content.checker import display_path as display_path
from trainer.content.confine import OUTSIDE_SOURCE, source_path
from trainer.models import SECTIONS, Material, Point, Source, SourceRef, Topic
from trainer.text import normalize, strip_punct

SLOT_RE = re.compile(r"\{([^{}]*)\}")
MODEL_ANSWER_KEYS = ("点题", "危害", "原因", "过渡", "对策", "总结")

RUBRIC_KEYS = {
    "id",
    "title",
    "summary",
    "sources",
    "points",
    "transition",
    "materials",
    "model_answer",
    "status",
}
#: ``status:`` values: a draft is kept out of random draws until published.
STATUSES = ("draft", "published")
SOURCE_KEYS = {"id", "file", "title", "publisher", "date"}
POINT_KEYS = {"id", "section", "weight", "text", "phrasings", "keywords", "source"}
#: How long one phrasing may be (汉字 and other content characters): a clause, not an essay.
PHRASING_MAX = 80
PHRASINGS_MAX = 20
REF_KEYS = {"doc", "quote"}
MATERIAL_KEYS = {"text", "source"}
TEMPLATES_KEYS = {"templates"}
TEMPLATE_KEYS = {"id", "kind", "text", "hint", "skeleton"}
PROMPTS_KEYS = {"topic", "questions"}
QUESTION_KEYS = {
    "id",
    "template",
    "slots",
    "hints",
    "weights",
    "exclude",
    "extra_points",
    "model_answer",
}


@dataclass
class RawQuestion:
    """A question entry before templates are applied (see ``trainer.content.bank``)."""

    topic: str
    local_id: str
    template: str
    slots: dict[str, str]
    hints: tuple[str, ...]
    weights: dict[str, float]
    exclude: tuple[str, ...]
    extra_points: tuple[Point, ...]
    model_answer: tuple[tuple[str, str], ...]
    path: str
    line: int


_STATUS_DRAFT = re.compile(r"^status:[ \t]*[\"']?draft[\"']?[ \t]*(#.*)?\r?\n?", re.MULTILINE)


def without_draft_status(text: str) -> str | None:
    """The rubric text with its top-level ``status: draft`` line removed (``None``: none there).

    A line edit rather than a YAML round trip, so the author's comments survive.
    """
    out, n = _STATUS_DRAFT.subn("", text, count=1)
    return out if n else None


# --------------------------------------------------------------------------- points & refs


def _read_ref(chk: Checker, parent: dict, name: str) -> SourceRef:
    value = parent.get("source")
    line = line_of(parent, "source")
    if value is None:
        return SourceRef("", "")
    if not chk.mapping(value, line, name, REF_KEYS, ("doc", "quote")):
        return SourceRef("", "")
    return SourceRef(
        chk.string(value, "doc", f"{name}.doc"), chk.string(value, "quote", f"{name}.quote")
    )


def _read_point(chk: Checker, raw: Any, line: int, name: str) -> Point | None:
    if not chk.mapping(
        raw, line, name, POINT_KEYS, ("id", "section", "weight", "text", "keywords", "source")
    ):
        return None
    pid = chk.ident(raw, "id", f"{name}.id")
    section = chk.string(raw, "section", f"{name}.section")
    if section and section not in SECTIONS:
        chk.add(
            line_of(raw, "section"),
            f"{name}.section",
            f"'{section}' 不是有效段落；应为 {' / '.join(SECTIONS)} 之一",
        )
    weight = 0.0
    if raw.get("weight") is not None:
        weight = chk.weight(raw, "weight", f"{name}.weight") or 0.0
    text = chk.string(raw, "text", f"{name}.text")
    phrasings = _read_phrasings(chk, raw, f"{name}.phrasings", text)
    keywords = _read_keywords(chk, raw, f"{name}.keywords")
    ref = _read_ref(chk, raw, f"{name}.source")
    return Point(pid, section, weight, text, keywords, ref, phrasings)


def _read_phrasings(chk: Checker, parent: dict, name: str, text: str) -> tuple[str, ...]:
    """Alternative wordings of a point: distinct non-empty clauses, none equal to ``text``."""
    value = parent.get("phrasings")
    if value is None:
        return ()
    line = line_of(parent, "phrasings")
    if not isinstance(value, list) or not value:
        chk.add(line, name, "应为非空的文本列表：同一要点的其他说法，每条一句")
        return ()
    if len(value) > PHRASINGS_MAX:
        chk.add(line, name, f"说法太多（{len(value)} 条）；最多 {PHRASINGS_MAX} 条，挑最不同的留下")
    out: list[str] = []
    seen = {strip_punct(normalize(text))}
    for i, item in enumerate(value):
        iline = line_of(value, i)
        if not isinstance(item, str) or not item.strip():
            chk.add(iline, f"{name}[{i}]", "应为一句非空文本")
            continue
        key = strip_punct(normalize(item))
        if len(key) < 6:
            chk.add(iline, f"{name}[{i}]", f"太短（{len(key)} 字）；写成考生会说的一整句")
            continue
        if len(key) > PHRASING_MAX:
            chk.add(
                iline, f"{name}[{i}]", f"太长（{len(key)} 字）；一条说法不超过 {PHRASING_MAX} 字"
            )
            continue
        if key in seen:
            chk.add(iline, f"{name}[{i}]", "与本要点的另一说法（或 text）重复")
            continue
        seen.add(key)
        out.append(item.strip())
    return tuple(out)


def _read_keywords(chk: Checker, parent: dict, name: str) -> tuple[tuple[str, ...], ...]:
    value = parent.get("keywords")
    if value is None:
        return ()
    line = line_of(parent, "keywords")
    if not isinstance(value, list) or not value:
        chk.add(line, name, "应为非空的同义词组列表，如 [[信任, 放心], [基层]]")
        return ()
    groups: list[tuple[str, ...]] = []
    for i, group in enumerate(value):
        gline = line_of(value, i)
        items = group if isinstance(group, list) else [group]
        words = tuple(str(w).strip() for w in items if isinstance(w, (str, int)) and str(w).strip())
        if not words or len(words) != len(items):
            chk.add(gline, f"{name}[{i}]", "同义词组应为非空文本列表")
            continue
        groups.append(words)
    return tuple(groups)


def read_model_answer(chk: Checker, parent: dict, name: str) -> tuple[tuple[str, str], ...]:
    value = parent.get("model_answer")
    if value is None or value == {}:
        return ()
    if not chk.mapping(value, line_of(parent, "model_answer"), name, set(MODEL_ANSWER_KEYS), ()):
        return ()
    return tuple((k, chk.string(value, k, f"{name}.{k}")) for k in MODEL_ANSWER_KEYS if k in value)


# --------------------------------------------------------------------------- files


def read_rubric(
    path: Path, data: Any, problems: list[Problem], check_quotes: bool = False
) -> Topic | None:
    chk = Checker(path, problems, check_quotes)
    if not chk.mapping(data, 1, "", RUBRIC_KEYS, ("id", "title", "sources", "points")):
        return None
    tid = chk.ident(data, "id", "id")
    if tid and tid != path.stem:
        chk.add(line_of(data, "id"), "id", f"主题 id '{tid}' 应与文件名 '{path.stem}' 一致")
    sources: list[Source] = []
    raw_sources = data.get("sources") or []
    if not isinstance(raw_sources, list):
        chk.add(line_of(data, "sources"), "sources", "应为列表")
        raw_sources = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_sources):
        name = f"sources[{i}]"
        if not chk.mapping(
            raw, line_of(raw_sources, i), name, SOURCE_KEYS, ("id", "file", "title")
        ):
            continue
        sid = chk.ident(raw, "id", f"{name}.id")
        chk.unique(raw, sid, seen, name, "来源")
        file = chk.string(raw, "file", f"{name}.file")
        if file and source_path(path, file) is None:
            chk.add(line_of(raw, "file"), f"{name}.file", OUTSIDE_SOURCE)
        elif file and not (path.parent / file).is_file():
            chk.add(
                line_of(raw, "file"),
                f"{name}.file",
                f"找不到来源文件 '{file}'（相对于 {path.parent.name}/）",
            )
        elif file and chk.check_quotes:
            problem = _load_source(path.parent / file, file)
            if problem:
                chk.add(line_of(raw, "file"), f"{name}.file", problem)
        sources.append(
            Source(
                sid,
                chk.string(raw, "title", f"{name}.title"),
                file,
                chk.string(raw, "publisher", f"{name}.publisher", False),
                chk.string(raw, "date", f"{name}.date", False),
            )
        )
    points = read_points(chk, data, "points", {s.id for s in sources}, path, sources)
    materials: list[Material] = []
    raw_mats = data.get("materials") or []
    if not isinstance(raw_mats, list):
        chk.add(line_of(data, "materials"), "materials", "应为列表")
        raw_mats = []
    for i, raw in enumerate(raw_mats):
        name = f"materials[{i}]"
        if chk.mapping(raw, line_of(raw_mats, i), name, MATERIAL_KEYS, ("text",)):
            ref = _read_ref(chk, raw, f"{name}.source")
            _check_ref(chk, raw, name, ref, {s.id for s in sources}, path, sources)
            materials.append(Material(chk.string(raw, "text", f"{name}.text"), ref))
    status = chk.string(data, "status", "status", False)
    if status and status not in STATUSES:
        chk.add(
            line_of(data, "status"),
            "status",
            f"未知状态 '{status}'；可选 draft（草稿，不参与随机抽题）或 published",
        )
    return Topic(
        id=tid,
        title=chk.string(data, "title", "title"),
        summary=chk.string(data, "summary", "summary", False),
        sources=tuple(sources),
        points=tuple(points),
        transition=chk.string(data, "transition", "transition", False),
        materials=tuple(materials),
        model_answer=read_model_answer(chk, data, "model_answer"),
        path=str(path),
        draft=status == "draft",
    )


def read_points(
    chk: Checker,
    parent: dict,
    key: str,
    doc_ids: set[str],
    path: Path,
    sources: Sequence[Source],
    taken: set[str] | None = None,
) -> list[Point]:
    raw_points = parent.get(key) or []
    if not isinstance(raw_points, list):
        chk.add(line_of(parent, key), key, "应为列表")
        return []
    seen = set() if taken is None else taken
    points: list[Point] = []
    for i, raw in enumerate(raw_points):
        name = f"{key}[{i}]"
        point = _read_point(chk, raw, line_of(raw_points, i), name)
        if point is None:
            continue
        chk.unique(raw, point.id, seen, name, "要点")
        _check_ref(chk, raw, name, point.source, doc_ids, path, sources)
        points.append(point)
    return points


_source_text_cache: dict[Path, str | None] = {}


def _load_source(file: Path, shown: str) -> str:
    """Read a cited source once for the quote checks; the problem reading it, or ''."""
    from trainer.fileio import CONTENT_LIMIT, ReadError, read_text

    try:
        _source_text_cache[file] = strip_punct(normalize(read_text(file, CONTENT_LIMIT, shown)))
    except ReadError as exc:
        _source_text_cache[file] = None  # its quotes cannot be checked; reported once, here
        where = f"（第 {exc.line} 行）" if exc.line else ""
        return f"来源文件 {shown}{where}：{exc.detail}"
    return ""


def _check_ref(
    chk: Checker,
    raw: dict,
    name: str,
    ref: SourceRef,
    doc_ids: set[str],
    path: Path,
    sources: Sequence[Source],
) -> None:
    if not ref.doc:
        return
    line = line_of(raw.get("source") if isinstance(raw.get("source"), dict) else raw, "doc")
    if ref.doc not in doc_ids:
        known = ", ".join(sorted(doc_ids)) or "（无）"
        chk.add(line, f"{name}.source.doc", f"引用了未知来源 '{ref.doc}'；已声明的来源：{known}")
        return
    src = next(s for s in sources if s.id == ref.doc)
    file = source_path(path, src.file)  # None outside the content root: never read
    if chk.check_quotes and ref.quote and file is not None and file.is_file():
        if file not in _source_text_cache:
            _load_source(file, src.file)
        source_text = _source_text_cache[file]
        if source_text is not None and strip_punct(normalize(ref.quote)) not in source_text:
            qline = (
                line_of(raw.get("source"), "quote") if isinstance(raw.get("source"), dict) else line
            )
            chk.add(
                qline, f"{name}.source.quote", f"引文在来源 {src.file} 中找不到；请从原文逐字摘录"
            )
