"""Readers for ``prompts/``: templates and question entries (see ``trainer.content.rubric``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trainer.content.rubric import (
    ID_RE,
    PROMPTS_KEYS,
    QUESTION_KEYS,
    SLOT_RE,
    TEMPLATE_KEYS,
    TEMPLATES_KEYS,
    Checker,
    Problem,
    RawQuestion,
    line_of,
    read_model_answer,
    read_points,
)
from trainer.models import DEFAULT_SKELETON, SECTIONS, Point, Skeleton, Template, Topic


def read_templates(path: Path, data: Any, problems: list[Problem]) -> list[Template]:
    chk = Checker(path, problems)
    if not chk.mapping(data, 1, "", TEMPLATES_KEYS, ("templates",)):
        return []
    raw_list = data.get("templates") or []
    if not isinstance(raw_list, list):
        chk.add(line_of(data, "templates"), "templates", "应为列表")
        return []
    out: list[Template] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_list):
        name = f"templates[{i}]"
        if not chk.mapping(raw, line_of(raw_list, i), name, TEMPLATE_KEYS, ("id", "kind", "text")):
            continue
        tid = chk.ident(raw, "id", f"{name}.id")
        chk.unique(raw, tid, seen, name, "模板")
        text = chk.string(raw, "text", f"{name}.text")
        slots = tuple(dict.fromkeys(SLOT_RE.findall(text)))
        for slot in slots:
            if not ID_RE.match(slot.replace("_", "-")):
                chk.add(line_of(raw, "text"), f"{name}.text", f"占位符 '{{{slot}}}' 名称无效")
        out.append(
            Template(
                tid,
                chk.string(raw, "kind", f"{name}.kind"),
                text,
                slots,
                chk.string(raw, "hint", f"{name}.hint", False),
                _read_skeleton(chk, raw, f"{name}.skeleton"),
            )
        )
    return out


def _read_skeleton(chk: Checker, raw: dict, name: str) -> Skeleton:
    """``skeleton: [{step: 表态, sections: [点题]}, …]``: each rubric section in one step at most."""
    value = raw.get("skeleton")
    if value is None:
        return DEFAULT_SKELETON
    line = line_of(raw, "skeleton")
    if not isinstance(value, list) or not value:
        chk.add(line, name, "应为步骤列表，如 [{step: 表态, sections: [点题]}, …]")
        return DEFAULT_SKELETON
    steps: list[tuple[str, tuple[str, ...]]] = []
    used: set[str] = set()
    for i, item in enumerate(value):
        iname, iline = f"{name}[{i}]", line_of(value, i)
        if not isinstance(item, dict) or set(item) - {"step", "sections"} or "step" not in item:
            chk.add(iline, iname, "应为 {step: 步骤名, sections: [段落…]}")
            continue
        step = item["step"]
        sections = item.get("sections") or []
        if not isinstance(step, str) or not step.strip():
            chk.add(iline, f"{iname}.step", "步骤名应为非空文本")
            continue
        if not isinstance(sections, list) or not sections:
            chk.add(
                iline, f"{iname}.sections", "应为非空的段落列表（点题 / 危害 / 原因 / 对策 / 总结）"
            )
            continue
        bad = [s for s in sections if s not in SECTIONS]
        if bad:
            chk.add(
                iline,
                f"{iname}.sections",
                f"'{bad[0]}' 不是有效段落；应为 {' / '.join(SECTIONS)} 之一",
            )
            continue
        twice = [s for s in sections if s in used]
        if twice:
            chk.add(iline, f"{iname}.sections", f"段落 '{twice[0]}' 已归入前面的步骤")
            continue
        used.update(sections)
        steps.append((step.strip(), tuple(sections)))
    return tuple(steps) or DEFAULT_SKELETON


def read_prompts(
    path: Path, data: Any, problems: list[Problem]
) -> tuple[str, list[tuple[dict, int, str]]]:
    chk = Checker(path, problems)
    if not chk.mapping(data, 1, "", PROMPTS_KEYS, ("topic", "questions")):
        return "", []
    topic = chk.ident(data, "topic", "topic")
    raw_list = data.get("questions") or []
    if not isinstance(raw_list, list):
        chk.add(line_of(data, "questions"), "questions", "应为列表")
        return topic, []
    return topic, [(raw, line_of(raw_list, i), f"questions[{i}]") for i, raw in enumerate(raw_list)]


def read_question(
    chk: Checker,
    raw: Any,
    line: int,
    name: str,
    topic_id: str,
    topic: Topic | None,
    templates: dict[str, Template],
) -> RawQuestion | None:
    if not chk.mapping(raw, line, name, QUESTION_KEYS, ("id", "template", "slots")):
        return None
    qid = chk.ident(raw, "id", f"{name}.id")
    tname = chk.string(raw, "template", f"{name}.template")
    template = templates.get(tname)
    if tname and template is None:
        known = ", ".join(sorted(templates)) or "（无）"
        chk.add(
            line_of(raw, "template"), f"{name}.template", f"未知模板 '{tname}'；已有模板：{known}"
        )
    slots_raw = raw.get("slots") or {}
    slots: dict[str, str] = {}
    if chk.mapping(
        slots_raw,
        line_of(raw, "slots"),
        f"{name}.slots",
        set(slots_raw) if isinstance(slots_raw, dict) else set(),
        (),
    ):
        for key in slots_raw:
            slots[str(key)] = chk.string(slots_raw, key, f"{name}.slots.{key}")
        if template is not None:
            for key in slots:
                if key not in template.slots:
                    chk.add(
                        line_of(slots_raw, key),
                        f"{name}.slots.{key}",
                        f"模板 '{tname}' 没有占位符 {{{key}}}；可用：{', '.join(template.slots) or '（无）'}",
                    )
            for key in template.slots:
                if key not in slots:
                    chk.add(
                        line_of(raw, "slots"),
                        f"{name}.slots",
                        f"缺少模板 '{tname}' 的占位符 {{{key}}}",
                    )
    hints_raw = raw.get("hints") or []
    if not isinstance(hints_raw, list):
        chk.add(line_of(raw, "hints"), f"{name}.hints", "应为文本列表")
        hints_raw = []
    hints: list[str] = []
    for i, hint in enumerate(hints_raw):
        if isinstance(hint, bool) or not isinstance(hint, (str, int, float)):
            chk.add(line_of(hints_raw, i), f"{name}.hints[{i}]", "应为一句文本")
        else:
            hints.append(str(getattr(hint, "source", hint)).strip())
    point_ids = {p.id for p in topic.points} if topic else set()
    weights: dict[str, float] = {}
    w_raw = raw.get("weights") or {}
    if chk.mapping(
        w_raw,
        line_of(raw, "weights"),
        f"{name}.weights",
        set(w_raw) if isinstance(w_raw, dict) else set(),
        (),
    ):
        for key in w_raw:
            if topic and key not in point_ids:
                chk.add(
                    line_of(w_raw, key),
                    f"{name}.weights.{key}",
                    f"主题 '{topic_id}' 中没有要点 '{key}'",
                )
            weight = chk.weight(w_raw, key, f"{name}.weights.{key}")
            if weight is not None:
                weights[str(key)] = weight
    exclude_raw = raw.get("exclude") or []
    if not isinstance(exclude_raw, list):
        chk.add(line_of(raw, "exclude"), f"{name}.exclude", "应为要点 id 列表")
        exclude_raw = []
    for i, pid in enumerate(exclude_raw):
        if topic and pid not in point_ids:
            chk.add(
                line_of(exclude_raw, i),
                f"{name}.exclude[{i}]",
                f"主题 '{topic_id}' 中没有要点 '{pid}'",
            )
    extra: list[Point] = []
    if topic is not None:
        extra = read_points(
            chk,
            raw,
            "extra_points",
            {s.id for s in topic.sources},
            Path(topic.path),
            topic.sources,
            taken=set(point_ids),
        )
    return RawQuestion(
        topic=topic_id,
        local_id=qid,
        template=tname,
        slots=slots,
        hints=tuple(h for h in hints if h),
        weights=weights,
        exclude=tuple(str(e) for e in exclude_raw),
        extra_points=tuple(extra),
        model_answer=read_model_answer(chk, raw, f"{name}.model_answer"),
        path=chk.shown,
        line=line,
    )
