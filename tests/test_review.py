"""The review queue: FSRS scheduling from scores, with fixed datetimes; and the review command."""

from __future__ import annotations

import inspect
import sys
import types
from datetime import UTC, datetime, timedelta, timezone

import pytest
from _attempts import make_attempt
from fsrs import Rating

from trainer.history.review import build_queue, due_items, rating_for
from trainer.history.store import open_store
from trainer.session.flow import DEFAULT_ANSWER, DEFAULT_THINK

BEIJING = timezone(timedelta(hours=8))
MISS = {"yy-blame": "miss"}


def at(day: int, hour: int = 2) -> str:
    return f"2026-11-{day:02d}T{hour:02d}:00:00+00:00"


@pytest.mark.parametrize(
    "total, rating",
    [
        (100, Rating.Easy),
        (85, Rating.Easy),
        (84.9, Rating.Good),
        (70, Rating.Good),
        (69.9, Rating.Hard),
        (50, Rating.Hard),
        (49.9, Rating.Again),
        (0, Rating.Again),
    ],
)
def test_rating_from_total(total, rating):
    assert rating_for(total) == rating


def test_only_questions_with_missed_points_enter_the_queue():
    attempts = [
        make_attempt(at(20), "t/clean"),
        make_attempt(at(20), "t/partial-only", verdicts={"yy-blame": "partial"}),
        make_attempt(at(20), "t/missed", verdicts=MISS),
    ]
    assert [i.question_id for i in build_queue(attempts)] == ["t/missed"]


def test_a_failed_answer_comes_back_the_next_day():
    (item,) = build_queue([make_attempt(at(20), "t/q", verdicts=MISS, total=30)])
    assert item.last_rating == Rating.Again and item.reviews == 1
    now = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)
    assert not item.is_due(now, UTC)
    assert item.is_due(now + timedelta(hours=1), UTC)  # the next day, not the next minute
    assert item.missed == ("问责泛化让基层干部怕担责、不敢说真话。",)


def test_better_scores_push_the_question_further_out():
    good = [make_attempt(at(20), "t/q", verdicts=MISS, total=72)]
    easy = [make_attempt(at(20), "t/q", verdicts=MISS, total=90)]
    (g,) = build_queue(good)
    (e,) = build_queue(easy)
    assert g.due - datetime(2026, 11, 20, 2, tzinfo=UTC) >= timedelta(days=1)
    assert e.due > g.due


def test_every_later_attempt_updates_the_card_and_intervals_grow():
    history = [make_attempt(at(1), "t/q", verdicts=MISS, total=40)]
    (item,) = build_queue(history)
    gaps = []
    when = item.due
    for _ in range(3):
        history.append(make_attempt(when.isoformat(), "t/q", total=75, mode="review"))
        (item,) = build_queue(history)
        gaps.append(item.due - when)
        when = item.due
    assert item.reviews == 4 and item.last_total == 75 and item.missed == ()
    assert gaps[0] < gaps[1] < gaps[2]
    # forgetting again (a mock this time) brings it back sooner than the last gap
    history.append(make_attempt(when.isoformat(), "t/q", verdicts=MISS, total=35, mode="mock"))
    (item,) = build_queue(history)
    assert item.due - when < gaps[2]
    assert item.last_rating == Rating.Again


def test_attempts_before_the_first_miss_do_not_count():
    clean_first = [
        make_attempt(at(10), "t/q", total=95),
        make_attempt(at(20), "t/q", verdicts=MISS, total=30),
    ]
    only_miss = [make_attempt(at(20), "t/q", verdicts=MISS, total=30)]
    assert build_queue(clean_first)[0].card.due == build_queue(only_miss)[0].card.due
    assert build_queue(clean_first)[0].reviews == 1


