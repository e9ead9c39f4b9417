"""Write the objects of the stripe SDK, one per line: its API classes, and the nested fields
of those that hold an object.

From stripe-python 15 a nested object (``customer.address``, ``customer.metadata``,
``event.data``) is a StripeObject like its parent: its dict methods are gone too. A nested
list (``balance.available``) or scalar (``customer.email``) is a plain Python value that
still iterates, counts and converts. The provenance engine names a nested field by its
chain (``Customer.address``); this script lists the chains that are objects, from the type
annotations of stripe-python 16, and the API classes (those with an ``OBJECT_NAME``, from
every release given: ``stripe.StripeContext(...)`` makes no API object):

    python scripts/stripe_objects.py SITE_PACKAGES_5/stripe SITE_PACKAGES_16/stripe > codemod/provenance/stripe_objects.txt
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
    for path in package.rglob("*.py"):
        for node in ast.parse(path.read_bytes()).body:
            if isinstance(node, ast.ClassDef) and any(_names(stmt) == "OBJECT_NAME" for stmt in node.body):
                found[node.name] = node
    return found


def _names(stmt: ast.stmt) -> str | None:
    """The name an assignment in a class body binds."""
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return stmt.target.id
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
        return stmt.targets[0].id
    return None


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
            chains.add(name)
            chains.update(_chains(cls, name, 1))
    print("# API classes of the stripe SDK and their nested fields that hold an object, written by scripts/stripe_objects.py.")
    for chain in sorted(chains):
        print(chain)


if __name__ == "__main__":
    main(sys.argv[1:])
