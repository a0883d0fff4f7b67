"""Practice and timed mock interviews: clocks, budgets, warnings, time-out, drafts.

Pure flow logic. Everything that touches the outside world is injected through
``SessionEnv``: the clock, the input source (the prompt_toolkit editor in
``trainer.editor``, stdin for scripts, a scripted fake in tests), the view (rich
screens in ``trainer.render.session``), the scorer and the history writer. So
unit tests drive a whole mock with a fake clock, time-outs and Ctrl-C included.

Timing rules (each has a unit test):

- A ``Budget`` is a deadline on one clock. Practice and ``drill`` give every
  question its own thinking and answering budgets; 国考/省考 share ONE budget
  across all questions, as in the exam: thinking happens on the same clock, the
  candidate moves on when ready, and time left over carries to the next one.
- Warnings fire once each at 5 min, 1 min and 30 s left, but only for thresholds
  the budget started above (a 3-minute drill warns at 1 min and 30 s, not at
  "5 min left"). When several are crossed at once only the most urgent shows.
- At time-out the text typed so far is submitted as the answer ("timeout"); in a
  shared-clock mock the questions not reached are reported as 未作答.
- Input sources call ``AnswerController.tick(text)`` about once a second; the
  controller autosaves the draft when the text changed and ``AUTOSAVE_EVERY``
  seconds have passed since the last save, so a killed terminal loses at most
  that much typing. Every finish (submit, time-out, Ctrl-C) force-saves first;
  the draft is deleted only once the answer is scored and written to history.
- Ctrl-C asks nothing: the draft is saved and ``SessionInterrupted`` carries its
  path to the CLI, which prints it and exits 130. The next practice of that
  question offers to resume the draft (fresh answer clock, no thinking phase).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

from trainer.errors import InputError, TrainerError
from trainer.models import SECTIONS, Attempt, Question, Rubric, Score
from trainer.text import content_length

if TYPE_CHECKING:
    from trainer.drafts import DraftStore

#: Seconds-left marks at which the candidate is warned (toolbar message + bell).
WARN_AT: tuple[int, ...] = (300, 60, 30)
#: Draft autosave period while typing: the most a killed terminal can lose.
AUTOSAVE_EVERY = 2.0
#: How long a warning stays in the status bar.
MESSAGE_SECONDS = 6.0
#: Spoken pace used for the time estimate (characters per minute).
SPOKEN_CHARS_PER_MIN = 230
DEFAULT_THINK = 90
DEFAULT_ANSWER = 300

SUBMITTED, TIMEOUT, INTERRUPTED = "submitted", "timeout", "interrupted"
EMPTY, UNANSWERED = "empty", "unanswered"

ScoreFn = Callable[[str, Question, Rubric], Score]
SaveFn = Callable[[Attempt], "int | None"]


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a monotonic clock."""
        ...


class MonotonicClock:
    def now(self) -> float:
        return time.monotonic()


class SessionInterrupted(TrainerError):
    """Ctrl-C during an answer: the draft is saved at ``draft_path`` (exit 130)."""

    exit_code = 130

    def __init__(self, question_id: str, draft_path: Path | None) -> None:
        self.question_id = question_id
        self.draft_path = draft_path
        where = f"草稿已保存到 {draft_path}" if draft_path else "尚未输入内容，没有草稿"
        super().__init__(f"已中断：{where}")


# --------------------------------------------------------------------------- timing


class Budget:
    """A countdown on ``clock`` starting now; ``seconds=None`` means no limit."""

    def __init__(self, clock: Clock, seconds: float | None) -> None:
        self.clock = clock
        self.seconds = seconds if seconds and seconds > 0 else None
        self.started = clock.now()

    def elapsed(self) -> float:
        return self.clock.now() - self.started

    def remaining(self) -> float | None:
        if self.seconds is None:
            return None
        return max(0.0, self.seconds - self.elapsed())

    @property
    def expired(self) -> bool:
        return self.seconds is not None and self.elapsed() >= self.seconds


