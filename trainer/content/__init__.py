"""Content: the question bank and the rubrics it is scored against.

Owns reading YAML with line numbers (``yamlsrc``), typed field checks
(``checker``), the rubric reader (``rubric``), templates and questions (``prompts``), loading content roots
(bundled, user, ``--content``) with every problem as ``path:line: field: message``
(``loader``), keeping every content path inside its root (``confine``), the
loaded-content cache (``cache``, JSON via ``serialize``, never pickle) and the
question bank that resolves ids and effective rubrics (``bank``).

May import: ``trainer.models``, ``trainer.text``, ``trainer.errors``,
``trainer.paths``, ``trainer.fileio``. Never typer, rich or rapidfuzz.
"""
