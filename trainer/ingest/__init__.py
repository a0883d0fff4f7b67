"""Authoring: drafting a topic (rubric + question) from raw articles.

Owns cleaning pages (``clean``: boilerplate, 繁→简, encodings), splitting and
classifying sentences by cue words (``classify``, ``cues``), keyword groups
(``keywords``), distinctive keywords and drafted phrasings (``phrasings``, with
the shipped rubrics' keyword groups as a thesaurus, ``thesaurus``), the draft
records (``records``), the pipeline that merges near-duplicates across documents
and cites sources (``pipeline``), writing a drafted topic into a content dir
(``write``) and the fairness check (``fairness``).

May import: ``trainer.models``, ``trainer.text``, ``trainer.errors``,
``trainer.paths``, ``trainer.fileio``, ``trainer.content``; ``trainer.scoring``
only inside ``fairness.check`` (the check scores with the real scorer). Never
typer, rich or rapidfuzz.
"""
