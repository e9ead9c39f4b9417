"""How fast stripe-codemod is on a whole repository, side by side with named peers.

usage: python benchmarks/speed.py [--rounds 5] [--matching 40] [--workdir DIR] [--naive-rounds 1]

It builds a corpus reproducibly: the Python files of pinned releases from PyPI (Django,
SymPy, pip, setuptools and the stripe SDK itself, whose files are full of `billing`,
`start` and `due_date`: over 4,000 files), plus generated Stripe-using modules of which a
known number mention ``account_balance``. Then, alternating the tools in every round, it
times a dry run of this tool over the whole tree, ``ruff check --select F401 --no-cache``,
``grep -rl account_balance``, and (fewer times: they are slow) a plain LibCST codemod run
with ``python -m libcst.tool codemod`` and the bare loop that parses every file
(``benchmarks/naive_libcst.py``). It prints the medians and the ratios to each peer, this
tool's peak memory, a one-file (pre-commit style) run, and how the time grows when the
non-matching files double and when the matching files double.

The tool is timed as an install runs it: its modules byte-compiled first (where
``PYTHONDONTWRITEBYTECODE`` is set, each run would compile them again), and best from a
plain ``pip install .`` (an editable install adds its import finder to every Python start).

Needs ``ruff`` on PATH (``pip install -r benchmarks/requirements.txt``) and network access
to PyPI the first time (the wheels are cached in the work folder).
"""
from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PINNED = ("django==5.1.4", "sympy==1.13.3", "pip==24.3.1", "setuptools==75.6.0", "stripe==16.1.0")

HELPERS = '''"""Shared Stripe helpers of the generated app."""
import stripe


def get_customer(customer_id: str) -> stripe.Customer:
    return stripe.Customer.retrieve(customer_id)


def all_customers():
    return stripe.Customer.list().auto_paging_iter()
'''

MATCHING = '''"""Generated billing module {n}."""
import json

import stripe

from .helpers import all_customers, get_customer


class Ledger{n}:
    def __init__(self):
        self.account_balance = 0

    def add(self, amount):
        self.account_balance += amount


def owed_{n}(customer_id):
    customer = get_customer(customer_id)
    return customer.account_balance


def credit_{n}(customer_id, amount):
    customer = stripe.Customer.retrieve(customer_id)
    stripe.Customer.modify(customer_id, account_balance=customer.account_balance - amount)


def total_{n}():
    return sum(c["account_balance"] for c in all_customers())


def handle_{n}(payload, signature, secret):
    event = stripe.Webhook.construct_event(payload, signature, secret)
    if event.type == "customer.updated":
        return event.data.object.account_balance
    return json.dumps({{"ok": True}})


def describe_{n}(customer):
    return f"{{customer.id}} owes {{customer.account_balance}}"
'''

PLAIN_STRIPE = '''"""Generated Stripe module {n} without the old field."""
import stripe


def charge_{n}(customer_id, amount):
    return stripe.PaymentIntent.create(customer=customer_id, amount=amount, currency="usd")
'''


