"""Time and peak memory of the shapes an attacker would send: the cost must stay linear.

    python benchmarks/hostile.py

Each shape is one generated module, checked by the real command in a fresh process; the
limits the tool aims at are 5 s and 500 MB each.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def chain(n: int) -> str:
    lines = ["import stripe", 'x0 = stripe.Customer.retrieve("cus_1")']
    lines += [f"x{i} = x{i - 1}" for i in range(1, n)]
    return "\n".join(lines + [f"print(x{n - 1}.account_balance)"]) + "\n"


def sites(n: int) -> str:
    lines = ["import stripe", 'customer = stripe.Customer.retrieve("cus_1")']
    lines += [f"v{i} = customer.account_balance + {i}" for i in range(n)]
    return "\n".join(lines) + "\n"


def branches(n: int) -> str:
    lines = ["import stripe", 'customer = stripe.Customer.retrieve("cus_1")']
    for i in range(n):
        lines += [f"v{i} = {i}", f"if v{i}:", "    w = customer.account_balance"]
    return "\n".join(lines) + "\n"


SHAPES = {
    "20,000 chained assignments": lambda: chain(20_000),
    "10,000 sites": lambda: sites(10_000),
    "10,000 ifs under 10,000 names": lambda: branches(10_000),
}


def measure(source: str) -> tuple[float, float]:
    """Seconds and peak resident MB of one run (``wait4`` gives that child's own peak)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hostile.py"
        path.write_text(source)
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "codemod", "--check", str(path)], cwd=ROOT,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    print(f"{'shape':<32} {'seconds':>8} {'peak MB':>8}")
    for name, make in SHAPES.items():
        seconds, peak = measure(make())
        print(f"{name:<32} {seconds:>8.2f} {peak:>8.0f}")


if __name__ == "__main__":
    main()
