"""Derive the 繁體 and unpunctuated twins of labelled answers (run once; output is committed).

Usage: python tests/data/answers/derive_twins.py  → prints YAML entries to append by hand.
繁體 twins use OpenCC s2tw (Taiwan standard characters) and s2hk (Hong Kong variants
such as 羣); not s2twp, whose Taiwan *vocabulary* (資料 for 数据) is a different answer,
not the same answer in another script. Unpunctuated twins drop every punctuation mark
(one keeps line breaks as spaces, one runs everything together).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).parent
TWINS = {
    "trust-gap": [
        ("tg-18", "tg-03", "s2tw"),
        ("tg-19", "tg-07", "s2hk"),
        ("tg-20", "tg-04", "nopunct-spaces"),
        ("tg-21", "tg-09", "nopunct"),
    ],
    "burden-relief": [
        ("br-18", "br-03", "s2tw"),
        ("br-19", "br-06", "s2hk"),
        ("br-20", "br-04", "nopunct-spaces"),
        ("br-21", "br-10", "nopunct"),
    ],
}


def derive(text: str, how: str) -> str:
    if how.startswith("s2"):
        import opencc

        return opencc.OpenCC(how).convert(text)
    keep_space = how == "nopunct-spaces"
    out = []
    for ch in text:
        if ch.isalnum():
            out.append(ch)
        elif ch == "\n" and keep_space:
            out.append(" ")
    return "".join(out).strip() + "\n"


def _entry_yaml(e: dict) -> str:
    points = ", ".join(f"{k}: {v}" for k, v in e["points"].items())
    head = [f"- id: {e['id']}"] + [
        f"  {k}: {e[k]}" for k in ("question", "kind", "twin_of", "split", "grade")
    ]
    body = "".join(f"    {line}\n" if line else "\n" for line in e["text"].splitlines())
    return "\n".join([*head, f"  points: {{{points}}}", "  text: |"]) + "\n" + body


def main() -> None:
    for topic, twins in TWINS.items():
        items = {a["id"]: a for a in yaml.safe_load((HERE / f"{topic}.yaml").read_text("utf-8"))}
        for new_id, src, how in twins:
            a = dict(items[src])
            kind = "traditional" if how.startswith("s2") else "unpunctuated"
            entry = {
                "id": new_id,
                "question": a["question"],
                "kind": kind,
                "twin_of": src,
                "split": "tune" if int(new_id[3:]) % 2 else "held",
                "grade": a["grade"],
                "points": a["points"],
                "text": derive(a["text"], how),
            }
            sys.stdout.write(f"# {topic}: {how}\n{_entry_yaml(entry)}\n")


if __name__ == "__main__":
    main()
