"""The peer the benchmark compares with: a plain LibCST codemod that parses every file.

usage: python benchmarks/naive_libcst.py FOLDER

It renames every ``account_balance`` name and string key to ``balance`` in every ``.py``
file below FOLDER, without any pre-filter or analysis, computes the new code and writes
nothing: the cost of the naive approach, which is what a LibCST codemod without a byte
pre-filter pays on a whole repository.
"""
from __future__ import annotations

import os
import sys

import libcst as cst

SKIP = {".git", ".venv", "venv", "__pycache__", "node_modules", "build", "dist", ".tox", "site-packages"}


class Rename(cst.CSTTransformer):
    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value="balance") if updated_node.value == "account_balance" else updated_node

    def leave_SimpleString(self, original_node: cst.SimpleString, updated_node: cst.SimpleString) -> cst.SimpleString:
        if updated_node.value[1:-1] == "account_balance":
            return updated_node.with_changes(value=f"{updated_node.quote}balance{updated_node.quote}")
        return updated_node


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
            changed += module.visit(Rename()).bytes != data
    print(f"{changed} files would change, {failed} could not be parsed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
