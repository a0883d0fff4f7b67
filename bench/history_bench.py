"""History store figures: per-write cost, and what `stats` / `review` cost as history grows.

Runs in a temporary TRAINER_HOME. Prints per-item times and totals for N
attempts with realistic score JSON (35 points, evidence spans):

* add_attempt, one process, a fresh connection per write (as separate commands do);
* two processes writing at once: total throughput and rows lost (must be 0);
* load all attempts + compute stats + build the FSRS review queue;
* `trainer stats` and `trainer review --list` end to end (subprocess wall time).

``--scale N`` (e.g. 100000) instead seeds N attempts straight into the database
(500 distinct stored rows, re-dated and re-keyed: realistic sizes, seconds to
seed) and runs each command once as a subprocess, printing its wall time and
peak RSS (``os.wait4``): `trainer stats`, `review --list`, `history --limit 20`,
`export` (JSON and CSV) and `import` of the JSON export into an empty history.
Targets at 100,000: stats ≤ 2 s, history ≤ 0.3 s, export/import ≤ 300 MB.
A CPU figure (a 10⁶-step Python loop) is printed first: on a shared, loaded
machine divide by it to compare runs. ``--repo PATH`` runs another checkout
(for before/after figures).
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if "--repo" in sys.argv:
    REPO = Path(sys.argv[sys.argv.index("--repo") + 1]).resolve()
sys.path.insert(0, str(REPO))

from trainer.models import SECTIONS, Attempt  # noqa: E402

SIZES = (200, 2000)


def fake_attempt(rng: random.Random, when: datetime, qid: str) -> Attempt:
    sections = {}
    for s in SECTIONS:
        pts = []
        for k in range(7):
            v = rng.choice(("full", "full", "partial", "miss"))
            pts.append(
                {
                    "id": f"{s}-{k}",
                    "point_id": f"{s}-{k}",
                    "section": s,
                    "verdict": v,
                    "similarity": rng.random(),
                    "credit": {"full": 1.0, "partial": 0.5, "miss": 0.0}[v],
                    "weight": 4.0,
                    "text": "上级要敢于放权赋能，给基层容错空间，让干部愿干事、敢担当。",
                    "evidence": None
                    if v == "miss"
                    else {"start": 10, "end": 40, "text": "我认为要给基层更多自主空间和容错空间"},
                }
            )
        earned = sum(p["credit"] * 4 for p in pts)
        sections[s] = {
            "section": s,
            "present": True,
            "points": pts,
            "earned": earned,
            "possible": 28.0,
        }
    total = round(rng.uniform(30, 95), 1)
    score = {
        "total": total,
        "band": "中",
        "sections": sections,
        "structure": {"detected": list(SECTIONS), "missing": [], "in_order": True},
        "length": {"chars": 620, "seconds": 161.7, "band": "合适"},
        "warnings": [],
    }
    return Attempt(
        question_id=qid,
        question_text="有人说……对此，你怎么看？" * 3,
        topic=qid.split("/")[0],
        answer="首先，" + "上下级信任缺口的危害不容忽视。" * 40,
        mode="practice",
        total=total,
        score=score,
        rubric_version="0123456789ab",
        created_at=when.isoformat(),
        think_seconds=60,
        answer_seconds=180,
    )


def seed(n: int) -> list[Attempt]:
    rng = random.Random(n)
    start = datetime.now(UTC) - timedelta(days=60)
    qids = [f"topic{t}/q{q}" for t in range(3) for q in range(8)]
    return [
        fake_attempt(rng, start + timedelta(minutes=43 * i), rng.choice(qids)) for i in range(n)
    ]


def timed(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def cli_time(args: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "trainer", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


WRITER = """
import sys
sys.path.insert(0, {repo!r}); sys.path.insert(0, {bench!r})
import random
from datetime import UTC, datetime
from history_bench import fake_attempt
from trainer.history.store import open_store
rng = random.Random(sys.argv[1])
for i in range(int(sys.argv[2])):
    with open_store() as st:
        st.add_attempt(fake_attempt(rng, datetime.now(UTC), "race/" + sys.argv[1] + str(i)))
