"""Content paths stay inside their content root (issue 16, security).

A hostile content dir must not make `trainer validate` read files elsewhere: its
quote check would otherwise be a yes/no oracle on `/etc/shadow`, and a symlinked
content YAML would print the target's values in problem messages.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_content_validation import RUBRIC, make_root, problems_of

from trainer.content import rubric as rubric_mod

REFUSED = "来源文件必须在题库目录内"


def _with_file(file: str, quote: str = "基层疲惫不堪") -> str:
    return RUBRIC.replace("file: sources/d1.txt", f"file: {file}").replace(
        "quote: 基层疲惫不堪", f"quote: {quote}"
    )


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """Every file the quote check reads."""
    seen: list[Path] = []
    real = Path.read_text

    def spy(self: Path, *args, **kwargs):
        seen.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", spy)
    rubric_mod._source_text_cache.clear()
    return seen


@pytest.mark.parametrize(
    "file",
    ["../../../../../../../../etc/passwd", "/etc/passwd", "/etc/shadow", "/proc/self/environ"],
)
def test_a_source_outside_the_content_dir_is_refused_and_never_read(tmp_path, reads, file):
    root = make_root(tmp_path, rubric=_with_file(file, quote="root"))
    problems = problems_of(root)
    hit = [p for p in problems if p.field == "sources[0].file"]
    assert hit and REFUSED in hit[0].message, [str(p) for p in problems]
    assert str(hit[0]).startswith(f"{hit[0].path}:5: sources[0].file: {REFUSED}")
    # no oracle: the quote check neither read the file nor reported on the quote
    assert not [p for p in reads if "etc" in str(p) or "proc" in str(p)]
    assert not [p for p in problems if p.field.endswith("source.quote")]


def test_a_symlinked_source_pointing_outside_is_refused(tmp_path, reads):
    secret = tmp_path / "secret.txt"
    secret.write_text("口令是基层疲惫不堪", encoding="utf-8")
    root = make_root(tmp_path / "c", rubric=_with_file("sources/link.txt"))
    os.symlink(secret, root / "rubrics" / "sources" / "link.txt")
    problems = problems_of(root)
    assert [p for p in problems if p.field == "sources[0].file" and REFUSED in p.message]
    assert secret not in [p.resolve() for p in reads]


def test_sources_inside_the_root_still_work_including_symlinks_within(tmp_path):
    root = make_root(tmp_path, rubric=_with_file("sources/../sources/link.txt"))
    os.symlink(root / "rubrics" / "sources" / "d1.txt", root / "rubrics" / "sources" / "link.txt")
    assert problems_of(root) == []


def test_a_symlinked_content_yaml_is_refused_without_printing_its_values(tmp_path, cli):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    secret = outside / "demo.yaml"
    secret.write_text(RUBRIC.replace("section: 危害", "section: 口令-hunter2"), encoding="utf-8")
    root = make_root(tmp_path / "c")
    target = root / "rubrics" / "demo.yaml"
    target.unlink()
    os.symlink(secret, target)
    result = cli("--content", str(root), "validate")
    assert result.exit_code == 2
    out = result.stdout + result.stderr
    assert "内容文件必须在题库目录内" in out
    assert "hunter2" not in out
    assert "Traceback" not in out
