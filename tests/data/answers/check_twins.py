"""Check paraphrase twins against their originals: no shared run of 4+ characters, similar length.

Usage: python tests/data/answers/check_twins.py ORIGINALS.yaml TWINS.yaml [-v]

Both texts are compared with punctuation and whitespace removed. Terms the question itself
puts in quotation marks (“…” "…" ‘…’ — and each clause of a quoted sentence) may be kept:
they are cut out of both texts before comparing, so no run spans them. The question text is
built from prompts/<topic>.yaml (template + slots) and prompts/templates.yaml.
For each twin: the longest shared run, and the 汉字 length ratio twin / original.
Exit 1 if any twin shares a run of MIN_RUN or more characters, is off in length by more than
MAX_OFF, or does not match its original (missing twin_of, other question, other grade).
-v also lists every shared run of MIN_RUN or more characters.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

MIN_RUN = 4
MAX_OFF = 0.15
PROMPTS = Path(__file__).resolve().parents[3] / "prompts"
#: One pattern per kind of quotation mark, so a term in ‘…’ nested inside “…” counts too.
QUOTED = (re.compile(r"“([^”]+)”"), re.compile(r"\"([^\"]+)\""), re.compile(r"‘([^’]+)’"))


def strip(text: str) -> str:
    """Letters, digits and 汉字 only: no punctuation, no whitespace."""
    return "".join(ch for ch in text if ch.isalnum())


def hanzi(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")


def question_texts(prompts: Path = PROMPTS) -> dict[str, str]:
    """'topic/question-id' → the question as a candidate reads it."""
    templates = {
        t["id"]: t["text"]
        for t in yaml.safe_load((prompts / "templates.yaml").read_text("utf-8"))["templates"]
    }
    out = {}
    for path in sorted(prompts.glob("*.yaml")):
        if path.name == "templates.yaml":
            continue
        doc = yaml.safe_load(path.read_text("utf-8"))
        if not isinstance(doc, dict) or "questions" not in doc:
            continue
        for q in doc["questions"]:
            text = templates[q["template"]]
            for slot, value in (q.get("slots") or {}).items():
                text = text.replace("{" + slot + "}", str(value))
            out[f"{doc['topic']}/{q['id']}"] = text
    return out


def quoted_terms(question: str) -> list[str]:
    """Stripped quoted terms of a question, each quoted sentence also clause by clause."""
    terms = set()
    for m in (m for pattern in QUOTED for m in pattern.finditer(question)):
        inner = m.group(1)
        terms.add(strip(inner))
        terms.update(strip(c) for c in re.split(r"[，,。.！!？?；;：:、\s]+", inner))
    return sorted((t for t in terms if t), key=len, reverse=True)


def segments(text: str, terms: list[str]) -> list[str]:
    """The stripped text cut at every quoted term (the terms themselves dropped)."""
    parts = [strip(text)]
    for term in terms:
        parts = [piece for part in parts for piece in part.split(term)]
    return [p for p in parts if p]


def ngrams(parts: list[str], n: int) -> set[str]:
    return {p[i : i + n] for p in parts for i in range(len(p) - n + 1)}


def shared_runs(a: list[str], b: list[str]) -> tuple[str, list[str]]:
    """The longest run of a shared with b, and every maximal shared run of MIN_RUN+ characters."""
    longest = ""
    n = 1
    while True:
        common = ngrams(a, n) & ngrams(b, n)
        if not common:
            break
        longest = min(common)
        n += 1
    grams = ngrams(b, MIN_RUN)
    runs = []
    for part in a:
        i = 0
        while i + MIN_RUN <= len(part):
            if part[i : i + MIN_RUN] not in grams:
                i += 1
                continue
            j = i + MIN_RUN
            while j < len(part) and part[j - MIN_RUN + 1 : j + 1] in grams:
                j += 1
            runs.append(part[i:j])
            i = j
    return longest, runs


def _show(run: str, width: int = 16) -> str:
    return run if len(run) <= width else run[:width] + "…"


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("-")]
    verbose = "-v" in argv
    if len(args) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    originals = {e["id"]: e for e in yaml.safe_load(Path(args[0]).read_text("utf-8"))}
    twins = yaml.safe_load(Path(args[1]).read_text("utf-8"))
    questions = question_texts()
    bad = 0
    worst_run, ratios = "", []
    for t in twins:
        o = originals.get(t.get("twin_of"))
        if o is None or "text" not in o:
            print(f"{t['id']}: no original with a text for twin_of={t.get('twin_of')!r}")
            bad += 1
            continue
        problems = [
            f"{k} {t.get(k)!r} ≠ {o[k]!r}" for k in ("question", "grade") if t.get(k) != o[k]
        ]
        terms = quoted_terms(questions.get(o["question"], ""))
        longest, runs = shared_runs(segments(t["text"], terms), segments(o["text"], terms))
        ratio = hanzi(t["text"]) / hanzi(o["text"])
        ratios.append(ratio)
        worst_run = max(worst_run, longest, key=len)
        if len(longest) >= MIN_RUN:
            problems.append(f"shares {len(runs)} run(s) of {MIN_RUN}+")
        if abs(ratio - 1) > MAX_OFF:
            problems.append(f"length off by {abs(ratio - 1):.0%}")
        flag = "FAIL" if problems else "ok"
        print(
            f"{flag:4} {t['id']:8} longest shared run {len(longest)} ({_show(longest)})  "
            f"length {hanzi(t['text'])}/{hanzi(o['text'])} = {ratio:.2f}"
            + (f"  — {'; '.join(problems)}" if problems else "")
        )
        if verbose and runs:
            print("       " + " ".join(_show(r) for r in runs))
        bad += bool(problems)
    if ratios:
        print(
            f"{len(twins)} twins; worst shared run {len(worst_run)} ({_show(worst_run)}); "
            f"length ratio {min(ratios):.2f}–{max(ratios):.2f}; {bad} failing"
        )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