class WarningTracker:
    """Fires each of ``thresholds`` once, for thresholds below the starting budget."""

    def __init__(self, seconds: float | None, thresholds: Sequence[int] = WARN_AT) -> None:
        self.pending = sorted(
            (t for t in thresholds if seconds is not None and t < seconds), reverse=True
        )

    def due(self, remaining: float | None) -> int | None:
        if remaining is None:
            return None
        crossed = [t for t in self.pending if remaining <= t]
        if not crossed:
            return None
        self.pending = [t for t in self.pending if remaining > t]
        return min(crossed)


def warning_text(threshold: int) -> str:
    if threshold >= 60 and threshold % 60 == 0:
        return f"还剩 {threshold // 60} 分钟"
    return f"还剩 {threshold} 秒"


def spoken_seconds(chars: int) -> float:
    """Estimated time to say ``chars`` characters at the exam pace."""
    return chars * 60.0 / SPOKEN_CHARS_PER_MIN


@dataclass(frozen=True)
class Status:
    """What the status bar shows."""

    label: str
    remaining: float | None  # on the running budget (shared in a mock)
    elapsed: float  # on this question
    chars: int
    spoken: float
    message: str  # the latest warning, for MESSAGE_SECONDS
    urgent: bool  # one minute or less left


@dataclass(frozen=True)
class Tick:
    timed_out: bool
    warning: int | None
    saved: bool


@dataclass(frozen=True)
class AnswerOutcome:
    text: str
    reason: str  # SUBMITTED | TIMEOUT | INTERRUPTED
    seconds: float  # time spent on this question's answer


class ThinkController:
    """The thinking countdown before answering (skippable)."""

    def __init__(self, clock: Clock, seconds: float, label: str = "") -> None:
        self.budget = Budget(clock, seconds)
        self.label = label

    def remaining(self) -> float:
        return self.budget.remaining() or 0.0

    @property
    def expired(self) -> bool:
        return self.budget.expired


class AnswerController:
    """Owns the rules while one answer is typed; input sources only report text."""

    def __init__(
        self,
        question: Question,
        *,
        clock: Clock,
        budget: Budget,
        warnings: WarningTracker,
        drafts: DraftStore | None,
        label: str = "",
        initial_text: str = "",
        autosave_every: float = AUTOSAVE_EVERY,
    ) -> None:
        self.question = question
        self.clock = clock
        self.budget = budget
        self.warnings = warnings
        self.drafts = drafts
        self.label = label
        self.initial_text = initial_text
        self.autosave_every = autosave_every
        self.started = clock.now()
        self.last_text = initial_text
        self._saved_text = initial_text
        self._last_save = self.started
        self._message = ""
        self._message_until = 0.0
        self.draft_saved: Path | None = None

    @property
    def draft_path(self) -> Path | None:
        return self.drafts.path(self.question.id) if self.drafts else None

    def elapsed(self) -> float:
        return self.clock.now() - self.started

    def status(self, text: str) -> Status:
        remaining = self.budget.remaining()
        chars = content_length(text)
        now = self.clock.now()
        return Status(
            label=self.label,
            remaining=remaining,
            elapsed=now - self.started,
            chars=chars,
            spoken=spoken_seconds(chars),
            message=self._message if now < self._message_until else "",
            urgent=remaining is not None and remaining <= 60,
        )

    def tick(self, text: str) -> Tick:
        """Call about once a second with the current text."""
        self.last_text = text
        saved = self.autosave(text)
        warning = self.warnings.due(self.budget.remaining())
        if warning is not None:
            self._message = warning_text(warning)
            self._message_until = self.clock.now() + MESSAGE_SECONDS
        return Tick(self.budget.expired, warning, saved)

    def autosave(self, text: str, force: bool = False) -> bool:
        """Write the draft if it changed and the autosave period has passed (or ``force``)."""
        if self.drafts is None or text == self._saved_text:
            return False
        now = self.clock.now()
        if not force and now - self._last_save < self.autosave_every:
            return False
        self.draft_saved = self.drafts.save(self.question.id, text)
        self._saved_text = text
        self._last_save = now
        return True

    def _finish(self, text: str, reason: str) -> AnswerOutcome:
        self.last_text = text
        if text.strip():
            self.autosave(text, force=True)
        return AnswerOutcome(text, reason, self.elapsed())

    def submit(self, text: str) -> AnswerOutcome:
        return self._finish(text, SUBMITTED)

    def time_out(self, text: str) -> AnswerOutcome:
        return self._finish(text, TIMEOUT)

    def interrupt(self, text: str) -> AnswerOutcome:
        return self._finish(text, INTERRUPTED)


