"""Answer drafts on disk: what keeps typed text safe from Ctrl-C and killed terminals.

A draft is a plain UTF-8 text file ``<data dir>/drafts/<topic>__<local id>.txt``
(question ids are ``[a-z0-9-]`` with one ``/``, so ``__`` is unambiguous). Plain
text on purpose: the built-in editor autosaves into it, ``--editor`` hands the
very same file to ``$EDITOR``, and a user can open it by hand. Writes are atomic
(temp file + ``os.replace``) so a crash mid-write leaves the previous draft,
never a truncated one. A draft is deleted only after its answer has been scored
and saved to history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from trainer.fileio import replace_file


@dataclass(frozen=True)
class AnswerDraft:
    question_id: str
    text: str
    path: Path
    saved_at: datetime  # UTC, from the file's mtime
    elapsed: float | None = None  # answering seconds already spent (resume with the rest)


class DraftStore:
    """Drafts keyed by question id, in one directory (created on first write)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    @classmethod
    def default(cls) -> DraftStore:
        from trainer.paths import data_dir

        return cls(data_dir() / "drafts")

    def path(self, question_id: str) -> Path:
        return self.directory / (question_id.replace("/", "__") + ".txt")

    def _clock_path(self, question_id: str) -> Path:
        return self.path(question_id).with_suffix(".elapsed")

    def save(self, question_id: str, text: str, elapsed: float | None = None) -> Path:
        """Atomically replace the draft of ``question_id`` with ``text``.

        ``elapsed`` (answering seconds spent so far) goes into a one-number sidecar
        file, so a resumed draft continues with the time that was left; the draft
        itself stays plain text for ``$EDITOR`` and for the user."""
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.path(question_id)
        replace_file(target, text)
        if elapsed is not None:
            replace_file(self._clock_path(question_id), f"{elapsed:.1f}\n")
        return target

    def load(self, question_id: str) -> AnswerDraft | None:
        """The saved draft, or None when there is none or it holds only whitespace."""
        p = self.path(question_id)
        try:
            text = p.read_text(encoding="utf-8")
            mtime = p.stat().st_mtime
        except FileNotFoundError:
            return None
        if not text.strip():
            return None
        try:
            elapsed: float | None = float(self._clock_path(question_id).read_text("utf-8"))
        except (OSError, ValueError):
            elapsed = None
        return AnswerDraft(question_id, text, p, datetime.fromtimestamp(mtime, UTC), elapsed)

    def discard(self, question_id: str) -> None:
        self.path(question_id).unlink(missing_ok=True)
        self._clock_path(question_id).unlink(missing_ok=True)
