"""Practice and timed mock interviews: clocks, budgets, warnings, time-out, drafts.

Pure flow logic. Everything that touches the outside world is injected through
``SessionEnv``: the clock, the input source (the prompt_toolkit editor in
``trainer.session.editor``, stdin for scripts, a scripted fake in tests), the view (rich
screens in ``trainer.render.session``), the scorer and the history writer. So
unit tests drive a whole mock with a fake clock, time-outs and Ctrl-C included.

Rules (each has a unit test; per-answer timing is in ``trainer.session.timing``):

- Practice and ``drill`` give every question its own thinking and answering
  budgets; 国考/省考 share ONE budget (and one set of warnings) across all
  questions, as in the exam: thinking happens on the same clock, the candidate
  moves on when ready, and time left over carries to the next one.
- At time-out the text typed so far is submitted as the answer ("timeout"); in a
  shared-clock mock the questions not reached are reported as 未作答.
- Drafts are autosaved while typing (see ``trainer.session.timing``) and deleted only
  once the answer is scored and written to history.
- Ctrl-C asks nothing: the draft is saved and ``SessionInterrupted`` carries its
  path to the CLI, which prints it and exits 130. The next practice of that
  question offers to resume the draft (fresh answer clock, no thinking phase).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

from trainer.errors import ExitCode, TrainerError
from trainer.models import Attempt, Question, Rubric, Score
from trainer.session.results import (  # noqa: F401 - re-exported
    DEFAULT_THINK,
    EMPTY,
    UNANSWERED,
    MockPlan,
    MockResult,
    QuestionResult,
    mock_plan,
)
from trainer.session.timing import (  # noqa: F401 - re-exported: the session API in one place
    AUTOSAVE_EVERY,
    INTERRUPTED,
    SUBMITTED,
    TIMEOUT,
    WARN_AT,
    AnswerController,
    AnswerOutcome,
    Budget,
    Clock,
    MonotonicClock,
    ThinkController,
    WarningTracker,
)
from trainer.text import content_length, fmt_mmss, fmt_points

if TYPE_CHECKING:
    from trainer.session.drafts import DraftStore

DEFAULT_ANSWER = 300

ScoreFn = Callable[[str, Question, Rubric], Score]
SaveFn = Callable[[Attempt], "int | None"]


class SessionInterrupted(TrainerError):
    """Ctrl-C during an answer: the draft is saved at ``draft_path`` (exit 130)."""

    exit_code = ExitCode.INTERRUPTED

    def __init__(self, question_id: str, draft_path: Path | None) -> None:
        self.question_id = question_id
        self.draft_path = draft_path
        self.note = ""  # e.g. what a mock interview had already saved
        where = f"草稿已保存到 {draft_path}" if draft_path else "尚未输入内容，没有草稿"
        super().__init__(f"已中断：{where}")


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
            self._parts = []
            current: list[str] = []
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
        try:
            attempt_id = env.save_fn(
                _attempt(
                    question, rubric, text, score, outcome, mode, session_id, think_seconds, env
                )
            )
        except TrainerError as exc:  # locked / damaged history: keep the draft, go on
            kept = (
                "答案仍保存在草稿中，下次练习本题时可恢复"
                if env.drafts is not None
                else "请另存答案"
            )
            env.view.notice(f"成绩未能记入历史：{exc}（{kept}）")
            return QuestionResult(
                question, text, outcome.reason, outcome.seconds, score, think_seconds, None, True
            )
    if env.drafts is not None:
        env.drafts.discard(question.id)
    return QuestionResult(
        question, text, outcome.reason, outcome.seconds, score, think_seconds, attempt_id
    )


def _attempt(
    question: Question,
    rubric: Rubric,
    text: str,
    score: Score,
    outcome: AnswerOutcome,
    mode: str,
    session_id: str | None,
    think_seconds: float,
    env: SessionEnv,
) -> Attempt:
    return Attempt(
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


RESUME_MIN_SECONDS = 30.0


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
    spent = 0.0
    if resume_text:
        draft = env.drafts.load(question.id) if env.drafts is not None else None
        spent = (draft.elapsed or 0.0) if draft is not None else 0.0
        left = ""
        if answer and answer > 0:
            # The time that was left, never less than RESUME_MIN_SECONDS to finish a sentence.
            answer = max(RESUME_MIN_SECONDS, float(answer) - spent)
            left = f"，还剩 {fmt_mmss(answer)}"
        env.view.notice(f"已恢复草稿（{content_length(resume_text)} 字），继续作答{left}。")
    budget = Budget(env.clock, answer)
    ctl = AnswerController(
        question,
        clock=env.clock,
        budget=budget,
        warnings=WarningTracker(budget.seconds),
        drafts=env.drafts,
        initial_text=resume_text,
        elapsed_before=spent,
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


def _menu_prompt(result: QuestionResult) -> str:
    """The after-report menu repeats the total and band: on 24 rows the report's box is gone."""
    sc = result.score
    if sc is None or not result.answered:
        return "接下来："
    return f"本题 {fmt_points(sc.total)}/100 · {sc.band}　接下来："


def practice_loop(
    env: SessionEnv,
    question: Question,
    *,
    next_question: Callable[[Question], Question],
    think: float = DEFAULT_THINK,
    answer: float | None = DEFAULT_ANSWER,
    mode: str = "practice",
    hints: bool = False,
    menu: bool = True,
) -> list[QuestionResult]:
    """Practice until the candidate quits: retry / model answer / next question.

    With ``menu=False`` (``trainer review``) one answer is taken and the loop ends."""
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
        if not menu:
            return results
        prompt = _menu_prompt(results[-1])
        while True:
            choice = env.source.choose(prompt, MENU)
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
    # Unused without a shared clock (each question then has its own tracker).
    shared_warnings = WarningTracker(shared.seconds if shared is not None else None)
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
        try:
            outcome = _collect(env, q, ctl)
        except SessionInterrupted as exc:
            done = sum(1 for r in results if r.status not in (EMPTY, UNANSWERED))
            if done:
                exc.note = f"本次模拟已交卷的 {done} 道题已记入历史（trainer history 查看）。"
            raise
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
                f"{label}已提交，用时 {fmt_mmss(outcome.seconds)}；剩余 {fmt_mmss(shared.remaining() or 0)}。"
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


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g} 分钟" if seconds >= 60 else f"{seconds:g} 秒"
