"""The question's focus: the words of its central phenomenon, found at compile time.

A rubric is shared by every question of a topic, and topics overlap (基层减负 and
信任缺口 share 检查、问责、会议…), so an excellent answer to a *related* question
earns many points of this one. What such an answer never does is engage with
*this* question's phenomenon. The focus is computed from the question text and
the rubric's 点题 points only (the scorer sees one rubric, never other topics):

- a **focus point** is a question-specific 点题 ``extra_point`` (written to name
  that question's phenomenon), or a topic 点题 point with a keyword alternative
  inside a *quoted* term of the question (“不放心”, “不交底”, ‘大抓基层’): the
  quotation marks are how a question names its phenomenon, while unquoted words
  (政策落实, 检查, 问责) are shared context that a related topic's answer says too;
- the **focus words** are every alternative of those points' keyword groups that
  have an alternative in the question text: for 上级对基层“不放心” the group
  不放心 / 不信任 / 信不过 / 心存疑虑…, for “表哥”“表姐” the group 表哥 / 表姐 / 填表 / 报表….

An answer engages with the question when it says a focus word in its own words
(text copied from the question is masked and does not count) or earns a focus
point — well (similarity ≥ 0.55), or in full if it is one of the question's own. When the question names no phenomenon the rubric's 点题 recognises
(opinion-style questions often do not), there is no focus and no check.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Content and expression of an answer that never engages the question's focus
#: are multiplied by this (a strict examiner's 跑题: an excellent answer to the
#: neighbouring topic is worth ≈ 35–40, not 中).
OFF_FOCUS_FACTOR = 0.35


@dataclass(frozen=True)
class Focus:
    points: tuple[str, ...]  # ids of the focus points
    words: tuple[str, ...]  # normalised alternatives, longest first
    named: tuple[str, ...]  # the alternatives the question itself uses (shown in the warning)
    #: Focus points that are the question's own ``extra_points``: earned in full, one
    #: engages the question (its 释义 / 表态, written for this question alone).
    own: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words)


NO_FOCUS = Focus((), (), ())


def focus_of(
    points: tuple[tuple[str, str, tuple[tuple[str, ...], ...]], ...],
    question_chars: str,
    quoted: tuple[str, ...],
    own: frozenset[str],
) -> Focus:
    """Focus of a question (see module doc).

    ``points``: (id, section, normalised keyword groups); ``question_chars``: the
    question as a content stream; ``quoted``: its quoted terms, as content streams;
    ``own``: ids of the question's own extra points.
    """
    ids: list[str] = []
    words: set[str] = set()
    named: list[str] = []
    for pid, section, groups in points:
        if section != "点题":
            continue
        hit_groups = [g for g in groups if any(w in question_chars for w in g)]
        if not hit_groups:
            continue
        if pid not in own and not any(w in q for g in hit_groups for w in g for q in quoted):
            continue
        ids.append(pid)
        for g in hit_groups:
            words.update(g)
            named.extend(w for w in g if w in question_chars and w not in named)
    if not words:
        return NO_FOCUS
    return Focus(
        tuple(ids),
        tuple(sorted(words, key=lambda w: (-len(w), w))),
        tuple(named),
        tuple(pid for pid in ids if pid in own),
    )
