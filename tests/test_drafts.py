"""Drafted topics: listed and practisable by id, never drawn at random until published."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from trainer.content.bank import QuestionBank
from trainer.content.rubric import without_draft_status

RAW = Path(__file__).parent / "data" / "raw"
A000 = RAW / "000_e39a62388ecd3693.txt"
A001 = RAW / "001_3e4d899c15c64ad6.txt"


@pytest.fixture
def drafted(cli, trainer_home):
    r = cli("ingest", str(A000), str(A001), "--topic-id", "my-trust")
    assert r.exit_code == 0, r.stderr
    return trainer_home / "content" / "rubrics" / "my-trust.yaml"


def test_a_draft_is_listed_and_marked(cli, drafted):
    assert "status: draft" in drafted.read_text(encoding="utf-8")
    rows = json.loads(cli("list", "--json").stdout)
    mine = [q for q in rows if q["topic"] == "my-trust"]
    assert mine and all(q["draft"] for q in mine)
    assert not any(q["draft"] for q in rows if q["topic"] != "my-trust")
    table = cli("list").stdout
    assert "草稿" in table and "trainer publish my-trust" in table


def test_a_draft_is_never_drawn_at_random(drafted):
    bank = QuestionBank.load()
    assert bank.topics["my-trust"].draft
    for seed in range(40):
        drawn = bank.draw(random.Random(seed), None, 4)
        assert all(q.topic != "my-trust" for q in drawn)
    assert all(q.topic != "my-trust" for q in bank.drawable())
    # asked for by name it is there: practice --topic, mock --topic
    assert {q.topic for q in bank.draw(random.Random(1), "my-trust", 1)} == {"my-trust"}
    assert bank.get("my-trust/phenomenon-1").topic == "my-trust"


def test_booklet_all_leaves_drafts_out_until_published(cli, drafted):
    before = cli("model-answer", "--all", "-f", "md").stdout
    assert "my-trust/" not in before
    assert "my-trust/" in cli("model-answer", "--topic", "my-trust", "-f", "md").stdout
    r = cli("publish", "my-trust")
    assert r.exit_code == 0, r.stderr
    assert "status:" not in drafted.read_text(encoding="utf-8")
    assert "my-trust/" in cli("model-answer", "--all", "-f", "md").stdout
    assert not json.loads(cli("list", "--json").stdout)[-1]["draft"]
    again = cli("publish", "my-trust")
    assert again.exit_code == 0 and "无需发布" in again.stdout


def test_publish_refuses_a_draft_that_does_not_validate(cli, drafted):
    text = drafted.read_text(encoding="utf-8").replace("    weight: ", "    weight: x", 1)
    drafted.write_text(text, encoding="utf-8")
    r = cli("publish", "my-trust")
    assert r.exit_code == 2 and "未发布" in r.stderr
    assert "status: draft" in drafted.read_text(encoding="utf-8")
    assert cli("publish", "no-such-topic").exit_code == 2


def test_unknown_status_is_a_validation_problem(cli, drafted):
    text = drafted.read_text(encoding="utf-8").replace("status: draft", "status: ready")
    drafted.write_text(text, encoding="utf-8")
    r = cli("validate", str(drafted))
    assert r.exit_code == 2 and "status" in r.stdout


def test_validate_a_rubric_file_loads_its_sibling_prompts(cli, tmp_path):
    out = tmp_path / "rubrics" / "draft-x.yaml"
    assert cli("ingest", str(A000), "-o", str(out)).exit_code == 0
    r = cli("validate", str(out))
    assert r.exit_code == 0, r.stdout + r.stderr
    r = cli("validate", str(tmp_path / "prompts" / "draft-x.yaml"))
    assert r.exit_code == 0, r.stdout + r.stderr
    flat = tmp_path / "flat" / "draft-y.yaml"
    assert cli("ingest", str(A000), "-o", str(flat)).exit_code == 0
    assert cli("validate", str(flat)).exit_code == 0


def test_without_draft_status_keeps_everything_else():
    text = "# 注释\nid: a\nstatus: draft  # 说明\ntitle: t\n"
    assert without_draft_status(text) == "# 注释\nid: a\ntitle: t\n"
    assert without_draft_status("id: a\n") is None


def test_summary_fits_80_columns_and_commands_are_whole(cli, trainer_home, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    r = cli("ingest", str(A000), str(A001), "--topic-id", "my-trust")
    assert r.exit_code == 0, r.stderr
    from rich.cells import cell_len

    lines = r.stdout.splitlines()
    commands = [ln for ln in lines if ln.strip().startswith("trainer ")]
    assert "  trainer show my-trust/phenomenon-1 --points" in commands
    assert "  trainer publish my-trust" in commands
    for ln in lines:
        if not ln.startswith("  /"):  # written paths may be long; they are not wrapped either
            assert cell_len(ln) <= 80, ln
    cells = "".join(ln for ln in lines if ln.startswith(("┃", "│")))
    assert not re.search("(?<!…)…(?!…)", cells)  # rich's cut mark: a header or cell cut short
