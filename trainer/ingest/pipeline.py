"""``trainer ingest``: draft a topic (rubric + question) from raw 热点 articles.

The pipeline, one module per step:

1. ``ingest_clean`` — decode (UTF-8 / GB18030), drop boilerplate, keep the body,
   convert to Simplified Chinese;
2. ``ingest_classify`` — split into sentences, score each for 点题 危害 原因 对策
   总结 / 现象 from cue words, 小标题 and position, group label + elaboration;
3. this module — merge near-duplicate units across documents into clusters
   (char-bigram containment ≥ ``MERGE_AT``), rank them (cue score + 2 per extra
   supporting document), keep the best few per section, condense each into a
   draft point with an exact ≤40-character quote from its best member;
4. ``ingest_keywords`` / ``ingest_phrasings`` — keyword groups per point from its
   distinctive terms (the draft's background vocabulary dropped), widened with the
   shipped rubrics' groups; a few drafted phrasings per point;
5. ``ingest_write`` — YAML rubric + prompts file + cleaned sources, validated
   with ``trainer.content.loader`` before anything lands in place.

Everything here is pure (bytes in, a ``TopicDraft`` out) and deterministic.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from trainer.content.rubric import ID_RE
from trainer.errors import InputError
from trainer.ingest.classify import (
    NEWS_LEAD_RE,
    POINT_SECTIONS,
    SourceSentence,
    Unit,
    add_title_cue,
    heading_context,
    sentences_of,
    strip_lead,
    units_of,
)
from trainer.ingest.clean import clean_bytes
from trainer.ingest.keywords import TermStats
from trainer.ingest.phrasings import refine
from trainer.ingest.records import (
    TEXT_MAX,
    DraftMaterial,
    DraftPoint,
    SourceDoc,
    TopicDraft,
    bigrams,
    condense,
    quote_of,
)
from trainer.ingest.thesaurus import shipped_thesaurus
from trainer.text import content_length

#: Two units whose char-bigram sets overlap this much (of the smaller) are one idea.
MERGE_AT = 0.55
#: A unit must reach this role score to become a point.
MIN_SCORE = 3.0
#: …except in a short draft (at most SHORT_SENTENCES body sentences in all): there every
#: sentence with one clear cue (要/导致/原因…, worth 2) is a point — a short article states
#: each idea once, without the 小标题 and repetition a long one would add.
SHORT_MIN_SCORE = 2.0
SHORT_SENTENCES = 12
#: At most this many points per section (the best-ranked are kept).
SECTION_CAP = {"点题": 3, "危害": 5, "原因": 5, "对策": 6, "总结": 2}
BASE_WEIGHT = {"点题": 3, "危害": 5, "原因": 5, "对策": 6, "总结": 3}
ID_PREFIX = {"点题": "dt", "危害": "wh", "原因": "yy", "对策": "dc", "总结": "zj"}
# --------------------------------------------------------------------------- pipeline


@dataclass
class _Cluster:
    units: list[Unit]
    grams: set[str]

    @property
    def docs(self) -> list[int]:
        return sorted({u.doc for u in self.units})

    def best(self) -> tuple[str, float]:
        """The section the members vote for (sum of scores), with the best member's score."""
        # A member under an explicit 小标题 ("原因分析") is the author's own label: it outvotes
        # members classified from cue words alone.
        votes = {
            r: sum(
                max(0.0, u.scores[r]) * (3 if u.parts[0].context in POINT_SECTIONS else 1)
                for u in self.units
            )
            for r in POINT_SECTIONS
        }
        role = max(POINT_SECTIONS, key=lambda r: (votes[r], -POINT_SECTIONS.index(r)))
        return role, max(u.scores[role] for u in self.units)

    def rank(self) -> float:
        return self.best()[1] + 2 * (len(self.docs) - 1) + (0.5 if self.units[0].enum else 0)


def _candidate(u: Unit) -> bool:
    first = u.parts[0]
    if any(p.is_question for p in u.parts) or first.context == "过渡":
        return False
    if len(u.parts) == 1 and first.heading and heading_context(first.text) is not None:
        return False  # a section title such as "第二步——危害："
    if u.scores["现象"] > u.best()[1]:
        return False  # what happened ("近日，多地出台措施…") is material for the question
    return content_length(strip_lead(u.text)) >= 8


