"""Reading a large JSON export record by record, in bounded memory.

An export of 100,000 attempts is over a gigabyte of JSON; ``json.loads`` of it
needs many times that. :func:`iter_items` walks the top level itself — an
object whose ``"attempts"`` member is an array, or a bare array — and decodes
one record at a time with the stdlib decoder (``raw_decode``) from a sliding
buffer, so memory is one read chunk plus the largest record. Any other member of
the top-level object is decoded whole (they are small: format, version, count).

Syntax errors are :class:`JSONStreamError` with the 1-based line and column in
the whole file, like ``json.JSONDecodeError``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from trainer.history.validate import _parse_int

CHUNK = 1 << 20  # characters read at a time
MAX_VALUE = 16 << 20  # characters: a single value larger than this is refused (a damaged file)

_WS = " \t\r\n"
# Over-long integer literals become validate.BigInt: the record check names the field.
_decoder = json.JSONDecoder(parse_int=_parse_int)


class JSONStreamError(ValueError):
    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.line, self.col = line, col


class _Buffer:
    """A sliding window over ``stream``: ``buf[pos:]`` is what is not yet consumed."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.line = 1  # line number of buf[0]
        self.col = 1  # column of buf[0]

    def more(self, size: int = CHUNK) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(size)
        if not chunk:
            self.eof = True
            return False
        consumed = self.buf[: self.pos]
        nl = consumed.count("\n")
        if nl:
            self.line += nl
            self.col = len(consumed) - consumed.rfind("\n")
        else:
            self.col += len(consumed)
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return True

    def where(self, at: int) -> tuple[int, int]:
        head = self.buf[:at]
        nl = head.count("\n")
        if nl:
            return self.line + nl, at - head.rfind("\n")
        return self.line, self.col + at

    def error(self, message: str, at: int | None = None) -> JSONStreamError:
        line, col = self.where(self.pos if at is None else at)
        return JSONStreamError(message, line, col)

    def peek(self) -> str:
        """The next non-space character ('' at the end), consuming the spaces."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WS:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def value(self) -> Any:
        """Decode the value at ``pos``, reading more until it is complete."""
        size = CHUNK
        while True:
            try:
                obj, end = _decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if len(self.buf) - self.pos < MAX_VALUE and self.more(size):
                    size *= 2  # a long record: grow the reads so retries stay linear
                    continue
                raise self.error(exc.msg, exc.pos) from None
            if end == len(self.buf) and self.more(size):
                continue  # a number may go on past the buffer
            self.pos = end
            return obj

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise self.error(f"Expecting {char!r}")
        self.pos += 1


def _array(b: _Buffer) -> Iterator[Any]:
    b.expect("[")
    if b.peek() == "]":
        b.pos += 1
        return
    while True:
        b.peek()
        yield b.value()
        c = b.peek()
        b.pos += 1
        if c == "]":
            return
        if c != ",":
            raise b.error("Expecting ',' delimiter", b.pos - 1)


def iter_items(stream: TextIO, header: dict[str, Any]) -> Iterator[Any]:
    """Yield the records of a bare array, or of the ``"attempts"`` array of an object.

    The object's other members are put in ``header`` as they are read (when the
    iterator is exhausted, ``header`` is complete). ``header["__kind__"]`` is
    ``"list"``, ``"object"``, ``"empty"`` (only spaces) or ``"other"`` (a
    top-level scalar: nothing is yielded), ``header["__attempts__"]`` whether an ``attempts`` array was found.
    """
    b = _Buffer(stream)
    c = b.peek()
    if c == "[":
        header["__kind__"] = "list"
        yield from _array(b)
    elif c == "{":
        header["__kind__"] = "object"
        b.pos += 1
        if b.peek() == "}":
            b.pos += 1
        else:
            while True:
                if b.peek() != '"':
                    raise b.error("Expecting property name enclosed in double quotes")
                key = b.value()
                b.expect(":")
                if key == "attempts" and b.peek() == "[":
                    header["__attempts__"] = True
                    yield from _array(b)
                else:
                    b.peek()
                    header[key] = b.value()
                c = b.peek()
                b.pos += 1
                if c == "}":
                    break
                if c != ",":
                    raise b.error("Expecting ',' delimiter", b.pos - 1)
    elif not c:
        header["__kind__"] = "empty"
    else:
        header["__kind__"] = "other"
        b.value()
    if b.peek():
        raise b.error("Extra data")
