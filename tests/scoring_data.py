"""The labelled answer set (tests/data/answers/*.yaml) and rank statistics, for tests and bench.

Each entry: id, question, kind, split (tune | held), grade (strict examiner, 0–100),
points ({point id: full | partial}; unlisted = not said), text, optional twin_of.
An entry may give ``text_of: <id>`` instead of ``text``: the same text as that
answer (cross-topic-long: an excellent answer to the other topic's question).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

ANSWERS = Path(__file__).resolve().parent / "data" / "answers"
GENUINE = ("excellent", "good", "short", "medium", "weak")
GAMING = ("generic", "off-topic", "salad", "copied", "padded", "frame", "cross-topic")
#: A long, excellent answer to the *related* topic's question (跑题, graded strictly).
CROSS_LONG = "cross-topic-long"
TWINS = ("traditional", "unpunctuated")


@dataclass(frozen=True)
class Labelled:
    id: str
    question: str
    kind: str
    split: str
    grade: float
    text: str
    points: dict[str, str] = field(default_factory=dict)
    twin_of: str | None = None


@lru_cache(maxsize=1)
def labelled() -> tuple[Labelled, ...]:
    raws = [
        raw
        for path in sorted(ANSWERS.glob("*.yaml"))
        if not path.name.startswith("twins-")
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]
    texts = {raw["id"]: raw["text"] for raw in raws if "text" in raw}
    return tuple(
        Labelled(
            id=raw["id"],
            question=raw["question"],
            kind=raw["kind"],
            split=raw["split"],
            grade=float(raw["grade"]),
            text=raw["text"] if "text" in raw else texts[raw["text_of"]],
            points=dict(raw.get("points") or {}),
            twin_of=raw.get("twin_of"),
        )
        for raw in raws
    )


@dataclass(frozen=True)
class Twin:
    """A paraphrase twin: a genuine answer rewritten by another writer (same ideas, other words)."""

    id: str
    twin_of: str
    question: str
    register: str  # spoken | formal
    split: str  # tune | held
    grade: float
    text: str


@lru_cache(maxsize=1)
def paraphrase_twins() -> tuple[Twin, ...]:
    """tests/data/answers/twins-*.yaml: no run of 4+ characters shared with the original."""
    return tuple(
        Twin(
            id=raw["id"],
            twin_of=raw["twin_of"],
            question=raw["question"],
            register=raw["register"],
            split=raw["split"],
            grade=float(raw["grade"]),
            text=raw["text"],
        )
        for path in sorted(ANSWERS.glob("twins-*.yaml"))
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))
    )


OUTSIDE = Path(__file__).resolve().parent / "data" / "outside" / "answers.yaml"


@dataclass(frozen=True)
class Outside:
    """A published answer by someone else (third-party text, test data only)."""

    id: str
    url: str
    question: str  # the closest shipped question (its topic's rubric scores the answer)
    question_text: str  # the question as published, when the page shows it
    grade: str  # 好 | 中 | 差
    truncated: bool
    text: str
    covered: bool = True  # False: it answers a question no shipped question asks


def outside_question(bank, o: Outside):
    """(question, rubric) to score a published answer with: its own published question
    when the page shows it, with the closest shipped question's rubric; else that question."""
    import dataclasses

    shipped = bank.get(o.question)
    rubric = bank.rubric(shipped)
    if o.question_text and not o.question_text.startswith("（"):
        return dataclasses.replace(shipped, id=f"outside/{o.id}", text=o.question_text), rubric
    return shipped, rubric


@lru_cache(maxsize=1)
def outside_answers() -> tuple[Outside, ...]:
    return tuple(
        Outside(
            id=raw["id"],
            url=raw["url"],
            question=raw["question"],
            question_text=(raw.get("question_text") or "").strip(),
            grade=raw["grade"],
            truncated=bool(raw.get("truncated")),
            text=raw["text"],
            covered=raw.get("covered", True) is not False,
        )
        for raw in yaml.safe_load(OUTSIDE.read_text(encoding="utf-8"))
    )


def ranks(values: list[float]) -> list[float]:
    """Average ranks (ties share the mean rank), 1-based."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    r = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(x: list[float], y: list[float]) -> float:
    """Spearman's rank correlation (Pearson on average ranks, so ties are handled)."""
    rx, ry = ranks(x), ranks(y)
    n = len(x)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (vx * vy) if vx and vy else 0.0
