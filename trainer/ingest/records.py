"""Records of a drafted topic and the small text helpers that shape its points.

Split from ``trainer.ingest.pipeline`` (the pipeline), which re-exports them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trainer.ingest.classify import ATTRIBUTION_RE, ENUM_RE, SourceSentence, strip_lead
from trainer.ingest.clean import CleanDoc
from trainer.text import content_length, strip_punct

QUOTE_MAX = 40
TEXT_MAX = 70


@dataclass
class DraftPoint:
    id: str
    section: str
    weight: int
    text: str
    keywords: list[list[str]]
    doc: str  # source id ("d1")
    quote: str
    support: list[tuple[str, int]]  # (source id, sentence number) of every merged member
    score: float
    #: other wordings of the idea (``trainer.ingest.phrasings``)
    phrasings: list[str] = field(default_factory=list)


@dataclass
class DraftMaterial:
    text: str
    doc: str
    quote: str


@dataclass
class SourceDoc:
    id: str  # "d1", "d2", …
    clean: CleanDoc
    sentences: list[SourceSentence] = field(default_factory=list)


@dataclass
class TopicDraft:
    topic_id: str
    title: str
    summary: str
    question: str  # the 现象 material for the phenomenon template ("…。")
    transition: str
    sources: list[SourceDoc]
    points: list[DraftPoint]
    materials: list[DraftMaterial]
    warnings: list[str]

    def by_section(self, section: str) -> list[DraftPoint]:
        return [p for p in self.points if p.section == section]


# --------------------------------------------------------------------------- helpers


def bigrams(text: str) -> set[str]:
    s = strip_punct(text)
    return {s[i : i + 2] for i in range(len(s) - 1)}


def containment(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def condense(text: str, limit: int = TEXT_MAX) -> str:
    """A sentence without its enumerator/attribution, cut at a clause boundary, ending in 。."""
    core = strip_lead(text).strip().rstrip("…. ")
    core = re.sub(r"^(然而|但是|但|而|同时|因此|所以|另外)[，,]", "", core)
    clauses = re.findall(r"[^，；：。！？]+[，；：。！？]?", core)
    out = ""
    for c in clauses:
        if out and content_length(out + c) > limit:
            break
        out += c
    out = out.rstrip("，；：、 ")
    # Do not end on a dangling connective ("…，长此以往" / "…，进而").
    parts = re.split(r"(?<=[，；：])", out)
    if len(parts) > 1 and content_length(parts[-1]) <= 4:
        out = "".join(parts[:-1]).rstrip("，；：、 ")
    if not out.endswith(("。", "！", "？")):
        out = out.rstrip("。！？") + "。"
    return out


def quote_of(raw: str, limit: int = QUOTE_MAX) -> str:
    """An exact substring of ``raw`` of at most ``limit`` characters, on clause boundaries."""
    text = raw.strip()
    prev = None
    while prev != text:  # strip enumerators / attributions, still on the raw text
        prev = text
        m = ENUM_RE.match(text) or ATTRIBUTION_RE.match(text)
        if m and len(text) - m.end() >= 8:
            text = text[m.end() :]
    text = text.rstrip("…。.！？ ")
    if len(text) <= limit:
        return text
    out = ""
    for c in re.findall(r"[^，；：。！？]+[，；：。！？]?", text):
        if len(out + c) > limit:
            break
        out += c
    out = out.rstrip("，；：、 ")
    return out if len(strip_punct(out)) >= 8 else text[:limit]
