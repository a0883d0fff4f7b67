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
_SPACE_RE = re.compile(r"[ \t\u3000\xa0\r]+")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _t2s():
    """The OpenCC Traditional→Simplified converter, created on first use."""
    import opencc  # lazy: keeps `trainer --help` fast

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese to Simplified (identity on Simplified text)."""
    if not text or not _CJK_RE.search(text):
        return text
    return _t2s().convert(text)


def _fold_char(ch: str) -> str:
    """NFKC one character and fold its punctuation."""
    return unicodedata.normalize("NFKC", ch).translate(_PUNCT_MAP)


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise ``text``; return it with a map from each output char to its source index.

    Whitespace runs become nothing between CJK characters and a single space
    elsewhere; line breaks are kept (they end sentences).
    """
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch == "\n":
            chars.append("\n")
            offsets.append(i)
            continue
        if _SPACE_RE.fullmatch(ch):
            chars.append(" ")
            offsets.append(i)
            continue
        folded = _fold_char(ch)
        for f in folded:
            chars.append(f)
            offsets.append(i)
    folded_text = "".join(chars)
    simplified = to_simplified(folded_text)
    if len(simplified) != len(folded_text):  # a phrase conversion changed length: go char by char
        simplified = "".join(
            to_simplified(c) if len(to_simplified(c)) == 1 else c for c in folded_text
        )
    # Collapse whitespace: drop spaces next to CJK/punctuation, squeeze the rest.
    out: list[str] = []
    out_off: list[int] = []
    n = len(simplified)
    for j, ch in enumerate(simplified):
        if ch == " ":
            prev = out[-1] if out else ""
            nxt = simplified[j + 1] if j + 1 < n else ""
            if not prev or prev in " \n" or not nxt or nxt in " \n":
                continue
            if not (prev.isascii() and prev.isalnum() and nxt.isascii() and nxt.isalnum()):
                continue
        out.append(ch)
        out_off.append(offsets[j])
    # Collapse repeated blank lines to one newline.
    res: list[str] = []
    res_off: list[int] = []
    for ch, off in zip(out, out_off, strict=True):
        if ch == "\n" and res and res[-1] == "\n":
            continue
        res.append(ch)
        res_off.append(off)
    return "".join(res), res_off


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


def _split(text: str, enders: str) -> Iterator[Segment]:
    norm, offsets = normalize_with_offsets(text)
    begin = 0
    for i, ch in enumerate(norm):
        if ch in enders:
            yield from _segment(norm, offsets, begin, i + 1, text)
            begin = i + 1
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
