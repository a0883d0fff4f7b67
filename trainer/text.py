"""Text normalisation and sentence splitting, with offsets back into the original.

``normalize`` makes 繁體, 全角, stray whitespace and ASCII punctuation irrelevant:
NFKC per character (full-width → half-width), Traditional → Simplified with
OpenCC's ``t2s`` (loaded lazily: ~15 ms import, ~0.05 ms per answer), and
punctuation folded to one canonical Chinese set. ``normalize_with_offsets``
also returns, for every character of the normalised text, the index of the
original character it came from, so evidence can be shown in the user's text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

# ASCII / half-width punctuation → canonical Chinese punctuation (after NFKC).
_PUNCT_MAP = str.maketrans(
    {
        ",": "，",
        ";": "；",
        ":": "：",
        "!": "！",
        "?": "？",
        "(": "（",
        ")": "）",
        "﹐": "，",
        "､": "、",
        "｡": "。",
        "“": '"',
        "”": '"',
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
        "‘": "'",
        "’": "'",
    }
)

SENTENCE_END = "。！？；…\n"
CLAUSE_END = SENTENCE_END + "，、：,"
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _t2s():
    """The OpenCC Traditional→Simplified converter, created on first use."""
    import opencc  # lazy: keeps `trainer --help` fast

    return opencc.OpenCC("t2s")


# OpenCC t2s keeps 著 (a valid Simplified character) where Simplified text writes the
# aspect particle 着: 隨著 → 随著. Fix the common verb + 著 pairs (never 著作/著名…).
_ZHE_RE = re.compile(
    r"(随|沿|面临|意味|有|接|存在|朝|看|听|带|拿|围绕|本|顺|靠|跟|等|想|说|干)著(?![作名称述录书])"
)


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese to Simplified (identity on Simplified text); length-preserving."""
    if not text or not _CJK_RE.search(text):
        return text
    return _ZHE_RE.sub(r"\1着", _t2s().convert(text))


def _fold_char(ch: str) -> str:
    """NFKC one character and fold its punctuation."""
    return unicodedata.normalize("NFKC", ch).translate(_PUNCT_MAP)


_WS_RUN_RE = re.compile(r"[ \t\r\n\xa0\u3000\u2000-\u200b\u202f\u205f]+")