def _cluster(units: list[Unit]) -> list[_Cluster]:
    """Greedy merge: each unit (best first) joins the cluster holding its most similar member.

    Similarity is bigram containment against each member. An inverted index
    (bigram -> members holding it) counts shared bigrams, so a unit is compared
    only with members it shares a bigram with and each member's bigrams are built
    once: near-linear in the number of units instead of quadratic, with exactly
    the choice the all-pairs loop made (ties go to the earliest cluster).
    """
    clusters: list[_Cluster] = []
    member_size: list[int] = []  # member index -> its bigram count
    member_cluster: list[int] = []  # member index -> its cluster's index
    index: dict[str, list[int]] = {}  # bigram -> member indexes
    for u in sorted(units, key=lambda u: (-u.best()[1], u.doc, u.parts[0].no)):
        grams = bigrams(strip_lead(u.core_text))
        if len(grams) < 4:
            continue
        shared: dict[int, int] = {}
        for g in grams:
            for m in index.get(g, ()):
                shared[m] = shared.get(m, 0) + 1
        sims: dict[int, float] = {}
        for m, k in shared.items():
            sim = k / min(len(grams), member_size[m])
            c = member_cluster[m]
            if sim > sims.get(c, 0.0):
                sims[c] = sim
        best, best_sim = -1, 0.0
        for c, sim in sims.items():
            if sim > best_sim or (sim == best_sim and c < best):
                best, best_sim = c, sim
        if best >= 0 and best_sim >= MERGE_AT:
            clusters[best].units.append(u)
            clusters[best].grams |= grams
        else:
            best = len(clusters)
            clusters.append(_Cluster([u], set(grams)))
        m = len(member_size)
        member_size.append(len(grams))
        member_cluster.append(best)
        for g in grams:
            index.setdefault(g, []).append(m)
    return clusters


def _point_text(u: Unit) -> str:
    """Draft wording from the cleaned text (its own “” punctuation, not the normalised form)."""
    if u.lead is not None:
        return condense(u.parts[u.lead].raw)
    if len(u.parts) > 2:  # a numbered "标签：…" item: label + its first explanation
        return condense(u.parts[0].raw, TEXT_MAX)
    if len(u.parts) == 2:
        label = condense(u.parts[0].raw, 30).rstrip("。")
        rest = condense(u.parts[1].raw, TEXT_MAX - content_length(label))
        return f"{label}：{rest}"
    return condense("".join(p.raw for p in u.parts))


def _representative(c: _Cluster) -> Unit:
    section, _ = c.best()
    return max(
        c.units,
        key=lambda u: (u.scores[section], len(u.parts), -u.doc, -u.parts[0].no),
    )


def _quote_unit(u: Unit) -> SourceSentence:
    """The sentence to quote: the elaboration of a label, else the sentence itself."""
    if u.lead is not None:
        return u.parts[u.lead]
    return u.parts[1] if len(u.parts) == 2 else u.parts[0]


