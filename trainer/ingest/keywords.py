"""Ingest, step 4b: keyword synonym groups for a drafted point, from char n-gram statistics.

No segmenter (jieba costs ~0.5 s cold and a dependency): a *term* is a 2–6
character n-gram of the point's text that

* does not start or end with a function character (的 了 是 和 与 被 把 对 …);
* is *closed*: no longer n-gram containing it occurs as often in the corpus
  (so "形式主" loses to "形式主义");
* for three characters or more, occurs at least twice in the corpus (a phrase
  the articles repeat, rather than an accidental window across two words).

Terms are ranked by length × inverse sentence frequency (so "基层", which is
in every other sentence, ranks low) and picked greedily without overlap.
Each term becomes a group with its alternatives from two sources:

* a small built-in lexicon of 申论 near-synonyms (信任/放心/信得过, 问责/追责…);
* parallel lists in the articles ("被检查、被问责、被整改" → 检查 / 问责 / 整改):
  an answer that names any item of such a list is on the same idea.

The result is a draft: an author is expected to add the paraphrases a
candidate would use.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from trainer.text import strip_punct

SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("信任", "放心", "信得过", "相信"),
    # a fault and its cure are two groups: 交底 inside 不交底 is not said (negation)
    ("不交底", "不说实话", "不讲真话", "不反馈", "报喜不报忧"),
    ("交底", "说实话", "讲真话", "说真话"),
    ("负担", "压力", "包袱", "重负"),
    ("形式主义", "官僚主义", "走过场", "表面文章"),
    ("问责", "追责", "打板子", "挨板子"),
    ("考核", "考评", "评估"),
    ("检查", "督查", "督导", "迎检"),
    ("调研", "调查研究", "走访"),
    ("松绑", "减负", "减压"),
    ("积极性", "主动性", "创造性", "干劲"),
    ("群众", "百姓", "老百姓"),
    ("渠道", "途径"),
    ("沟通", "交流", "反馈"),
    ("创新", "探索", "大胆创新"),
    ("容错", "纠错", "容错纠错", "免责"),
    ("能力", "本领", "素质"),
    ("学习", "培训", "充电"),
    ("资源", "经费", "资金", "人财物"),
    ("权责", "权力", "事权", "责任"),
    ("落实", "执行", "落地"),
    ("实绩", "实效", "成效"),
    ("留痕", "痕迹主义", "打卡"),
    ("会议", "文山会海", "开会"),
    ("报表", "表格", "材料", "台账"),
    ("工作群", "APP", "政务号", "指尖上的形式主义"),
    ("作风", "工作作风"),
    ("一刀切", "一锅煮", "简单化"),
    ("层层加码", "层层下压", "加码", "摊派"),
    ("基层干部", "一线干部", "基层工作人员"),
    ("上级", "上级部门", "上级机关"),
    ("高质量", "高效能", "治理效能"),
    ("合力", "上下同心", "上下一心", "同向合力"),
    ("帮扶", "指导", "帮忙"),
    ("激励", "关怀", "鼓励"),
    ("自主权", "自主空间", "空间", "主观能动性"),
    ("撑腰", "保护", "担当"),
)

#: Words too general to identify a point on their own.
GENERIC = frozenset(
    "问题 不少 基层 自己 一些 各项 推动 工作 部门 我们 进行 没有 现在 目前 情况 方面 需要 已经 "
    "能够 同时 各级 上级 干部 基层干部 政策 实际 要求 推进 解决 限制 发展 存在 出现 有效 不断 "
    # function-like words that say nothing about a point (seen as whole keyword groups)
    "各项 越来越 近年来 近年 当前 一定 进一步 更加 持续 全面 切实 真正 加强 坚持 提高 重要 "
    "必须 应当 应该 可以 相关 有关 通过 实现 做好 做到 确保 保障 各地 一些地方 有的 许多 "
    "不仅 而且 因此 所以 如果 只有 才能 就会 越来 不能 一是 二是 三是 方式 手段 作为 "
    "关乎 关系 关系到 直接 可能 提出 开展 提升 现象 部分 内容 不要 要看 适应 情况下 实实 "
    "形成 要不 反映".split()
)
_EDGE = set("的了是在和与及或等也都就而把将从向为以之其这那着过地得很更最又还却被让使对于")
_INSIDE = set("的了是和与及或等也都就而把将从向为以之其这那着过地得对")
_CJK = re.compile(r"^[\u4e00-\u9fffA-Za-z]+$")
_LEN_WEIGHT = {2: 1.0, 3: 1.35, 4: 1.7, 5: 1.8, 6: 1.9}


def _clauses(text: str) -> list[str]:
    return [strip_punct(c) for c in re.split(r"[^\w]+", text) if strip_punct(c)]


class TermStats:
    """N-gram counts and neighbour variety over every sentence of the ingested documents."""

    def __init__(self, sentences: Iterable[str]) -> None:
        self.count: Counter[str] = Counter()
        self.sent_freq: Counter[str] = Counter()
        self.left: dict[str, set[str]] = {}
        self.right: dict[str, set[str]] = {}
        self.lists: list[list[str]] = []
        self.known: set[str] = {w for group in SYNONYMS for w in group}
        n_sent = 0
        boundary = 0
        for s in sentences:
            n_sent += 1
            seen: set[str] = set()
            for clause in _clauses(s):
                for n in range(2, 7):
                    for i in range(len(clause) - n + 1):
                        g = clause[i : i + n]
                        self.count[g] += 1
                        seen.add(g)
                        boundary += 1  # every clause edge counts as a distinct neighbour
                        lc = clause[i - 1] if i > 0 else f"^{boundary}"
                        rc = clause[i + n] if i + n < len(clause) else f"${boundary}"
                        self.left.setdefault(g, set()).add(lc)
                        self.right.setdefault(g, set()).add(rc)
            self.sent_freq.update(seen)
            for q in re.findall(r'"([^"]{2,8})"', s):
                if _CJK.match(q):
                    self.known.add(q)
            for items in parallel_lists(s):
                self.lists.append(items)
                self.known.update(items)
        self.n_sent = max(n_sent, 1)

    def idf(self, term: str) -> float:
        return math.log(1 + self.n_sent / (1 + self.sent_freq.get(term, 0)))

    def variety(self, g: str) -> int:
        """Accessor variety: distinct left and right neighbours, the smaller of the two."""
        return min(len(self.left.get(g, ())), len(self.right.get(g, ())))

    def is_term(self, g: str) -> bool:
        if g in self.known:
            return True
        if not _CJK.match(g) or g[0] in _EDGE or g[-1] in _EDGE:
            return False
        if any(c in _INSIDE for c in g[1:-1]) or "的" in g or "了" in g:
            return False
        return self.variety(g) >= 2

    def is_plausible(self, g: str) -> bool:
        return bool(_CJK.match(g)) and g[0] not in _EDGE and g[-1] not in _EDGE

    def score(self, g: str) -> float:
        bonus = 1.2 if g in self.known else 1.0
        return bonus * _LEN_WEIGHT.get(len(g), 1.9) * self.idf(g)


def parallel_lists(sentence: str) -> list[list[str]]:
    """Parallel items joined by 、 ("被检查、被问责、被整改" → [检查, 问责, 整改]).

    The first item's start is ambiguous (no delimiter before it): it is taken
    to share its first character with the second item when some length allows
    that, else to be as long as the second item.
    """
    out: list[list[str]] = []
    for clause in re.split(r"[，。；：！？,;:!?\"“”'‘’（）()]", sentence):
        parts = clause.split("、")
        if len(parts) < 2 or len(parts) > 6:
            continue
        second = parts[1]
        head = parts[0]
        first = head[-len(second) :]
        for n in range(min(len(head), len(second) + 1), 1, -1):
            if head[-n] == second[0]:
                first = head[-n:]
                break
        last = parts[-1][: max(len(p) for p in parts[1:-1] or [first])]
        items = [first, *parts[1:-1], last]
        items = [x[1:] if x.startswith("被") else x for x in items]
        items = [x.rstrip("等") for x in items]
        if all(2 <= len(x) <= 6 and _CJK.match(x) and not set(x) & _INSIDE for x in items):
            out.append(items)
    return out


def keyword_groups(
    text: str,
    stats: TermStats,
    limit: int = 4,
    avoid: frozenset[str] = frozenset(),
    thesaurus: dict[str, list[str]] | None = None,
) -> list[list[str]]:
    """3–``limit`` synonym groups for a point's text (see module doc).

    ``avoid``: the draft's background vocabulary, passed over like ``GENERIC``;
    ``thesaurus``: word → other words that widen a group (the shipped rubrics' groups).
    """
    skip = GENERIC | avoid
    candidates: list[tuple[float, int, str]] = []
    for clause in _clauses(text):
        offset = text.find(clause[:2])
        for n in range(2, 7):
            for i in range(len(clause) - n + 1):
                g = clause[i : i + n]
                if stats.is_term(g):
                    candidates.append((stats.score(g), offset + i, g))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    names = {g for _s, _p, g in candidates}
    groups: list[list[str]] = []
    for generic_ok in (False, True):  # background words only when nothing better is left
        for _score, _pos, g in candidates:
            if len(groups) >= limit:
                break
            if g in GENERIC:
                continue  # filler never makes a group of its own
            if not generic_ok and (
                g in skip or g not in stats.known and any(w in avoid for w in _subs(g))
            ):
                continue  # the topic's background: only when nothing distinctive is left
            if any(g in w or w in g for grp in groups for w in grp):
                continue
            if g not in stats.known and any(k in names and k in stats.known for k in _subs(g)):
                continue  # "导致基层干部" → the known "基层干部" is a candidate on its own
            groups.append(_group(g, stats, thesaurus))
        if len(groups) >= 3:
            break
    if len(groups) < 3:  # short text: any plain two-character window not yet covered
        for clause in _clauses(text):
            for i in range(len(clause) - 1):
                g = clause[i : i + 2]
                if len(groups) >= 3:
                    return groups
                if g in GENERIC or any(g in w for grp in groups for w in grp):
                    continue
                if stats.is_plausible(g) and (g not in avoid or not groups):
                    groups.append([g])
    # A fourth group that is a bare n-gram nobody listed ("要不", "干部反映") is more
    # likely a window across two words than an idea: three good groups are enough.
    while len(groups) > 3 and len(groups[-1]) == 1 and groups[-1][0] not in stats.known:
        groups.pop()
    return groups


def _subs(g: str) -> Iterable[str]:
    for n in range(2, len(g)):
        for i in range(len(g) - n + 1):
            yield g[i : i + n]


def _group(term: str, stats: TermStats, thesaurus: dict[str, list[str]] | None = None) -> list[str]:
    group = [term]
    for syn in SYNONYMS:
        if term in syn or any(len(s) >= 2 and s in term for s in syn if len(s) >= 3):
            group.extend(s for s in syn if s not in group)
            break
    for items in stats.lists:
        if term in items and len(items) <= 5:
            group.extend(x for x in items if x not in group)
            break
    if thesaurus:  # an author's group the term is in: 信任 → 放心, 信得过, 相信 …
        group.extend(w for w in thesaurus.get(term, ()) if w not in group and w not in GENERIC)
    return group[:8]
