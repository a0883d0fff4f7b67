"""Files the user hands in or gets back: reading their text, writing output whole or not at all.

``read_answer`` / ``read_text`` / ``decode`` read any text a user hands in
(answers, exported history, content files): UTF-8 (a BOM is accepted). The one
reading rule: only regular files are opened (a FIFO or a device such as
``/dev/zero`` would block or never end), at most ``limit`` bytes are read, and a
binary, UTF-16 or otherwise undecodable file, a missing file or a directory is
one ``InputError`` naming the file (and line) and saying what to do.

``write_text_atomic`` writes to a temporary file in the target's directory and
renames it over the target, so an interrupted run never leaves a half-written
booklet (or clobbers a good one). It refuses directories with an
``InputError`` naming the path.
"""

from __future__ import annotations

import codecs
import io
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TextIO

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
def _atomic(
    path: Path, binary: bool = False, encoding: str = "utf-8", newline: str = ""
) -> Iterator[IO[Any]]:
    """The one temp-file-then-rename write: a file in ``path``'s directory that replaces
    ``path`` (fsync, rename) only when the block ends normally.

    Keeps the old file's permission bits (a new file gets the umask's). Any exception,
    an ``OSError`` included, leaves ``path`` as it was and no temporary file behind;
    ``OSError`` is raised as is.
    """
    parent = path.parent if str(path.parent) else Path(".")
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        fh: IO[Any] = (
            os.fdopen(fd, "wb")
            if binary
            else os.fdopen(fd, "w", encoding=encoding, newline=newline)
        )
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def open_atomic(
    path: Path, option: str = "-o", binary: bool = False, encoding: str = "utf-8"
) -> Iterator[IO[Any]]:
    """A user-named output to stream into (a batch's results, a history export): it
    replaces ``path`` only when the block ends normally (:func:`_atomic`).

    Text mode writes ``encoding`` with ``newline=""``. Problems become one-line
    ``InputError``s; an exception inside the block leaves ``path`` as it was.
    """
    path = Path(path)
    check_target(path, option)
    try:
        with _atomic(path, binary, encoding) as fh:
            yield fh
    except OSError as exc:
        raise InputError(f"{option}：无法写入 {path}（{exc.strerror}）；请检查路径与权限") from None


def replace_file(path: Path, text: str | bytes, encoding: str = "utf-8", newline: str = "") -> None:
    """Atomically replace ``path`` with ``text`` (:func:`_atomic`).

    Raises ``OSError`` as is (callers that face the user should use ``write_text_atomic``).
    """
    with _atomic(Path(path), isinstance(text, bytes), encoding, newline) as fh:
        fh.write(text)


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


#: What one answer (file or stdin) may hold: ~1.3 million 汉字, far beyond any spoken answer.
ANSWER_LIMIT = 4 * 1024 * 1024
#: What one content file (YAML or cited source text) may hold; the bundled ones are < 50 KB.
CONTENT_LIMIT = 4 * 1024 * 1024


class ReadError(InputError):
    """A file the user handed in could not be read as text; ``line`` is 0 when unknown."""

    def __init__(self, name: str, detail: str, line: int = 0) -> None:
        self.name = name
        self.detail = detail
        self.line = line
        super().__init__(f"{name}:{line}: {detail}" if line else f"{name}：{detail}")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def _too_big(name: str, limit: int) -> ReadError:
    return ReadError(
        name, f"内容太大（超过 {_mb(limit)}）；请只给出需要的文本，不超过 {_mb(limit)}"
    )


def _utf16(data: bytes) -> str | None:
    """'UTF-16' / 'UTF-32' when ``data`` looks like that encoding (BOM, or NULs every other byte)."""
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        return "UTF-32"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16"
    head = data[: 4096 & ~1]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    # Latin letters, digits and newlines in UTF-16 put a NUL in every other byte, and
    # only there; a binary file has NULs at both.
    if max(even, odd) >= 2 and min(even, odd) == 0:
        try:
            sample = head.decode("utf-16-le" if odd else "utf-16-be")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a pair cut at the end of the sample
                return None
            sample = head[: exc.start].decode("utf-16-le" if odd else "utf-16-be")
        if any(ord(c) < 32 and c not in "\t\n\r" for c in sample):
            return None  # control characters: a binary that happens to fit
        return "UTF-16"
    return None


