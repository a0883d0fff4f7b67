"""Progress statistics over fixed datetimes: trend, per-section averages, most missed, streak, time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, timedelta, timezone
from io import StringIO

import pytest
from _attempts import make_attempt

from trainer.history.review import build_queue, missed_points
from trainer.history.stats import (
    compute,
    daily_trend,
    most_missed,
    overview,
    section_averages,
    streak,
    time_spent,
    topic_trends,
)
from trainer.render.common import make_console
from trainer.render.stats import sparkline, stats_screen

BEIJING = timezone(timedelta(hours=8))


def test_daily_trend_buckets_by_local_day_and_leaves_gaps():
    attempts = [
        make_attempt("2026-11-20T01:00:00+00:00", total=40),
        make_attempt("2026-11-20T03:00:00+00:00", total=60),
        # 17:00 UTC on the 20th is 01:00 on the 21st in Beijing
        make_attempt("2026-11-20T17:00:00+00:00", total=90),
    ]
    days = daily_trend(attempts, date(2026, 11, 22), BEIJING, days=4)
    assert [d.day for d in days] == [date(2026, 11, 19) + timedelta(days=i) for i in range(4)]
    assert [(d.mean, d.count) for d in days] == [(None, 0), (50.0, 2), (90.0, 1), (None, 0)]
    in_utc = daily_trend(attempts, date(2026, 11, 22), UTC, days=4)
    assert [(d.mean, d.count) for d in in_utc][1] == (pytest.approx(63.33, abs=0.01), 3)


def test_topic_trends_are_chronological_per_topic():
    attempts = [
        make_attempt("2026-11-21T08:00:00+00:00", "trust-gap/a", total=70),
        make_attempt("2026-11-20T08:00:00+00:00", "trust-gap/b", total=50),
        make_attempt("2026-11-20T09:00:00+00:00", "burden-relief/a", total=80),
    ]
    trends = {t.topic: t for t in topic_trends(attempts)}
    assert trends["trust-gap"].totals == (50, 70)
    assert trends["trust-gap"].first == 50 and trends["trust-gap"].last == 70
    assert trends["burden-relief"].mean == 80


def test_section_averages_are_shares_of_possible_credit_in_answer_order():
    attempts = [
        # 原因 has one point (yy-blame): missed, then partial, then full → 0 %, 50 %, 100 %
        make_attempt("2026-11-20T08:00:00+00:00", verdicts={"yy-blame": "miss"}),
        make_attempt("2026-11-21T08:00:00+00:00", verdicts={"yy-blame": "partial"}),
        make_attempt(
            "2026-11-22T08:00:00+00:00", verdicts={"wh-autonomy": "miss", "wh-form": "full"}
        ),
    ]
    avgs = section_averages(attempts, recent=2)
    assert [a.section for a in avgs] == ["点题", "危害", "原因", "对策", "总结"]
    by = {a.section: a for a in avgs}
    assert by["原因"].mean_pct == pytest.approx(50.0)
    assert by["原因"].recent_pct == pytest.approx(75.0)
    # 危害: weights 6 + 5; the last attempt earned 5 of 11
    assert by["危害"].mean_pct == pytest.approx((100 + 100 + 500 / 11) / 3)
    assert by["点题"].mean_pct == 100 and by["点题"].count == 3


def test_most_missed_ranks_misses_then_partials_and_shows_latest_wording():
    attempts = [
        make_attempt(
            "2026-11-20T08:00:00+00:00", verdicts={"yy-blame": "miss", "wh-form": "partial"}
        ),
        make_attempt(
            "2026-11-21T08:00:00+00:00", verdicts={"yy-blame": "miss", "wh-form": "partial"}
        ),
        make_attempt("2026-11-22T08:00:00+00:00", verdicts={"dc-trust": "miss"}),
    ]
    newer = make_attempt("2026-11-23T08:00:00+00:00", verdicts={"yy-blame": "miss"})
    newer.score["sections"]["原因"]["points"][0]["text"] = "改写后的范文表述"
    missed = most_missed([*attempts, newer])
    assert [(m.point_id, m.misses, m.partials, m.seen) for m in missed] == [
        ("yy-blame", 3, 0, 4),
        ("dc-trust", 1, 0, 4),
        ("wh-form", 0, 2, 4),
    ]
    assert missed[0].text == "改写后的范文表述" and missed[0].section == "原因"


def test_most_missed_keeps_topics_apart_and_caps_at_ten():
    attempts = []
    for i in range(12):
        attempts.append(
            make_attempt(
                f"2026-11-20T08:{i:02d}:00+00:00",
                f"topic{i}/q",
                verdicts={"yy-blame": "miss"},
            )
        )
    missed = most_missed(attempts)
    assert len(missed) == 10
    assert len({m.topic for m in missed}) == 10


def test_stats_and_review_read_stored_scores_like_history_show():
    """One reader (score_from_dict): a list of sections reads the same as the mapping;
    a stored score that is not one counts in the totals but has no sections or misses."""
    as_dict = make_attempt("2026-11-20T08:00:00+00:00", verdicts={"yy-blame": "miss"})
    as_list = make_attempt("2026-11-21T08:00:00+00:00", verdicts={"yy-blame": "miss"})
    as_list.score["sections"] = list(as_list.score["sections"].values())
    as_list.score["sections"][0]["points"].append("not a point")
    broken = [
        replace(make_attempt("2026-11-22T08:00:00+00:00"), score=bad)
        for bad in ({}, {"total": 50, "sections": "?"}, {"sections": {"原因": {}}})
    ]
    attempts = [as_dict, as_list, *broken]
    result = compute(attempts, date(2026, 11, 22), UTC)
    assert result.overview.count == 5
    assert [(m.point_id, m.misses, m.seen) for m in result.missed] == [("yy-blame", 2, 2)]
    assert {a.section: a.count for a in result.sections}["原因"] == 2
    (item,) = build_queue(attempts)
    assert item.missed == ()  # the latest attempt's stored score cannot be read
    assert missed_points(as_list.score) == missed_points(as_dict.score) != []


def test_streak_counts_back_from_today_or_yesterday():
    def on(*days):
        return [make_attempt(f"2026-11-{d:02d}T02:00:00+00:00") for d in days]

    today = date(2026, 11, 24)
    s = streak(on(17, 18, 19, 20, 22, 23, 24), today, BEIJING)
    assert (s.current, s.longest, s.practiced_today, s.days) == (3, 4, True, 7)
    s = streak(on(21, 22, 23), today, BEIJING)  # not yet today: the streak is still alive
    assert (s.current, s.practiced_today) == (3, False)
    s = streak(on(20, 21, 22), today, BEIJING)  # missed yesterday: broken
    assert (s.current, s.longest) == (0, 3)
    assert streak([], today, BEIJING).current == 0


def test_streak_uses_the_candidates_day_not_utc():
    # 23:30 Beijing on the 22nd and 00:30 on the 24th, stored in UTC
    attempts = [
        make_attempt("2026-11-22T15:30:00+00:00"),
        make_attempt("2026-11-23T16:30:00+00:00"),
    ]
    assert streak(attempts, date(2026, 11, 24), BEIJING).current == 1
    assert streak(attempts, date(2026, 11, 23), UTC).current == 2


def test_time_spent_all_time_and_last_week():
    attempts = [
        make_attempt("2026-11-01T08:00:00+00:00", think=90, spent=180),
        make_attempt("2026-11-20T08:00:00+00:00", think=60, spent=200),
        make_attempt("2026-11-24T08:00:00+00:00", think=0, spent=0, mode="score"),
    ]
    t = time_spent(attempts, date(2026, 11, 24), UTC)
    assert (t.think, t.answer, t.total, t.recent) == (150, 380, 530, 260)


def test_overview_compares_recent_with_previous_window():
    totals = [40, 45, 50, 55, 60, 70, 72, 74, 76, 78]
    attempts = [
        make_attempt(f"2026-11-{10 + i:02d}T08:00:00+00:00", total=t) for i, t in enumerate(totals)
    ]
    ov = overview(attempts, UTC, window=5)
    assert ov.count == 10 and ov.best == 78
    assert ov.recent_mean == 74 and ov.previous_mean == 50
    assert ov.first_day == date(2026, 11, 10) and ov.last_day == date(2026, 11, 19)


def test_sparkline_uses_a_fixed_scale():
    assert sparkline([0, 50, 100]) == "▁▅█"
    assert sparkline([10, 10]) == sparkline([10, 10, 90])[:2]


def test_stats_screen_tells_where_the_candidate_stands():
    attempts = []
    for day in range(7):
        for q, miss in (("trust-gap/a", {"yy-blame": "miss"}), ("burden-relief/b", {})):
            attempts.append(
                make_attempt(f"2026-11-{18 + day:02d}T02:00:00+00:00", q, verdicts=miss)
            )
    st = compute(attempts, date(2026, 11, 24), BEIJING, days=7)
    buf = StringIO()
    stats_screen(make_console(file=buf, width=120), st, {"trust-gap": "信任缺口"})
    out = buf.getvalue()
    assert "共 14 次作答" in out
    assert "连续练习 7 天" in out
    assert "最需要加强的环节：原因" in out
    assert "问责泛化让基层干部怕担责" in out  # the most-missed point's model wording
    assert "trust-gap" in out and "信任缺口" in out
    assert "11-24 周二" in out
