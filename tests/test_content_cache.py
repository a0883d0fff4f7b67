"""The content cache never serves stale content and never gets in the way."""

from __future__ import annotations

import os

from test_content_validation import make_root

from trainer.content.loader import load_content


def test_second_load_comes_from_the_cache_and_matches(tmp_path, trainer_home):
    root = make_root(tmp_path / "c")
    first = load_content([root])
    assert list((trainer_home / "cache").glob("content-*.json"))
    second = load_content([root])
    assert second.topics == first.topics and second.raw_questions == first.raw_questions


def test_an_edited_file_is_reloaded(tmp_path):
    root = make_root(tmp_path / "c")
    assert load_content([root]).topics["demo"].title == "示例主题"
    rubric = root / "rubrics" / "demo.yaml"
    rubric.write_text(
        rubric.read_text(encoding="utf-8").replace("示例主题", "改过的主题"), encoding="utf-8"
    )
    st = rubric.stat()
    os.utime(rubric, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert load_content([root]).topics["demo"].title == "改过的主题"


def test_content_with_problems_is_not_cached_and_still_reported(tmp_path, trainer_home):
    root = make_root(tmp_path / "c")
    (root / "rubrics" / "demo.yaml").write_text("id: demo\ntitle: x\n", encoding="utf-8")
    content = load_content([root], strict=False)
    assert content.problems
    assert load_content([root], strict=False).problems == content.problems


def test_unwritable_data_dir_still_loads(tmp_path, monkeypatch):
    blocker = tmp_path / "home-is-a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("TRAINER_HOME", str(blocker))
    root = make_root(tmp_path / "c")
    assert "demo" in load_content([root]).topics


def test_the_compiled_rubric_is_cached_as_json_and_scores_the_same(cli, tmp_path):
    """`trainer score` reuses the scorer's compiled rubric; the cache is data, not code."""
    import json
    import os
    from pathlib import Path

    from trainer.content.bank import QuestionBank
    from trainer.scoring.prepare import compile_rubric, compiled_from_dict, compiled_to_dict

    bank = QuestionBank.load()
    q = bank.get("trust-gap/phenomenon-1")
    rubric = bank.rubric(q)
    fresh = compile_rubric(rubric)
    assert compiled_from_dict(json.loads(json.dumps(compiled_to_dict(fresh))), rubric) == fresh

    answer = tmp_path / "a.txt"
    answer.write_text("我认为上级对基层不放心，危害很大，要建立容错机制。", encoding="utf-8")
    first = cli("score", "-q", q.id, str(answer), "--json", "--no-save")
    cache = Path(os.environ["TRAINER_HOME"]) / "cache"
    stored = list(cache.glob("compiled-*.json"))
    assert len(stored) == 1 and json.loads(stored[0].read_text(encoding="utf-8"))["points"]
    second = cli("score", "-q", q.id, str(answer), "--json", "--no-save")
    assert json.loads(second.stdout)["total"] == json.loads(first.stdout)["total"]
    stored[0].write_text("{broken", encoding="utf-8")  # a damaged cache is rebuilt, not trusted
    third = cli("score", "-q", q.id, str(answer), "--json", "--no-save")
    assert (
        third.exit_code == 0
        and json.loads(third.stdout)["total"] == json.loads(first.stdout)["total"]
    )
