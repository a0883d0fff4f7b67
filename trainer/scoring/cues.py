"""Section cue words: what tells the section finder where the answer's own sections start.

Strong cues start a section wherever they stand; openers only at a sentence or
paragraph start (after enumeration words); weak cues vote for a paragraph that
has no cue of its own; transition and bridge phrases mark the 过渡. Used by
``trainer.scoring.sections``; all entries in normalised Simplified Chinese.
"""

from __future__ import annotations

import re

from trainer.scoring.lexicon import ORDINALS

#: Cues that start a section wherever they stand.
STRONG_CUES: dict[str, tuple[str, ...]] = {
    "危害": (
        "危害在于",
        "其危害",
        "的危害",
        "危害有",
        "危害很",
        "危害不小",
        "弊端在于",
        "的弊端",
        "带来的影响",
        "造成的影响",
        "负面影响",
        "不良影响",
        "后果是",
        "的后果",
        "后果不堪",
        "后果可想而知",
        "弊端不小",
        "坏处在于",
        # 政策类 意义 / 观点类 分析 feed the same rubric section as 危害
        "意义在于",
        "的意义",
        "好处在于",
        "积极意义",
        "长此以往",
        "久而久之",
        "长期下去",
    ),
    "原因": (
        "原因在于",
        "原因有",
        "的原因",
        "究其原因",
        "究其根源",
        "之所以",
        "根源在于",
        "症结在于",
        "根子在",
        "归根结底",
        "为什么会",
        "为何会",
        "深层次原因",
        "原因是",
        "方面原因",
        "主要原因",
        "原因主要",
        "根本原因",
        # 政策类 落实难点 feeds the 原因 section
        "难点在于",
        "落实难点",
        "难在",
        "堵点",
        "阻力在于",
        "落地难",
    ),
    "对策": (
        "对此",
        "为此",
        "怎么办",
        "如何解决",
        "如何破解",
        "该如何",
        "应当如何",
        "应该如何",
        "我建议",
        "建议如下",
        "几点建议",
        "以下几",
        "从以下",
        "对策",
        "解决办法",
        "具体措施",
    ),
    "总结": (
        "总之",
        "综上",
        "总而言之",
        "总的来说",
        "总体而言",
        "一言以蔽之",
        "由此可见",
        "只有这样",
        "唯有如此",
        "只有如此",
        "这样才能",
        "如此才能",
    ),
}

#: Openers that start a section only at the start of a sentence or paragraph
#: (after an enumeration word): mid-sentence they are ordinary words.
OPENERS: dict[str, tuple[str, ...]] = {
    "点题": (
        "我认为",
        "我觉得",
        "在我看来",
        "我的看法",
        "我的观点",
        "笔者认为",
        "我赞同",
        "我同意",
    ),
    "危害": (
        "危害",
        "弊端",
        "影响",
        "后果",
        "害处",
        "这会",
        "这样会",
        "这将",
        "如此一来",
        "这样一来",
    ),
    "原因": ("原因", "根源", "背后", "症结", "一方面是", "从上级看", "从上级来看", "从基层看"),
    "对策": (
        "要",
        "应",
        "必须",
        "需要",
        "建议",
        "措施",
        "上级要",
        "上级部门要",
        "基层要",
        "我们要",
        "各级要",
        "一要",
        "二要",
        "三要",
        "破解",
        "解决",
        "针对",
        "完善",
        "建立",
        "加强",
    ),
    "总结": ("说到底", "归根到底", "最后我想说", "所以说"),
}

#: Words that lead into a clause without changing its section: enumeration and connectives.
LEADS = (
    *(w for w in ORDINALS if not w.endswith("要")),  # 一要… is itself a 对策 opener
    "其五",
    "第五",
    "第六",
    "同时",
    "而且",
    "那么",
    "当然",
    "还有",
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
)

#: 要 / 应 at a sentence start propose something, except in these words (要求 / 要么 /
#: 要是 / 应付 …), which are ordinary words there.
NOT_PROPOSING = ("要求", "要么", "要点", "要害", "要素", "要紧", "要是", "要不", "应付", "应声")

#: Weak cues: a cue-less paragraph that uses one section's at least ``WEAK_VOTES`` times is that section.
WEAK_CUES: dict[str, tuple[str, ...]] = {
    "危害": (
        "导致",
        "造成",
        "使得",
        "致使",
        "就会",
        "影响",
        "危害",
        "挫伤",
        "损害",
        "不利于",
        "寒了",
        "伤了",
        "到头来",
        "吃亏",
        "白白",
    ),
    "原因": (
        "因为",
        "由于",
        "原因",
        "在于",
        "根源",
        "之所以",
        "根子",
        "说到底",
        "归根",
        "有关",
        "源于",
        "出于",
        "怕",
    ),
    "对策": ("要", "应", "得", "必须", "需要", "建议", "一是", "第一", "首先", "可以"),
}

TRANSITION = re.compile("对此|为此|针对|那么|如何|怎么办|怎样|我建议|建议|要解决|破解|为了")
#: The bridge phrases that also count inside the 对策 block's first sentence.
BRIDGE = re.compile("对此|为此|我建议|建议如下|几点建议|以下几点|怎么办")
