"""The peers the benchmark compares with: LibCST without a pre-filter.

``NaiveRename`` is a plain LibCST codemod command that renames every ``account_balance``
name and string key, run the usual way over a whole tree::

    python -m libcst.tool codemod -x benchmarks.naive_libcst.NaiveRename --no-format -u 1 -j N TREE

``python benchmarks/naive_libcst.py TREE`` is the floor under any LibCST tool without a
pre-filter: parse every file and run one transformer over it, in one process.
Neither writes anything.
"""
from __future__ import annotations

import os
import sys

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand

SKIP = {".git", ".venv", "venv", "__pycache__", "node_modules", "build", "dist", ".tox", "site-packages"}


def renamed_name(node: cst.Name) -> cst.Name:
    return node.with_changes(value="balance") if node.value == "account_balance" else node


def renamed_string(node: cst.SimpleString) -> cst.SimpleString:
    if node.value[1:-1] == "account_balance":
        return node.with_changes(value=f"{node.quote}balance{node.quote}")
    return node


class NaiveRename(VisitorBasedCodemodCommand):
    DESCRIPTION = "Rename every account_balance to balance, with no analysis (a benchmark peer)."

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return renamed_name(updated_node)

    def leave_SimpleString(self, original_node: cst.SimpleString, updated_node: cst.SimpleString) -> cst.SimpleString:
        return renamed_string(updated_node)


class _Rename(cst.CSTTransformer):
    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return renamed_name(updated_node)

    def leave_SimpleString(self, original_node: cst.SimpleString, updated_node: cst.SimpleString) -> cst.SimpleString:
        return renamed_string(updated_node)


def main(folder: str) -> int:
    changed = failed = 0
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in SKIP]
        for name in names:
            if not name.endswith(".py"):
                continue
            with open(os.path.join(root, name), "rb") as handle:
                data = handle.read()
            try:
                module = cst.parse_module(data)
            except Exception:
                failed += 1
                continue
            changed += module.visit(_Rename()).bytes != data
    print(f"{changed} files would change, {failed} could not be parsed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
