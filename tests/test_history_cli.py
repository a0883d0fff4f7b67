"""`trainer history`, `history show` and `stats` through the real CLI entry point."""

from __future__ import annotations

import json
import sys
import types
from dataclasses import replace

from _attempts import make_attempt

from trainer.history.store import open_store


def _seed():
    with open_store() as st:
        ids = [
            st.add_attempt(
                make_attempt(
                    "2026-11-20T08:00:00+00:00",
                    "trust-gap/phenomenon-1",
                    verdicts={"yy-blame": "miss", "dc-trust": "partial"},
                    answer="我认为信任缺口必须弥合。\n首先，过度干预挤压了基层自主空间。",
                )
            ),
            st.add_attempt(
                make_attempt("2026-11-21T08:00:00+00:00", "burden-relief/opinion-1", mode="mock")
            ),
            st.add_attempt(make_attempt("2026-11-22T08:00:00+00:00", "trust-gap/opinion-2")),
        ]
    return ids


def test_history_lists_newest_first_with_filters(cli):
    _seed()
    out = cli("history").stdout
    assert out.index("trust-gap/opinion-2") < out.index("burden-relief/opinion-1")
    assert "模拟" in out and "共 3 条" in out
    only = cli("history", "--topic", "burden-relief").stdout
    assert "burden-relief/opinion-1" in only and "trust-gap" not in only
    data = json.loads(cli("history", "--limit", "2", "--json").stdout)
    assert [d["question_id"] for d in data] == ["trust-gap/opinion-2", "burden-relief/opinion-1"]
    assert {"id", "created_at", "total", "band", "mode"} <= set(data[0])
    assert "最近 2 条" in cli("history", "-n", "2").stdout


def test_history_show_rerenders_the_stored_report_and_the_answer(cli, monkeypatch):
    first, *_ = _seed()
    result = cli("history", "show", str(first))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "trust-gap/phenomenon-1" in out
    assert "首先，过度干预挤压了基层自主空间。" in out  # the answer
    assert "范文：问责泛化让基层干部怕担责" in out  # a missed point with its model wording
    assert "完整表述：上级要敢于放权赋能" in out  # a partial one with the full wording
    assert "答到了wh-autonomy的句子" in out  # evidence for a hit
    assert "得分 76/100" in out and "按当时的版本" in out
    full = json.loads(cli("history", "show", str(first), "--json").stdout)
    assert (
        full["id"] == first and full["score"]["sections"]["原因"]["points"][0]["verdict"] == "miss"
    )


def test_history_show_uses_the_scorers_report_when_available(cli, monkeypatch):
    seen = []
    fake = types.ModuleType("trainer.render.report")
    fake.render_score = lambda console, score: seen.append(score)
    monkeypatch.setitem(sys.modules, "trainer.render.report", fake)
    first, *_ = _seed()
    result = cli("history", "show", str(first))
    assert result.exit_code == 0, result.stderr
    (score,) = seen
    assert score.total == first_total(first)
    by = {s.section: s for s in score.sections}
    assert by["原因"].points[0].verdict == "miss"
    assert by["危害"].points[0].evidence.text == "答到了wh-autonomy的句子"


def first_total(aid):
    with open_store() as st:
        return st.get(aid).total


def test_stats_command_renders_and_json(cli):
    _seed()
    result = cli("stats")
    assert result.exit_code == 0, result.stderr
    assert "共 3 次作答" in result.stdout and "最常漏掉" in result.stdout
    data = json.loads(cli("stats", "--json").stdout)
    assert data["overview"]["count"] == 3
    assert data["missed"][0]["point_id"] == "yy-blame"
    narrowed = json.loads(cli("stats", "--topic", "burden-relief", "--json").stdout)
    assert narrowed["overview"]["count"] == 1


def test_history_show_flags_attempts_scored_against_an_older_rubric(cli):
    q = json.loads(cli("list", "--json").stdout)[0]
    current = json.loads(cli("show", q["id"], "--json").stdout)["rubric_version"]
    with open_store() as st:
        fresh = st.add_attempt(replace(make_attempt(qid=q["id"]), rubric_version=current))
        old = st.add_attempt(make_attempt("2026-11-01T08:00:00+00:00", qid=q["id"]))
    assert "题库要点已更新" not in cli("history", "show", str(fresh)).stdout
    assert "题库要点已更新" in cli("history", "show", str(old)).stdout