def decode(data: bytes, name: str) -> str:
    """UTF-8 text of ``data`` or an InputError naming ``name`` (binary, UTF-16, wrong encoding)."""
    wide = _utf16(data)
    if wide:
        raise ReadError(
            name,
            f"这是 {wide} 编码的文本（如记事本的“Unicode”格式），不是 UTF-8；"
            f"请用“另存为”选择编码 UTF-8 后重试（或 iconv -f {wide} -t UTF-8）",
        )
    if b"\x00" in data[:65536]:
        raise ReadError(name, "这是二进制文件，不是文本；请提供 UTF-8 编码的文本文件")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReadError(
            name, f"不是 UTF-8 编码（第 {exc.start + 1} 字节无法解码）；请另存为 UTF-8 后重试", line
        ) from None


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def read_bytes(path: Path, limit: int | None, name: str | None = None) -> bytes:
    """The bytes of the regular file ``path`` (at most ``limit``), or a one-line ``ReadError``.

    A FIFO, a device (``/dev/zero``) or a socket is refused before it is opened:
    opening a FIFO blocks until someone writes, and a device never ends.
    """
    name = name or str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ReadError(name, "找不到文件") from None
    except OSError as exc:
        raise ReadError(name, f"无法读取（{exc.strerror}）") from None
    if stat.S_ISDIR(info.st_mode):
        raise ReadError(name, "这是目录，不是文件")
    if not stat.S_ISREG(info.st_mode):
        raise ReadError(
            name,
            f"这是{_kind_of(info.st_mode)}，不是普通文件；请给出一个文本文件（答案也可用 - 从标准输入读取）",
        )
    if limit is not None and info.st_size > limit:
        raise _too_big(name, limit)
    try:
        # O_NONBLOCK: should the path be swapped for a FIFO after the check, open must not wait.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ReadError(name, f"无法读取（{exc.strerror}）") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise ReadError(name, "不是普通文件；请给出一个文本文件")
        try:
            data = fh.read() if limit is None else fh.read(limit + 1)
        except OSError as exc:
            raise ReadError(name, f"无法读取（{exc.strerror}）") from None
    if limit is not None and len(data) > limit:  # files whose size stat does not tell (/proc)
        raise _too_big(name, limit)
    return data


def read_text(path: Path, limit: int | None, name: str | None = None) -> str:
    """UTF-8 text of the regular file ``path`` under the reading rule (see ``read_bytes``)."""
    name = name or str(path)
    return decode(read_bytes(path, limit, name), name)


def read_stream(stream, limit: int | None, name: str = "标准输入") -> str:
    """UTF-8 text of a byte stream (stdin), reading at most ``limit`` bytes."""
    try:
        data = stream.read() if limit is None else stream.read(limit + 1)
    except OSError as exc:
        raise ReadError(name, f"无法读取（{exc.strerror}）") from None
    if limit is not None and len(data) > limit:
        raise _too_big(name, limit)
    return decode(data, name)


def read_answer(
    path: Path | None, stdin: io.BufferedIOBase | None = None, limit: int | None = None
) -> str:
    """UTF-8 text from ``path`` or, when ``path`` is None, from ``stdin`` (bytes).

    Used for every text a user hands in (answers, exported history): non-regular
    files, more than ``limit`` bytes (answers pass ``ANSWER_LIMIT``), binary files,
    other encodings, missing files and directories become one-line ``InputError``s
    naming the file and line.
    """
    if path is None:
        if stdin is None:
            raise InputError("没有答案：请给出答案文件，或用 - 从标准输入读取")
        return read_stream(stdin, limit)
    return read_text(path, limit)


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


class _Prefixed(io.RawIOBase):
    """``head`` then the rest of ``stream``: lets the start be inspected without seeking."""

    def __init__(self, head: bytes, stream: Any, owned: bool) -> None:
        self.head, self.stream, self.owned = head, stream, owned

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        super().close()
        if self.owned:
            self.stream.close()

    def readinto(self, b: Any) -> int:
        if self.head:
            n = min(len(b), len(self.head))
            b[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        data = self.stream.read(len(b))
        b[: len(data)] = data
        return len(data)


def open_text_stream(path: Path | None, stdin: Any = None) -> tuple[TextIO, str]:
    """A UTF-8 text stream over a large user file (or ``stdin`` bytes), and its first characters.

    Like :func:`read_answer` but without reading the whole file: the first 64 KiB
    are checked (binary, not UTF-8) and returned decoded for format sniffing; a
    decoding error further on surfaces as ``UnicodeDecodeError`` while reading.
    ``\\r\\n`` is kept as written (``newline=""``), as CSV needs.
    """
    name = "标准输入" if path is None else str(path)
    if path is None:
        if stdin is None:
            raise InputError("没有输入：请给出文件，或用 - 从标准输入读取")
        raw: Any = stdin
    else:
        try:
            raw = open(path, "rb")  # noqa: SIM115 - handed to the caller inside the stream
        except FileNotFoundError:
            raise InputError(f"{path}：找不到文件") from None
        except IsADirectoryError:
            raise InputError(f"{path}：这是目录，不是文件") from None
        except OSError as exc:
            raise InputError(f"{path}：无法读取（{exc.strerror}）") from None
    head = raw.read(65536)
    if b"\x00" in head:
        raise InputError(f"{name}：这是二进制文件，不是文本；请提供 UTF-8 编码的文本")
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError as exc:
        line = head[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{name}:{line}: 不是 UTF-8 编码（第 {exc.start + 1} 字节无法解码）；请另存为 UTF-8 后重试"
        ) from None
    stream = io.TextIOWrapper(
        io.BufferedReader(_Prefixed(head, raw, path is not None)), encoding="utf-8-sig", newline=""
    )
    return stream, text