# --------------------------------------------------------------------------- injected parts


class InputSource(Protocol):
    """Where answers come from: the terminal editor, stdin, or a test script."""

    def think(self, question: Question, ctl: ThinkController) -> None:
        """Show the thinking countdown; return when it ends or is skipped."""
        ...

    def answer(self, question: Question, ctl: AnswerController) -> AnswerOutcome:
        """Collect one answer, calling ``ctl.tick`` about once a second and ending
        with ``ctl.submit``, ``ctl.time_out`` (when a tick says so) or ``ctl.interrupt``."""
        ...

    def confirm(self, message: str, default: bool = True) -> bool: ...

    def choose(self, message: str, options: Sequence[tuple[str, str]]) -> str:
        """One of the option keys; non-interactive sources return ``"q"``."""
        ...


class SessionView(Protocol):
    """The screens of a session (rich implementation: ``trainer.render.session``)."""

    def question(self, question: Question, rubric: Rubric, *, label: str, hints: bool) -> None: ...

    def notice(self, message: str) -> None: ...

    def report(self, score: Score, answer: str, question: Question) -> None: ...

    def model_answer(self, question: Question, rubric: Rubric) -> None: ...

    def mock_report(self, result: MockResult) -> None: ...


@dataclass
class SessionEnv:
    source: InputSource
    view: SessionView
    score_fn: ScoreFn
    rubric_for: Callable[[Question], Rubric]
    save_fn: SaveFn | None = None
    drafts: DraftStore | None = None
    clock: Clock = field(default_factory=MonotonicClock)
    utcnow: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))


class StreamSource:
    """Answers read from a text stream until EOF (stdin in scripts and CI).

    No countdown and no questions asked. For a mock with several questions the
    answers are separated by lines holding only ``---``; missing ones are empty.
    """

    SEPARATOR = "---"

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._parts: list[str] | None = None

    def _next(self) -> str:
        if self._parts is None:
            self._parts, current = [], []
            for line in self.stream.read().splitlines(keepends=True):
                if line.strip() == self.SEPARATOR:
                    self._parts.append("".join(current))
                    current = []
                else:
                    current.append(line)
            self._parts.append("".join(current))
        return self._parts.pop(0).strip("\n") if self._parts else ""

    def think(self, question: Question, ctl: ThinkController) -> None:
        return None

    def answer(self, question: Question, ctl: AnswerController) -> AnswerOutcome:
        return ctl.submit(self._next())

    def confirm(self, message: str, default: bool = True) -> bool:
        return False

    def choose(self, message: str, options: Sequence[tuple[str, str]]) -> str:
        return "q"


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    answer: str
    status: str  # SUBMITTED | TIMEOUT | EMPTY | UNANSWERED
    seconds: float  # answering time (in a shared-clock mock: the question's share)
    score: Score | None = None
    think_seconds: float = 0.0
    attempt_id: int | None = None

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
        return section, rates[section]


# --------------------------------------------------------------------------- mock presets

PRESET_ALIASES = {
    "国考": "国考",
    "guokao": "国考",
    "省考": "省考",
    "shengkao": "省考",
    "drill": "drill",
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
            answer_seconds=180.0 if answer is None else (answer if answer > 0 else None),
        )
    if think is not None or answer is not None:
        raise InputError(f"--think/--answer：{name}模式多题共用一个时钟，请用 --minutes 设定总时长")
    n = questions or (4 if name == "国考" else 3)
    total = (minutes if minutes is not None else 5.0 * n) * 60.0
    return MockPlan(name, n, total)


# --------------------------------------------------------------------------- flows


