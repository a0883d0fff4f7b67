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


def grams(text: str) -> set[str]:
    s = strip_punct(normalize(text))
    return {s[i : i + 2] for i in range(len(s) - 1)}


def draft_points(topic: str):
    """The draft's points, each with the full text of the source sentences it cites."""
    inputs = [(name, (RAW / name).read_bytes()) for name in TOPICS[topic]]
    draft = ingest(inputs, topic_id=topic)
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
