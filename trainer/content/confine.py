"""Keep content reads inside their content root.

A content root holds ``prompts/`` and ``rubrics/`` (sources under
``rubrics/sources/``). A rubric's ``sources[].file`` and every content YAML are
resolved (``..`` and symlinks followed) and refused when they land outside that
root, so a hostile content dir cannot make ``trainer validate`` read — or report
on — ``/etc/shadow``, ``/proc/self/environ`` or a symlink's target elsewhere.
"""

from __future__ import annotations

from pathlib import Path

OUTSIDE_SOURCE = "来源文件必须在题库目录内；请把它放到 rubrics/sources/ 下并写相对路径"
OUTSIDE_FILE = "内容文件必须在题库目录内（它是指向目录外的符号链接）；请复制文件本身"


def content_root(path: Path) -> Path:
    """The content root of a content file: the dir above ``rubrics/``/``prompts/``, else its dir."""
    parent = Path(path).absolute().parent
    return parent.parent if parent.name in ("rubrics", "prompts") else parent


def within(target: Path, root: Path) -> bool:
    """Whether ``target``, fully resolved, lies inside the resolved ``root``."""
    try:
        return Path(target).resolve().is_relative_to(Path(root).resolve())
    except (OSError, RuntimeError, ValueError):  # symlink loops, bad names
        return False


def source_path(rubric: Path, file: str) -> Path | None:
    """The source file a rubric cites, or ``None`` when it escapes the rubric's content root."""
    if not file or "\0" in file:
        return None
    candidate = Path(rubric).absolute().parent / file
    return candidate if within(candidate, content_root(rubric)) else None
