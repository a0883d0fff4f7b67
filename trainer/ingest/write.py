"""Ingest, step 5: write a draft topic — rubric YAML, prompts YAML, cleaned sources.

Layout (what ``trainer.content.loader`` loads as a content root)::

    ROOT/rubrics/ID.yaml
    ROOT/rubrics/sources/ID-1.txt …   (cleaned articles; rubric ``sources[].file``)
    ROOT/prompts/ID.yaml              (one 现象类 question, so the topic is practisable)

``-o PATH.yaml`` names the rubric file (its stem is the topic id); the prompts
file goes to ``../prompts/`` when the rubric sits in a ``rubrics/`` folder,
else next to it as ``ID.prompts.yaml``. ``-o DIR`` is a content root. The
default root is the user content dir, which ``trainer list`` already loads.

Nothing is written unless the whole draft validates: it is first rendered in a
temporary content root and checked with ``trainer.content.loader.load_files``. The
topic is then written as one unit (:func:`install_files`): every file is staged in a
hidden directory next to the targets and only then renamed into place, with Ctrl-C
held back and every failure undone, so an interrupted ingest leaves the whole topic
or nothing (never sources without their rubric). Existing files are never
overwritten without ``force``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from trainer.content.loader import load_files
from trainer.content.rubric import ID_RE
from trainer.errors import InputError, TrainerError
from trainer.fileio import replace_file
from trainer.ingest.records import TopicDraft

QUESTION_ID = "phenomenon-1"


@dataclass(frozen=True)
class OutputPaths:
    rubric: Path
    prompts: Path

    def source(self, topic_id: str, n: int) -> Path:
        return self.rubric.parent / "sources" / f"{topic_id}-{n}.txt"


def resolve_output(out: Path | None, topic_id: str | None) -> tuple[OutputPaths, str | None]:
    """Where the draft goes, and the topic id implied by ``-o`` (if any)."""
    if out is not None and out.suffix.lower() in (".yaml", ".yml"):
        stem = out.stem
        if topic_id and topic_id != stem:
            raise InputError(
                f"-o {out}：文件名 '{stem}' 必须与 --topic-id '{topic_id}' 一致（校验要求 id 等于文件名）"
            )
        if not ID_RE.match(stem):
            raise InputError(
                f"-o {out}：文件名 '{stem}' 不是合法的主题 id（小写字母、数字、连字符）"
            )
        if out.parent.name == "rubrics":
            prompts = out.parent.parent / "prompts" / f"{stem}.yaml"
        else:
            prompts = out.parent / f"{stem}.prompts.yaml"
        return OutputPaths(out, prompts), stem
    if out is None:
        from trainer.paths import user_content_dir

        out = user_content_dir()
    return OutputPaths(out / "rubrics" / "ID.yaml", out / "prompts" / "ID.yaml"), None


def with_id(paths: OutputPaths, topic_id: str) -> OutputPaths:
    """Fill the topic id into a content-root layout (``ID.yaml`` placeholders)."""
    if paths.rubric.name != "ID.yaml":
        return paths
    return OutputPaths(
        paths.rubric.with_name(f"{topic_id}.yaml"), paths.prompts.with_name(f"{topic_id}.yaml")
    )


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def render_rubric(draft: TopicDraft, source_files: dict[str, str]) -> str:
    """The rubric YAML text of a draft; ``source_files`` maps source id → file (relative)."""
    live = [s for s in draft.sources if s.id in source_files]
    lines = [
        f"# 草稿（待编辑）：由 trainer ingest 从 {len(live)} 篇文章自动生成，请逐条审改后再用于练习。",
        "# - 要点 text 是原文句子的压缩，请改写成考生会说的话（题库规范：不照搬原文）；",
        "# - weight = 段落基础分 + 支持该要点的来源数；keywords 为自动抽取的同义词组，请补充常见说法；",
        "# - phrasings 为自动起草的其他说法（合并进来的其他原文句子、轻度改写），请补成 6–15 条考生会说的话；",
        "# - 每个要点上方的「依据」列出它合并的全部来源句子（dN 第 k 句）。",
        "# 格式见 docs/content-format.md；改完运行 trainer validate 检查。",
        f"id: {draft.topic_id}",
        "status: draft  # 不参与随机抽题、模拟面试、复习与 --all；审改后 trainer publish 去掉此行",
        f"title: {_q(draft.title)}",
        f"summary: {_q(draft.summary)}",
        "sources:",
    ]
    for src in live:
        lines.append(f"  - id: {src.id}")
        lines.append(f"    file: {source_files[src.id]}")
        lines.append(f"    title: {_q(src.clean.title or src.clean.name)}")
        if src.clean.publisher:
            lines.append(f"    publisher: {_q(src.clean.publisher)}")
        if src.clean.date:
            lines.append(f"    date: {_q(src.clean.date)}")
    lines.append("")
    lines.append("points:")
    section = None
    for p in draft.points:
        if p.section != section:
            section = p.section
            lines.append(
                f"  # ---------------------------------------------------------------- {section}"
            )
        refs = "；".join(f"{doc} 第{no}句" for doc, no in p.support)
        n_docs = len({doc for doc, _ in p.support})
        lines.append(f"  # 依据（{n_docs} 篇来源）：{refs}")
        lines.append(f"  - id: {p.id}")
        lines.append(f"    section: {p.section}")
        lines.append(f"    weight: {p.weight}")
        lines.append(f"    text: {_q(p.text)}")
        if p.phrasings:
            lines.append("    phrasings:")
            for ph in p.phrasings:
                lines.append(f"      - {_q(ph)}")
        lines.append("    keywords:")
        for group in p.keywords:
            lines.append("      - [" + ", ".join(_q(w) for w in group) + "]")
        lines.append(f"    source: {{doc: {p.doc}, quote: {_q(p.quote)}}}")
        lines.append("")
    lines.append(f"transition: {_q(draft.transition)}")
    if draft.materials:
        lines.append("")
        lines.append("materials:")
        for m in draft.materials:
            lines.append(f"  - text: {_q(m.text)}")
            lines.append(f"    source: {{doc: {m.doc}, quote: {_q(m.quote)}}}")
    return "\n".join(lines) + "\n"


def render_prompts(draft: TopicDraft) -> str:
    return (
        f"# 草稿（待编辑）：trainer ingest 根据文章中的现象句拟的「你怎么看」题干，请改写材料。\n"
        f"topic: {draft.topic_id}\n"
        "questions:\n"
        f"  - id: {QUESTION_ID}\n"
        "    template: phenomenon\n"
        "    slots:\n"
        f"      material: {_q(draft.question)}\n"
    )


def planned_files(draft: TopicDraft, paths: OutputPaths) -> dict[Path, str]:
    """Every file the draft writes, with its text (sources, rubric, prompts)."""
    files: dict[Path, str] = {}
    source_files: dict[str, str] = {}
    for n, src in enumerate((s for s in draft.sources if s.sentences), 1):
        path = paths.source(draft.topic_id, n)
        source_files[src.id] = f"sources/{path.name}"
        files[path] = src.clean.cleaned_text()
    files[paths.rubric] = render_rubric(draft, source_files)
    files[paths.prompts] = render_prompts(draft)
    return files


def check_draft(draft: TopicDraft, paths: OutputPaths) -> list[str]:
    """Validate the draft as ``trainer validate`` would, in a throw-away content root."""
    from trainer.paths import bundled_content_dir

    files = planned_files(draft, paths)
    with tempfile.TemporaryDirectory(prefix="trainer-ingest-") as tmp:
        root = Path(tmp)
        tmp_rubric = root / "rubrics" / f"{draft.topic_id}.yaml"
        tmp_prompts = root / "prompts" / f"{draft.topic_id}.yaml"
        for path, text in files.items():
            if path == paths.rubric:
                target = tmp_rubric
            elif path == paths.prompts:
                target = tmp_prompts
            else:
                target = root / "rubrics" / "sources" / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        templates = bundled_content_dir() / "prompts" / "templates.yaml"
        content = load_files([templates, tmp_rubric, tmp_prompts], check_quotes=True)
        return [f"{p.field}: {p.message}" for p in sorted(set(content.problems))]


def write_draft(draft: TopicDraft, paths: OutputPaths, force: bool = False) -> list[Path]:
    """Validate, then write every file of the draft; return the paths written."""
    files = planned_files(draft, paths)
    if not force:
        existing = [p for p in files if p.exists()]
        if existing:
            raise InputError(
                f"{existing[0]}：文件已存在，未写入任何文件；加 --force 覆盖，或用 --topic-id / -o 换个名字"
            )
    problems = check_draft(draft, paths)
    if problems:
        raise TrainerError(
            "生成的草稿未通过校验（这是 ingest 的缺陷，请报告）：" + "；".join(problems[:5])
        )
    for path in files:
        if path.is_dir():
            raise InputError(f"{path}：这是一个目录，未写入任何文件；请移走它或用 -o 换个位置")
    try:
        install_files(files)
    except OSError as exc:
        where = exc.filename or paths.rubric
        raise InputError(
            f"{where}：无法写入（{exc.strerror}），未写入任何文件；请检查路径与权限"
        ) from None
    return list(files)


def install_files(files: dict[Path, str]) -> None:
    """Write a topic's files as one unit: every file or none of them.

    Everything is first written (and fsynced) into a hidden staging dir next to
    the targets, on the same file system, so putting a file in place is a rename.
    The renames run with Ctrl-C held back; a Ctrl-C that arrives meanwhile, or any
    failure, puts back what was there before (files replaced with ``--force``
    included) and removes what was added. So an interrupted ingest never leaves
    ``sources/*.txt`` without their rubric, and rerunning it just works.
    """
    created = _make_dirs(files)
    base = Path(os.path.commonpath([str(p.parent.absolute()) for p in files]))
    stage = Path(tempfile.mkdtemp(prefix=".trainer-ingest-", dir=base))
    try:
        staged = []
        for n, (target, text) in enumerate(files.items()):
            tmp = stage / f"{n}.tmp"
            replace_file(tmp, text)
            if target.is_file():
                os.chmod(tmp, target.stat().st_mode & 0o777)  # --force keeps the old mode
            staged.append((tmp, target))
        with _sigint_held() as pending:
            _move_into_place(staged, stage, pending)
    except BaseException:
        for d in reversed(created):
            with contextlib.suppress(OSError):
                d.rmdir()  # only if empty
        raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _make_dirs(files: dict[Path, str]) -> list[Path]:
    """Create the targets' missing directories; return the ones created, outermost first."""
    created: list[Path] = []
    for parent in dict.fromkeys(p.parent for p in files):
        missing = [d for d in (parent, *parent.parents) if not d.exists()]
        parent.mkdir(parents=True, exist_ok=True)
        created.extend(reversed(missing))
    return created


def _move_into_place(staged: list[tuple[Path, Path]], stage: Path, pending: list[int]) -> None:
    placed: list[tuple[Path, Path | None]] = []
    try:
        for n, (tmp, target) in enumerate(staged):
            backup = None
            if target.exists() or target.is_symlink():
                backup = stage / f"{n}.old"
                os.replace(target, backup)  # a symlink is moved aside, its target untouched
            placed.append((target, backup))
            os.replace(tmp, target)
        if pending:
            raise KeyboardInterrupt
    except BaseException:
        for target, backup in reversed(placed):
            if backup is not None:
                os.replace(backup, target)
            else:
                target.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _sigint_held() -> Iterator[list[int]]:
    """Hold Ctrl-C back (recorded in the yielded list) while files are moved into place."""
    pending: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield pending
        return
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: pending.append(signum))
    try:
        yield pending
    finally:
        signal.signal(signal.SIGINT, previous)
