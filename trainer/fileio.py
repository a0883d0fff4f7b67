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


# --------------------------------------------------------------------------- CSV cells

#: First characters a spreadsheet program reads as the start of a formula.
FORMULA_STARTS = frozenset("=+-@\t\r")


def _formula_like(cell: str) -> bool:
    """Whether ``cell``, after any leading apostrophes, starts like a formula."""
    rest = cell.lstrip("'")
    return bool(rest) and rest[0] in FORMULA_STARTS


def csv_cell(cell: str) -> str:
    """``cell`` safe to open in a spreadsheet: a formula-like cell gets a leading ``'``.

    ``=1+1``, ``+…``, ``-…``, ``@…`` and cells starting with a tab or CR would be
    run as formulas (CSV injection); the apostrophe makes them text. Cells that are
    already apostrophes followed by such a start get one more, so that
    ``csv_uncell(csv_cell(x)) == x`` for every string.
    """
    return "'" + cell if _formula_like(cell) else cell


def csv_uncell(cell: str) -> str:
    """The inverse of :func:`csv_cell`: drop exactly the apostrophe it added."""
    return cell[1:] if cell.startswith("'") and _formula_like(cell[1:]) else cell
