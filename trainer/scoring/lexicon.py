"""Word lists the scorer uses: section cues, 套话 (filler) phrases, function characters.

All entries are Simplified Chinese, already in normalised form (answers are
converted 繁→简 before matching). Cue words only *support* a section: a
section counts as present when one of its cues is there *and* one of its
rubric points matched, so an answer made of cue words alone earns nothing.
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

SECTION_CUES: dict[str, tuple[str, ...]] = {
    "点题": (
        "我认为",
        "我觉得",
        "在我看来",
        "我的看法",
        "我的观点",
        "这一现象",
        "这种现象",
        "这种倾向",
        "这种做法",
        "这一做法",
        "这句话",
        "这个观点",
        "这种观点",
        "这项规定",
        "值得",
        "不容忽视",
        "引起重视",
        "必须重视",
        "警惕",
        "反映出",
        "折射出",
        "暴露出",
    ),
    "危害": (
        "危害",
        "弊端",
        "后果",
        "影响",
        "不利于",
        "损害",
        "伤害",
        "挫伤",
        "削弱",
        "导致",
        "造成",
        "使得",
        "长此以往",
        "久而久之",
        "长期下去",
        "隐患",
        "代价",
        "负面",
        "害处",
    ),
    "原因": (
        "原因",
        "之所以",
        "根源",
        "根子",
        "归根结底",
        "究其",
        "源于",
        "在于",
        "由于",
        "因为",
        "背后",
        "症结",
        "根本上",
        "说到底",
        "深层次",
    ),
    "对策": (
        "对策",
        "建议",
        "措施",
        "办法",
        "应该",
        "应当",
        "需要",
        "必须",
        "着力",
        "要",
        "做到",
        "推动",
        "建立",
        "完善",
        "加强",
    ),
    "总结": (
        "总之",
        "综上",
        "总而言之",
        "总的来说",
        "总体而言",
        "归根到底",
        "一言以蔽之",
        "只有",
        "才能",
        "相信",
        "最终",
        "唯有",
    ),
}

TRANSITION_CUES = (
    "对此",
    "为此",
    "因此",
    "所以",
    "那么",
    "如何",
    "怎样",
    "怎么办",
    "针对",
    "为了",
    "要解决",
    "破解",
    "我建议",
    "建议如下",
    "以下",
    "几个方面",
    "几点",
    "从以下",
    "我们应该",
    "我们要",
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


def _alternation(words: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(set(words), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered))


SECTION_CUE_RE: dict[str, re.Pattern[str]] = {s: _alternation(w) for s, w in SECTION_CUES.items()}
ORDINAL_RE = _alternation(ORDINALS)
TRANSITION_RE = _alternation(TRANSITION_CUES)
FILLER_RE = _alternation(FILLER_PHRASES)