def _fold(text: str) -> tuple[str, list[int]]:
    """NFKC + punctuation folding with a source index per output character."""
    whole = unicodedata.normalize("NFKC", text)
    if len(whole) == len(text):  # the common case: no character expanded or merged
        return whole.translate(_PUNCT_MAP), list(range(len(text)))
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        folded = ch if ch in " \n" else _fold_char(ch)
        chars.append(folded)
        offsets.extend([i] * len(folded))
    return "".join(chars), offsets


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise ``text``; return it with a map from each output char to its source index.

    A whitespace run becomes one line break if it contains one, a single space
    between two ASCII letters/digits, and nothing otherwise (so spaces typed
    between Chinese characters never change a match). Runs in O(n).
    """
    folded, offsets = _fold(text)
    simplified = to_simplified(folded)
    if len(simplified) != len(folded):  # a phrase conversion changed length: go char by char
        simplified = "".join(c if len(to_simplified(c)) != 1 else to_simplified(c) for c in folded)
    out: list[str] = []
    out_off: list[int] = []
    pos = 0
    n = len(simplified)
    for m in _WS_RUN_RE.finditer(simplified):
        a, b = m.span()
        out.append(simplified[pos:a])
        out_off.extend(offsets[pos:a])
        pos = b
        run = m.group()
        if a == 0 or b == n:
            continue
        if "\n" in run:
            out.append("\n")
            out_off.append(offsets[a + run.index("\n")])
        elif _ascii_word(simplified[a - 1]) and _ascii_word(simplified[b]):
            out.append(" ")
            out_off.append(offsets[a])
    out.append(simplified[pos:])
    out_off.extend(offsets[pos:])
    return "".join(out), out_off


def _ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def normalize(text: str) -> str:
    """Normalise text for matching (see module doc)."""
    return normalize_with_offsets(text)[0]


def strip_punct(text: str) -> str:
    """Remove punctuation and whitespace (for character-level comparison)."""
    return "".join(ch for ch in text if is_content_char(ch))


def is_content_char(ch: str) -> bool:
    """True for characters that carry meaning (CJK, letters, digits)."""
    return ch.isalnum()


def content_length(text: str) -> int:
    """Number of meaningful characters (what 字数 counts), punctuation excluded."""
    return sum(1 for ch in text if ch.isalnum())


@dataclass(frozen=True)
class Segment:
    """A sentence or clause: its normalised text and its span in the original text."""

    text: str  # normalised, trimmed
    start: int  # offset into the original text
    end: int  # exclusive offset into the original text


@lru_cache(maxsize=4)
def _ender_re(enders: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(enders) + "]")


def _split(text: str, enders: str) -> Iterator[Segment]:
    norm, offsets = normalize_with_offsets(text)
    begin = 0
    for m in _ender_re(enders).finditer(norm):
        yield from _segment(norm, offsets, begin, m.end(), text)
        begin = m.end()
    yield from _segment(norm, offsets, begin, len(norm), text)


def _segment(norm: str, offsets: list[int], a: int, b: int, original: str) -> Iterator[Segment]:
    # Trim whitespace and leading punctuation; keep the trailing ender in the span.
    while a < b and (norm[a].isspace() or not norm[a].isalnum() and norm[a] in CLAUSE_END):
        a += 1
    while b > a and norm[b - 1].isspace():
        b -= 1
    if a >= b or not any(c.isalnum() for c in norm[a:b]):
        return
    start = offsets[a]
    end = offsets[b - 1] + 1
    yield Segment(norm[a:b], start, end)


def split_sentences(text: str) -> list[Segment]:
    """Split into sentences (。！？；… and line breaks), offsets into ``text``."""
    return list(_split(text, SENTENCE_END))


def split_clauses(text: str) -> list[Segment]:
    """Split into clauses (sentence enders plus ，、：), offsets into ``text``."""
    return list(_split(text, CLAUSE_END))


#: The exam's speaking pace: every spoken-time estimate (editor, report, model answers).
CHARS_PER_MINUTE = 230


def spoken_seconds(chars: int) -> float:
    """Estimated time to say ``chars`` characters at the exam pace."""
    return chars * 60.0 / CHARS_PER_MINUTE


def _half_up(value: float, places: int) -> Decimal:
    # repr() keeps the decimal the user saw (2.55 stays 2.55, not 2.5499…), then half up.
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def round_half_up(value: float) -> int:
    """``value`` to the nearest integer, halves up (Python's ``round`` goes to even)."""
    return int(_half_up(value, 0))


def fmt_mmss(seconds: float) -> str:
    """``m:ss`` of a duration, half-up to the second (the one rule for times shown)."""
    s = max(0, int(_half_up(seconds, 0)))
    return f"{s // 60}:{s % 60:02d}"


# --------------------------------------------------------------------------- display safety

#: C0 controls except tab and newline, DEL, C1 controls (0x9b is a CSI to some
#: terminals) and the bidi overrides/isolates that reorder what a reader sees.
UNSAFE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␇ for BEL, ␍ for CR…
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def printable(text: str) -> str:
    """``text`` safe to print to a terminal: control characters shown, never sent.

    User and content text (answers, question text, ids, imported history) may hold
    escape sequences — ``ESC ] 52;…`` writes the clipboard, ``ESC [2J`` clears the
    screen, ``ESC ] 0;…`` retitles the window. Every control character except
    newline and tab becomes its visible Unicode control picture (ESC → ␛), C1
    controls and bidi overrides become ``<U+XXXX>``; a CRLF line end counts as a
    newline. The one sanitiser for everything rendered (``trainer.render.common``).
    """
    if not UNSAFE_RE.search(text):
        return text
    return UNSAFE_RE.sub(_picture, text.replace("\r\n", "\n"))


def fmt_spoken(chars: int) -> str:
    """The estimated speaking time of ``chars`` characters, as every screen shows it.

    Always from the character count (never from a stored, already rounded number of
    seconds), so the editor's 口述 and the report's 口述约 never differ by a second.
    """
    return fmt_mmss(spoken_seconds(chars))


def fmt_points(value: float | None) -> str:
    """The one rule for every score shown (totals, parts, weights): half up to one decimal,
    no trailing ``.0`` — 59.5, 60, 2.6 on the report, in history, in mock results and stats.
    No value (no attempts yet) is ``—``."""
    if value is None:
        return "—"
    text = f"{_half_up(value, 1):f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text


# ----------------------------------------------------------------------------- display width

# 禁则 (kinsoku): a line never starts with a closing mark nor ends with an opening one.
NO_LINE_START = frozenset("，。、；：？！…）》」』”’%·,.;:?!)]")
NO_LINE_END = frozenset("（《「『“‘([")


def cell_width(text: str) -> int:
    """Terminal columns of ``text`` (a CJK / full-width character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def wrap_tokens(text: str) -> list[str]:
    """Break opportunities: single characters, but ASCII words (APP, 30, --help) kept whole."""
    out: list[str] = []
    for ch in text:
        if (
            out
            and not ch.isspace()
            and ch.isascii()
            and out[-1].isascii()
            and not out[-1].isspace()
        ):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def wrap_cells(text: str, width: int, first_used: int = 0, indent_used: int = 0) -> list[str]:
    """Lines of at most ``width`` columns (CJK = 2), with 禁则 and no break inside a Latin word.

    ``first_used`` / ``indent_used`` are the columns already taken on the first /
    following lines (by a prefix the caller adds). Spaces at a break are dropped.
    A single token wider than a line is cut, so no line is ever wider than ``width``.
    """
    lines: list[list[str]] = []
    cur: list[str] = []
    used = first_used
    for tok in wrap_tokens(text):
        if not cur and lines:
            used = indent_used
        w = cell_width(tok)
        if w > width - indent_used and not tok.isspace():  # a word longer than a line: cut it
            for ch in tok:
                if cur and used + cell_width(ch) > width:
                    lines.append(cur)
                    cur, used = [], indent_used
                cur.append(ch)
                used += cell_width(ch)
            continue
        if cur and used + w > width:
            if tok.isspace():
                lines.append(cur)
                cur, used = [], indent_used
                continue
            carry = [tok]
            while len(cur) > 1 and carry[0][0] in NO_LINE_START:
                carry.insert(0, cur.pop())
            while len(cur) > 1 and cur[-1][-1] in NO_LINE_END:
                carry.insert(0, cur.pop())
            lines.append(cur)
            while carry and carry[0].isspace():
                carry.pop(0)
            cur = carry
            used = indent_used + sum(cell_width(t) for t in cur)
        else:
            cur.append(tok)
            used += w
    if cur or not lines:
        lines.append(cur)
    return ["".join(line).rstrip() for line in lines]