def _collect(env: SessionEnv, question: Question, ctl: AnswerController) -> AnswerOutcome:
    """Run the input source; a Ctrl-C (in a key binding or as a signal) saves the draft."""
    try:
        outcome = env.source.answer(question, ctl)
    except KeyboardInterrupt:
        outcome = ctl.interrupt(ctl.last_text)
    if outcome.reason == INTERRUPTED:
        saved = ctl.draft_saved if outcome.text.strip() else None
        raise SessionInterrupted(question.id, saved)
    if outcome.reason == SUBMITTED and ctl.budget.expired:
        # The source noticed the deadline late (or is an external editor): the time is up.
        return AnswerOutcome(outcome.text, TIMEOUT, outcome.seconds)
    return outcome


def _finish(
    env: SessionEnv,
    question: Question,
    rubric: Rubric,
    outcome: AnswerOutcome,
    *,
    mode: str,
    session_id: str | None,
    think_seconds: float,
    show_report: bool,
) -> QuestionResult:
    """Score, show, save to history, and only then drop the draft."""
    text = outcome.text
    if not text.strip():
        return QuestionResult(question, text, EMPTY, outcome.seconds, None, think_seconds)
    score = env.score_fn(text, question, rubric)
    if show_report:
        env.view.report(score, text, question)
    attempt_id = None
    if env.save_fn is not None:
        attempt_id = env.save_fn(
            Attempt(
                question_id=question.id,
                question_text=question.text,
                topic=question.topic,
                answer=text,
                mode=mode,
                total=score.total,
                score=score.to_dict(),
                rubric_version=score.rubric_version or rubric.version,
                created_at=env.utcnow().isoformat(timespec="seconds"),
                think_seconds=round(think_seconds, 1),
                answer_seconds=round(outcome.seconds, 1),
                session_id=session_id,
            )
        )
    if env.drafts is not None:
        env.drafts.discard(question.id)
    return QuestionResult(
        question, text, outcome.reason, outcome.seconds, score, think_seconds, attempt_id
    )


def practice_once(
    env: SessionEnv,
    question: Question,
    *,
    think: float = DEFAULT_THINK,
    answer: float | None = DEFAULT_ANSWER,
    mode: str = "practice",
    hints: bool = False,
    resume_text: str = "",
) -> QuestionResult:
    """One question: panel, thinking countdown, timed answer, report, history."""
    rubric = env.rubric_for(question)
    env.view.question(question, rubric, label="", hints=hints)
    think_seconds = 0.0
    if think and think > 0 and not resume_text:
        tctl = ThinkController(env.clock, think)
        env.source.think(question, tctl)
        think_seconds = min(tctl.budget.elapsed(), float(think))
    if resume_text:
        env.view.notice(f"已恢复草稿（{content_length(resume_text)} 字），继续作答。")
    budget = Budget(env.clock, answer)
    ctl = AnswerController(
        question,
        clock=env.clock,
        budget=budget,
        warnings=WarningTracker(budget.seconds),
        drafts=env.drafts,
        initial_text=resume_text,
    )
    outcome = _collect(env, question, ctl)
    if outcome.reason == TIMEOUT:
        env.view.notice("时间到，已自动提交你写下的内容。")
    result = _finish(
        env,
        question,
        rubric,
        outcome,
        mode=mode,
        session_id=None,
        think_seconds=think_seconds,
        show_report=True,
    )
    if result.status == EMPTY:
        env.view.notice("没有输入内容，本次不评分。")
    elif result.attempt_id is not None:
        env.view.notice(f"已记入历史（#{result.attempt_id}）。")
    return result


def offer_resume(env: SessionEnv, question: Question) -> str:
    """The saved draft's text if there is one and the candidate wants it, else ``""``."""
    if env.drafts is None:
        return ""
    draft = env.drafts.load(question.id)
    if draft is None:
        return ""
    when = draft.saved_at.astimezone().strftime("%m-%d %H:%M")
    n = content_length(draft.text)
    if env.source.confirm(f"{question.id} 有未提交的草稿（{n} 字，{when} 保存），继续作答？"):
        return draft.text
    return ""


MENU = (("r", "重答本题"), ("m", "看范文"), ("n", "下一题"), ("q", "退出"))


