"""Practice history: every attempt in SQLite, and what is computed from it.

Owns the store (``store``: stdlib sqlite3, WAL, under the user data dir), its
numbered migrations (``schema``), progress statistics (``stats``), the FSRS
review queue (``review``) and export / import (``transfer``).

May import: ``trainer.models``, ``trainer.errors``, ``trainer.paths``,
``trainer.fileio`` and ``trainer.scoring.serialize`` (stored score JSON).
Never typer or rich.
"""
