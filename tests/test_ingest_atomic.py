"""Ctrl-C while ``ingest`` writes a topic leaves the whole topic or nothing, never a part.

Before, each file was put in place on its own: an interrupt after the first source
left ``sources/*.txt`` without their rubric, and the rerun refused (文件已存在).
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

RAW = Path(__file__).resolve().parent / "data" / "raw"
A000, A001 = (str(p) for p in sorted(RAW.glob("*.txt"))[:2])


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _interrupt_at_target(monkeypatch, nth: int = 2, *, real_signal: bool = False) -> list[str]:
    """Ctrl-C when the ``nth`` file of the topic is put in place (temp files don't count)."""
    real = os.replace
    placed: list[str] = []

    def replace(src, dst):
        if Path(dst).suffix not in (".tmp", ".old"):
            placed.append(str(dst))
            if len(placed) == nth:
                if real_signal:
                    os.kill(os.getpid(), signal.SIGINT)
                else:
                    raise KeyboardInterrupt
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    return placed


@pytest.mark.parametrize("real_signal", [False, True], ids=["raised", "sigint"])
def test_ctrl_c_between_files_writes_nothing_and_the_rerun_works(
    cli, tmp_path, monkeypatch, real_signal
):
    out = tmp_path / "rubrics" / "tg.yaml"
    real = os.replace
    placed = _interrupt_at_target(monkeypatch, real_signal=real_signal)
    r = cli("ingest", A000, A001, "-o", str(out))
    assert r.exit_code == 130
    assert len(placed) >= 2  # the interrupt did come between two files
    assert _files(tmp_path) == {}  # no orphan sources, no staging leftovers
    monkeypatch.setattr(os, "replace", real)
    r = cli("ingest", A000, A001, "-o", str(out))
    assert r.exit_code == 0, r.stderr
    assert out.is_file() and (tmp_path / "rubrics" / "sources" / "tg-2.txt").is_file()
    assert (tmp_path / "prompts" / "tg.yaml").is_file()
    assert not [p for p in tmp_path.rglob(".trainer-ingest-*")]


def test_ctrl_c_while_staging_writes_nothing(cli, tmp_path, monkeypatch):
    import trainer.ingest.write as write

    real = write.replace_file
    calls = []

    def staged(path, text, *a, **kw):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(path, text, *a, **kw)

    monkeypatch.setattr(write, "replace_file", staged)
    r = cli("ingest", A000, A001, "-o", str(tmp_path / "rubrics" / "tg.yaml"))
    assert r.exit_code == 130
    assert _files(tmp_path) == {}


def test_an_interrupted_force_keeps_the_old_topic_whole(cli, tmp_path, monkeypatch):
    out = tmp_path / "rubrics" / "tg.yaml"
    assert cli("ingest", A000, "-o", str(out)).exit_code == 0
    out.write_text(out.read_text(encoding="utf-8") + "# 我的修改\n", encoding="utf-8")
    before = _files(tmp_path)
    _interrupt_at_target(monkeypatch, nth=4)  # the last file: sources and rubric are in place
    r = cli("ingest", A000, A001, "-o", str(out), "--force")
    assert r.exit_code == 130
    assert _files(tmp_path) == before  # the edited rubric and its sources, as they were
