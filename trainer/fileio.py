"""Files the user hands in or gets back: reading their text, writing output whole or not at all.

``read_answer`` / ``decode`` read any text a user hands in (answers, exported
history): UTF-8 (a BOM is accepted); a binary or undecodable file, a missing file
or a directory is one ``InputError`` naming the file and line.

``write_text_atomic`` writes to a temporary file in the target's directory and
renames it over the target, so an interrupted run never leaves a half-written
booklet (or clobbers a good one). It refuses directories with an
``InputError`` naming the path.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from trainer.errors import InputError


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return a.resolve() == b.resolve()


def check_target(
    path: Path,
    option: str = "-o",
    *,
    force: bool | None = None,
    inputs: Iterable[Path] = (),
) -> Path:
    """Fail early (before any work) when ``path`` cannot be written as a file; returns its dir.

    The output rule every ``-o`` shares: a file the user handed in (``inputs``) is never
    written, not even with ``--force``; with ``force`` given (True / False), an existing file
    is replaced only when it is True. ``force=None`` keeps the old behaviour (replace).
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{option}：'{path}' 是一个目录；请给出文件名，如 {path / 'booklet.html'}")
    parent = path.parent
    if not parent.is_dir():
        raise InputError(f"{option}：目录不存在：'{parent}'；请先创建它或换一个路径")
    for src in inputs:
        if _same_file(path, Path(src)):
            raise InputError(
                f"{option}：'{path}' 就是输入文件；结果不能写进输入文件（加 --force 也不行），请换一个文件名"
            )
    if force is False and (path.exists() or path.is_symlink()):
        raise InputError(f"{option}：'{path}' 已存在；要覆盖请加 --force，或换一个文件名")
    return parent


@contextmanager
def open_atomic(path: Path, option: str = "-o", binary: bool = False) -> Iterator[IO[Any]]:
    """A file to stream output into; it replaces ``path`` only when the block ends normally.

    Text mode writes UTF-8 with ``newline=""``. Problems become one-line ``InputError``s;
    an exception inside the block leaves ``path`` as it was and no temporary file behind.
    """
    path = Path(path)
    parent = check_target(path, option)
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"{option}：无法写入 {path}（{exc.strerror}）；请检查路径与权限") from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        fh: IO[Any] = (
            os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        )
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"{option}：无法写入 {path}（{exc.strerror}）；请检查路径与权限") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_file(path: Path, text: str | bytes, encoding: str = "utf-8", newline: str = "") -> None:
    """Atomically replace ``path`` with ``text`` (temp file in the same dir, fsync, rename).

    Keeps the old file's permission bits; raises ``OSError`` as is (callers that
    face the user should use ``write_text_atomic``).
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        else:
            with os.fdopen(fd, "w", encoding=encoding, newline=newline) as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(
    path: Path, text: str, option: str = "-o", encoding: str = "utf-8", make_parents: bool = False
) -> None:
    """Write ``text`` to a user-named ``path`` atomically; problems become one-line ``InputError``s."""
    path = Path(path)
    if make_parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    check_target(path, option)
    try:
        replace_file(path, text, encoding)
    except OSError as exc:
        raise InputError(f"{option}：无法写入 {path}（{exc.strerror}）；请检查路径与权限") from None


def decode(data: bytes, name: str) -> str:
    """UTF-8 text of ``data`` or an InputError naming ``name`` (binary, wrong encoding)."""
    if b"\x00" in data[:65536]:
        raise InputError(f"{name}：这是二进制文件，不是文本；请提供 UTF-8 编码的答案文本")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{name}:{line}: 不是 UTF-8 编码（第 {exc.start + 1} 字节无法解码）；请另存为 UTF-8 后重试"
        ) from None


def read_answer(path: Path | None, stdin: io.BufferedIOBase | None = None) -> str:
    """UTF-8 text from ``path`` or, when ``path`` is None, from ``stdin`` (bytes).

    Used for every text a user hands in (answers, exported history): binary
    files, other encodings, missing files and directories become one-line
    ``InputError``s naming the file and line.
    """
    if path is None:
        if stdin is None:
            raise InputError("没有答案：请给出答案文件，或用 - 从标准输入读取")
        return decode(stdin.read(), "标准输入")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}：找不到文件") from None
    except IsADirectoryError:
        raise InputError(f"{path}：这是目录，不是答案文件") from None
    except OSError as exc:
        raise InputError(f"{path}：无法读取（{exc.strerror}）") from None
    return decode(data, str(path))
