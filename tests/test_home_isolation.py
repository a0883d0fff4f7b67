"""A test run never touches the real home: not at import, not in fixtures, not in tests.

Content loads write a cache under the data dir, which is ``~/.local/share/gk-trainer``
unless ``TRAINER_HOME`` is set. ``tests/conftest.py`` sets it for every test
(autouse ``trainer_home``) and for what runs outside a test (collection, session
fixtures); no test module loads content at import time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from trainer.paths import data_dir

REPO = Path(__file__).resolve().parent.parent

#: Tests that load the shipped content through the session fixtures and the CLI.
CONTENT_TESTS = (
    "test_bundled_content_has_no_problems",
    "test_question_renders_without_unfilled_slots",
    "test_length_and_spoken_time_suit_a_three_to_four_minute_answer",
    "test_one_question_to_stdout_in_each_format",
    "test_text_wraps_to_width_without_breaking_punctuation_rules",
)


def test_every_test_gets_a_private_trainer_home(request, tmp_path_factory):
    assert "trainer_home" in request.fixturenames  # autouse: no test can forget it
    home = request.getfixturevalue("trainer_home")
    assert os.environ["TRAINER_HOME"] == str(home)
    assert data_dir() == home
    assert home.is_relative_to(tmp_path_factory.getbasetemp())


def test_collecting_and_loading_content_leave_an_empty_home_empty(tmp_path):
    """Collect the whole suite and run tests that load content with HOME an empty dir."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"TRAINER_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"}
        and not k.startswith("PYTEST_")
    }
    env["HOME"] = str(home)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--basetemp",
            str(tmp_path / "inner"),
            "-k",
            " or ".join(CONTENT_TESTS),
            str(REPO / "tests"),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert " passed" in proc.stdout and " deselected" in proc.stdout, proc.stdout[-500:]
    left = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    assert left == [], f"the test run wrote into HOME: {left}"