def build_site(work: Path) -> Path:
    """The pinned releases' Python files, extracted once and reused."""
    site = work / "site"
    if site.exists():
        return site
    wheels = work / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                    "-d", str(wheels), *PINNED], check=True)
    partial = work / "site.partial"
    shutil.rmtree(partial, ignore_errors=True)
    for wheel in sorted(wheels.glob("*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if name.endswith(".py"):
                    archive.extract(name, partial / wheel.name.split("-")[0])
    partial.rename(site)
    return site


def build_corpus(work: Path, name: str, site: Path, site_copies: int, matching: int, plain: int) -> Path:
    corpus = work / name
    shutil.rmtree(corpus, ignore_errors=True)
    for copy in range(site_copies):
        shutil.copytree(site, corpus / f"site{copy}")
    app = corpus / "stripe_app"
    app.mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "helpers.py").write_text(HELPERS)
    for n in range(matching):
        (app / f"billing_{n:03}.py").write_text(MATCHING.format(n=n))
    for n in range(plain):
        (app / f"payments_{n:03}.py").write_text(PLAIN_STRIPE.format(n=n))
    return corpus


def count_files(corpus: Path) -> int:
    return sum(1 for _ in corpus.rglob("*.py"))


def timed(command: list[str], cwd: Path | None = None) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_PROGRESS": "1"}
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def ours(target: Path) -> list[str]:
    return [sys.executable, "-m", "codemod", "--no-cache", str(target)]


def peak_memory_mb(target: Path) -> float:
    """Peak resident memory of a dry run, this process and its workers (the larger)."""
    script = (
        "import resource, sys\n"
        "from codemod.cli import main\n"
        f"main([{str(target)!r}])\n"
        "usage = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print(usage, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(ROOT)},
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def peak_total_mb(command: list[str]) -> float:
    """Peak resident memory of a run and all its workers together (sampled from /proc on
    Linux; elsewhere the largest single process)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_PROGRESS": "1"}
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while child.poll() is None:
        peak = max(peak, sum(_rss_kb(pid) for pid in _process_tree(child.pid)))
        time.sleep(0.05)
    return peak / 1024


def _process_tree(pid: int) -> list[int]:
    found = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found += _process_tree(int(child))
    except OSError:
        pass
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


AST_FLOOR = "import ast, pathlib, sys\nfor p in sorted(pathlib.Path(sys.argv[1]).rglob('*.py')):\n    ast.parse(p.read_bytes())\n"


def big_module(sites: int, lines: int) -> str:
    """One module of ``lines`` lines, ``sites`` of them reading ``account_balance`` of a customer."""
    body = ["import stripe", "", "", "def report(customer_id):", "    customer = stripe.Customer.retrieve(customer_id)",
            "    total = 0"]
    every = max(1, (lines - len(body)) // sites)
    for n in range(lines - len(body) - 1):
        body.append(f"    total += customer.account_balance + {n}" if n % every == 0 and n // every < sites
                    else f"    total += {n}")
    return "\n".join(body + ["    return total"]) + "\n"


def candidate_heavy(args: argparse.Namespace, ruff: str) -> None:
    """Trees where every file is a candidate, and one large module: cold runs against the parse floors."""
    print(f"\ncandidate-heavy trees (every file mentions account_balance), medians of {args.rounds} rounds "
          "(paired: the median of the ratios to ast.parse within each round)")
    print(f"{'tree':<26} {'ours -j1':>9} {'ours':>8} {'warm':>7} {'1 edit':>7} {'ruff':>7} {'libcst':>8} {'codemod':>8} "
          f"{'ast -j1':>8} {'ours/ast':>9} {'paired':>7} {'ours/libcst':>12} {'codemod/ours':>13} {'warm/ruff':>10} "
          f"{'peak MB':>8}")
    trees = [(f"{n} modules", build_corpus(args.workdir, f"heavy{n}", args.workdir / "empty", 0, n, 0))
             for n in args.heavy]
    big = args.workdir / "big"
    shutil.rmtree(big, ignore_errors=True)
    big.mkdir(parents=True)
    (big / "report.py").write_text(big_module(50, 20_000))
    trees.append(("20k-line module, 50 sites", big))
    check = [sys.executable, "-m", "codemod", "--check"]
    cold = [*check, "--no-cache"]
    for name, tree in trees:
        cached = [*check, "."]  # as a user runs it again, from the project's folder, with the default cache
        shutil.rmtree(tree / ".stripe-codemod-cache", ignore_errors=True)
        for _ in range(2):  # fills the cache; the first run makes its folder, so only the second is replayable
            timed(cached, cwd=tree)
            time.sleep(2)  # what was just written is trusted only once it has been left alone
        times = in_turn({
            "one": ([*cold, "--jobs", "1", str(tree)], None), "ast": ([sys.executable, "-c", AST_FLOOR, str(tree)], None),
            "default": ([*cold, str(tree)], None), "warm": (cached, tree),
            "ruff": ([ruff, "check", "--select", "F401", "--no-cache", "--exit-zero", "--quiet", str(tree)], None),
        }, args.rounds)
        one, default, warm, ruff_s, ast_s = (statistics.median(times[key]) for key in ("one", "default", "warm", "ruff", "ast"))
        edited = edit_one(tree, cached, args.rounds)
        floor = median_of([sys.executable, str(ROOT / "benchmarks" / "naive_libcst.py"), str(tree)], 1)
        tool = median_of(naive_codemod(tree), 1) if args.naive_rounds else float("nan")
        peak = peak_total_mb([*cold, str(tree)])
        print(f"{name:<26} {one:>9.2f} {default:>8.2f} {warm:>7.2f} {edited:>7.2f} {ruff_s:>7.2f} {floor:>8.2f} {tool:>8.2f} "
              f"{ast_s:>8.2f} {default / ast_s:>9.1f} {paired(times, 'default', 'ast'):>7.1f} {default / floor:>12.2f} "
              f"{tool / default:>13.1f} {warm / ruff_s:>10.1f} {peak:>8.0f}")
    plain = args.workdir / "plain.py"
    plain.write_text("total = sum(range(10))\n")
    medians = alternating({"python": ([sys.executable, "-c", "pass"], None), "single": ([*cold, str(plain)], None)},
                          3 * args.rounds)  # cheap runs: more rounds
    python, single = medians["python"], medians["single"]
    print(f"one-file run of a file without Stripe (pre-commit): {single:.3f} s = {single / python:.1f}x python -c pass")


def edit_one(tree: Path, command: list[str], rounds: int) -> float:
    """A cached run after one module of the tree was edited (a comment added, then another)."""
    module = max(tree.rglob("*.py"), key=lambda path: path.stat().st_size)
    original = module.read_bytes()
    times = []
    try:
        for n in range(rounds):
            module.write_bytes(original + f"# edit {n}\n".encode())
            times.append(timed(command, cwd=tree))
    finally:
        module.write_bytes(original)
    return statistics.median(times)


def naive_codemod(tree: Path) -> list[str]:
    """A plain LibCST codemod run over the tree, at every CPU (``NaiveRename``)."""
    return [sys.executable, "-m", "libcst.tool", "codemod", "-x", "benchmarks.naive_libcst.NaiveRename",
            "--no-format", "-u", "1", "-j", str(os.cpu_count() or 1), str(tree)]


def median_of(command: list[str], rounds: int, cwd: Path | None = None) -> float:
    return statistics.median(timed(command, cwd) for _ in range(rounds))


def alternating(commands: dict[str, tuple[list[str], Path | None]], rounds: int) -> dict[str, float]:
    """The median time of each ``(command, folder)``, the commands run in turn in every round: a
    slow spell of the machine then falls on all of them alike, not on the one it happened to hit."""
    return {name: statistics.median(values) for name, values in in_turn(commands, rounds).items()}


def in_turn(commands: dict[str, tuple[list[str], Path | None]], rounds: int) -> dict[str, list[float]]:
    """The times of each ``(command, folder)`` in every round, the commands run in turn."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, (command, cwd) in commands.items():
            times[name].append(timed(command, cwd))
    return times


def paired(times: dict[str, list[float]], mine: str, peer: str) -> float:
    """The median of the ratios within each round: two commands run back to back share the
    machine's state, so a slow spell of a few seconds changes both sides of such a ratio alike."""
    return statistics.median(a / b for a, b in zip(times[mine], times[peer]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--matching", type=int, default=40, help="generated modules that mention account_balance")
    parser.add_argument("--plain", type=int, default=40, help="generated Stripe modules that do not")
    parser.add_argument("--naive-rounds", type=int, default=1, help="0 skips the plain LibCST peers")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "stripe-codemod-bench")
    parser.add_argument("--heavy", type=int, nargs="*", default=[200, 1000, 3000],
                        help="sizes of the candidate-heavy trees (none: skip them)")
    parser.add_argument("--heavy-only", action="store_true", help="only the candidate-heavy trees (no PyPI download)")
    args = parser.parse_args(argv)
    ruff = shutil.which("ruff")
    if ruff is None:
        sys.exit("ruff is not on PATH: pip install -r benchmarks/requirements.txt")
    compileall.compile_dir(str(ROOT / "codemod"), quiet=1)
    if any(next(Path(folder).glob("__editable__*stripe_codemod*"), None) for folder in sys.path if os.path.isdir(folder)):
        print("note: stripe-codemod is installed editable here: every Python start pays for its finder")

    (args.workdir / "empty").mkdir(parents=True, exist_ok=True)
    if args.heavy_only:
        candidate_heavy(args, ruff)
        return 0
    site = build_site(args.workdir)
    base = build_corpus(args.workdir, "base", site, 1, args.matching, args.plain)
    files = count_files(base)
    peers = {
        "stripe-codemod": ours(base),
        "ruff check --select F401": [ruff, "check", "--select", "F401", "--no-cache", "--exit-zero", "--quiet", str(base)],
        "grep -rl account_balance": ["grep", "-rl", "--include=*.py", "account_balance", str(base)],
    }
    medians = alternating({name: (command, None) for name, command in peers.items()}, args.rounds)
    codemod = naive_codemod(base)
    floor = [sys.executable, str(ROOT / "benchmarks" / "naive_libcst.py"), str(base)]
    for name, command in (("plain LibCST codemod (libcst.tool)", codemod), ("LibCST parse of every file", floor)):
        if args.naive_rounds:  # 0 skips these two: they take minutes
            medians[name] = statistics.median(timed(command) for _ in range(args.naive_rounds))

    mine = medians["stripe-codemod"]
    print(f"corpus: {files} Python files ({', '.join(PINNED)}), {args.matching} mention account_balance; "
          f"{os.cpu_count()} CPUs; medians of {args.rounds} rounds ({args.naive_rounds} for the plain codemod)\n")
    print(f"{'tool':<40} {'median s':>9} {'stripe-codemod / tool':>22}")
    for name, value in medians.items():
        print(f"{name:<40} {value:>9.3f} {mine / value:>22.3f}")

    # from the tree's folder, as pre-commit runs a hook from the repository's: that folder is the
    # tree whose callers a run of single files sees (without a pyproject.toml, the current folder)
    single = median_of([sys.executable, "-m", "codemod", "--check", "stripe_app/billing_000.py"], args.rounds, cwd=base)
    print(f"\none-file run (pre-commit style, a Stripe module): {single:.3f} s")
    print(f"peak memory of the whole-tree run: {peak_memory_mb(base):.0f} MB")

    double_site = build_corpus(args.workdir, "double_site", site, 2, args.matching, args.plain)
    double_matching = build_corpus(args.workdir, "double_matching", site, 1, 2 * args.matching, args.plain)
    no_matching = build_corpus(args.workdir, "no_matching", site, 1, 0, args.plain)
    grown = {name: median_of(ours(corpus), args.rounds)
             for name, corpus in (("double_site", double_site), ("double_matching", double_matching),
                                  ("no_matching", no_matching))}
    print(f"\ndoubling the non-matching files ({count_files(double_site)} files): "
          f"{grown['double_site']:.3f} s, +{(grown['double_site'] / mine - 1):.0%}")
    first, second = mine - grown["no_matching"], grown["double_matching"] - mine
    print(f"matching files: 0 -> {grown['no_matching']:.3f} s, {args.matching} -> {mine:.3f} s, "
          f"{2 * args.matching} -> {grown['double_matching']:.3f} s")
    print(f"  the first {args.matching} add {first:.3f} s, the next {args.matching} add {second:.3f} s")
    if args.heavy:
        candidate_heavy(args, ruff)
    return 0


if __name__ == "__main__":
    sys.exit(main())
