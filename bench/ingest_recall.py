"""Recall of ``trainer ingest`` drafts against the hand-written rubrics.

Runs ingest on the four raw seed articles (tests/data/raw: 000+001 → trust-gap,
002+003 → burden-relief) and asks, for every hand-written point, whether its
idea is found in some drafted point.

Criterion (simple and measurable, on character bigrams with punctuation
removed). Hand point H is *found* when some draft point D satisfies either

* wording: the bigrams of H's text + quote, each weighted by its inverse
  document frequency over all points of the topic (so 基层/干部/上级, shared by
  every point, count little), are covered by D's text + quote to at least
  THRESHOLD (0.3) of their weight; or
* passage: at least PASSAGE (0.6) of the bigrams of H's quote — an exact
  excerpt of the article — lie in the source sentences D cites (every
  sentence merged into D, listed in its 依据 comment). Same passage, same idea.

Both are calibrated against chance: the same measure against the *other*
topic's draft (different articles, same genre and vocabulary) is reported as
the cross-topic baseline, and should stay near zero.

Also reported: precision (share of draft points that match some hand point)
and, among matched pairs, how often the draft put the idea in the same section.

Fairness: the model answers of the topic's 现象类 questions (the type a draft
asks: ingest writes one 现象类 question) and the labelled strong answers
(tests/data/answers/*.yaml, kinds excellent / good) of each topic are scored
against the topic's *drafted* rubric (with the shipped question text) and
against the hand-written one; the draft is fair when each reaches at least
FAIR (70 %) of its hand-rubric score. The draft is made with the thesaurus of
the *other* shipped rubrics only (leave-one-out: widening with the topic's own
hand-written keyword groups would be reading the answer key).

Speed: ingest of the four articles (each topic's pair), best of three.

Usage: python bench/ingest_recall.py [--threshold 0.3] [--verbose]
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from trainer.content.loader import load_content  # noqa: E402
from trainer.ingest.pipeline import ingest  # noqa: E402
from trainer.text import normalize, strip_punct  # noqa: E402

RAW = REPO / "tests" / "data" / "raw"
TOPICS = {
    "trust-gap": ["000_e39a62388ecd3693.txt", "001_3e4d899c15c64ad6.txt"],
    "burden-relief": ["002_0cdac81598041f86.txt", "003_5bb667c1a7767510.txt"],
}
THRESHOLD = 0.3
PASSAGE = 0.6
FAIR = 0.7


def grams(text: str) -> set[str]:
    s = strip_punct(normalize(text))
    return {s[i : i + 2] for i in range(len(s) - 1)}


def draft_of(topic: str):
    """The draft of a topic's articles, widened only with the other topics' keyword groups."""
    from trainer.ingest.thesaurus import shipped_thesaurus

    inputs = [(name, (RAW / name).read_bytes()) for name in TOPICS[topic]]
    return ingest(inputs, topic_id=topic, thesaurus=shipped_thesaurus(exclude=[topic]))


def draft_points(topic: str):
    """The draft's points, each with the full text of the source sentences it cites."""
    draft = draft_of(topic)
    docs = {s.id: s for s in draft.sources}
    for p in draft.points:
        p.evidence = "".join(docs[d].sentences[n - 1].raw for d, n in p.support)
    return draft.points


def match(hand, draft, threshold: float, passage: float = PASSAGE):
    """For each hand point: (hand point, best draft point, score, found)."""
    hand_g = [grams(p.text + p.source.quote) for p in hand]
    draft_g = [grams(d.text + d.quote) for d in draft]
    evidence_g = [grams(d.evidence) for d in draft]
    df = Counter(g for gs in hand_g + draft_g for g in gs)
    n = len(hand_g) + len(draft_g)

    def w(g: str) -> float:
        return math.log(1 + n / df[g])

    rows = []
    for p, hg in zip(hand, hand_g, strict=True):
        total = sum(w(g) for g in hg) or 1.0
        qg = grams(p.source.quote)
        best, best_key, best_s = None, (0, 0.0), 0.0
        for d, dg, eg in zip(draft, draft_g, evidence_g, strict=True):
            s = sum(w(g) for g in hg & dg) / total
            same_passage = bool(qg) and len(qg & eg) / len(qg) >= passage
            key = (int(s >= threshold or same_passage), s)
            if key > best_key:
                best, best_key, best_s = d, key, s
        rows.append((p, best, best_s, bool(best_key[0])))
    return rows


