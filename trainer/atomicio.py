"""Writing user-visible output files safely: whole or not at all.

``write_text_atomic`` writes to a temporary file in the target's directory and
renames it over the target, so an interrupted run never leaves a half-written
booklet (or clobbers a good one). It refuses directories with an
``InputError`` naming the path.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from trainer.errors import InputError


def check_target(path: Path, option: str = "-o") -> Path:
    """Fail early (before any work) when ``path`` cannot be written as a file; returns its dir."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{option}：'{path}' 是一个目录；请给出文件名，如 {path / 'booklet.html'}")
    parent = path.parent
    if not parent.is_dir():
        raise InputError(f"{option}：目录不存在：'{parent}'；请先创建它或换一个路径")
    return parent


def write_text_atomic(path: Path, text: str, option: str = "-o") -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically (temp file + rename)."""
    path = Path(path)
    parent = check_target(path, option)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
