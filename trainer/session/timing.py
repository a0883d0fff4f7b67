"""Timing of one answer: clocks, budgets, warnings, and the answer controller.

Pure: the clock is injected (``MonotonicClock`` in the app, a fake in tests).
Input sources (``trainer.session.editor``, stdin, test scripts) report text to an
``AnswerController``; it owns the rules, each with a unit test:

- A ``Budget`` is a deadline on one clock (``seconds`` ≤ 0 or None = no limit).
- Warnings fire once each at 5 min, 1 min and 30 s left, but only for thresholds
  the budget started above (a 3-minute drill warns at 1 min and 30 s, not at
  "5 min left"). When several are crossed at once only the most urgent shows.
- ``tick(text)`` is called about once a second; it autosaves the draft when the
  text changed and ``AUTOSAVE_EVERY`` seconds have passed since the last save,
  so a killed terminal loses at most that much typing, and reports time-out.
- Every ending (submit, time-out, Ctrl-C) force-saves the draft first.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from trainer.models import Question
from trainer.text import content_length, spoken_seconds

if TYPE_CHECKING:
    from trainer.session.drafts import DraftStore

#: Seconds-left marks at which the candidate is warned (toolbar message + bell).
WARN_AT: tuple[int, ...] = (300, 60, 30)
#: Draft autosave period while typing: the most a killed terminal can lose.
AUTOSAVE_EVERY = 2.0
#: How long a warning stays in the status bar.
MESSAGE_SECONDS = 6.0
#: Spoken pace used for the time estimate (characters per minute).

SUBMITTED, TIMEOUT, INTERRUPTED = "submitted", "timeout", "interrupted"


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a monotonic clock."""
        ...


class MonotonicClock:
    def now(self) -> float:
        return time.monotonic()


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
        elapsed_before: float = 0.0,
    ) -> None:
        self.question = question
        self.clock = clock
        self.budget = budget
        self.warnings = warnings
        self.drafts = drafts
        self.label = label
        self.initial_text = initial_text
        self.autosave_every = autosave_every
        self.elapsed_before = elapsed_before  # spent on this answer before a resumed draft
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
        if self.drafts is None or (text == self._saved_text and not (force and text.strip())):
            return False  # (a forced save of unchanged text still records the time spent)
        now = self.clock.now()
        if not force and now - self._last_save < self.autosave_every:
            return False
        self.draft_saved = self.drafts.save(
            self.question.id, text, elapsed=self.elapsed_before + self.elapsed()
        )
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