def strong_answers(topic: str, bank) -> list[tuple[str, object, str]]:
    """(label, question, text): 现象类 model answers and labelled excellent/good answers.

    Only 现象类: the other types' model answers are written for a focus (a saying,
    a policy, a view) that lives in the question's own points, which a draft of
    the articles cannot have.
    """
    sys.path.insert(0, str(REPO / "tests"))
    from scoring_data import labelled

    from trainer.modelanswer.assemble import build_model_answer

    out = []
    for q in bank.filter(topic):
        if q.kind != "现象类":
            continue
        out.append((f"model {q.id}", q, build_model_answer(q, bank.rubric(q)).text))
    for a in labelled():
        if a.question.startswith(topic + "/") and a.kind in ("excellent", "good"):
            out.append((f"{a.kind} {a.id}", bank.get(a.question), a.text))
    return out


def fairness(topic: str, bank, verbose: bool = False) -> tuple[int, int, list[float]]:
    """How many strong answers reach FAIR of their hand-rubric score against the draft."""
    from trainer.ingest.fairness import draft_rubric, draft_topic
    from trainer.scoring.scorer import score

    drafted = draft_topic(draft_of(topic))
    assert drafted is not None, topic
    ok, ratios = 0, []
    rows = strong_answers(topic, bank)
    for label, q, text in rows:
        hand = score(text, q, bank.rubric(q)).total
        mine = score(text, q, draft_rubric(drafted, q)).total
        ratio = mine / hand if hand else 1.0
        ratios.append(ratio)
        ok += ratio >= FAIR
        if verbose or ratio < FAIR:
            print(
                f"  {'✓' if ratio >= FAIR else '✗'} {label:34} hand {hand:5.1f}  draft {mine:5.1f}  {ratio:.0%}"
            )
    return ok, len(rows), ratios


def timing() -> float:
    import time

    inputs = {t: [(n, (RAW / n).read_bytes()) for n in names] for t, names in TOPICS.items()}
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for t, docs in inputs.items():
            ingest(docs, topic_id=t)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threshold", type=float, default=THRESHOLD)
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    content = load_content()
    drafts = {t: draft_points(t) for t in TOPICS}
    found_all = total_all = 0
    for topic in TOPICS:
        hand = content.topics[topic].points
        draft = drafts[topic]
        rows = match(hand, draft, args.threshold)
        found = sum(1 for r in rows if r[3])
        same_section = sum(1 for p, d, _s, ok in rows if ok and d.section == p.section)
        matched_draft = {id(d) for d in draft if any(ok and bd is d for _p, bd, _s, ok in rows)}
        other = next(t for t in TOPICS if t != topic)
        cross = match(hand, drafts[other], args.threshold)
        cross_found = sum(1 for r in cross if r[3])
        found_all += found
        total_all += len(rows)
        print(
            f"{topic}: recall {found}/{len(rows)} = {found / len(rows):.0%}  "
            f"(cross-topic baseline {cross_found}/{len(rows)} = {cross_found / len(rows):.0%}); "
            f"draft points {len(draft)}, of which {len(matched_draft)} are some hand point's best match; "
            f"same section in {same_section}/{found} found"
        )
        for p, d, s, ok in rows:
            if args.verbose or not ok:
                mark = "✓" if ok else "✗"
                best = f"{d.id} {d.text[:30]}" if d else "-"
                print(f"  {mark} {s:.2f} {p.id:18} {p.text[:28]:30} ↔ {best}")
    print(
        f"overall recall {found_all}/{total_all} = {found_all / total_all:.0%} "
        f"(threshold {args.threshold})"
    )
    from trainer.content.bank import QuestionBank

    bank = QuestionBank(content)
    fair_ok = fair_n = 0
    all_ratios: list[float] = []
    for topic in TOPICS:
        ok, n, ratios = fairness(topic, bank, args.verbose)
        fair_ok += ok
        fair_n += n
        all_ratios += ratios
        print(
            f"{topic}: fairness {ok}/{n} strong answers reach {FAIR:.0%} of their hand-rubric score"
            f" (min {min(ratios):.0%}, mean {sum(ratios) / len(ratios):.0%})"
        )
    print(
        f"overall fairness {fair_ok}/{fair_n} "
        f"(min {min(all_ratios):.0%}, mean {sum(all_ratios) / len(all_ratios):.0%})"
    )
    print(f"ingest of the four articles: {timing() * 1000:.0f} ms (best of 3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