def test_due_list_uses_local_days_and_puts_the_most_overdue_first():
    attempts = [
        make_attempt(at(18), "t/old", verdicts=MISS, total=30),  # due 19th
        make_attempt(at(20), "t/recent", verdicts=MISS, total=20),  # due 21st
        make_attempt(at(21), "t/future", verdicts=MISS, total=90),  # due in days
    ]
    items = build_queue(attempts)
    now = datetime(2026, 11, 21, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
    assert [i.question_id for i in due_items(items, now, BEIJING)] == ["t/old", "t/recent"]
    assert [i.question_id for i in due_items(items, now.replace(day=19), BEIJING)] == ["t/old"]


def test_history_order_does_not_matter():
    attempts = [
        make_attempt(at(5), "t/q", verdicts=MISS, total=40),
        make_attempt(at(7), "t/q", total=80),
        make_attempt(at(15), "t/q", verdicts=MISS, total=60),
    ]
    a = build_queue(attempts)[0]
    b = build_queue(list(reversed(attempts)))[0]
    assert (a.due, a.reviews) == (b.due, b.reviews)


# --------------------------------------------------------------------------- the command


def _days_ago(n: float) -> str:
    return (datetime.now(UTC) - timedelta(days=n)).isoformat()


@pytest.fixture
def bank_ids(cli):
    """Three real question ids (review only reruns questions that are in the bank)."""
    import json

    return [q["id"] for q in json.loads(cli("list", "--json").stdout)][:3]


def _seed(ids):
    due, later, clean = ids
    with open_store() as st:
        st.add_attempt(make_attempt(_days_ago(5), due, verdicts=MISS, total=30))
        st.add_attempt(make_attempt(_days_ago(0.01), later, verdicts=MISS, total=90))
        st.add_attempt(make_attempt(_days_ago(3), clean, total=95))


def test_review_list_shows_what_is_due(cli, bank_ids):
    import json

    due, later, clean = bank_ids
    _seed(bank_ids)
    result = cli("review", "--list")
    assert result.exit_code == 0
    assert due in result.stdout and "逾期" in result.stdout
    assert later not in result.stdout and clean not in result.stdout
    everything = cli("review", "--list", "--all").stdout
    assert later in everything and "天后" in everything and clean not in everything
    data = json.loads(cli("review", "--list", "--json").stdout)
    assert [d["question_id"] for d in data] == [due]
    assert data[0]["last_rating"] == "Again" and data[0]["is_due"] is True


def _fake_practice(monkeypatch):
    """Stand in for run_practice; each call is recorded as the arguments it would run
    with (what the caller passed, then run_practice's own defaults)."""
    from trainer.cli.session_cmds import run_practice

    signature = inspect.signature(run_practice)
    calls = []

    def fake(*args, **kw):
        bound = signature.bind(*args, **kw)
        bound.apply_defaults()
        calls.append(bound.arguments)

    module = types.ModuleType("trainer.cli.session_cmds")
    module.run_practice = fake
    monkeypatch.setitem(sys.modules, "trainer.cli.session_cmds", module)
    return calls


def test_review_runs_the_next_due_question_as_practice(cli, monkeypatch, bank_ids):
    from trainer.cli.session_cmds import practice

    # review's --think/--answer help says 默认同 practice: these are practice's defaults
    defaults = inspect.signature(practice).parameters
    assert (defaults["think"].default, defaults["answer"].default) == (
        DEFAULT_THINK,
        DEFAULT_ANSWER,
    )
    _seed(bank_ids)
    calls = _fake_practice(monkeypatch)
    result = cli("review")
    assert result.exit_code == 0, result.stderr
    result = cli("review", "--think", "30")
    assert result.exit_code == 0, result.stderr
    by_default, think_given = calls
    assert by_default["question_id"] == bank_ids[0] and by_default["mode"] == "review"
    assert (by_default["think"], by_default["answer"]) == (DEFAULT_THINK, DEFAULT_ANSWER)
    assert (think_given["think"], think_given["answer"]) == (30, DEFAULT_ANSWER)


def test_review_skips_questions_no_longer_in_the_bank(cli, monkeypatch, bank_ids):
    with open_store() as st:
        st.add_attempt(
            make_attempt(_days_ago(9), "trust-gap/custom-1a2b3c4d", verdicts=MISS, total=10)
        )
        st.add_attempt(make_attempt(_days_ago(2), bank_ids[1], verdicts=MISS, total=40))
    calls = _fake_practice(monkeypatch)
    assert cli("review").exit_code == 0
    assert [run["question_id"] for run in calls] == [bank_ids[1]]
    assert "trust-gap/custom-1a2b3c4d" in cli("review", "--list").stdout


def test_review_practises_the_due_question_from_piped_input_and_saves_it(cli, bank_ids):
    _seed(bank_ids)
    with open_store() as st:
        before = len(st.list_attempts())
    result = cli("review", input="我认为上级要信任基层，畅通沟通渠道，让基层敢说真话。")
    assert result.exit_code == 0, result.stderr
    assert bank_ids[0] in result.stdout and "得分" in result.stdout
    # last time's missed points come first, before the question
    assert "漏掉的要点" in result.stdout
    assert result.stdout.index("漏掉的要点") < result.stdout.index(bank_ids[0])
    with open_store() as st:
        attempts = st.list_attempts()
    assert len(attempts) == before + 1 and attempts[0].mode == "review"
    assert attempts[0].question_id == bank_ids[0]


def test_review_with_nothing_due(cli, bank_ids):
    with open_store() as st:
        st.add_attempt(make_attempt(_days_ago(0.01), bank_ids[1], verdicts=MISS, total=90))
    result = cli("review")
    assert result.exit_code == 0
    assert "今天没有到期" in result.stdout and bank_ids[1] in result.stdout
    assert "天后）到期" in result.stdout  # when the next one is due
    assert f"先练上次得分最低的一题：{bank_ids[1]}" in result.stdout  # and what to do now
    assert f"trainer practice {bank_ids[1]}" in result.stdout


def test_review_with_an_empty_queue_explains_how_questions_get_there(cli, bank_ids):
    with open_store() as st:
        st.add_attempt(make_attempt(_days_ago(1), bank_ids[2], total=95))
    result = cli("review")
    assert result.exit_code == 0 and "复习队列是空的" in result.stdout
