"""``trainer history delete ID``: the way out for a record the user does not want (or a bad one)."""

from __future__ import annotations

import sqlite3

import pytest
from _attempts import make_attempt

from trainer.history.store import db_path, open_store


@pytest.fixture
def two(trainer_home):
    with open_store() as st:
        first = st.add_attempt(make_attempt("2026-11-20T08:00:00+00:00", "trust-gap/phenomenon-1"))
        second = st.add_attempt(make_attempt("2026-11-21T08:00:00+00:00", "trust-gap/opinion-2"))
    return first, second


def _ids() -> list[int]:
    with open_store() as st:
        return sorted(a.id for a in st.list_attempts() if a.id is not None)


def test_delete_with_yes_removes_just_that_record(cli, two):
    first, second = two
    result = cli("history", "delete", str(first), "--yes")
    assert result.exit_code == 0, result.stderr
    assert f"已删除练习记录 #{first}" in result.stdout
    assert _ids() == [second]
    assert "trust-gap/phenomenon-1" not in cli("history").stdout


def test_without_a_terminal_and_without_yes_nothing_is_deleted(cli, two):
    result = cli("history", "delete", str(two[0]))
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and "--yes" in line
    assert _ids() == list(two)


@pytest.mark.parametrize("reply, kept", [("y\n", False), ("n\n", True), ("\n", True)])
def test_asks_for_confirmation_at_a_terminal(cli, two, monkeypatch, reply, kept):
    monkeypatch.setattr("trainer.cli.history_cmds._can_ask", lambda: True)
    result = cli("history", "delete", str(two[0]), input=reply)
    assert result.exit_code == 0, result.stderr
    assert "删除后无法恢复" in result.stdout
    assert (two[0] in _ids()) is kept
    assert ("未删除" in result.stdout) is kept


def test_unknown_id_is_a_usage_error(cli, two):
    result = cli("history", "delete", "999", "--yes")
    assert result.exit_code == 2 and "999" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _ids() == list(two)


def test_a_record_stored_before_validation_can_be_seen_and_deleted(cli):
    with open_store() as st:
        st.add_attempt(make_attempt())
    with sqlite3.connect(db_path()) as conn:  # what import let in before it checked times
        conn.execute("UPDATE attempts SET think_seconds = 9e999, answer_seconds = 1e308")
    listed = cli("history")
    assert listed.exit_code == 0 and "trust-gap/phenomenon-1" in listed.stdout
    assert cli("stats").exit_code == 0
    assert cli("history", "show", "1").exit_code == 0
    assert cli("history", "delete", "1", "--yes").exit_code == 0
    assert _ids() == []
