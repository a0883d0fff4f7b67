"""Scorer quality and speed: prints figures, exits 0.

Quality, on the labelled set in tests/data/answers (thresholds were tuned on the
``tune`` half; the ``held`` half is the honest figure):
- Spearman rank agreement between the scorer's total and the examiner grade, and the
  absolute calibration: mean |total - grade| and the mean signed gap, per half and per
  topic, for all answers and for the genuine ones (gaming cases excluded);
- the short-but-correct answers with their band against the label's band;
- point-level agreement (said / not said) with the labels;
- a table of every gaming case, the cross-topic-long cases (an excellent answer to the
  other topic's question), and every twin, with its total.

Speed:
- median scoring time per answer for the 20-point rubric (target < 5 ms);
- a 1,000-answer batch through ``trainer score --batch`` end to end (target < 3 s);
- a 1 MB answer (target < 1 s);
- ``trainer score`` cold start as a ratio to
  ``python -c "import typer, rich, yaml, rapidfuzz"`` (target <= 1.5x).

Run from the repository root: ``python bench/score_bench.py``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from scoring_data import (  # noqa: E402
    CROSS_LONG,
    GAMING,
    GENUINE,
    labelled,
    outside_answers,
    outside_question,
    paraphrase_twins,
    spearman,
)

from trainer.content.bank import QuestionBank  # noqa: E402
from trainer.scoring.assess import BANDS  # noqa: E402
from trainer.scoring.scorer import compile_rubric, score  # noqa: E402

RUNS = 9


def _scores():
    bank = QuestionBank.load()
    compiled = {}
    out = []
    for a in labelled():
        if a.question not in compiled:
            q = bank.get(a.question)
            compiled[a.question] = (q, compile_rubric(bank.rubric(q)))
        q, cr = compiled[a.question]
        out.append((a, score(a.text, q, cr)))
    return out


def _agreement(rows) -> str:
    """rho, mean |total - grade| and mean signed gap (total - grade) of some answers."""
    if len(rows) < 2:
        return "n/a"
    rho = spearman([a.grade for a, _ in rows], [s.total for _, s in rows])
    mae = statistics.mean(abs(s.total - a.grade) for a, s in rows)
    bias = statistics.mean(s.total - a.grade for a, s in rows)
    return f"n={len(rows):2}  rho {rho:5.3f}  mean |gap| {mae:4.1f}  mean gap {bias:+5.1f}"


def quality() -> None:
    rows = _scores()
    print("== Quality on the labelled set (tests/data/answers)")
    print("  rank agreement (Spearman rho) and absolute calibration (gap = total - grade):")
    for split in ("tune", "held", "all"):
        for topic in ("all", "trust-gap", "burden-relief"):
            for scope in ("all", "genuine"):
                sel = [
                    (a, s)
                    for a, s in rows
                    if (split == "all" or a.split == split)
                    and (topic == "all" or a.question.startswith(topic + "/"))
                    and (scope == "all" or a.kind in GENUINE)
                ]
                print(f"    {split:4} {topic:13} {scope:7}  {_agreement(sel)}")
    tp = fp = fn = tn = exact = n = 0
    for a, s in rows:
        if a.kind not in GENUINE and a.kind not in ("traditional", "unpunctuated"):
            continue
        for sec in s.sections:
            for v in sec.points:
                label = a.points.get(v.point_id, "miss")
                n += 1
                exact += label == v.verdict
                said, hit = label != "miss", v.verdict != "miss"
                tp += said and hit
                fp += hit and not said
                fn += said and not hit
                tn += not said and not hit
    print(
        f"  points (genuine answers and twins, {n} point verdicts): said/not-said agreement "
        f"{(tp + tn) / n:.1%}, precision {tp / (tp + fp):.1%}, recall {tp / (tp + fn):.1%}, "
        f"exact full/partial/miss {exact / n:.1%}"
    )
    print("  by kind (label grade → scorer total):")
    for a, s in sorted(rows, key=lambda r: (r[0].kind not in GENUINE, -r[0].grade)):
        if a.kind in GENUINE:
            print(f"    {a.id} {a.kind:9} {a.grade:4.0f} → {s.total:5.1f} {s.band}")
    print("  short but correct answers (the band must match the label's band):")
    for a, s in rows:
        if a.kind == "short":
            chars = s.length.chars
            want = next(name for floor, name in BANDS if round(a.grade) >= floor)
            print(
                f"    {a.id} {a.split:4} {chars:4} 字 {s.length.seconds / 60:3.1f} min  "
                f"grade {a.grade:3.0f} {want} → {s.total:5.1f} {s.band}"
                f"{'' if want == s.band else '  BAND DIFFERS'}"
                f"  (content {s.content:4.1f}, depth {s.details['depth_chars']} 字)"
            )
    print("  gaming cases (all must be < 25; salad below every genuine middling answer):")
    print(f"    {'id':6} {'kind':11} {'grade':>5} {'total':>5} band  warnings")
    for a, s in rows:
        if a.kind in GAMING:
            print(
                f"    {a.id:6} {a.kind:11} {a.grade:5.0f} {s.total:5.1f} {s.band}    "
                f"{' / '.join(w.split('：')[0] for w in s.warnings[:3])}"
            )
    print(
        "  cross-topic-long: an excellent answer to the other topic's question (must be < 50, 跑题 warned):"
    )
    for a, s in rows:
        if a.kind == CROSS_LONG:
            warned = any(w.startswith("疑似跑题") for w in s.warnings)
            print(
                f"    {a.id} {a.split:4} on {a.question:27} grade {a.grade:3.0f} → {s.total:5.1f} {s.band}"
                f"  {'跑题 warned' if warned else 'NOT WARNED'}"
            )
    print("  twins (same verdicts; total within ±3 繁體, ±8 unpunctuated):")
    by_id = {a.id: s for a, s in rows}
    for a, s in rows:
        if a.twin_of:
            orig = by_id[a.twin_of]
            same = [v.verdict for x in s.sections for v in x.points] == [
                v.verdict for x in orig.sections for v in x.points
            ]
            print(
                f"    {a.id} ({a.kind} of {a.twin_of}): {s.total:5.1f} vs {orig.total:5.1f}  "
                f"verdicts {'identical' if same else 'DIFFER'}"
            )


def _median(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _run_median(cmd: list[str], env: dict) -> float:
    """Median wall time of running ``cmd`` from the repository root."""
    return _median(lambda: subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, check=True))


def speed() -> None:
    print("== Speed")
    bank = QuestionBank.load()
    q = bank.get("burden-relief/slogan-1")
    rubric = bank.rubric(q)
    cr = compile_rubric(rubric)
    answers = [a.text for a in labelled() if a.question.startswith("burden-relief")]
    for text in answers:  # warm-up (OpenCC loads on first use)
        score(text, q, cr)
    per = []
    for text in answers:
        per.append(_median(lambda t=text: score(t, q, cr), 15))
    compile_ms = _median(lambda: compile_rubric(rubric)) * 1000
    long = [t for t in answers if len(t) > 600]
    print(
        f"  score(): {len(rubric.points)}-point rubric, median {statistics.median(per) * 1000:.2f} ms per answer"
        f" (answers > 600 字: {statistics.median(_median(lambda t=t: score(t, q, cr), 15) for t in long) * 1000:.2f} ms;"
        f" max {max(per) * 1000:.2f} ms); compile_rubric once: {compile_ms:.2f} ms  [target < 5 ms]"
    )
    big = (answers[0] * 2000)[:350_000]
    size = len(big.encode("utf-8"))
    t = _median(lambda: score(big, q, cr), 3)
    print(f"  a {size / 1e6:.1f} MB answer: {t * 1000:.0f} ms  [target < 1 s]")

    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "class.jsonl"
        pool = [a for a in labelled()]
        with src.open("w", encoding="utf-8") as fh:
            for i in range(1000):
                a = pool[i % len(pool)]
                fh.write(
                    json.dumps(
                        {"id": f"s{i:04d}", "answer": a.text, "question": a.question},
                        ensure_ascii=False,
                    )
                    + "\n"
                )
        out = Path(tmp) / "results.csv"
        cmd = [py, "-m", "trainer", "score", "--batch", str(src), "-o", str(out), "--force"]
        env = {"PYTHONPATH": str(ROOT), "TRAINER_HOME": tmp, "PATH": "/usr/bin:/bin"}
        t = _median(
            lambda: subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, check=True), 3
        )
        rows = sum(1 for _ in out.open(encoding="utf-8-sig")) - 1
        print(
            f"  batch of 1,000 answers (JSONL → CSV, {rows} rows), end to end: {t:.2f} s  [target < 3 s]"
        )

        answer = Path(tmp) / "answer.txt"
        answer.write_text(answers[0], encoding="utf-8")
        base = _run_median([py, "-c", "import typer, rich, yaml, rapidfuzz"], env)
        cold = _run_median([py, "-m", "trainer", "score", "-q", q.id, str(answer), "--json"], env)
        unsaved = _run_median(
            [py, "-m", "trainer", "score", "-q", q.id, str(answer), "--json", "--no-save"], env
        )
        report = _run_median([py, "-m", "trainer", "score", "-q", q.id, str(answer)], env)
        listing = _run_median([py, "-m", "trainer", "list", "--json"], env)
        print(
            f"  cold start: baseline imports {base * 1000:.0f} ms; trainer score --json {cold * 1000:.0f} ms "
            f"({cold / base:.2f}x; {unsaved * 1000:.0f} ms = {unsaved / base:.2f}x with --no-save); "
            f"rich report {report * 1000:.0f} ms ({report / base:.2f}x)  [target <= 1.5x]\n"
            f"    for scale: trainer list --json (CLI + content loading, no scoring) {listing * 1000:.0f} ms "
            f"({listing / base:.2f}x); scoring adds {(unsaved - listing) * 1000:.0f} ms, "
            f"recording in history {(cold - unsaved) * 1000:.0f} ms"
        )


def _band(total: float) -> str:
    return next(name for floor, name in BANDS if round(total) >= floor)


def honesty() -> None:
    """Text nobody tuned to: paraphrase twins (held half) and published answers."""
    bank = QuestionBank.load()
    compiled: dict[str, tuple] = {}

    def total(qid: str, text: str) -> float:
        if qid not in compiled:
            q = bank.get(qid)
            compiled[qid] = (q, compile_rubric(bank.rubric(q)))
        q, cr = compiled[qid]
        return score(text, q, cr).total

    originals = {a.id: a for a in labelled()}
    print("== Paraphrase twins (same ideas, other words; tuned on 'tune', reported on 'held')")
    rows = []
    for t in paraphrase_twins():
        o = originals[t.twin_of]
        rows.append((t, total(o.question, o.text), total(t.question, t.text)))
    for split in ("tune", "held"):
        gaps = [tw - orig for t, orig, tw in rows if t.split == split]
        print(
            f"  {split}: n={len(gaps)}  mean |twin - original| {statistics.mean(map(abs, gaps)):4.1f}"
            f"  worst {min(gaps):+5.1f}  [held target: mean <= 6, none below -12]"
        )
    for t, orig, tw in rows:
        print(
            f"    {t.id:9} {t.split:4} {t.register:6} grade {t.grade:3.0f}  original {orig:5.1f}"
            f"  twin {tw:5.1f}  ({tw - orig:+5.1f})"
        )
    print(
        "== Published answers (third-party, tests/data/outside; examiners' band on their own question)"
    )
    within = 0
    graded = 0
    for o in outside_answers():
        q, rubric = outside_question(bank, o)
        got = score(o.text, q, rubric).total
        how = "own question" if q.id.startswith("outside/") else f"as {o.question}"
        off = abs(["差", "中", "好"].index(_band(got)) - ["差", "中", "好"].index(o.grade))
        if o.covered:
            graded += 1
            within += off <= 1
        print(
            f"    {o.id} {o.grade} → {got:5.1f} {_band(got)}  {'ok ' if off <= 1 else 'OFF'}"
            f"  ({how}{', truncated' if o.truncated else ''}{'' if o.covered else ', no shipped question asks this'})"
        )
    print(f"  within one band: {within}/{graded}  [target: all]")


def main() -> None:
    quality()
    honesty()
    speed()


if __name__ == "__main__":
    main()
