"""Shared fixtures: an isolated TRAINER_HOME, the shipped content, and a CLI runner.

Nothing a test run does touches the real home: every test gets its own data dir
(``trainer_home``, autouse), and what runs outside a test — collecting the
parametrized ids, session fixtures — gets a private session data dir
(``pytest_configure``). Test modules load no content at import time; they take
``shipped_bank`` / ``shipped_content`` and are parametrized over ``shipped_qid``
/ ``shipped_topic`` (``pytest_generate_tests``).
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_SESSION_HOME = pytest.StashKey[tuple[str, str | None]]()


def pytest_configure(config) -> None:
    """A private TRAINER_HOME for collection and session fixtures, removed at the end."""
    home = tempfile.mkdtemp(prefix="trainer-session-home-")
    config.stash[_SESSION_HOME] = (home, os.environ.get("TRAINER_HOME"))
    os.environ["TRAINER_HOME"] = home


def pytest_unconfigure(config) -> None:
    home, previous = config.stash.get(_SESSION_HOME, (None, None))
    if home is None:
        return
    if previous is None:
        os.environ.pop("TRAINER_HOME", None)
    else:
        os.environ["TRAINER_HOME"] = previous
    shutil.rmtree(home, ignore_errors=True)


@lru_cache(maxsize=1)
def _shipped_ids() -> tuple[list[str], list[str]]:
    """(topic ids, question ids) of the shipped content, for parametrizing at collection."""
    from trainer.content.bank import QuestionBank

    bank = QuestionBank.load()
    return sorted(bank.topics), [q.id for q in bank.questions]


def pytest_generate_tests(metafunc) -> None:
    wanted = {"shipped_topic", "shipped_qid"} & set(metafunc.fixturenames)
    if wanted:
        topics, qids = _shipped_ids()
        for name, values in (("shipped_topic", topics), ("shipped_qid", qids)):
            if name in wanted:
                metafunc.parametrize(name, values)


@pytest.fixture(scope="session")
def shipped_home(tmp_path_factory) -> Path:
    """The data dir the session-scoped content fixtures load under."""
    return tmp_path_factory.mktemp("shipped-home")


def _in_home(home: Path, load):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRAINER_HOME", str(home))
        return load()


@pytest.fixture(scope="session")
def shipped_bank(shipped_home):
    """The bundled questions, loaded once per session (through the content cache)."""
    from trainer.content.bank import QuestionBank

    return _in_home(shipped_home, QuestionBank.load)


@pytest.fixture(scope="session")
def shipped_content(shipped_home):
    """The bundled content as ``trainer validate`` loads it (quotes checked, no cache)."""
    from trainer.content.loader import load_content

    return _in_home(shipped_home, lambda: load_content(check_quotes=True))


@pytest.fixture(autouse=True)
def trainer_home(tmp_path_factory, monkeypatch) -> Path:
    """Every test gets its own data dir; nothing touches the real home."""
    home = tmp_path_factory.mktemp("trainer-home")
    monkeypatch.setenv("TRAINER_HOME", str(home))
    monkeypatch.setenv("COLUMNS", "120")
    return home


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(monkeypatch):
    """Run the CLI in-process exactly as the console script does; returns a Result."""
    from trainer.cli import main
    from trainer.cli.app import state

    def run(*args: str, input: str | None = None) -> Result:
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        monkeypatch.setattr(sys, "stdin", io.StringIO(input or ""))
        state.content_dirs = []
        code = 0
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            monkeypatch.setattr(sys, "stdout", sys.__stdout__)
            monkeypatch.setattr(sys, "stderr", sys.__stderr__)
        return Result(code, out.getvalue(), err.getvalue())

    return run
