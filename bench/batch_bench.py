"""``trainer score --batch`` on a big class file: wall time and peak memory; prints, exits 0.

Builds a CSV of N rows (the labelled answers in tests/data/answers, cycled, each row
its own question) and runs ``trainer score --batch FILE -o results.csv`` as a real
process in a throw-away TRAINER_HOME (warmed once, so the compiled-rubric cache is
there). Peak memory is the largest sum of RSS over the process and its workers,
sampled every 20 ms from /proc (and the kernel's own peak for the largest process).

Figures (see the closing note of issue 15): 5,000 rows with one process and with
``--jobs 2``; 100,000 rows must stay under 300 MB (rows are streamed, answers are not
held).

Run from the repository root: ``python bench/batch_bench.py [--big N] [--skip-big]``.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from scoring_data import labelled  # noqa: E402

TRAINER = [sys.executable, "-m", "trainer"]


def make_csv(path: Path, rows: int, chars: int = 0) -> None:
    """``rows`` rows; with ``chars`` each answer is cut to its first ``chars`` characters."""
    answers = labelled()
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["学号", "姓名", "答案", "题号"])
        for i in range(rows):
            a = answers[i % len(answers)]
            w.writerow([f"s{i:06d}", f"学生{i}", a.text[:chars] if chars else a.text, a.question])


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds (process + workers), peak summed RSS (MB), exit code.

    CPU seconds are the fair figure when other work shares the machine's cores.
    """
    cpu0 = _cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*TRAINER, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(_rss(p) for p in _tree(proc.pid)))
        time.sleep(0.02)
    wall = time.perf_counter() - start
    return wall, _cpu() - cpu0, peak / 2**20, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--big", type=int, default=100_000)
    ap.add_argument("--big-jobs", type=int, default=2)
    ap.add_argument("--big-chars", type=int, default=0, help="cut big-file answers to N chars")
    ap.add_argument("--skip-big", action="store_true")
    ap.add_argument("--skip-small", action="store_true")
    opts = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="batch-bench-"))
    env = {**os.environ, "TRAINER_HOME": str(tmp / "home"), "COLUMNS": "100"}
    try:
        warm = tmp / "warm.csv"
        make_csv(warm, 60)
        run(["score", "--batch", str(warm), "-o", str(tmp / "w.csv")], env)
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
        if not opts.skip_small:
            small = tmp / "class.csv"
            make_csv(small, opts.rows)
            print(f"{opts.rows:,}-row CSV ({small.stat().st_size / 2**20:.1f} MB):")
            for jobs in (1, 2):
                out = tmp / f"r{jobs}.csv"
                wall, cpu, peak, code = run(
                    ["score", "--batch", str(small), "-o", str(out), "--jobs", str(jobs)], env
                )
                print(
                    f"  --jobs {jobs}: {wall:6.1f} s wall, {cpu:6.1f} s CPU, "
                    f"peak {peak:4.0f} MB (tree), exit {code}"
                )
            same = (tmp / "r1.csv").read_bytes() == (tmp / "r2.csv").read_bytes()
            print(f"  --jobs 1 and --jobs 2 results identical: {same}")
            small.unlink()
        if not opts.skip_big:
            big = tmp / "big.csv"
            make_csv(big, opts.big, opts.big_chars)
            out = tmp / "rbig.csv"
            wall, cpu, peak, code = run(
                [
                    "score",
                    "--batch",
                    str(big),
                    "-o",
                    str(out),
                    "--jobs",
                    str(opts.big_jobs),
                    "--report",
                    str(tmp / "report.html"),
                ],
                env,
            )
            cut = f", answers cut to {opts.big_chars} chars" if opts.big_chars else ""
            print(
                f"{opts.big:,}-row CSV ({big.stat().st_size / 2**20:.0f} MB{cut}), "
                f"--jobs {opts.big_jobs} with --report: {wall:.1f} s wall, {cpu:.1f} s CPU, "
                f"peak {peak:.0f} MB (tree; target < 300), exit {code}"
            )
        kernel = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"largest single process (kernel ru_maxrss): {kernel:.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
