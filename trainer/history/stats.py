"""Progress statistics: pure functions over attempts (full :class:`~trainer.models.Attempt`
or the store's :class:`~trainer.history.digest.AttemptSummary`).

No I/O and no clock: ``today`` and the local time zone ``tz`` (which decides what
counts as one practice day) are passed in, so tests use fixed datetimes.

Sections and points come from each attempt's :class:`~trainer.history.digest.Digest`
(the store keeps it in its own columns; for a full attempt it is read from the
score JSON with ``score_from_dict``); an attempt whose score cannot be read counts
in the totals but has no sections. A point *missed* is verdict ``"miss"``;
``"partial"`` counts half in the most-missed ranking. Points are counted per
distinct point set (one per rubric version), a column at a time, so 100,000
attempts cost about as much as a few hundred.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from statistics import fmean
from typing import Any, TypeVar

from trainer.history.digest import Digest, Summarised, digest_for
from trainer.models import SECTIONS

A = TypeVar("A", bound=Summarised)


# Each statistic walks every attempt; with these caches a timestamp is parsed (and put in
# the local zone) once per `trainer stats`, not once per statistic. Sized for 100,000+.
_CACHE = 1 << 17


@lru_cache(maxsize=_CACHE)
def _parse_time(created_at: str) -> datetime:
    dt = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


@lru_cache(maxsize=_CACHE)
def _local_day(created_at: str, tz: tzinfo) -> date:
    return _parse_time(created_at).astimezone(tz).date()


def attempt_time(attempt: Summarised) -> datetime:
    """The attempt's aware timestamp (naive stored values are taken as UTC)."""
    return _parse_time(attempt.created_at)


def local_day(attempt: Summarised, tz: tzinfo) -> date:
    return _local_day(attempt.created_at, tz)


def chronological(attempts: Iterable[A]) -> list[A]:
    return sorted(attempts, key=lambda a: (attempt_time(a), a.id or 0))


# --------------------------------------------------------------------------- trend


@dataclass(frozen=True)
class TopicTrend:
    topic: str
    totals: tuple[float, ...]  # chronological
    mean: float
    best: float

    @property
    def first(self) -> float:
        return self.totals[0]

    @property
    def last(self) -> float:
        return self.totals[-1]


def topic_trends(attempts: Iterable[Summarised]) -> list[TopicTrend]:
    """Totals per topic in time order (topics sorted by id)."""
    return _topic_trends(chronological(attempts))


def _topic_trends(ordered: list[Summarised]) -> list[TopicTrend]:
    by_topic: dict[str, list[float]] = {}
    for a in ordered:
        by_topic.setdefault(a.topic, []).append(float(a.total))
    return [TopicTrend(t, tuple(v), fmean(v), max(v)) for t, v in sorted(by_topic.items())]


@dataclass(frozen=True)
class DayPoint:
    day: date
    mean: float | None  # mean total of that day's attempts, None when no practice
    count: int


def daily_trend(
    attempts: Iterable[Summarised], today: date, tz: tzinfo, days: int = 14
) -> list[DayPoint]:
    """One entry per local day, the ``days`` days ending ``today`` (oldest first)."""
    start = today - timedelta(days=days - 1)
    buckets: dict[date, list[float]] = {}
    for a in attempts:
        d = local_day(a, tz)
        if start <= d <= today:
            buckets.setdefault(d, []).append(float(a.total))
    out = []
    for i in range(days):
        d = start + timedelta(days=i)
        v = buckets.get(d, [])
        out.append(DayPoint(d, fmean(v) if v else None, len(v)))
    return out


# --------------------------------------------------------------------------- sections


#: Attempts in time order, each with the digest of its stored score (None: unreadable).
Scored = list[tuple[Summarised, Digest | None]]


def _scored(attempts: Iterable[Summarised]) -> Scored:
    """Read each stored score once (a summary's digest is already read)."""
    return [(a, digest_for(a)) for a in attempts]  # callers pass them in time order


@dataclass(frozen=True)
class SectionAverage:
    section: str
    mean_pct: float  # mean share of the section's possible credit earned, 0..100
    recent_pct: float  # the same over the last ``recent`` attempts that had the section
    count: int


def section_averages(attempts: Iterable[Summarised], recent: int = 5) -> list[SectionAverage]:
    """Per section (点题→总结 order), the average % of possible credit earned."""
    return _section_averages(_scored(chronological(attempts)), recent)


def _section_averages(scored: Scored, recent: int = 5) -> list[SectionAverage]:
    pcts: dict[str, list[float]] = {}
    shares: dict[int, list[tuple[str, float]]] = {}  # per distinct sections tuple (shared)
    for _a, d in scored:
        if d is None:
            continue
        got = shares.get(id(d.sections))
        if got is None:
            got = shares[id(d.sections)] = [
                (name, 100.0 * earned / possible)
                for name, earned, possible in d.sections
                if possible > 0
            ]
        for name, pct in got:
            pcts.setdefault(name, []).append(pct)
    order = [s for s in SECTIONS if s in pcts] + sorted(s for s in pcts if s not in SECTIONS)
    return [
        SectionAverage(s, fmean(pcts[s]), fmean(pcts[s][-recent:]), len(pcts[s])) for s in order
    ]


# --------------------------------------------------------------------------- missed points


@dataclass(frozen=True)
class MissedPoint:
    topic: str
    point_id: str
    section: str
    text: str  # model wording, from the most recent attempt that scored the point
    misses: int
    partials: int
    seen: int

    @property
    def weight(self) -> float:
        """Ranking key: a miss counts 1, a partial ½."""
        return self.misses + 0.5 * self.partials


