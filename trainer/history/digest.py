"""What stats and review need from a stored score, small enough to read 100,000 of in a second.

A score's JSON (``Score.to_dict()``) holds evidence spans and similarities that
only ``history show`` needs; rebuilding a ``Score`` from it for every attempt
made ``trainer stats`` read gigabytes. :func:`digest_of` reads the score once
(at write time, or in a migration) into a :class:`Digest`:

* ``band`` and per-section ``(section, earned, possible)`` in the score's order;
* ``pointset``: every point's ``(point_id, section, model wording)`` in order —
  identical for every attempt on one rubric version, so the store keeps each
  distinct point set once (table ``point_sets``) and attempts refer to it;
* ``verdicts``: one character per point of ``pointset`` — ``m`` miss,
  ``p`` partial, ``-`` anything else.

The columns (:func:`to_columns` / :func:`from_columns`) are what the store
writes; stats and review compute from a :class:`Digest` exactly what they
computed from the full score (tests/test_stats.py compares both).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NamedTuple

from trainer.models import Attempt
from trainer.scoring.serialize import score_from_dict

#: (point_id, section, model wording) of each point, in the score's order.
PointSet = tuple[tuple[str, str, str], ...]

_CODE = {"miss": "m", "partial": "p"}


class Digest(NamedTuple):  # a tuple: 100,000 of them are built per `trainer stats`
    band: str
    sections: tuple[tuple[str, float, float], ...]  # (section, earned, possible)
    pointset: PointSet
    verdicts: str  # one character per point: m miss, p partial, - other

    def missed(self) -> tuple[str, ...]:
        """Model wording (else the id) of the points missed, in order."""
        return tuple(
            text or pid
            for (pid, _sec, text), v in zip(self.pointset, self.verdicts, strict=True)
            if v == "m"
        )


class AttemptSummary(NamedTuple):
    """An attempt without its answer text and full score: what stats and review read."""

    id: int
    question_id: str
    question_text: str  # the question's wording in its latest attempt
    topic: str
    mode: str
    total: float
    created_at: str
    think_seconds: float
    answer_seconds: float
    digest: Digest | None  # None: the stored score could not be read


#: What stats and review accept: full attempts or the store's summaries.
Summarised = Attempt | AttemptSummary


def digest_of(score: Any) -> Digest | None:
    """The digest of a stored score dict; None when ``score_from_dict`` cannot read it."""
    try:
        s = score_from_dict(score)
    except ValueError:
        return None
    points = [v for sec in s.sections for v in sec.points]
    return Digest(
        band=s.band,
        sections=tuple((sec.section, sec.earned, sec.possible) for sec in s.sections),
        pointset=tuple((v.point_id, v.section, v.text) for v in points),
        verdicts="".join(_CODE.get(v.verdict, "-") for v in points),
    )


def digest_for(a: Summarised) -> Digest | None:
    return a.digest if isinstance(a, AttemptSummary) else digest_of(a.score)


# --------------------------------------------------------------------------- columns


def to_columns(d: Digest | None) -> tuple[str, str | None, str, str | None]:
    """``(band, sections_json, verdicts, pointset_json)``; sections/pointset None when unreadable."""
    if d is None:
        return "", None, "", None
    return (
        d.band,
        json.dumps(d.sections, ensure_ascii=False),
        d.verdicts,
        json.dumps(d.pointset, ensure_ascii=False),
    )


def pointset_from_json(text: str) -> PointSet:
    return tuple((str(p), str(s), str(t)) for p, s, t in json.loads(text))


# The C scanner, without json.loads' per-call overhead (typeshed does not list the attribute).
_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def parse_sections(sections_json: str) -> tuple[tuple[str, float, float], ...]:
    # written by to_columns from floats, so JSON gives floats back
    return tuple(map(tuple, _scan(sections_json, 0)[0]))


def from_columns(
    band: str, sections_json: str | None, verdicts: str, pointset: PointSet | None
) -> Digest | None:
    if sections_json is None or pointset is None:
        return None
    return Digest(band, parse_sections(sections_json), pointset, verdicts)
