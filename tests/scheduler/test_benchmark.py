"""The scheduler benchmark runs and prints what the issue asks for (keys, not timings)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmark_prints_the_figures():
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "schedule.py"),
            "--quick",
            "--time-limit",
            "0.5",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    keys = {"seconds", "placed", "preference", "gaps", "gaps_per_participant"}
    assert keys <= set(report["ours"]) and keys <= set(report["greedy"])
    assert {"preference_vs_greedy", "placed_vs_greedy", "of_upper_bound", "gaps_vs_greedy"} <= set(
        report["ratios"]
    )
    assert report["upper_bound"] >= report["ours"]["preference"] >= report["greedy"]["preference"]
    assert report["size"]["participants"] > 0
