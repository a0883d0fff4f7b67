"""Ingest, step 4c: what makes a draft matchable by idea — distinctive keywords and phrasings.

The scorer matches a point through its ``text`` and ``phrasings`` (pooled
bigram features) and its keyword groups (docs/scoring.md §2). A draft with a
single wording and filler keywords (各项, 发展, 近年来) can only be matched by
a candidate who quotes the article. After the points are chosen, this step:

* finds the draft's *background vocabulary* — terms in at least
  ``BACKGROUND_SHARE`` of the points (基层, 干部, 上级 in a 基层 topic) — and
  drafts each point's keyword groups from its remaining, distinctive terms;
* widens every group with the shipped rubrics' keyword groups the term is in
  (``trainer.ingest.thesaurus``: an author's 信任 / 放心 / 信得过);
* drafts a few phrasings per point: the other source sentences merged into it
  (condensed), the label and its explanation each on its own, and a light
  rewrite with each word of the built-in near-synonym lexicon swapped for the next.

Deterministic and offline, like the rest of ingest.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from trainer.ingest.keywords import SYNONYMS, TermStats, keyword_groups
from trainer.ingest.records import DraftPoint, SourceDoc, condense
from trainer.text import content_length, normalize, strip_punct

#: A term in at least this share of the draft's points is the topic's background.
BACKGROUND_SHARE = 0.4
#: Drafted phrasings per point (the shipped rubrics carry 6–15, written by hand).
PHRASINGS_PER_POINT = 6
PHRASING_MIN = 8
PHRASING_LIMIT = 60


def background_terms(texts: list[str]) -> frozenset[str]:
    """Two- to four-character terms that occur in at least ``BACKGROUND_SHARE`` of ``texts``."""
    if len(texts) < 5:
        return frozenset()
    df: dict[str, int] = {}
    for t in texts:
        s = _key(t)
        seen = {s[i : i + n] for n in (2, 3, 4) for i in range(len(s) - n + 1)}
        for g in seen:
            df[g] = df.get(g, 0) + 1
    need = max(3, math.ceil(BACKGROUND_SHARE * len(texts)))
    return frozenset(g for g, n in df.items() if n >= need)


def refine(
    points: list[DraftPoint],
    sources: list[SourceDoc],
    stats: TermStats,
    thesaurus: dict[str, list[str]],
) -> None:
    """Set each point's keyword groups and phrasings in place (see module doc)."""
    background = background_terms([p.text + p.quote for p in points])
    stats.known.update(w for w in thesaurus if len(w) >= 2)
    by_doc = {s.id: s for s in sources}
    for p in points:
        p.keywords = keyword_groups(p.text + p.quote, stats, avoid=background, thesaurus=thesaurus)
        p.phrasings = draft_phrasings(p, by_doc)


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    return strip_punct(normalize(text))


_LEXICON = sorted({w for g in SYNONYMS for w in g if len(w) >= 2}, key=lambda w: (-len(w), w))


def _rewrite(text: str, nth: int) -> str:
    """``text`` with its lexicon words (longest first) replaced by their group's ``nth`` other word."""
    out = text
    done: list[str] = []
    for w in _LEXICON:
        if w not in out or any(w in d for d in done) or "不" in w:
            continue
        group = next(g for g in SYNONYMS if w in g)
        alts = [a for a in group if a != w and len(a) >= 2 and a not in out and "不" not in a]
        if len(alts) > nth:
            out = out.replace(w, alts[nth], 1)  # 不交底 / 说实话: a fault and its cure, never
            done.append(alts[nth])
    return out


def draft_phrasings(p: DraftPoint, by_doc: dict[str, SourceDoc]) -> list[str]:
    """Other wordings of the point, each 8–60 content characters, none repeating another."""
    seen = {_key(p.text)}
    out: list[str] = []

    def add(text: str) -> None:
        text = text.strip()
        k = _key(text)
        if not (PHRASING_MIN <= len(k) <= 80) or k in seen:
            return
        seen.add(k)
        out.append(text)

    quote_key = _key(p.quote)
    # 1. the other source sentences merged into the point (the same idea, other words)
    for doc, no in p.support:
        src = by_doc.get(doc)
        if src is None or not 0 < no <= len(src.sentences):
            continue
        s = src.sentences[no - 1]
        if s.heading or quote_key and quote_key in strip_punct(s.text):
            continue
        add(condense(s.raw, PHRASING_LIMIT))
    # 2. a "标签：解释" point: the label and the explanation are each the idea
    if "：" in p.text:
        label, _, rest = p.text.partition("：")
        add(condense(rest, PHRASING_LIMIT))
        add(label.strip() + "。")
    # 3. light rewrites: each word of the built-in near-synonym lexicon swapped for the
    #    next one (信任 → 放心), then for the one after. Not the thesaurus: an author's
    #    keyword group lists what may be said for one idea (绳索 / 束缚 / 手脚), not
    #    words that replace each other.
    for nth in (0, 1):
        add(condense(_rewrite(p.text, nth), PHRASING_LIMIT))
    # 4. a clause that carries a distinctive keyword, on its own: an answer often says
    #    half of a long point ("大量时间精力耗在填表上") and the pooled match needs it
    terms = [w for g in p.keywords for w in g[:1]]
    clauses = [c for c in re.split(r"[，；：。]", p.text) if content_length(c) >= 10]
    if len(clauses) > 1:
        for c in clauses:
            if any(t in c for t in terms):
                add(c.strip() + "。")
    return out[:PHRASINGS_PER_POINT]
