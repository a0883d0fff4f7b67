"""The content cache is data, never code (issue 16, security).

The cache lives in the data dir; whoever can write a file there must not get
code run on the next `trainer score`. It used to be a pickle.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from test_content_validation import make_root

from trainer.content.loader import load_content, load_files
from trainer.content.serialize import content_from_dict, content_to_dict


class _Boom:
    """Unpickling this creates the marker file: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "pwned"))


def _cache_files(home: Path) -> list[Path]:
    return sorted((home / "cache").glob("content-*"))


def _same(a, b) -> None:
    assert a.topics == b.topics
    assert list(a.topics) == list(b.topics)
    assert a.templates == b.templates and list(a.templates) == list(b.templates)
    assert a.raw_questions == b.raw_questions
    assert a.files == b.files
    assert a.problems == b.problems == []


def test_the_shipped_content_round_trips_exactly_through_json():
    fresh = load_content()
    data = json.loads(json.dumps(content_to_dict(fresh), ensure_ascii=False))
    _same(content_from_dict(data), fresh)


def test_the_cache_is_json_and_a_cached_load_equals_a_fresh_one(tmp_path, trainer_home):
    root = make_root(tmp_path / "c")
    first = load_content([root])
    files = _cache_files(trainer_home)
    assert [f.suffix for f in files] == [".json"]
    json.loads(files[0].read_text(encoding="utf-8"))  # plain JSON
    second = load_content([root])
    _same(second, first)
    _same(second, load_files(first.files))


@pytest.mark.parametrize("as_name", [".json", ".pickle"])
def test_a_planted_pickle_is_never_executed(tmp_path, trainer_home, as_name):
    root = make_root(tmp_path / "c")
    expected = load_content([root])
    (cache,) = _cache_files(trainer_home)
    marker = tmp_path / "marker"
    payload = pickle.dumps(_Boom(marker))
    cache.with_suffix(as_name).write_bytes(payload)
    got = load_content([root])
    assert not marker.exists(), "the cache file ran code"
    _same(got, expected)


@pytest.mark.parametrize(
    "garbage",
    [
        b"\x80\x04garbage",
        b'{"format": 1, "topics": "x", "templates": [], "raw_questions": [], "files": []}',
        b'{"format": 1, "topics": [{"id": 1}], "templates": [], "raw_questions": [], "files": []}',
        b"[]",
        b'{"format": 99}',
    ],
)
def test_a_damaged_or_misshapen_cache_is_not_trusted(tmp_path, trainer_home, garbage):
    root = make_root(tmp_path / "c")
    expected = load_content([root])
    (cache,) = _cache_files(trainer_home)
    cache.write_bytes(garbage)
    _same(load_content([root]), expected)
    # and it was rebuilt
    json_data = json.loads(cache.read_text(encoding="utf-8"))
    _same(content_from_dict(json_data), expected)


def test_trainer_score_ignores_a_planted_pickle(cli, tmp_path, trainer_home):
    assert cli("list", "--json").exit_code == 0
    (cache,) = _cache_files(trainer_home)
    marker = tmp_path / "marker"
    payload = pickle.dumps(_Boom(marker))
    cache.write_bytes(payload)
    cache.with_suffix(".pickle").write_bytes(payload)
    result = cli(
        "score",
        "--question",
        "trust-gap/phenomenon-1",
        "--no-save",
        "-",
        input="我认为要加强信任。",
    )
    assert result.exit_code == 0, result.stderr
    assert "得分" in result.stdout
    assert not marker.exists()
