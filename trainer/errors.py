"""Domain errors and their exit codes (0 ok, 1 domain failure, 2 bad input, 130 Ctrl-C)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The process exit codes every command uses."""

    OK = 0
    FAILURE = 1  # a domain failure (e.g. the attempt could not be saved)
    USAGE = 2  # usage error or a bad input file
    INTERRUPTED = 130  # Ctrl-C


class TrainerError(Exception):
    """A failure the user can act on; rendered as one line, never a traceback."""

    exit_code: int = ExitCode.FAILURE


class InputError(TrainerError):
    """Bad usage or a bad input file (exit code 2)."""

    exit_code = ExitCode.USAGE


class ContentError(InputError):
    """Content files failed validation; carries every problem found."""

    def __init__(self, problems: list) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownQuestion(InputError):
    """A question id that does not exist; the message names close matches."""