def ingest(
    inputs: list[tuple[str, bytes]],
    topic_id: str | None = None,
    title: str | None = None,
    thesaurus: dict[str, list[str]] | None = None,
) -> TopicDraft:
    """Draft a topic from raw documents ``(name, bytes)`` (see module doc).

    ``thesaurus`` (word → other words) widens keyword groups; default: the shipped
    rubrics' keyword groups (``trainer.ingest.thesaurus``).
    """
    if not inputs:
        raise InputError("ingest：至少需要一个文档")
    if topic_id is not None and not ID_RE.match(topic_id):
        raise InputError(f"--topic-id '{topic_id}'：只能用小写字母、数字和连字符（如 my-topic）")
    warnings: list[str] = []
    sources: list[SourceDoc] = []
    for name, data in inputs:
        clean = clean_bytes(data, name)
        src = SourceDoc(f"d{len(sources) + 1}", clean)
        if not clean.has_body:
            warnings.append(f"{name}：没有找到正文（清理后不足 80 字且不足三句完整的话），已跳过")
        else:
            src.sentences = sentences_of(clean.body, len(sources))
            add_title_cue(src.sentences, clean.title)
        sources.append(src)
    live = [s for s in sources if s.sentences]
    if not live:
        raise InputError(
            "ingest：所有文档都没有找到正文；请确认文件是文章正文而不是网页源码或空文件"
        )
    all_sents = [s for src in live for s in src.sentences]
    stats = TermStats(s.text for s in all_sents)
    units = [u for src in live for u in units_of(src.sentences)]
    clusters = _cluster([u for u in units if _candidate(u)])

    body_count = sum(1 for s in all_sents if not s.heading)
    min_score = SHORT_MIN_SCORE if body_count <= SHORT_SENTENCES else MIN_SCORE
    by_section: dict[str, list[_Cluster]] = {s: [] for s in POINT_SECTIONS}
    for c in clusters:
        section, score = c.best()
        if score + len(c.docs) - 1 >= min_score and not _is_example_only(c):
            by_section[section].append(c)
    points: list[DraftPoint] = []
    used: set[int] = set()
    for section in POINT_SECTIONS:
        ranked = _diverse(by_section[section], _cap(section, len(live)))
        # Keep document order inside a section: it is the order the articles argue in.
        ranked.sort(key=lambda c: min((u.doc, u.parts[0].no) for u in c.units))
        for n, c in enumerate(ranked, 1):
            used.add(id(c))
            points.append(_draft_point(c, section, n, sources, stats))
        if not ranked:
            warnings.append(f"段落「{section}」没有提取到要点，请手工补写")
    # keywords from each point's distinctive terms, widened; a few phrasings per point
    refine(points, sources, stats, shipped_thesaurus() if thesaurus is None else thesaurus)
    materials = _materials(clusters, used, sources)
    question = _question(live)
    topic_title = title or _title(live)
    tid = (
        topic_id
        or "draft-"
        + hashlib.sha1("".join(s.clean.body for s in live).encode("utf-8")).hexdigest()[:6]
    )
    return TopicDraft(
        topic_id=tid,
        title=topic_title,
        summary=condense(question, 80),
        question=question,
        transition=_transition(live),
        sources=sources,
        points=points,
        materials=materials,
        warnings=warnings,
    )


def _cap(section: str, docs: int) -> int:
    """Points kept per section: two more 危害/原因/对策 per further document.

    Two articles seldom argue the same prescriptions in words close enough to merge,
    and each commonly carries four to six; a fixed cap kept one article's and dropped
    the other's (the 小标题 blocks of a "一、…≠…" article lost to a numbered list).
    """
    extra = 2 * (docs - 1) if section in ("危害", "原因", "对策") else docs - 1
    return SECTION_CAP[section] + min(extra, 4)


def _diverse(clusters: list[_Cluster], cap: int) -> list[_Cluster]:
    """Best-ranked first, but each further pick from the same heading block costs 2.

    A long article argues one idea per 小标题; without this, one block with five
    imperative sentences would crowd out the other blocks' ideas.
    """
    pool = list(clusters)
    picked: list[_Cluster] = []
    used: Counter[tuple[int, int]] = Counter()
    while pool and len(picked) < cap:

        def gain(c: _Cluster) -> float:
            blocks = {(u.doc, u.parts[0].block) for u in c.units}
            return c.rank() - 2 * min(used[b] for b in blocks)

        best = max(pool, key=lambda c: (gain(c), -pool.index(c)))
        pool.remove(best)
        picked.append(best)
        for u in best.units:
            used[(u.doc, u.parts[0].block)] += 1
    return picked


def _is_example_only(c: _Cluster) -> bool:
    """A cluster of anecdotes without a strong cue is material, not a point."""
    return all(any(p.is_example for p in u.parts) for u in c.units) and c.best()[1] < 5


