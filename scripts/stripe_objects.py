"""Write the nested fields of Stripe objects that hold an object, one chain per line.

From stripe-python 15 a nested object (``customer.address``, ``customer.metadata``,
``event.data``) is a StripeObject like its parent: its dict methods are gone too. A nested
list (``balance.available``) or scalar (``customer.email``) is a plain Python value that
still iterates, counts and converts. The provenance engine names a nested field by its
chain (``Customer.address``); this script lists the chains that are objects, from the type
annotations of a stripe-python release (16.x):

    python scripts/stripe_objects.py SITE_PACKAGES/stripe > codemod/provenance/stripe_objects.txt
"""
from __future__ import annotations

import ast
import pathlib
import re
import sys

_OPTIONAL = re.compile(r"^Optional\[(.*)\]$")
_SCALARS = ("str", "int", "bool", "float", "Literal[")


def _classes(package: pathlib.Path) -> dict[str, ast.ClassDef]:
    """Top-level API classes (those with an ``OBJECT_NAME``), by name."""
    found: dict[str, ast.ClassDef] = {}
    for path in package.glob("_*.py"):
        for node in ast.parse(path.read_bytes()).body:
            if isinstance(node, ast.ClassDef) and any(
                isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == "OBJECT_NAME"
                for stmt in node.body
            ):
                found[node.name] = node
    return found


def _shape(annotation: str) -> str:
    """``object``, or ``other`` for lists, scalars and expandable ids."""
    text = annotation.strip().strip("\"'")
    while (match := _OPTIONAL.match(text)) is not None:
        text = match.group(1).strip().strip("\"'")
    if text.startswith("Dict["):
        return "object"
    if text.startswith(("List[", "ListObject[", "ExpandableField[", "Union[", "Any")) or text.startswith(_SCALARS):
        return "other"
    return "object"


def _chains(cls: ast.ClassDef, prefix: str, depth: int) -> list[str]:
    nested = {node.name: node for node in cls.body if isinstance(node, ast.ClassDef)}
    found: list[str] = []
    for stmt in cls.body:
        if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name) or stmt.target.id.isupper():
            continue
        annotation = ast.unparse(stmt.annotation)
        if stmt.target.id.startswith("_") or _shape(annotation) != "object":
            continue
        chain = f"{prefix}.{stmt.target.id}"
        found.append(chain)
        inner = annotation.strip("\"'").removeprefix("Optional[").rstrip("]").strip("\"'").split(".")[-1]
        if inner in nested and depth < 4:
            found += _chains(nested[inner], chain, depth + 1)
    return found


def main(packages: list[str]) -> None:
    chains: set[str] = set()
    for package in packages:
        for name, cls in _classes(pathlib.Path(package)).items():
            chains.update(_chains(cls, name, 1))
    print("# Nested fields of Stripe objects that hold an object, written by scripts/stripe_objects.py.")
    for chain in sorted(chains):
        print(chain)


if __name__ == "__main__":
    main(sys.argv[1:])
