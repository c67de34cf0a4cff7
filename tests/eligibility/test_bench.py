"""bench/eligibility.py stays runnable (a small run; figures are printed, never asserted)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_runs_and_prints_all_figures():
    """Annex 1, the title rules of seed 002 附件2 (issue 32) beside it, and the roster."""
    env = {**os.environ, "BENCH_PROFILES": "300", "BENCH_ROSTER_ROWS": "60"}
    done = subprocess.run(
        [sys.executable, "bench/eligibility.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "profiles/s (target >= 50,000/s" in done.stdout
    assert "titles: 300 profiles assessed" in done.stdout and "ratio titles/Annex 1" in done.stdout
    assert "roster: 60 rows" in done.stdout and "target <= 5 s" in done.stdout
    assert "baseline" in done.stdout and "ratio" in done.stdout