def _draft_point(
    c: _Cluster, section: str, n: int, sources: list[SourceDoc], stats: TermStats
) -> DraftPoint:
    rep = _representative(c)
    text = _point_text(rep)
    qs = _quote_unit(rep)
    support = sorted(
        {(sources[p.doc].id, p.no) for u in c.units for p in u.parts},
        key=lambda x: (int(x[0][1:]), x[1]),
    )
    score = c.best()[1]
    weight = BASE_WEIGHT[section] + min(2, len(c.docs) - 1) + (1 if score >= 7 else 0)
    return DraftPoint(
        id=f"{ID_PREFIX[section]}-{n}",
        section=section,
        weight=weight,
        text=text,
        keywords=[],  # drafted with the whole draft in view (``phrasings.refine``)
        doc=sources[qs.doc].id,
        quote=quote_of(qs.raw),
        support=support,
        score=round(c.rank(), 1),
    )


def _materials(
    clusters: list[_Cluster], used: set[int], sources: list[SourceDoc], limit: int = 6
) -> list[DraftMaterial]:
    out: list[DraftMaterial] = []
    examples = [
        c
        for c in clusters
        if id(c) not in used and any(p.is_example for u in c.units for p in u.parts)
    ]
    examples.sort(key=lambda c: (-len(c.docs), min((u.doc, u.parts[0].no) for u in c.units)))
    for c in examples[:limit]:
        # The first member that is an example (a merged member may be the plain statement).
        s = next(p for u in c.units for p in u.parts if p.is_example)
        out.append(DraftMaterial(condense(s.raw, 60), sources[s.doc].id, quote_of(s.raw)))
    return out


_PHENOMENON_LEAD = re.compile(r"近年|一些地方|调研发现|然而|出现|存在")


def _question(live: list[SourceDoc]) -> str:
    """Material for "{material}对此，你怎么看？": an authored 你怎么看 item, else 现象 sentences."""
    for src in live:
        item: list[str] = []
        for s in src.sentences:
            if s.context != "题目" or s.heading and not item:
                continue
            if "你怎么看" in s.text:
                if item:
                    return "".join(item)
                continue
            item.append(condense(s.raw, 120))
    scored: list[tuple[float, int, int, SourceSentence]] = []
    for src in live:
        body = [s for s in src.sentences if not s.heading and s.context != "题目"]
        for k, s in enumerate(body):
            sc = s.scores.get("现象", 0) + (2 if k < 4 else 0)
            sc += 1 if _PHENOMENON_LEAD.search(s.text) else 0
            long_enough = content_length(s.text) >= 15 or NEWS_LEAD_RE.search(s.text)
            if sc >= 3 and not s.is_example and not s.enum and long_enough:
                scored.append((sc, s.doc, s.no, s))
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    chosen = [x[3] for x in scored[:1]]
    if chosen:  # the phenomenon usually turns on the next sentence: "…成效。然而，…仍面临…"
        top = chosen[0]
        sents = live_by_doc(live)[top.doc]
        nxt = sents[top.no] if top.no < len(sents) else None
        if nxt is not None and re.match(r"(然而|但|可是|不过)", nxt.text):
            chosen.append(nxt)
        elif len(scored) > 1 and scored[1][1] == top.doc and 0 < scored[1][2] - top.no <= 3:
            chosen.append(scored[1][3])
    parts = [condense(x.raw, 80) for x in chosen]
    if len(chosen) == 2 and re.match(r"(然而|但|可是|不过)", chosen[1].text):
        parts[1] = "然而，" + parts[1]  # condense drops the connective; the question needs it
    if not parts:  # fall back to the opening sentence of the first document
        parts = [condense(live[0].sentences[0].raw, 80)]
    return "".join(parts)


def live_by_doc(live: list[SourceDoc]) -> dict[int, list[SourceSentence]]:
    return {src.sentences[0].doc: src.sentences for src in live}


def _transition(live: list[SourceDoc]) -> str:
    for src in live:
        for s in reversed(src.sentences):
            if s.context == "过渡" and not s.heading:
                return s.raw.strip()
    return "针对上述问题，我认为可以从以下几个方面着手："


def _title(live: list[SourceDoc]) -> str:
    for src in live:
        t = re.sub(r"^(热点事件|热点|时评|焦点)[:：]", "", src.clean.title).strip()
        if t:
            return t
    return condense(live[0].sentences[0].raw, 30).rstrip("。")