"""


def seed_scale(home: str, n: int) -> None:
    """N attempts written as the store writes them, from 500 distinct rows (fast)."""
    import sqlite3

    from trainer.history import schema, store

    rng = random.Random(n)
    start = datetime.now(UTC) - timedelta(days=3 * 365)
    qids = [f"topic{t}/q{q}" for t in range(6) for q in range(10)]
    templates = [
        store._to_row(fake_attempt(rng, start, rng.choice(qids)), f"t{k}") for k in range(500)
    ]
    with store.open_store(Path(home, "history.sqlite3")):
        pass  # create and migrate
    conn = sqlite3.connect(Path(home, "history.sqlite3"), isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    ids: dict[str, int] = {}
    step = timedelta(days=3 * 365) / n
    for i in range(n):
        row = dict(templates[i % len(templates)])
        qid = qids[rng.randrange(len(qids))]
        row.update(
            uid=f"u{i:07d}",
            question_id=qid,
            topic=qid.split("/")[0],
            created_at=(start + step * i).isoformat(),
        )
        if "points_json" in row:
            row["pointset_id"] = schema.pointset_id(conn, row.pop("points_json"), ids)
        cols = ", ".join(row)
        conn.execute(
            f"INSERT INTO attempts ({cols}) VALUES ({', '.join(':' + k for k in row)})", row
        )
    conn.execute("COMMIT")
    conn.close()


def run_measured(args: list[str], home: str, limit_s: float = 600) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MB, exit code) of one `trainer` subprocess."""
    import site

    # -S: no .pth files, so an editable install of this checkout cannot shadow --repo.
    path = os.pathsep.join([str(REPO), *site.getsitepackages()])
    env = {**os.environ, "PYTHONPATH": path, "TRAINER_HOME": home}
    t0 = time.perf_counter()
    p = subprocess.Popen(
        [sys.executable, "-S", "-m", "trainer", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    deadline = t0 + limit_s
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            p.kill()
            pid, status, usage = os.wait4(p.pid, 0)
            break
        time.sleep(0.01)
    dt = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code != 0 and p.stderr is not None:
        print(f"    ({' '.join(args)} exited {code}: {p.stderr.read().decode()[-300:]})")
    return dt, usage.ru_maxrss / 1024, code


def cpu_figure() -> float:
    t0 = time.perf_counter()
    sum(i * i for i in range(10**6))
    return time.perf_counter() - t0


def scale(n: int) -> None:
    print(f"CPU figure: 10^6-step loop {cpu_figure() * 1000:.0f} ms (about 50 ms unloaded)")
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as fresh:
        t0 = time.perf_counter()
        seed_scale(home, n)
        size = Path(home, "history.sqlite3").stat().st_size
        print(f"N={n}: seeded in {time.perf_counter() - t0:.1f} s; db {size / 1e6:.0f} MB")
        export = Path(home, "all.json")
        steps = [
            ("stats", ["stats"], home),
            ("review --list", ["review", "--list"], home),
            ("history --limit 20", ["history", "--limit", "20"], home),
            ("export json", ["export", "-o", str(export)], home),
            ("export csv", ["export", "-o", str(Path(home, "all.csv"))], home),
            ("import json", ["import", str(export)], fresh),
        ]
        for label, args, where in steps:
            dt, rss, code = run_measured(args, where)
            per = (
                f", {dt / n * 1e6:.0f} µs/attempt" if label.startswith(("export", "import")) else ""
            )
            print(f"  trainer {label:20s} {dt:7.2f} s  peak RSS {rss:6.0f} MB{per}")
            if label == "export json" and code == 0:
                print(f"    export file {export.stat().st_size / 1e6:.0f} MB")


def main() -> None:
    if "--scale" in sys.argv:
        scale(int(sys.argv[sys.argv.index("--scale") + 1]))
        return
    from trainer.history.review import build_queue, due_items
    from trainer.history.stats import compute
    from trainer.history.store import open_store

    for n in SIZES:
        with tempfile.TemporaryDirectory() as home:
            os.environ["TRAINER_HOME"] = home
            attempts = seed(n)
            writes = min(n, 200)
            t0 = time.perf_counter()
            for a in attempts[:writes]:
                with open_store() as st:
                    st.add_attempt(a)
            per_write = (time.perf_counter() - t0) / writes
            with open_store() as st:
                st.merge((None, a) for a in attempts[writes:])
            size = Path(home, "history.sqlite3").stat().st_size
            print(
                f"N={n}: add_attempt (open+write+close) {per_write * 1000:.2f} ms/attempt; db {size / 1e6:.1f} MB"
            )

            with open_store() as st:
                t_load, loaded = timed(st.list_attempts, None, None)
            now = datetime.now().astimezone()
            t_stats, _ = timed(compute, loaded, now.date(), now.tzinfo)
            t_queue, items = timed(build_queue, loaded)
            due = due_items(items, now, now.tzinfo)
            print(
                f"  load {t_load * 1000:.0f} ms ({t_load / n * 1e6:.0f} µs/attempt), "
                f"stats {t_stats * 1000:.0f} ms, review queue {t_queue * 1000:.0f} ms "
                f"({len(items)} cards, {len(due)} due)"
            )
            print(
                f"  trainer stats {cli_time(['stats']) * 1000:.0f} ms, "
                f"trainer review --list {cli_time(['review', '--list']) * 1000:.0f} ms, "
                f"trainer history {cli_time(['history']) * 1000:.0f} ms (median wall)"
            )

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "TRAINER_HOME": home}
        script = Path(home, "w.py")
        script.write_text(
            WRITER.format(repo=str(REPO), bench=str(REPO / "bench")), encoding="utf-8"
        )
        per = 300
        t0 = time.perf_counter()
        procs = [
            subprocess.Popen([sys.executable, str(script), tag, str(per)], env=env) for tag in "AB"
        ]
        for p in procs:
            p.wait()
        dt = time.perf_counter() - t0
        os.environ["TRAINER_HOME"] = home
        with open_store() as st:
            got = st.count()
        print(
            f"2 processes x {per} writes at once: {dt:.2f} s wall, {2 * per / dt:.0f} writes/s, "
            f"{2 * per - got} lost"
        )


if __name__ == "__main__":
    main()