def most_missed(attempts: Iterable[Summarised], n: int = 10) -> list[MissedPoint]:
    """The ``n`` points most often missed (partial = ½), keyed by (topic, point id)."""
    return _most_missed(_scored(chronological(attempts)), n)


def _most_missed(scored: Scored, n: int = 10) -> list[MissedPoint]:
    # Attempts on one topic with one point set form a group; a point's counts are its
    # column of verdict letters. Its wording and section are those of its latest
    # occurrence in time order — (index of the group's latest attempt, position) —
    # the wording skipping empty ones: what a row-by-row pass would keep.
    groups: dict[tuple[str, int], tuple[Any, list[int], list[str]]] = {}
    for i, (a, d) in enumerate(scored):
        if d is None or not d.pointset:
            continue
        key = (a.topic, id(d.pointset))
        g = groups.get(key)
        if g is None:
            g = groups[key] = (d.pointset, [i], [])
        g[1][0] = i
        g[2].append(d.verdicts)
    acc: dict[tuple[str, str], dict[str, Any]] = {}
    for (topic, _), (pointset, last, verdicts) in groups.items():
        seen = len(verdicts)
        for pos, ((pid, section, text), column) in enumerate(
            zip(pointset, zip(*verdicts, strict=True), strict=True)
        ):
            if not pid:
                continue
            e = acc.setdefault(
                (topic, pid),
                {
                    "misses": 0,
                    "partials": 0,
                    "seen": 0,
                    "text": "",
                    "sec": "",
                    "at": (-1, -1),
                    "text_at": (-1, -1),
                },
            )
            e["seen"] += seen
            e["misses"] += column.count("m")
            e["partials"] += column.count("p")
            at = (last[0], pos)
            if at > e["at"]:
                e["sec"], e["at"] = section, at
            if text and at > e["text_at"]:
                e["text"], e["text_at"] = text, at
    items = [
        MissedPoint(t, pid, e["sec"], e["text"], e["misses"], e["partials"], e["seen"])
        for (t, pid), e in acc.items()
        if e["misses"] or e["partials"]
    ]
    items.sort(key=lambda m: (-m.weight, -m.misses, -(m.weight / m.seen), m.topic, m.point_id))
    return items[:n]


# --------------------------------------------------------------------------- streak & time


@dataclass(frozen=True)
class Streak:
    current: int  # consecutive practice days ending today, or yesterday if not yet today
    longest: int
    practiced_today: bool
    days: int  # distinct practice days overall


def streak(attempts: Iterable[Summarised], today: date, tz: tzinfo) -> Streak:
    days = sorted({local_day(a, tz) for a in attempts})
    if not days:
        return Streak(0, 0, False, 0)
    longest = run = 1
    for prev, cur in zip(days, days[1:], strict=False):
        run = run + 1 if cur - prev == timedelta(days=1) else 1
        longest = max(longest, run)
    dayset = set(days)
    practiced_today = today in dayset
    d = today if practiced_today else today - timedelta(days=1)
    current = 0
    while d in dayset:
        current += 1
        d -= timedelta(days=1)
    return Streak(current, longest, practiced_today, len(days))


@dataclass(frozen=True)
class TimeSpent:
    think: float  # seconds, all time
    answer: float
    recent: float  # think + answer over the last ``days`` local days including today
    days: int

    @property
    def total(self) -> float:
        return self.think + self.answer


def time_spent(attempts: Iterable[Summarised], today: date, tz: tzinfo, days: int = 7) -> TimeSpent:
    think = answer = recent = 0.0
    start = today - timedelta(days=days - 1)
    for a in attempts:
        think += a.think_seconds
        answer += a.answer_seconds
        if start <= local_day(a, tz) <= today:
            recent += a.think_seconds + a.answer_seconds
    return TimeSpent(think, answer, recent, days)


# --------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class Overview:
    count: int
    mean: float | None
    best: float | None
    recent_mean: float | None  # last ``window`` attempts
    previous_mean: float | None  # the ``window`` attempts before those
    window: int
    first_day: date | None
    last_day: date | None


def overview(attempts: Sequence[Summarised], tz: tzinfo, window: int = 5) -> Overview:
    return _overview(chronological(attempts), tz, window)


def _overview(ordered: list[Summarised], tz: tzinfo, window: int = 5) -> Overview:
    totals = [float(a.total) for a in ordered]
    if not totals:
        return Overview(0, None, None, None, None, window, None, None)
    recent = totals[-window:]
    previous = totals[-2 * window : -window] if len(totals) > window else []
    return Overview(
        count=len(totals),
        mean=fmean(totals),
        best=max(totals),
        recent_mean=fmean(recent),
        previous_mean=fmean(previous) if previous else None,
        window=window,
        first_day=local_day(ordered[0], tz),
        last_day=local_day(ordered[-1], tz),
    )


@dataclass(frozen=True)
class Stats:
    overview: Overview
    daily: list[DayPoint]
    topics: list[TopicTrend]
    sections: list[SectionAverage]
    missed: list[MissedPoint]
    streak: Streak
    time: TimeSpent


def compute(attempts: Sequence[Summarised], today: date, tz: tzinfo, days: int = 14) -> Stats:
    """Everything ``trainer stats`` shows."""
    ordered = chronological(attempts)  # sorted once
    scored = _scored(ordered)  # each stored score is read once
    return Stats(
        overview=_overview(ordered, tz),
        daily=daily_trend(ordered, today, tz, days),
        topics=_topic_trends(ordered),
        sections=_section_averages(scored),
        missed=_most_missed(scored),
        streak=streak(attempts, today, tz),
        time=time_spent(attempts, today, tz),
    )
