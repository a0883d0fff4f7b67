"""A teacher's batch for ``trainer score --batch``: rows in, one result or one problem per row out.

The I/O edge of the scorer for class files (the scorer itself stays pure). Reading lives in
:mod:`trainer.scoring.batch_read`, writing in :mod:`trainer.scoring.batch_write`; this module
scores the stream — on this process or on ``jobs`` worker processes, with the same results
in the same order — and keeps the small per-class tallies a summary and a class report need
(never the answers).
"""

from __future__ import annotations

import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from trainer.errors import TrainerError
from trainer.models import SECTIONS, Question, Score
from trainer.scoring.batch_read import Item, Problem, Row, open_batch, who
from trainer.scoring.prepare import CompiledRubric

__all__ = [
    "ClassSummary",
    "Problem",
    "Result",
    "Row",
    "open_batch",
    "score_items",
]

#: Resolves a row's question id (None: the batch's default) to the question and its compiled
#: rubric; raises TrainerError for an unknown id. Must be picklable for ``jobs > 1``.
Resolver = Callable[[str | None], tuple[Question, CompiledRubric]]

#: Rows sent to a worker at a time, and chunks in flight per worker (bounds memory).
CHUNK = 32
IN_FLIGHT = 3


@dataclass(frozen=True)
class Result:
    """A scored row."""

    line: int
    id: str
    name: str
    score: Score
    question_text: str = ""


def _score_one(row: Row, resolve: Resolver, scale: int) -> Result | Problem:
    from trainer.scoring.scorer import score

    try:
        q, cr = resolve(row.question)
        sc = score(row.answer, q, cr, exam_scale=scale)
        return Result(row.line, row.id, row.name, sc, q.text)
    except TrainerError as exc:
        return Problem(row.line, row.id, str(exc), _who(row))
    except RecursionError:
        return Problem(row.line, row.id, "答案无法评分（结构过深）", _who(row))


def _who(row: Row) -> str:
    rid = "" if row.id.startswith("第") and row.id.endswith("行") else row.id
    return who(rid if rid != row.name else "", row.name)


_worker: dict[str, Any] = {}


def _init_worker(resolve: Resolver, scale: int) -> None:
    _worker["resolve"] = resolve
    _worker["scale"] = scale


def _score_chunk(rows: list[Row]) -> list[Result | Problem]:
    return [_score_one(r, _worker["resolve"], _worker["scale"]) for r in rows]


#: ``jobs=AUTO``: a class file of fewer rows than this is scored in this process
#: (starting workers costs more than it saves); a bigger one on every usable core.
AUTO_MIN_ROWS = 200
AUTO = 0
#: At most this many worker processes when chosen automatically.
AUTO_MAX_JOBS = 8


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def score_items(
    items: Iterable[Item], resolve: Resolver, scale: int = 20, jobs: int = 1
) -> Iterator[Result | Problem]:
    """One Result or Problem per item, in the items' order; ``jobs`` processes score.

    ``jobs=AUTO`` (0) looks at the first ``AUTO_MIN_ROWS`` items: a file that ends
    there is scored here, a bigger one by one worker per usable CPU (results and
    their order are the same either way).
    """
    it = iter(items)
    if jobs == AUTO:
        first = list(islice(it, AUTO_MIN_ROWS))
        it = chain(first, it)
        jobs = min(usable_cpus(), AUTO_MAX_JOBS) if len(first) == AUTO_MIN_ROWS else 1
    if jobs <= 1:
        for item in it:
            yield item if isinstance(item, Problem) else _score_one(item, resolve, scale)
        return
    from concurrent.futures import Future, ProcessPoolExecutor

    pending: deque[list[Result | Problem] | Future[list[Result | Problem]]] = deque()
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(resolve, scale)) as pool:

        def submit() -> bool:
            chunk = list(islice(it, CHUNK))
            if not chunk:
                return False
            rows = [i for i in chunk if isinstance(i, Row)]
            if len(rows) == len(chunk):
                pending.append(pool.submit(_score_chunk, rows))
            else:  # keep problems in place: split around them
                run: list[Row] = []
                for i in chunk:
                    if isinstance(i, Row):
                        run.append(i)
                        continue
                    if run:
                        pending.append(pool.submit(_score_chunk, run))
                        run = []
                    pending.append([i])  # a Problem, passed through
                if run:
                    pending.append(pool.submit(_score_chunk, run))
            return True

        more = True
        while more and len(pending) < jobs * IN_FLIGHT:
            more = submit()
        while pending:
            head = pending.popleft()
            done = head if isinstance(head, list) else head.result()
            if more:
                more = submit()
            yield from done


