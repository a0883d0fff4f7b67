"""Every help page is Chinese, fits the terminal and follows the line-break rules."""

from __future__ import annotations

import re

import pytest
import typer.main

from trainer.cli import app
from trainer.cli.zh import COMMAND_ORDER
from trainer.text import NO_LINE_START, cell_width

ENGLISH_CHROME = (
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Show this message",
    "[default",
    "[required]",
    "<str>",
    "<int",
    "<float",
    "[x>=",
    "TEXT",
    "QID",
    "FILE",
)


def _paths(group, prefix=()):
    yield prefix
    for name, cmd in sorted(getattr(group, "commands", {}).items()):
        yield from _paths(cmd, (*prefix, name))


ALL_PATHS = list(_paths(typer.main.get_command(app)))


@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("path", ALL_PATHS, ids=lambda p: " ".join(p) or "trainer")
def test_help_is_chinese_and_fits(cli, monkeypatch, path, width):
    monkeypatch.setenv("COLUMNS", str(width))
    result = cli(*path, "--help")
    assert result.exit_code == 0, result.stderr
    page = result.stdout
    assert page.startswith("用法：trainer")
    for word in ENGLISH_CHROME:
        assert word not in page, (path, word)
    for line in page.splitlines():
        assert cell_width(line) <= width, (path, line)
        assert line.startswith("用法：") or not line.endswith("…"), (path, line)
        assert line.strip()[:1] not in NO_LINE_START, (path, line)


def test_latin_words_are_never_split():
    from trainer.text import wrap_cells

    text = "群众反映政务APP难用，要求提供 Ctrl-D 提交" * 3
    for width in range(10, 40):
        lines = wrap_cells(text, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for a, b in zip(lines, lines[1:], strict=False):
            assert not (
                a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum()
            )
            assert b[:1] not in NO_LINE_START


def test_commands_in_the_order_a_candidate_meets_them(cli):
    page = cli("--help").stdout
    listed = re.findall(r"^  ([a-z-]+)  ", page.split("命令：")[1], re.M)
    assert listed == [c for c in COMMAND_ORDER if c in listed]
    assert listed[:4] == ["practice", "mock", "score", "model-answer"]


def test_mistyped_command_is_chinese_with_a_suggestion(cli):
    result = cli("practis")
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == "错误：没有这个命令：practis（是不是想用 practice？）；用 `trainer -h` 查看用法。"
    )


def test_think_is_whole_seconds_in_practice_and_mock():
    group = typer.main.get_command(app)
    kinds = {
        name: next(p for p in group.commands[name].params if p.name == "think").type.name
        for name in ("practice", "mock")
    }
    assert set(kinds.values()) == {"int range"}, kinds


def test_help_does_not_load_rich(tmp_path):
    import subprocess
    import sys

    code = "import sys, runpy; sys.argv=['trainer','--help']\ntry: runpy.run_module('trainer', run_name='__main__')\nexcept SystemExit: pass\nprint('rich' in sys.modules, file=sys.stderr)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stderr.strip() == "False"
