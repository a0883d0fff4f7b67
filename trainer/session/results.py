"""Session results and mock-interview presets (pure data and arithmetic).

国考 = 4 题/20 分钟 (5 题 → 25 分钟), 省考 = 3 题/15 分钟: one clock shared by
all questions, 5 minutes per question unless ``--minutes`` is given. drill =
one question (or ``--questions N``) with its own 90 s thinking + 180 s
answering. A question not answered counts zero on its exam scale; the weakest
section is the lowest share of possible content credit over answered questions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from trainer.errors import InputError
from trainer.models import SECTIONS, Question, Score
from trainer.session.timing import SUBMITTED, TIMEOUT

DEFAULT_THINK = 90
DRILL_ANSWER = 180
EMPTY, UNANSWERED = "empty", "unanswered"


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    answer: str
    status: str  # SUBMITTED | TIMEOUT | EMPTY | UNANSWERED
    seconds: float  # answering time (in a shared-clock mock: the question's share)
    score: Score | None = None
    think_seconds: float = 0.0
    attempt_id: int | None = None
    unsaved: bool = False  # scored, but writing it to history failed (the CLI exits 1)

    @property
    def answered(self) -> bool:
        return self.status in (SUBMITTED, TIMEOUT)


@dataclass(frozen=True)
class MockPlan:
    preset: str
    questions: int
    shared_seconds: float | None  # one clock across all questions (国考/省考)
    think_seconds: float = 0.0  # per question when there is no shared clock (drill)
    answer_seconds: float | None = None


@dataclass(frozen=True)
class MockResult:
    plan: MockPlan
    session_id: str
    results: tuple[QuestionResult, ...]
    seconds_used: float

    @property
    def exam_total(self) -> float:
        return sum(r.score.exam_score for r in self.results if r.score and r.answered)

    @property
    def exam_possible(self) -> float:
        return sum(r.score.exam_scale for r in self.results if r.score)

    def section_rates(self) -> dict[str, float]:
        """Share of the possible content credit earned per section, over answered questions."""
        earned = dict.fromkeys(SECTIONS, 0.0)
        possible = dict.fromkeys(SECTIONS, 0.0)
        for r in self.results:
            if not (r.score and r.answered):
                continue
            for s in r.score.sections:
                if s.section in possible:
                    earned[s.section] += s.earned
                    possible[s.section] += s.possible
        return {s: earned[s] / possible[s] for s in SECTIONS if possible[s] > 0}

    def weakest_section(self) -> tuple[str, float] | None:
        rates = self.section_rates()
        if not rates:
            return None
        section = min(rates, key=lambda s: (rates[s], SECTIONS.index(s)))
        if len(rates) > 1 and len(set(rates.values())) == 1:
            return None  # all alike (everything 0, say): no section is the weakest
        return section, rates[section]


# --------------------------------------------------------------------------- mock presets

PRESET_ALIASES = {
    "国考": "国考",
    "guokao": "国考",
    "省考": "省考",
    "shengkao": "省考",
    "drill": "drill",
    "单题": "drill",
}


def mock_plan(
    preset: str,
    *,
    questions: int | None = None,
    minutes: float | None = None,
    think: float | None = None,
    answer: float | None = None,
) -> MockPlan:
    """国考 = 4 题/20 分钟 (5 题 → 25 分钟), 省考 = 3 题/15 分钟: one shared clock of
    5 minutes per question unless ``minutes`` is given. drill = one question with
    its own 90 s thinking + 180 s answering (``think``/``answer`` override)."""
    name = PRESET_ALIASES.get(preset.strip().lower() if preset.isascii() else preset.strip())
    if name is None:
        raise InputError(f"--preset：未知的模式 '{preset}'；可选：国考、省考、drill")
    if questions is not None and questions < 1:
        raise InputError("--questions：题数至少为 1")
    for option, value in (("--minutes", minutes), ("--think", think), ("--answer", answer)):
        if value is not None and not math.isfinite(value):  # nan / inf break the clock
            raise InputError(f"{option}：{value} 不是有效的数字；请写一个普通的数，如 10")
    if minutes is not None and minutes <= 0:
        raise InputError("--minutes：总时长必须大于 0")
    if name == "drill":
        if minutes is not None:
            raise InputError("--minutes：drill 模式每题单独计时，请用 --think/--answer 设定秒数")
        return MockPlan(
            "drill",
            questions or 1,
            None,
            think_seconds=DEFAULT_THINK if think is None else max(0.0, think),
            answer_seconds=float(DRILL_ANSWER)
            if answer is None
            else (answer if answer > 0 else None),
        )
    if think is not None or answer is not None:
        raise InputError(f"--think/--answer：{name}模式多题共用一个时钟，请用 --minutes 设定总时长")
    n = questions or (4 if name == "国考" else 3)
    total = (minutes if minutes is not None else 5.0 * n) * 60.0
    return MockPlan(name, n, total)
