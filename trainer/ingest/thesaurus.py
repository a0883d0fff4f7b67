"""A cheap thesaurus: the keyword groups of the shipped (hand-written) rubrics.

An author grouped 信任 / 放心 / 信得过 because a candidate says any of them for
the same idea; a drafted term found in such a group is widened with the
group's other words. Read straight from the bundled ``rubrics/*.yaml`` (plain
YAML, no validation: they are validated by the test suite), once per process.

``exclude`` leaves some topics' rubrics out — the bench drafts a shipped
topic's own articles, and widening with that topic's own hand-written groups
would be measuring the answer key.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import yaml

from trainer.paths import bundled_content_dir


@lru_cache(maxsize=8)
def _groups(exclude: frozenset[str]) -> tuple[tuple[str, ...], ...]:
    out: list[tuple[str, ...]] = []
    for path in sorted((bundled_content_dir() / "rubrics").glob("*.yaml")):
        if path.stem in exclude:
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if not isinstance(data, dict) or data.get("status") == "draft":
            continue
        for point in data.get("points") or ():
            for group in (point or {}).get("keywords") or ():
                words = group if isinstance(group, list) else [group]
                words = [str(w).strip() for w in words if str(w).strip()]
                if len(words) > 1:
                    out.append(tuple(words))
    return tuple(out)


def shipped_thesaurus(exclude: Iterable[str] = ()) -> dict[str, list[str]]:
    """word → the other words of every shipped keyword group it is in (first seen first)."""
    thes: dict[str, list[str]] = {}
    for group in _groups(frozenset(exclude)):
        for w in group:
            alts = thes.setdefault(w, [])
            alts.extend(a for a in group if a != w and a not in alts)
    return thes
