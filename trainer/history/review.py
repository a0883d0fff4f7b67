"""The review queue: spaced repetition (FSRS, via py-fsrs) over questions whose points were missed.

Design decisions:

* **Derived, not stored.** A question's card is rebuilt by replaying its attempts
  through the scheduler, oldest first. There is no card table to keep in sync,
  so import/export, concurrent writers and deleted history all stay consistent,
  and a question practised in a mock updates its card like any other attempt.
  Fuzzing is off, so the same history always gives the same queue.
* **Entry.** A question enters the queue at its first attempt that missed a point
  (any verdict ``"miss"``). Attempts before that are ignored; every later attempt
  on the question, whatever its mode, reviews the card.
* **Rating from the score** (:func:`rating_for`): total ≥ 85 → Easy, ≥ 70 → Good,
  ≥ 50 → Hard, else Again.
* **No minute-scale learning steps**: an answer is an exercise of several minutes,
  not a flashcard, so cards go straight to day intervals (an Again returns the
  next day; a first Good in two days; later intervals grow with FSRS stability).
* **Due by the day.** A card is due when its due time falls on or before the
  candidate's local today (``tz`` passed in), as in Anki, not to the minute.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from fsrs import Card, Rating, Scheduler

from trainer.history.digest import Digest, Summarised, digest_for, digest_of
from trainer.history.stats import attempt_time, chronological

#: (minimum total, rating), checked in order; below the last threshold → Again.
RATING_THRESHOLDS: tuple[tuple[float, Rating], ...] = (
    (85.0, Rating.Easy),
    (70.0, Rating.Good),
    (50.0, Rating.Hard),
)


def rating_for(total: float) -> Rating:
    """The FSRS rating an attempt's total (0–100) earns."""
    for threshold, rating in RATING_THRESHOLDS:
        if total >= threshold:
            return rating
    return Rating.Again


def make_scheduler() -> Scheduler:
    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def missed_points(score: dict) -> list[str]:
    """Model wording of the points a stored score (``Score.to_dict()``) missed, in section order.

    Read with ``score_from_dict``; a score that cannot be read missed nothing.
    """
    d = digest_of(score)
    return [] if d is None else list(d.missed())


def _misses(d: Digest | None) -> bool:
    return d is not None and "m" in d.verdicts


@dataclass(frozen=True)
class ReviewItem:
    question_id: str
    topic: str
    question_text: str
    card: Card
    reviews: int  # attempts that reviewed the card (including the one that created it)
    last_total: float
    last_rating: Rating
    last_at: datetime
    missed: tuple[str, ...]  # model wording of the points missed in the latest attempt

    @property
    def due(self) -> datetime:
        return self.card.due

    def due_day(self, tz: tzinfo) -> date:
        return self.card.due.astimezone(tz).date()

    def is_due(self, now: datetime, tz: tzinfo) -> bool:
        return self.due_day(tz) <= now.astimezone(tz).date()


def _card_id(question_id: str) -> int:
    return int.from_bytes(hashlib.sha256(question_id.encode("utf-8")).digest()[:6], "big")


def build_queue(
    attempts: Iterable[Summarised], scheduler: Scheduler | None = None
) -> list[ReviewItem]:
    """Every card (due or not), soonest due first."""
    scheduler = scheduler or make_scheduler()
    state: dict[str, dict] = {}
    for a in chronological(attempts):
        at = attempt_time(a).astimezone(UTC)
        s = state.get(a.question_id)
        d = digest_for(a)
        if s is None:
            if not _misses(d):
                continue  # not in the queue until an attempt misses a point
            s = state[a.question_id] = {
                "card": Card(card_id=_card_id(a.question_id), due=at),
                "reviews": 0,
            }
        rating = rating_for(float(a.total))
        s["card"], _log = scheduler.review_card(s["card"], rating, at)
        s["reviews"] += 1
        s.update(attempt=a, rating=rating, at=at, digest=d)
    items = [
        ReviewItem(
            question_id=qid,
            topic=s["attempt"].topic,
            question_text=s["attempt"].question_text,
            card=s["card"],
            reviews=s["reviews"],
            last_total=float(s["attempt"].total),
            last_rating=s["rating"],
            last_at=s["at"],
            missed=() if s["digest"] is None else s["digest"].missed(),
        )
        for qid, s in state.items()
    ]
    items.sort(key=lambda i: (i.due, i.last_total, i.question_id))
    return items


def due_items(items: Iterable[ReviewItem], now: datetime, tz: tzinfo) -> list[ReviewItem]:
    """Cards due today or earlier: most overdue first, then the lowest last score."""
    due = [i for i in items if i.is_due(now, tz)]
    due.sort(key=lambda i: (i.due_day(tz), i.last_total, i.question_id))
    return due
