"""How ``ingest`` time grows with the number of articles (merging must stay near-linear).

Builds N articles from the four raw seed articles (tests/data/raw): each is a seed
article with its paragraphs shuffled and a varying share of them dropped, so
articles overlap the way several reports on one topic do. Prints seconds per
run and per article for N = 10, 20, 40, 150 (or the sizes given).

Usage: python bench/ingest_scale.py [N ...]
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from trainer.ingest.pipeline import ingest  # noqa: E402

RAW = REPO / "tests" / "data" / "raw"


def articles(n: int) -> list[tuple[str, bytes]]:
    rng = random.Random(n)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
    out = []
    for i in range(n):
        lines = seeds[i % len(seeds)].splitlines()
        head, body = lines[:1], [ln for ln in lines[1:] if ln.strip()]
        keep = [ln for ln in body if rng.random() > 0.3]
        rng.shuffle(keep)
        out.append((f"a{i:03d}.txt", "\n\n".join(head + keep).encode("utf-8")))
    return out


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10, 20, 40, 150]
    for n in sizes:
        docs = articles(n)
        t0 = time.perf_counter()
        draft = ingest(docs, topic_id="scale")
        dt = time.perf_counter() - t0
        print(
            f"{n:4d} articles: {dt:6.2f} s ({dt / n * 1000:.0f} ms/article), "
            f"{len(draft.points)} points"
        )


if __name__ == "__main__":
    main()
