"""A collector is given only the nodes of the classes it lists (``VISITED``): the list must name
every class its visit function tests for, else the walk would silently skip its sites."""
from __future__ import annotations

import ast
import inspect

import pytest

from codemod import pins, sdk_uses, sites
from codemod.engine import check_source
from codemod.options import Options


def _tested(module: object) -> set[str]:
    """The LibCST classes that ``visit`` (inside ``collector``) tests a node for with ``type(node) is``."""
    tree = ast.parse(inspect.getsource(module))  # type: ignore[arg-type]
    collector = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "collector")
    visit = next(n for n in ast.walk(collector) if isinstance(n, ast.FunctionDef) and n.name == "visit")
    found = set()
    for compare in (n for n in ast.walk(visit) if isinstance(n, ast.Compare)):
        left = compare.left
        if isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and left.func.id == "type" \
                and isinstance(compare.ops[0], ast.Is) and isinstance(compare.comparators[0], ast.Attribute):
            found.add(compare.comparators[0].attr)
    return found


@pytest.mark.parametrize("module", [sites, pins, sdk_uses])
def test_each_collector_lists_every_class_its_visit_tests_for(module: object) -> None:
    listed = {kind.__name__ for kind in module.VISITED}  # type: ignore[attr-defined]
    assert _tested(module) == listed


def test_a_loop_over_any_expression_is_visited_for_the_sdk_rules() -> None:
    """``for ... in`` over a Stripe object (a name, one in parentheses, an attribute) is visited
    whatever the class of what it iterates: the loops' classes are added to the SDK collector's."""
    source = ("import stripe\n\ncu = stripe.Customer.retrieve('c')\nfor key in cu:\n    print(key)\n"
              "for key in (cu):\n    print(key)\nfor key in cu.metadata:\n    print(key)\n")
    found = check_source("case.py", source.encode(), Options(target_sdk=(15, 0)))
    assert sorted((f.code, f.line, f.col) for f in found.findings) == [("SB202", 4, 12), ("SB202", 6, 13), ("SB202", 8, 12)]
