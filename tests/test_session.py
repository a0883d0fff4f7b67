"""Session logic driven end to end with a fake clock, a scripted typist and a fake scorer.

Every timing rule of practice and mock interviews is checked here: warnings,
time-out auto-submit, the shared clock of a mock, draft autosave and Ctrl-C.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest
from _fakes import fake_score

from trainer.content.bank import QuestionBank
from trainer.models import (
    Attempt,
)
from trainer.render.common import make_console
from trainer.render.session import mock_summary
from trainer.session.drafts import DraftStore
from trainer.session.flow import (
    AUTOSAVE_EVERY,
    EMPTY,
    SUBMITTED,
    TIMEOUT,
    UNANSWERED,
    AnswerController,
    Budget,
    MockPlan,
    SessionEnv,
    SessionInterrupted,
    StreamSource,
    WarningTracker,
    mock_plan,
    practice_loop,
    practice_once,
    run_mock,
)
from trainer.text import fmt_points

CONTENT = Path(__file__).parent / "data" / "session"


# --------------------------------------------------------------------------- fakes


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def now(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@dataclass
class Typist:
    """A scripted candidate: reacts to the controller exactly as the editor does.

    Answer steps: ("type", text, seconds) appends text then lets ``seconds`` pass,
    ticking each second; ("wait", seconds); ("submit",); ("ctrl-c",);
    ("raise",) raises KeyboardInterrupt (a signal). When the script runs out the
    candidate keeps thinking until the time is up.
    """

    clock: FakeClock
    answers: list[list[tuple]] = field(default_factory=list)
    thinks: list[float | None] = field(default_factory=list)  # seconds before Enter; None = wait
    confirms: list[bool] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)
    ticks: list[tuple[float, int]] = field(default_factory=list)  # (clock, warning) seen
    think_calls: int = 0
    initial_texts: list[str] = field(default_factory=list)
    on_tick: object = None

    def think(self, question, ctl) -> None:
        self.think_calls += 1
        wait = self.thinks.pop(0) if self.thinks else None
        while not ctl.expired and (wait is None or wait > 0):
            self.clock.advance(1)
            if wait is not None:
                wait -= 1

    def _tick(self, ctl, text):
        t = ctl.tick(text)
        if t.warning is not None:
            self.ticks.append((self.clock.now(), t.warning))
        if self.on_tick:
            self.on_tick(ctl, text)
        return t

    def answer(self, question, ctl):
        self.initial_texts.append(ctl.initial_text)
        text = ctl.initial_text
        script = list(self.answers.pop(0)) if self.answers else []
        if self._tick(ctl, text).timed_out:
            return ctl.time_out(text)
        for step in script:
            kind = step[0]
            if kind == "submit":
                return ctl.submit(text)
            if kind == "ctrl-c":
                return ctl.interrupt(text)
            if kind == "raise":
                raise KeyboardInterrupt
            if kind == "type":
                text += step[1]
            for _ in range(int(step[-1])):
                self.clock.advance(1)
                if self._tick(ctl, text).timed_out:
                    return ctl.time_out(text)
        for _ in range(100_000):
            self.clock.advance(1)
            if self._tick(ctl, text).timed_out:
                return ctl.time_out(text)
        raise AssertionError("script never ended")

    def confirm(self, message, default=True):
        return self.confirms.pop(0) if self.confirms else default

    def choose(self, message, options):
        return self.choices.pop(0) if self.choices else "q"


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple] = []

    def question(self, question, rubric, *, label, hints):
        self.events.append(("question", question.id, label))

    def notice(self, message):
        self.events.append(("notice", message))

    def report(self, score, answer, question):
        self.events.append(("report", question.id, answer))

    def model_answer(self, question, rubric):
        self.events.append(("model", question.id))

    def mock_report(self, result):
        self.events.append(("mock", result))

    def kinds(self, kind):
        return [e for e in self.events if e[0] == kind]


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return QuestionBank.load([CONTENT])


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def drafts(tmp_path) -> DraftStore:
    return DraftStore(tmp_path / "drafts")


@pytest.fixture
def saved() -> list[Attempt]:
    return []


@pytest.fixture
def make_env(bank, clock, drafts, saved):
    def make(source) -> SessionEnv:
        def save(attempt: Attempt) -> int:
            saved.append(attempt)
            return len(saved)

        return SessionEnv(
            source=source,
            view=Recorder(),
            score_fn=fake_score,
            rubric_for=bank.rubric,
            save_fn=save,
            drafts=drafts,
            clock=clock,
        )

    return make


Q1 = "session-demo/phenomenon-1"
Q2 = "session-demo/opinion-1"
Q3 = "session-demo/phenomenon-2"
GOOD = "文山会海必须重视。干部顾不上走访群众。根源是以会议落实会议、考核重留痕。要精简会议文件。总之要抓落实。"


# --------------------------------------------------------------------------- timing rules


def test_warnings_fire_once_each_at_5min_1min_30s_on_a_20_minute_clock(clock):
    budget = Budget(clock, 1200)
    tracker = WarningTracker(budget.seconds)
    fired = []
    for _ in range(1200):
        clock.advance(1)
        w = tracker.due(budget.remaining())
        if w is not None:
            fired.append((round(budget.elapsed()), w))
    assert fired == [(900, 300), (1140, 60), (1170, 30)]


def test_a_short_budget_only_warns_for_marks_it_started_above(clock):
    tracker = WarningTracker(180)
    assert tracker.due(179) is None  # no "5 minutes left" on a 3-minute answer
    assert tracker.due(60) == 60
    assert tracker.due(59) is None
    assert WarningTracker(300).pending == [60, 30]  # starting at exactly 5:00 is no warning


def test_crossing_several_marks_at_once_shows_only_the_most_urgent():
    tracker = WarningTracker(1200)
    assert tracker.due(25) == 30
    assert tracker.due(10) is None


def test_unlimited_budget_never_expires_or_warns(clock):
    budget = Budget(clock, 0)
    clock.advance(10_000)
    assert budget.remaining() is None and not budget.expired
    assert WarningTracker(budget.seconds).due(budget.remaining()) is None


def test_status_counts_characters_and_spoken_time(clock, bank):
    q = bank.get(Q1)
    ctl = AnswerController(
        q, clock=clock, budget=Budget(clock, 300), warnings=WarningTracker(300), drafts=None
    )
    clock.advance(10)
    st = ctl.status("我认为，" + "字" * 226 + "。")
    assert st.chars == 229  # punctuation is not counted
    assert st.spoken == pytest.approx(229 / 230 * 60)
    assert st.remaining == 290 and not st.urgent


# --------------------------------------------------------------------------- practice


def test_practice_scores_saves_and_discards_the_draft(make_env, clock, bank, saved, drafts):
    typist = Typist(clock, answers=[[("type", GOOD, 40), ("submit",)]], thinks=[10])
    env = make_env(typist)
    result = practice_once(env, bank.get(Q1), think=90, answer=300)
    assert result.status == SUBMITTED and result.answer == GOOD
    assert result.think_seconds == 10  # Enter skipped the rest of the thinking time
    assert result.seconds == 40
    assert env.view.kinds("report") == [("report", Q1, GOOD)]
    [attempt] = saved
    assert (attempt.mode, attempt.question_id, attempt.answer) == ("practice", Q1, GOOD)
    assert attempt.total == result.score.total > 90
    assert attempt.think_seconds == 10 and attempt.answer_seconds == 40
    assert attempt.session_id is None
    assert drafts.load(Q1) is None  # scored and saved: the draft is gone


def test_thinking_countdown_ends_by_itself(make_env, clock, bank):
    typist = Typist(clock, answers=[[("type", GOOD, 5), ("submit",)]], thinks=[None])
    result = practice_once(make_env(typist), bank.get(Q1), think=90, answer=300)
    assert result.think_seconds == 90


def test_practice_time_out_auto_submits_the_typed_text(make_env, clock, bank, saved):
    typist = Typist(
        clock, answers=[[("type", "文山会海必须重视。", 30), ("type", "要精简会议。", 60)]]
    )
    env = make_env(typist)
    result = practice_once(env, bank.get(Q1), think=0, answer=60)
    assert result.status == TIMEOUT
    assert result.answer == "文山会海必须重视。要精简会议。"  # nothing typed is lost
    assert result.seconds == 60
    assert ("notice", "时间到，已自动提交你写下的内容。") in env.view.events
    assert saved[0].answer == result.answer and result.score.total > 0
    assert [w for _, w in typist.ticks] == [30]  # a 60 s answer only warns at 30 s


def test_empty_submission_is_not_scored_or_saved(make_env, clock, bank, saved):
    typist = Typist(clock, answers=[[("type", "  \n", 3), ("submit",)]])
    env = make_env(typist)
    result = practice_once(env, bank.get(Q1), think=0, answer=60)
    assert result.status == EMPTY and result.score is None
    assert saved == [] and env.view.kinds("report") == []


def test_draft_on_disk_is_never_more_than_a_few_seconds_behind(make_env, clock, bank, drafts):
    typed: dict[float, str] = {}
    behind: list[int] = []

    def check(ctl, text):
        now = clock.now()
        typed[now] = text
        draft = drafts.load(Q1)
        on_disk = draft.text if draft else ""
        # everything typed AUTOSAVE_EVERY seconds ago is already on disk
        before = typed.get(now - AUTOSAVE_EVERY, "")
        behind.append(len(before) - len(on_disk))

    steps = [("type", "字", 1) for _ in range(30)] + [("submit",)]
    typist = Typist(clock, answers=[steps], on_tick=check)
    practice_once(make_env(typist), bank.get(Q1), think=0, answer=300)
    assert len(behind) == 31 and max(behind) <= 0


def test_ctrl_c_saves_the_draft_and_the_next_practice_offers_it(
    make_env, clock, bank, saved, drafts
):
    typist = Typist(clock, answers=[[("type", "写到一半的答案", 1), ("ctrl-c",)]])
    with pytest.raises(SessionInterrupted) as exc:
        practice_loop(make_env(typist), bank.get(Q1), next_question=lambda q: q, think=0)
    assert exc.value.exit_code == 130
    assert exc.value.draft_path == drafts.path(Q1)
    assert drafts.load(Q1).text == "写到一半的答案"  # saved at once, not on the autosave period
    assert saved == []

    again = Typist(clock, answers=[[("type", "，接着写完。", 5), ("submit",)]], confirms=[True])
    env = make_env(again)
    [result] = practice_loop(env, bank.get(Q1), next_question=lambda q: q, think=90)
    assert again.initial_texts == ["写到一半的答案"]
    assert again.think_calls == 0  # resuming goes straight to the editor
    assert result.answer == "写到一半的答案，接着写完。"
    assert drafts.load(Q1) is None


def test_history_that_cannot_be_written_keeps_the_draft(make_env, clock, bank, drafts):
    from trainer.history.store import StoreError

    env = make_env(Typist(clock, answers=[[("type", GOOD, 5), ("submit",)]]))

    def locked(attempt):
        raise StoreError("历史数据库被另一个程序占用")

    env.save_fn = locked
    result = practice_once(env, bank.get(Q1), think=0)
    assert result.score is not None and result.attempt_id is None
    assert drafts.load(Q1).text == GOOD  # nothing lost: the next practice offers it back
    notices = [e[1] for e in env.view.events if e[0] == "notice"]
    assert any("未能记入历史" in n and "草稿" in n for n in notices)


def test_declining_resume_starts_empty(make_env, clock, bank, drafts):
    drafts.save(Q1, "旧草稿")
    typist = Typist(clock, answers=[[("type", "新答案", 1), ("submit",)]], confirms=[False])
    [result] = practice_loop(make_env(typist), bank.get(Q1), next_question=lambda q: q, think=0)
    assert typist.initial_texts == [""] and result.answer == "新答案"


def test_keyboard_interrupt_signal_keeps_the_last_seen_text(make_env, clock, bank, drafts):
    typist = Typist(clock, answers=[[("type", "已经输入的内容", 1), ("raise",)]])
    with pytest.raises(SessionInterrupted):
        practice_once(make_env(typist), bank.get(Q1), think=0, answer=300)
    assert drafts.load(Q1).text == "已经输入的内容"


def test_ctrl_c_before_typing_leaves_no_draft(make_env, clock, bank, drafts):
    typist = Typist(clock, answers=[[("ctrl-c",)]])
    with pytest.raises(SessionInterrupted) as exc:
        practice_once(make_env(typist), bank.get(Q1), think=0, answer=300)
    assert exc.value.draft_path is None and drafts.load(Q1) is None


def test_menu_model_answer_retry_next_and_quit(make_env, clock, bank, saved):
    typist = Typist(
        clock,
        answers=[[("type", "一", 1), ("submit",)]] * 3,
        choices=["m", "r", "n", "q"],
    )
    env = make_env(typist)
    results = practice_loop(
        env, bank.get(Q1), next_question=lambda q: bank.get(Q2), think=0, answer=60
    )
    assert [r.question.id for r in results] == [Q1, Q1, Q2]
    assert env.view.kinds("model") == [("model", Q1)]
    assert len(saved) == 3


# --------------------------------------------------------------------------- mocks


def test_presets():
    assert mock_plan("国考") == MockPlan("国考", 4, 1200)
    assert mock_plan("国考", questions=5) == MockPlan("国考", 5, 1500)
    assert mock_plan("省考") == MockPlan("省考", 3, 900)
    assert mock_plan("guokao", minutes=10).shared_seconds == 600
    assert mock_plan("drill") == MockPlan("drill", 1, None, 90, 180)
    assert mock_plan("drill", think=0, answer=5) == MockPlan("drill", 1, None, 0, 5)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"preset": "面试"},
        {"preset": "drill", "minutes": 3},
        {"preset": "国考", "answer": 30},
        {"preset": "省考", "minutes": 0},
    ],
)
def test_bad_mock_options_are_input_errors(kwargs):
    from trainer.errors import InputError

    with pytest.raises(InputError):
        mock_plan(kwargs.pop("preset"), **kwargs)


def test_guokao_mock_runs_on_one_shared_clock(make_env, clock, bank, saved):
    qs = [bank.get(Q1), bank.get(Q2), bank.get(Q3), bank.get(Q1)]
    typist = Typist(
        clock,
        answers=[
            [("type", GOOD, 400), ("submit",)],  # 0–400
            [("type", "开会多不代表重视，会顾不上走访群众。", 550), ("submit",)],  # 400–950
            [("type", "要精简会议", 100), ("type", "，改进考核。", 500)],  # times out at 1200
        ],
    )
    env = make_env(typist)
    mock = run_mock(env, qs, mock_plan("国考"))
    assert [r.status for r in mock.results] == [SUBMITTED, SUBMITTED, TIMEOUT, UNANSWERED]
    assert [r.seconds for r in mock.results] == [400, 550, 250, 0]
    assert mock.results[2].answer == "要精简会议，改进考核。"  # auto-submitted at time-out
    assert mock.seconds_used == 1200
    # Warnings belong to the shared clock: 5 min left during Q2, 1 min and 30 s during Q3.
    assert typist.ticks == [(1000 + 900, 300), (1000 + 1140, 60), (1000 + 1170, 30)]
    # Q4 was never shown; it counts zero on its exam scale.
    assert [e[1] for e in env.view.kinds("question")] == [Q1, Q2, Q3]
    assert mock.exam_possible == 80
    assert mock.exam_total == pytest.approx(sum(r.score.exam_score for r in mock.results[:3]))
    # Every answered question is in history, grouped by the session id.
    assert [a.question_id for a in saved] == [Q1, Q2, Q3]
    assert {a.mode for a in saved} == {"mock"} and {a.session_id for a in saved} == {
        mock.session_id
    }
    assert [e for e in env.view.kinds("mock")][0][1] is mock


def test_time_left_on_one_question_carries_to_the_next(make_env, clock, bank):
    typist = Typist(
        clock,
        answers=[
            [("type", "甲", 60), ("submit",)],
            [("type", "乙", 500), ("submit",)],
            [("type", "丙", 10), ("submit",)],
        ],
    )
    mock = run_mock(make_env(typist), [bank.get(Q1), bank.get(Q2), bank.get(Q3)], mock_plan("省考"))
    # 15 minutes shared: Q1 used 1 minute, so Q2 had 14 minutes, not 5.
    assert [r.status for r in mock.results] == [SUBMITTED, SUBMITTED, SUBMITTED]
    assert [r.seconds for r in mock.results] == [60, 500, 10]


def test_drill_has_its_own_thinking_and_answer_clock(make_env, clock, bank, saved):
    typist = Typist(clock, answers=[[("type", "文山会海必须重视。", 200)]], thinks=[None])
    env = make_env(typist)
    mock = run_mock(env, [bank.get(Q1)], mock_plan("drill"))
    [r] = mock.results
    assert (r.status, r.think_seconds, r.seconds) == (TIMEOUT, 90, 180)
    assert r.answer == "文山会海必须重视。" and r.score.total > 0
    assert [w for _, w in typist.ticks] == [60, 30]
    assert saved[0].think_seconds == 90 and saved[0].answer_seconds == 180


def test_ctrl_c_in_a_mock_keeps_earlier_answers_and_the_current_draft(
    make_env, clock, bank, saved, drafts
):
    typist = Typist(
        clock,
        answers=[[("type", GOOD, 100), ("submit",)], [("type", "第二题半截", 5), ("ctrl-c",)]],
    )
    with pytest.raises(SessionInterrupted) as info:
        run_mock(make_env(typist), [bank.get(Q1), bank.get(Q2)], mock_plan("国考", questions=2))
    assert [a.question_id for a in saved] == [Q1]
    assert drafts.load(Q2).text == "第二题半截"
    assert "已交卷的 1 道题已记入历史" in info.value.note


def test_mock_starts_from_a_resumed_draft(make_env, clock, bank):
    typist = Typist(clock, answers=[[("type", "续写", 1), ("submit",)]])
    mock = run_mock(
        make_env(typist), [bank.get(Q1)], mock_plan("drill", think=0), resume={Q1: "草稿"}
    )
    assert mock.results[0].answer == "草稿续写"


def test_weakest_section_is_the_lowest_share_of_credit(make_env, clock, bank):
    typist = Typist(
        clock,
        answers=[
            [("type", "文山会海必须重视。顾不上走访群众。要精简会议。总之抓落实。", 5), ("submit",)]
        ],
    )
    mock = run_mock(make_env(typist), [bank.get(Q1)], mock_plan("drill", think=0))
    rates = mock.section_rates()
    assert rates["原因"] == 0 and rates["对策"] == 1
    assert mock.weakest_section() == ("原因", 0)


# --------------------------------------------------------------------------- without a terminal


def test_stream_source_reads_whole_answer_without_countdown(make_env, clock, bank, saved):
    env = make_env(StreamSource(StringIO("第一行。\n第二行：要精简会议。\n")))
    result = practice_once(env, bank.get(Q1), think=90, answer=300)
    assert result.answer == "第一行。\n第二行：要精简会议。"
    assert result.status == SUBMITTED and saved[0].answer == result.answer


def test_stream_source_splits_mock_answers_on_dashes(make_env, clock, bank):
    env = make_env(StreamSource(StringIO("答案一\n---\n答案二\n")))
    mock = run_mock(env, [bank.get(Q1), bank.get(Q2), bank.get(Q3)], mock_plan("省考"))
    assert [r.answer for r in mock.results] == ["答案一", "答案二", ""]
    assert [r.status for r in mock.results] == [SUBMITTED, SUBMITTED, EMPTY]


# --------------------------------------------------------------------------- drafts and screens


def test_draft_store_round_trip(tmp_path):
    store = DraftStore(tmp_path / "d")
    assert store.load(Q1) is None
    path = store.save(Q1, "中文草稿\n第二行")
    assert path.name == "session-demo__phenomenon-1.txt"
    assert store.load(Q1).text == "中文草稿\n第二行"
    store.save(Q1, "  \n")
    assert store.load(Q1) is None  # whitespace is not worth resuming
    store.discard(Q1)
    assert not path.exists()
    assert list((tmp_path / "d").iterdir()) == []  # no temp files left behind


def test_mock_report_screen(make_env, clock, bank):
    typist = Typist(
        clock, answers=[[("type", GOOD, 100), ("submit",)], [("type", "只写了一句。", 900)]]
    )
    mock = run_mock(make_env(typist), [bank.get(Q1), bank.get(Q2), bank.get(Q3)], mock_plan("省考"))
    out = StringIO()
    mock_summary(make_console(file=out, width=120), mock)
    text = out.getvalue()
    assert "模拟面试成绩 · 省考" in text
    assert "超时自动提交" in text and "未作答" in text
    total = mock.results[0].score.exam_score + mock.results[1].score.exam_score
    assert f"总分 {fmt_points(total)} / 60" in text
    # named only when the sections differ (the fake scorer rates them all alike)
    assert ("最弱环节" in text) == (mock.weakest_section() is not None)


def test_a_resumed_draft_continues_with_the_time_that_was_left(make_env, clock, bank, drafts):
    # 7 s typed, then Ctrl-C: the draft remembers the answering time spent
    first = Typist(clock, answers=[[("type", "写到一半的答案", 7), ("ctrl-c",)]])
    with pytest.raises(SessionInterrupted):
        practice_once(make_env(first), bank.get(Q1), think=0, answer=300)
    assert 6 <= drafts.load(Q1).elapsed <= 8
    budgets = []
    again = Typist(
        clock,
        answers=[[("type", "，接着写完。", 1), ("submit",)]],
        confirms=[True],
        on_tick=lambda ctl, text: budgets.append(ctl.budget.seconds),
    )
    env = make_env(again)
    practice_loop(env, bank.get(Q1), next_question=lambda q: q, think=0, answer=300)
    assert budgets and 292 <= budgets[0] <= 294  # 4:53 left, not a fresh 5:00
    notices = [e[1] for e in env.view.events if e[0] == "notice"]
    assert any("还剩 4:5" in n for n in notices), notices
    assert drafts.load(Q1) is None and not drafts.path(Q1).with_suffix(".elapsed").exists()


def test_a_mock_where_everything_scored_zero_names_no_weakest_section(make_env, clock, bank):
    typist = Typist(clock, answers=[[("type", "。", 1), ("submit",)]])
    mock = run_mock(make_env(typist), [bank.get(Q1)], mock_plan("drill", think=0))
    rates = mock.section_rates()
    if rates and len(set(rates.values())) == 1:
        assert mock.weakest_section() is None
        out = StringIO()
        mock_summary(make_console(file=out, width=80), mock)
        assert "最弱环节" not in out.getvalue()
