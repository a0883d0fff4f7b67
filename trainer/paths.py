"""Where things live: bundled content, the user's data dir (``TRAINER_HOME`` overrides)."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "gk-trainer"


def data_dir() -> Path:
    """The user's data directory (history DB, drafts, user content)."""
    home = os.environ.get("TRAINER_HOME")
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_dir  # lazy: only needed when touching user data

    return Path(user_data_dir(APP_NAME, appauthor=False))


def bundled_content_dir() -> Path:
    """The directory holding the shipped ``prompts/`` and ``rubrics/``.

    In a wheel they are installed as ``trainer/_content``; in a source checkout
    (editable install, tests) they are the repository's top-level directories.
    """
    pkg = Path(__file__).resolve().parent
    installed = pkg / "_content"
    if (installed / "prompts").is_dir():
        return installed
    return pkg.parent


def user_content_dir() -> Path:
    """Extra topics a user adds: ``<data dir>/content/{prompts,rubrics}``."""
    return data_dir() / "content"
