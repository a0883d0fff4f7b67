"""Authoring: drafting a topic (rubric + question) from raw articles.

Owns cleaning pages (``clean``: boilerplate, 繁→简, encodings), splitting and
classifying sentences by cue words (``classify``, ``cues``), keyword groups
(``keywords``), the draft records (``records``), the pipeline that merges
near-duplicates across documents and cites sources (``pipeline``) and writing a
drafted topic into a content dir (``write``).

May import: ``trainer.models``, ``trainer.text``, ``trainer.errors``,
``trainer.paths``, ``trainer.fileio``, ``trainer.content``. Never typer or rich.
"""