# ----------------------------------------------------------------------------- tallies


def section_rates(score: Score) -> dict[str, float | None]:
    """Earned share of each canonical section's points (None: the rubric has none there)."""
    out: dict[str, float | None] = dict.fromkeys(SECTIONS)
    for s in score.sections:
        if s.section in out and s.possible > 0:
            out[s.section] = min(1.0, s.earned / s.possible)
    return out


def missed_points(score: Score) -> list[str]:
    return [v.point_id for s in score.sections for v in s.points if v.verdict == "miss"]


@dataclass(frozen=True)
class StudentLine:
    """What the class report and the summary keep per student (no answer, no evidence)."""

    line: int
    id: str
    name: str
    question: str
    total: float
    band: str
    exam_score: float
    exam_scale: int
    seconds: float
    missed: tuple[str, ...]
    empty: bool


@dataclass
class ClassSummary:
    """Running tallies over a batch: bands, histogram, section averages, missed points."""

    students: list[StudentLine] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    bands: Counter[str] = field(default_factory=Counter)
    histogram: list[int] = field(default_factory=lambda: [0] * 10)  # 0–9, 10–19, … 90–100
    section_sum: dict[str, float] = field(default_factory=lambda: dict.fromkeys(SECTIONS, 0.0))
    section_n: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTIONS, 0))
    missed: Counter[tuple[str, str]] = field(default_factory=Counter)  # (question, point) → n
    asked: Counter[str] = field(default_factory=Counter)  # question → students
    wording: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    questions: dict[str, str] = field(default_factory=dict)  # question id → text

    def add(self, result: Result) -> None:
        s = result.score
        question_text = result.question_text
        self.bands[s.band] += 1
        self.histogram[min(9, int(s.total // 10))] += 1
        for sec, rate in section_rates(s).items():
            if rate is not None:
                self.section_sum[sec] += rate
                self.section_n[sec] += 1
        self.asked[s.question_id] += 1
        if question_text:
            self.questions.setdefault(s.question_id, question_text)
        for part in s.sections:
            for v in part.points:
                key = (s.question_id, v.point_id)
                if key not in self.wording:
                    self.wording[key] = (v.section, v.text)
                if v.verdict == "miss":
                    self.missed[key] += 1
        self.students.append(
            StudentLine(
                result.line,
                result.id,
                result.name,
                s.question_id,
                s.total,
                s.band,
                s.exam_score,
                s.exam_scale,
                s.length.seconds,
                tuple(missed_points(s)),
                bool(s.details.get("empty")),
            )
        )

    def problem(self, p: Problem) -> None:
        self.problems.append(p)

    @property
    def scored(self) -> int:
        return len(self.students)

    @property
    def mean(self) -> float:
        return sum(st.total for st in self.students) / len(self.students) if self.students else 0.0

    def section_average(self, section: str) -> float | None:
        n = self.section_n[section]
        return self.section_sum[section] / n if n else None

    def most_missed(self, limit: int = 8) -> list[tuple[str, str, str, str, int, int]]:
        """(question, point id, section, model wording, missed by, asked) most missed first."""
        rows = [
            (q, pid, *self.wording[(q, pid)], n, self.asked[q])
            for (q, pid), n in self.missed.items()
        ]
        rows.sort(key=lambda r: (-r[4] / max(1, r[5]), -r[4], r[0], r[1]))
        return rows[:limit]
