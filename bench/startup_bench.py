"""Cold-start time of `trainer --help` and `trainer list --json`, as ratios to bare imports.

The baseline is `python -c "import typer, rich, yaml, rapidfuzz"`: the floor any
CLI on this stack pays. Prints median wall times over N runs and the ratios.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 9


def median_time(cmd: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    py = sys.executable
    base = median_time([py, "-c", "import typer, rich, yaml, rapidfuzz"])
    print(f"baseline import typer, rich, yaml, rapidfuzz: {base * 1000:.0f} ms")
    for args in (["--help"], ["list", "--json"]):
        t = median_time([py, "-m", "trainer", *args])
        print(f"trainer {' '.join(args)}: {t * 1000:.0f} ms  ({t / base:.2f}x baseline)")


if __name__ == "__main__":
    main()
