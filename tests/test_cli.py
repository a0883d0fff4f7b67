"""The CLI shell: help everywhere, list/show/validate behave as documented."""

from __future__ import annotations

import json
import re

import typer.main

from trainer.cli import app


def _walk(group, prefix=()):
    for name, cmd in sorted(getattr(group, "commands", {}).items()):
        yield (*prefix, name), cmd
        yield from _walk(cmd, (*prefix, name))


def test_every_command_has_help_text(cli):
    commands = list(_walk(typer.main.get_command(app)))
    assert {"list", "show", "validate"} <= {path[0] for path, _ in commands}
    for path, cmd in commands:
        assert (cmd.help or "").strip(), f"trainer {' '.join(path)} has no help text"
        result = cli(*path, "--help")
        assert result.exit_code == 0, (path, result.stderr)
        assert "用法：" in result.stdout


def test_top_level_help_is_chinese(cli):
    result = cli("--help")
    assert result.exit_code == 0
    assert "你怎么看" in result.stdout


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0 and re.match(r"trainer \d+\.\d+", result.stdout)


def test_list_json_is_an_array_with_unique_stable_ids(cli):
    first = cli("list", "--json")
    second = cli("list", "--json")
    assert first.exit_code == 0
    data = json.loads(first.stdout)
    assert data == json.loads(second.stdout)
    assert len(data) >= 1
    ids = [q["id"] for q in data]
    assert len(ids) == len(set(ids))
    for q in data:
        assert {"id", "topic", "template", "text"} <= set(q)
        assert q["id"].startswith(q["topic"] + "/")
        assert "{" not in q["text"], "unfilled template slot"


def test_list_topic_filter_and_unknown_topic(cli):
    data = json.loads(cli("list", "--json").stdout)
    topic = data[0]["topic"]
    filtered = json.loads(cli("list", "--topic", topic, "--json").stdout)
    assert filtered and all(q["topic"] == topic for q in filtered)
    bad = cli("list", "--topic", topic + "x")
    assert bad.exit_code == 2 and topic in bad.stderr and "Traceback" not in bad.stderr


def test_list_table_shows_every_question(cli):
    data = json.loads(cli("list", "--json").stdout)
    table = cli("list").stdout
    for q in data:
        assert q["id"] in table


def test_show_renders_question_and_hints(cli):
    q = json.loads(cli("list", "--json").stdout)[0]
    result = cli("show", q["id"])
    assert result.exit_code == 0
    assert q["text"][:12] in result.stdout.replace("\n", "")
    data = json.loads(cli("show", q["id"], "--json").stdout)
    assert data["id"] == q["id"] and data["rubric_version"]


def test_unknown_question_names_close_matches_exit_2(cli):
    q = json.loads(cli("list", "--json").stdout)[0]
    result = cli("show", q["id"] + "9")
    assert result.exit_code == 2
    assert q["id"] in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_missing_content_dir_is_a_usage_error(cli, tmp_path):
    result = cli("--content", str(tmp_path / "nope"), "list")
    assert result.exit_code == 2 and "nope" in result.stderr


def test_shipped_content_validates(cli):
    result = cli("validate")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "校验通过" in result.stdout
