"""Load and validate content: ``prompts/templates.yaml``, ``prompts/<topic>.yaml``, ``rubrics/<topic>.yaml``.

Every problem is collected (never just the first) as a ``Problem`` that prints
as ``path:line: field: message``. The format is documented in
``docs/content-format.md``. Content roots are searched in order — bundled,
then the user's content dir, then ``--content`` dirs — and a later root's
topic or template replaces an earlier one with the same id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.content.confine import OUTSIDE_FILE, content_root, within
from trainer.content.prompts import read_prompts, read_question, read_templates
from trainer.content.rubric import (
    Checker,
    Problem,
    RawQuestion,
    display_path,
    read_rubric,
)
from trainer.content.yamlsrc import YamlSyntaxError, load_yaml, structure_problems
from trainer.errors import ContentError
from trainer.fileio import ReadError
from trainer.models import Template, Topic

__all__ = [
    "Content",
    "Problem",
    "RawQuestion",
    "content_files",
    "load_content",
    "load_files",
    "validate_paths",
]


@dataclass
class Content:
    """Everything loaded from the content roots."""

    topics: dict[str, Topic] = field(default_factory=dict)
    templates: dict[str, Template] = field(default_factory=dict)
    raw_questions: list[RawQuestion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def _file_kind(path: Path, data: Any) -> str:
    if isinstance(data, dict):
        if "templates" in data:
            return "templates"
        if "questions" in data or "topic" in data:
            return "prompts"
        if "points" in data or "sources" in data:
            return "rubric"
    if path.name == "templates.yaml":
        return "templates"
    return "prompts" if path.parent.name == "prompts" else "rubric"


def content_files(root: Path) -> list[Path]:
    """The YAML content files under a root (its ``prompts/`` and ``rubrics/``)."""
    files: list[Path] = []
    for sub in ("prompts", "rubrics"):
        d = root / sub
        if d.is_dir():
            files.extend(sorted(p for p in d.glob("*.y*ml") if p.is_file()))
    return files


def load_files(
    files: Sequence[Path], base: Content | None = None, check_quotes: bool = False
) -> Content:
    """Load content files (later files override earlier ids) and validate the whole set.

    ``check_quotes`` also verifies every cited quote against its source file
    (slower: done by ``trainer validate``, not on every command).
    """
    content = base or Content()
    pending_prompts: list[tuple[Path, str, list[tuple[dict, int, str]]]] = []
    for path in files:
        content.files.append(path)
        if not within(path, content_root(path)):
            content.problems.append(Problem(display_path(path), 1, "(file)", OUTSIDE_FILE))
            continue
        try:
            data = load_yaml(path)
        except YamlSyntaxError as exc:
            content.problems.append(Problem(display_path(path), exc.line, "(yaml)", exc.message))
            continue
        except ReadError as exc:  # missing, not a regular file, too big, not UTF-8
            content.problems.append(
                Problem(display_path(path), exc.line or 1, "(file)", exc.detail)
            )
            continue
        if data is None:
            content.problems.append(Problem(display_path(path), 1, "(file)", "文件为空"))
            continue
        for line, name, message in structure_problems(data):
            content.problems.append(Problem(display_path(path), line, name, message))
        kind = _file_kind(path, data)
        if kind == "templates":
            for t in read_templates(path, data, content.problems):
                content.templates[t.id] = t
        elif kind == "rubric":
            topic = read_rubric(path, data, content.problems, check_quotes)
            if topic is not None and topic.id:
                content.topics[topic.id] = topic
        else:
            topic_id, entries = read_prompts(path, data, content.problems)
            pending_prompts.append((path, topic_id, entries))
    _resolve_questions(content, pending_prompts)
    return content


def _resolve_questions(
    content: Content, pending: list[tuple[Path, str, list[tuple[dict, int, str]]]]
) -> None:
    by_topic: dict[str, list[RawQuestion]] = {}
    for path, topic_id, entries in pending:
        chk = Checker(path, content.problems)
        topic = content.topics.get(topic_id)
        # ID.prompts.yaml: the file ``trainer ingest -o DIR/ID.yaml`` writes next to its rubric
        named = path.stem in (topic_id, f"{topic_id}.prompts")
        if topic_id and not named and path.name != "templates.yaml":
            chk.add(1, "topic", f"题目文件应命名为 prompts/{topic_id}.yaml（与 topic 一致）")
        if topic_id and topic is None:
            known = ", ".join(sorted(content.topics)) or "（无）"
            chk.add(
                1,
                "topic",
                f"找不到主题 '{topic_id}' 的评分要点文件 rubrics/{topic_id}.yaml；已有主题：{known}",
            )
        questions: list[RawQuestion] = []
        seen: set[str] = set()
        for raw, line, name in entries:
            q = read_question(chk, raw, line, name, topic_id, topic, content.templates)
            if q is None:
                continue
            chk.unique(raw, q.local_id, seen, name, "题目")
            questions.append(q)
        if topic_id:
            by_topic[topic_id] = (
                questions  # a later file for the same topic replaces an earlier one
            )
    for topic_id, topic in content.topics.items():
        if not by_topic.get(topic_id):
            chk = Checker(Path(topic.path), content.problems)
            chk.add(1, "id", f"主题 '{topic_id}' 没有任何题目；请添加 prompts/{topic_id}.yaml")
    content.raw_questions = [q for qs in by_topic.values() for q in qs]


def default_roots(extra: Sequence[Path] = ()) -> list[Path]:
    """Content roots in override order: bundled, user content dir, then ``extra``."""
    from trainer.paths import bundled_content_dir, user_content_dir

    roots = [bundled_content_dir()]
    user = user_content_dir()
    if user.is_dir():
        roots.append(user)
    roots.extend(extra)
    return roots


def load_content(
    extra_roots: Sequence[Path] = (),
    strict: bool = True,
    check_quotes: bool = False,
    topics: Sequence[str] | None = None,
) -> Content:
    """Load all content roots; raise ``ContentError`` listing every problem when ``strict``.

    ``topics`` limits loading to the templates plus those topics' two files
    (``rubrics/<id>.yaml``, ``prompts/<id>.yaml`` — file names are validated to
    match the ids), which halves the start-up of ``trainer score --question``.
    """
    files: list[Path] = []
    for root in default_roots(extra_roots):
        files.extend(content_files(root))
    if topics is not None:
        wanted = set(topics)
        files = [f for f in files if f.name == "templates.yaml" or f.stem in wanted]
    ordered = _templates_first(files)
    if check_quotes:
        content = load_files(ordered, check_quotes=True)
    else:
        from trainer.content.cache import cached
        from trainer.content.serialize import content_from_dict, content_to_dict

        content = cached(
            ordered,
            lambda: load_files(ordered),
            lambda c: not c.problems,
            content_to_dict,
            content_from_dict,
        )
    if strict and content.problems:
        raise ContentError(sorted(set(content.problems)))
    return content


def _templates_first(files: Sequence[Path]) -> list[Path]:
    """Templates and rubrics must be known before questions are resolved against them."""
    return sorted(
        files,
        key=lambda p: 0 if p.name == "templates.yaml" else 1 if p.parent.name == "rubrics" else 2,
    )


def validate_paths(paths: Sequence[Path], extra_roots: Sequence[Path] = ()) -> Content:
    """Validate the given files/dirs on top of the installed content; return problems found."""
    files: list[Path] = []
    for root in default_roots(extra_roots):
        files.extend(content_files(root))
    given: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = content_files(p) or sorted(x for x in p.glob("*.y*ml"))
            given.extend(found)
        else:
            given.append(p)
    for p in list(given):
        sib = sibling_file(p)
        if sib is not None and sib.is_file() and sib.resolve() not in {g.resolve() for g in given}:
            given.append(sib)  # a rubric without its questions (or these without it) is no topic
    given_resolved = {g.resolve() for g in given}
    base = [f for f in files if f.resolve() not in given_resolved]
    # Classify given files (rubric vs prompts) so templates and rubrics load first.
    ordered = _templates_first(base) + sorted(given, key=lambda p: _given_rank(p))
    content = load_files(ordered, check_quotes=True)
    content.problems = sorted(set(content.problems))
    return content


def sibling_file(path: Path) -> Path | None:
    """The other file of a topic: ``rubrics/ID.yaml`` ↔ ``prompts/ID.yaml``.

    Also the flat layout ``trainer ingest -o DIR/ID.yaml`` writes outside a content
    root: ``ID.yaml`` ↔ ``ID.prompts.yaml``. ``None`` for templates.
    """
    if path.name == "templates.yaml":
        return None
    if path.name.endswith(".prompts.yaml"):
        return path.with_name(path.name[: -len(".prompts.yaml")] + ".yaml")
    if path.parent.name == "rubrics":
        return path.parent.parent / "prompts" / path.name
    if path.parent.name == "prompts":
        return path.parent.parent / "rubrics" / path.name
    return path.with_name(f"{path.stem}.prompts.yaml")


def _given_rank(path: Path) -> int:
    if not within(path, content_root(path)):
        return 1  # refused by load_files; never read
    try:
        data = load_yaml(path)
    except (YamlSyntaxError, ReadError):
        return 1
    kind = _file_kind(path, data)
    return {"templates": 0, "rubric": 1, "prompts": 2}[kind]
