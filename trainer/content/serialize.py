"""Loaded content as plain JSON data and back, for the content cache.

The cache lives in the user's data dir, which other programs (or people) may be
able to write. JSON can only ever produce data, and ``content_from_dict`` checks
the type of every field, raising ``ValueError`` on anything of the wrong shape,
so a damaged or hostile cache file is refused (and the YAML loaded instead)
rather than trusted. ``content_from_dict(content_to_dict(c)) == c`` for every
loaded ``Content`` without problems.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trainer.content.loader import Content
from trainer.content.rubric import RawQuestion
from trainer.models import Material, Point, Source, SourceRef, Template, Topic

FORMAT = 1  # bump when the shape below changes


# --------------------------------------------------------------------------- checked readers


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {type(value).__name__}")
    return value


def _num(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expected a number, got {type(value).__name__}")
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected an integer, got {type(value).__name__}")
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"expected a list, got {type(value).__name__}")
    return value


_STR_ONLY = {str}
_KEYSETS: dict[tuple[str, ...], frozenset[str]] = {}


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise ValueError("expected true or false")
    return value


def _map(value: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    wanted = _KEYSETS.get(keys)
    if wanted is None:
        wanted = _KEYSETS[keys] = frozenset(keys)
    if type(value) is not dict or value.keys() != wanted:
        raise ValueError(f"expected an object with {', '.join(keys)}")
    return value


def _strs(value: Any) -> tuple[str, ...]:
    if type(value) is not list or (value and set(map(type, value)) != _STR_ONLY):
        raise ValueError("expected a list of text")
    return tuple(value)


def _pairs(value: Any) -> tuple[tuple[str, str], ...]:
    out = []
    for pair in _list(value):
        a, b = _list(pair)
        out.append((_str(a), _str(b)))
    return tuple(out)


# --------------------------------------------------------------------------- models


def ref_to_dict(r: SourceRef) -> dict[str, Any]:
    return {"doc": r.doc, "quote": r.quote}


def ref_from_dict(d: Any) -> SourceRef:
    d = _map(d, ("doc", "quote"))
    return SourceRef(_str(d["doc"]), _str(d["quote"]))


_SOURCE = ("id", "title", "file", "publisher", "date")


def source_to_dict(s: Source) -> dict[str, Any]:
    return {k: getattr(s, k) for k in _SOURCE}


def source_from_dict(d: Any) -> Source:
    d = _map(d, _SOURCE)
    return Source(*(_str(d[k]) for k in _SOURCE))


_POINT = ("id", "section", "weight", "text", "keywords", "source", "phrasings")


def point_to_dict(p: Point) -> dict[str, Any]:
    return {
        "id": p.id,
        "section": p.section,
        "weight": p.weight,
        "text": p.text,
        "keywords": [list(g) for g in p.keywords],
        "source": ref_to_dict(p.source),
        "phrasings": list(p.phrasings),
    }


def point_from_dict(d: Any) -> Point:
    d = _map(d, _POINT)
    return Point(
        id=_str(d["id"]),
        section=_str(d["section"]),
        weight=_num(d["weight"]),
        text=_str(d["text"]),
        keywords=tuple(_strs(g) for g in _list(d["keywords"])),
        source=ref_from_dict(d["source"]),
        phrasings=_strs(d["phrasings"]),
    )


def material_to_dict(m: Material) -> dict[str, Any]:
    return {"text": m.text, "source": ref_to_dict(m.source)}


def material_from_dict(d: Any) -> Material:
    d = _map(d, ("text", "source"))
    return Material(_str(d["text"]), ref_from_dict(d["source"]))


_TOPIC = (
    "id",
    "title",
    "summary",
    "sources",
    "points",
    "transition",
    "materials",
    "model_answer",
    "path",
    "draft",
)


def topic_to_dict(t: Topic) -> dict[str, Any]:
    return {
        "id": t.id,
        "title": t.title,
        "summary": t.summary,
        "sources": [source_to_dict(s) for s in t.sources],
        "points": [point_to_dict(p) for p in t.points],
        "transition": t.transition,
        "materials": [material_to_dict(m) for m in t.materials],
        "model_answer": [list(p) for p in t.model_answer],
        "path": t.path,
        "draft": t.draft,
    }


def topic_from_dict(d: Any) -> Topic:
    d = _map(d, _TOPIC)
    return Topic(
        id=_str(d["id"]),
        title=_str(d["title"]),
        summary=_str(d["summary"]),
        sources=tuple(source_from_dict(s) for s in _list(d["sources"])),
        points=tuple(point_from_dict(p) for p in _list(d["points"])),
        transition=_str(d["transition"]),
        materials=tuple(material_from_dict(m) for m in _list(d["materials"])),
        model_answer=_pairs(d["model_answer"]),
        path=_str(d["path"]),
        draft=_bool(d["draft"]),
    )


_TEMPLATE = ("id", "kind", "text", "slots", "hint", "skeleton")


def template_to_dict(t: Template) -> dict[str, Any]:
    return {
        "id": t.id,
        "kind": t.kind,
        "text": t.text,
        "slots": list(t.slots),
        "hint": t.hint,
        "skeleton": [[step, list(sections)] for step, sections in t.skeleton],
    }


def template_from_dict(d: Any) -> Template:
    d = _map(d, _TEMPLATE)
    steps = d["skeleton"]
    if not isinstance(steps, list) or not all(isinstance(x, list) and len(x) == 2 for x in steps):
        raise ValueError("template.skeleton: not a list of [step, sections]")
    return Template(
        _str(d["id"]),
        _str(d["kind"]),
        _str(d["text"]),
        _strs(d["slots"]),
        _str(d["hint"]),
        tuple((_str(step), _strs(secs)) for step, secs in steps),
    )


_RAW = (
    "topic",
    "local_id",
    "template",
    "slots",
    "hints",
    "weights",
    "exclude",
    "extra_points",
    "model_answer",
    "path",
    "line",
)


def raw_question_to_dict(q: RawQuestion) -> dict[str, Any]:
    return {
        "topic": q.topic,
        "local_id": q.local_id,
        "template": q.template,
        "slots": [[k, v] for k, v in q.slots.items()],  # pairs: keys and order kept exactly
        "hints": list(q.hints),
        "weights": [[k, v] for k, v in q.weights.items()],
        "exclude": list(q.exclude),
        "extra_points": [point_to_dict(p) for p in q.extra_points],
        "model_answer": [list(p) for p in q.model_answer],
        "path": q.path,
        "line": q.line,
    }


def raw_question_from_dict(d: Any) -> RawQuestion:
    d = _map(d, _RAW)
    weights: dict[str, float] = {}
    for pair in _list(d["weights"]):
        key, value = _list(pair)
        weights[_str(key)] = _num(value)
    return RawQuestion(
        topic=_str(d["topic"]),
        local_id=_str(d["local_id"]),
        template=_str(d["template"]),
        slots=dict(_pairs(d["slots"])),
        hints=_strs(d["hints"]),
        weights=weights,
        exclude=_strs(d["exclude"]),
        extra_points=tuple(point_from_dict(p) for p in _list(d["extra_points"])),
        model_answer=_pairs(d["model_answer"]),
        path=_str(d["path"]),
        line=_int(d["line"]),
    )


# --------------------------------------------------------------------------- content


_CONTENT = ("format", "topics", "templates", "raw_questions", "files")


def content_to_dict(c: Content) -> dict[str, Any]:
    """The JSON-able form of content without problems (content with problems is never cached)."""
    if c.problems:
        raise ValueError("content with problems is not cached")
    return {
        "format": FORMAT,
        "topics": [topic_to_dict(t) for t in c.topics.values()],
        "templates": [template_to_dict(t) for t in c.templates.values()],
        "raw_questions": [raw_question_to_dict(q) for q in c.raw_questions],
        "files": [str(f) for f in c.files],
    }


def content_from_dict(d: Any) -> Content:
    """``Content`` from its JSON form; ``ValueError`` when anything has the wrong shape."""
    d = _map(d, _CONTENT)
    if d["format"] != FORMAT:
        raise ValueError("another cache format")
    topics = [topic_from_dict(t) for t in _list(d["topics"])]
    templates = [template_from_dict(t) for t in _list(d["templates"])]
    return Content(
        topics={t.id: t for t in topics},
        templates={t.id: t for t in templates},
        raw_questions=[raw_question_from_dict(q) for q in _list(d["raw_questions"])],
        problems=[],
        files=[Path(_str(f)) for f in _list(d["files"])],
    )
