"""Model answers (范文): the six-step answer for a question.

Owns assembling the answer from an authored override or the effective rubric
points (``assemble``) and the wording helpers it uses — stance, lead-ins,
connectives, material choice (``wording``). Pure: no I/O.

May import: ``trainer.models``, ``trainer.text``. Rendering lives in
``trainer.render.modelanswer`` and ``trainer.render.booklet``.
"""
