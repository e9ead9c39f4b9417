"""Write the names a Stripe object can answer to, one per line, for the provenance engine.

A project value read with an attribute that its own model declares and that no Stripe object
has (``customer.date_purged``) cannot be Stripe data. This script collects the other side of
that test from stripe-python packages: every field annotated on an API object, every public
method of the SDK's classes, and the dict methods Stripe objects had before 15.0. Run it on
the unpacked packages of the SDK releases to cover (old and new) and commit the output:

    python scripts/stripe_names.py SITE_PACKAGES/stripe ... > codemod/provenance/stripe_names.txt
"""
from __future__ import annotations

import ast
import pathlib
import sys

DICT_METHODS = {"clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values"}


def names(package: pathlib.Path) -> set[str]:
    found: set[str] = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_bytes())):
            if not isinstance(node, ast.ClassDef) or node.name.endswith("Params"):
                continue
            for stmt in node.body:
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    found.add(stmt.target.id)
                elif isinstance(stmt, ast.Assign):
                    found.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
                elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found.add(stmt.name)
    return {name for name in found if not name.startswith("_")}


def main(packages: list[str]) -> None:
    found = set(DICT_METHODS)
    for package in packages:
        found |= names(pathlib.Path(package))
    print("# Names of Stripe objects' fields and methods, written by scripts/stripe_names.py.")
    for name in sorted(found):
        print(name)


if __name__ == "__main__":
    main(sys.argv[1:])
