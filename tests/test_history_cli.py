"""`trainer history`, `history show` and `stats` through the real CLI entry point."""

from __future__ import annotations

import io
import json
from dataclasses import replace

from _attempts import make_attempt
from scoring_data import labelled

from trainer.history.store import open_store
from trainer.render import report
from trainer.render.common import make_console
from trainer.render.history import stored_report
from trainer.render.report import render_score
from trainer.scoring.scorer import score
from trainer.text import fmt_points


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
    assert f"得分 {fmt_points(first_total(first))}/100" in out and "按当时的版本" in out
    full = json.loads(cli("history", "show", str(first), "--json").stdout)
    assert (
        full["id"] == first and full["score"]["sections"]["原因"]["points"][0]["verdict"] == "miss"
    )


def test_history_show_hands_the_report_screen_the_rebuilt_score(cli, monkeypatch):
    seen = []
    monkeypatch.setattr(report, "render_score", lambda console, score, *rest: seen.append(score))
    first, *_ = _seed()
    result = cli("history", "show", str(first))
    assert result.exit_code == 0, result.stderr
    (rebuilt,) = seen
    assert rebuilt.total == first_total(first)
    by = {s.section: s for s in rebuilt.sections}
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


def _out_of_order_score(bank):
    """The real scorer on tg-01 with its 对策 paragraph moved before 危害 and 原因."""
    good = next(a for a in labelled() if a.id == "tg-01")
    p = [x for x in good.text.split("\n\n") if x.strip()]
    answer = "\n\n".join([p[0], p[3], p[1], p[2], p[4]])
    q = bank.get(good.question)
    s = score(answer, q, bank.rubric(q))
    assert s.structure.out_of_order  # 危害 and 原因 come after 对策
    return q, answer, s


def test_history_show_keeps_the_out_of_order_marks(cli, shipped_bank):
    q, answer, s = _out_of_order_score(shipped_bank)
    with open_store() as st:
        aid = st.add_attempt(
            replace(
                make_attempt(qid=q.id, answer=answer),
                question_text=q.text,
                total=s.total,
                score=s.to_dict(),
                rubric_version=s.rubric_version,
            )
        )
    out = cli("history", "show", str(aid)).stdout
    assert all(f"{sec}⇄" in out for sec in s.structure.out_of_order) and "实际顺序" in out
    assert out.count("⇄") == _render_now(s).count("⇄")  # as on the screen right after answering


def _render_now(s) -> str:
    buf = io.StringIO()
    render_score(make_console(file=buf, width=120), s)
    return buf.getvalue()


def test_stored_report_renders_the_stored_json_like_the_report_screen(shipped_bank):
    _q, _answer, s = _out_of_order_score(shipped_bank)
    stored = json.loads(json.dumps(s.to_dict(), ensure_ascii=False))
    buf = io.StringIO()
    stored_report(make_console(file=buf, width=120), stored)
    assert buf.getvalue() == _render_now(s)
    assert all(f"{sec}⇄" in buf.getvalue() for sec in s.structure.out_of_order)


def test_stored_report_says_so_when_the_stored_json_is_not_a_score():
    buf = io.StringIO()
    stored_report(make_console(file=buf, width=120), {"sections": "?"})
    assert "无法读取" in buf.getvalue()


def test_history_show_redraws_exactly_the_live_report(cli, monkeypatch, shipped_bank):
    """practice (piped) then ``history show``: the same report, character for character."""
    monkeypatch.setenv("COLUMNS", "80")
    q, answer, s = _out_of_order_score(shipped_bank)
    live = cli("practice", q.id, "--think", "0", input=answer)
    assert live.exit_code == 0, live.stderr
    with open_store() as st:
        (attempt,) = st.list_attempts()
    shown = cli("history", "show", str(attempt.id))
    assert shown.exit_code == 0, shown.stderr
    buf = io.StringIO()
    render_score(make_console(file=buf, width=80), s, answer, q)
    report_screen = buf.getvalue()
    assert report_screen in live.stdout
    assert report_screen in shown.stdout  # 点题 first, ⇄ kept, evidence in its sentence
    assert all(f"{sec}⇄" in report_screen for sec in s.structure.out_of_order)


def test_stats_shows_whole_topic_titles(cli):
    _seed()
    out = cli("stats").stdout
    flat = "".join(line.strip(" │┃") for line in out.splitlines())
    from trainer.cli.common import bank

    for topic in ("trust-gap", "burden-relief"):
        title = bank().topics[topic].title
        assert title.replace(" ", "") in flat.replace(" ", ""), title