def practice_loop(
    env: SessionEnv,
    question: Question,
    *,
    next_question: Callable[[Question], Question],
    think: float = DEFAULT_THINK,
    answer: float | None = DEFAULT_ANSWER,
    mode: str = "practice",
    hints: bool = False,
) -> list[QuestionResult]:
    """Practice until the candidate quits: retry / model answer / next question."""
    results: list[QuestionResult] = []
    while True:
        resume = offer_resume(env, question)
        results.append(
            practice_once(
                env,
                question,
                think=think,
                answer=answer,
                mode=mode,
                hints=hints,
                resume_text=resume,
            )
        )
        while True:
            choice = env.source.choose("接下来：", MENU)
            if choice == "m":
                env.view.model_answer(question, env.rubric_for(question))
                continue
            break
        if choice == "r":
            continue
        if choice == "n":
            question = next_question(question)
            continue
        return results


def run_mock(
    env: SessionEnv,
    questions: Sequence[Question],
    plan: MockPlan,
    *,
    session_id: str | None = None,
    resume: Mapping[str, str] | None = None,
) -> MockResult:
    """A mock interview: every question on the plan's clock, then the final report.

    ``resume`` maps question ids to draft text to start from (offered before the
    clock starts, see ``offer_resume``)."""
    session_id = session_id or uuid.uuid4().hex[:12]
    n = len(questions)
    start = env.clock.now()
    shared = Budget(env.clock, plan.shared_seconds) if plan.shared_seconds else None
    shared_warnings = WarningTracker(shared.seconds) if shared else None
    if shared is not None:
        env.view.notice(
            f"{plan.preset}模拟：{n} 道题共用 {_minutes(shared.seconds or 0)}，"
            "答完一题提交后进入下一题，时间到自动提交。"
        )
    results: list[QuestionResult] = []
    for i, q in enumerate(questions):
        rubric = env.rubric_for(q)
        label = f"第 {i + 1}/{n} 题"
        if shared is not None and shared.expired:
            results.append(_unanswered(env, q, rubric))
            continue
        env.view.question(q, rubric, label=label, hints=False)
        think_seconds = 0.0
        if shared is None:
            if plan.think_seconds > 0:
                tctl = ThinkController(env.clock, plan.think_seconds, label)
                env.source.think(q, tctl)
                think_seconds = min(tctl.budget.elapsed(), plan.think_seconds)
            budget = Budget(env.clock, plan.answer_seconds)
            warnings = WarningTracker(budget.seconds)
        else:
            budget, warnings = shared, shared_warnings
        ctl = AnswerController(
            q,
            clock=env.clock,
            budget=budget,
            warnings=warnings,
            drafts=env.drafts,
            label=label,
            initial_text=(resume or {}).get(q.id, ""),
        )
        outcome = _collect(env, q, ctl)
        if outcome.reason == TIMEOUT:
            env.view.notice(f"{label}：时间到，已自动提交你写下的内容。")
        result = _finish(
            env,
            q,
            rubric,
            outcome,
            mode="mock",
            session_id=session_id,
            think_seconds=think_seconds,
            show_report=False,
        )
        if result.status == EMPTY:
            result = _unanswered(env, q, rubric, seconds=outcome.seconds, status=EMPTY)
        results.append(result)
        if shared is not None and i + 1 < n and not shared.expired:
            env.view.notice(
                f"{label}已提交，用时 {_clock(outcome.seconds)}；剩余 {_clock(shared.remaining() or 0)}。"
            )
    mock = MockResult(plan, session_id, tuple(results), env.clock.now() - start)
    env.view.mock_report(mock)
    return mock


def _unanswered(
    env: SessionEnv,
    question: Question,
    rubric: Rubric,
    seconds: float = 0.0,
    status: str = UNANSWERED,
) -> QuestionResult:
    """A question not answered counts zero on its exam scale (scored as empty, not saved)."""
    return QuestionResult(question, "", status, seconds, env.score_fn("", question, rubric))


def _clock(seconds: float) -> str:
    s = max(0, int(round(seconds)))
    return f"{s // 60}:{s % 60:02d}"


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g} 分钟" if seconds >= 60 else f"{seconds:g} 秒"
