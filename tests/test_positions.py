"""The one-pass positions equal LibCST's PositionProvider; whys render in bounded time."""
from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from codemod.positions import positions
from codemod.provenance.describe import describe

from .helpers import ROOT

SOURCES = sorted(p for folder in ("fixtures", "examples") for p in (ROOT / folder).rglob("*.py"))


def provider_spans(module: cst.Module) -> dict[int, tuple[int, int, int, int]]:
    found = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    return {id(node): (r.start.line, r.start.column, r.end.line, r.end.column) for node, r in found.items()}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_same_spans_as_libcst(path: Path) -> None:
    try:
        module = cst.parse_module(path.read_bytes())
    except cst.ParserSyntaxError:
        pytest.skip("not parsable by design")
    assert positions(module) == provider_spans(module)


def test_line_breaks_of_every_kind() -> None:
    source = 'x = 1\r\ny = """a\rb\r\nc\n"""\n\x0cz = (\n  2)  # \x0c comment\n'
    module = cst.parse_module(source)
    assert positions(module) == provider_spans(module)


@pytest.mark.parametrize(("expression", "text"), [
    ("stripe.Customer.retrieve(cid)", "stripe.Customer.retrieve(...)"),
    ("await client.customers.retrieve_async(cid)", "await client.customers.retrieve_async(...)"),
    ("(a + b) * c", "(a + b) * c"),
    ('["id", "account_balance"]', '["id", "account_balance"]'),
    ("(1,)", "(1,)"),
    ("not cu", "not cu"),
    ("cu or None", "cu or None"),
    ("x if y else z", "x if y else z"),
    ("{'a': 1}", "{...}"),
    ("lambda c: c['account_balance']", "lambda ..."),
    (" + ".join(["a"] * 1200), "a + " * 14 + "a..."),
    (".".join(["a"] * 1200), "a." * 28 + "a..."),
    ("[" * 400 + "]" * 400, "[" * 31 + "..." + "]" * 23 + "..."),
])
def test_describe(expression: str, text: str) -> None:
    assert describe(cst.parse_expression(expression)) == text
