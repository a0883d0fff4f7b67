"""The content cache never serves stale content and never gets in the way."""

from __future__ import annotations

import os

from test_content_validation import make_root

from trainer.content.loader import load_content


def test_second_load_comes_from_the_cache_and_matches(tmp_path, trainer_home):
    root = make_root(tmp_path / "c")
    first = load_content([root])
    assert list((trainer_home / "cache").glob("content-*.pickle"))
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
