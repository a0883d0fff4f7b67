"""Word lists the scorer uses: enumeration words, 套话 (filler) phrases, reasoning words,
function characters. Section cues are in ``trainer.scoring.cues``.

All entries are Simplified Chinese, already in normalised form (answers are
converted 繁→简 before matching).
"""

from __future__ import annotations

import re

# Enumeration words: they organise 危害 / 原因 / 对策 lists, so they support any of the three.
ORDINALS = (
    "首先",
    "其次",
    "再次",
    "再者",
    "最后",
    "其一",
    "其二",
    "其三",
    "其四",
    "一是",
    "二是",
    "三是",
    "四是",
    "五是",
    "六是",
    "第一",
    "第二",
    "第三",
    "第四",
    "一方面",
    "另一方面",
    "此外",
    "另外",
    "一要",
    "二要",
    "三要",
)

# 万能句 pieces: phrases that fit any question. A sentence that contains one and
# earns no point counts as filler. Some of them are rubric keywords for a topic
# (形成合力, 久久为功): inside a sentence that earns a point they are not filler.
FILLER_PHRASES = (
    "高度重视",
    "具体问题具体分析",
    "多措并举",
    "多管齐下",
    "多方发力",
    "综合施策",
    "加强领导",
    "提高认识",
    "提高思想认识",
    "加大宣传",
    "宣传力度",
    "营造良好",
    "良好氛围",
    "完善制度",
    "健全机制",
    "完善相关制度",
    "落到实处",
    "落细落实",
    "切实",
    "进一步",
    "不断提升",
    "不断提高",
    "有目共睹",
    "辩证看待",
    "一分为二",
    "有利有弊",
    "利弊",
    "机遇与挑战",
    "任重道远",
    "刻不容缓",
    "势在必行",
    "意义重大",
    "十分重要",
    "非常重要",
    "至关重要",
    "社会各界",
    "各方共同努力",
    "共同努力",
    "全社会",
    "齐抓共管",
    "常抓不懈",
    "新时代",
    "新征程",
    "以人民为中心",
    "根本利益",
    "不忘初心",
    "牢记使命",
    "贡献力量",
    "添砖加瓦",
    "更上一层楼",
    "更大成效",
    "原因是多方面的",
    "主观原因",
    "客观原因",
    "危害很大",
    "影响很大",
    "不可忽视",
    "不容小觑",
    "引起我们的重视",
    "值得我们深思",
    "值得深思",
    "形成合力",
    "久久为功",
    "行稳致远",
    "取得实效",
    "长效机制",
    "顶层设计",
    "重要意义",
    "深远影响",
    "方方面面",
    "相关部门",
    "有关部门",
)

# Characters that glue real sentences together. Real prose has roughly one in
# five; a list of keywords has almost none. 不/一/有 are left out on purpose:
# they are inside too many keywords (不放心, 一刀切, 有责无权).
FUNCTION_CHARS = frozenset(
    "的了是在和与及或也都就而且但却又还被把让使对向从由为以于之其这那些个们我你他它"
    "要会能可将并很更最已再才只没等着过得地所如若因此即则便当给"
)


# Words that make a sentence an argument rather than a slogan: cause, effect, condition.
REASON_WORDS = (
    "导致",
    "使得",
    "致使",
    "以致",
    "以至于",
    "造成",
    "因为",
    "由于",
    "所以",
    "因此",
    "从而",
    "进而",
    "如果",
    "一旦",
    "就会",
    "就能",
    "才能",
    "才会",
    "否则",
    "以免",
    "不然",
    "结果",
    "反而",
    "甚至",
    "意味着",
    "可见",
    "说明",
    "有利于",
    "不利于",
    "为了",
    "以便",
    "只有",
    "只要",
    "既然",
    "才",
    "让",
    "使",
    "越",
    "久而久之",
    "长此以往",
)


def _alternation(words: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(set(words), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered))


ORDINAL_RE = _alternation(ORDINALS)
FILLER_RE = _alternation(FILLER_PHRASES)
REASON_RE = _alternation(REASON_WORDS)
