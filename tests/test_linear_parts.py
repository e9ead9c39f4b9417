"""The parts whose cost must stay linear, against the slow originals they replace: positions
(LibCST's PositionProvider), whys of bounded length, and diffs built from their edits (difflib)."""
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


FIXED_SOURCES = sorted(p for folder in ("fixtures", "examples") for p in (ROOT / folder).rglob("*.py")
                       if not p.name.endswith(".expected.py"))


@pytest.mark.parametrize("path", FIXED_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_diff_from_the_edits_is_difflibs(path: Path) -> None:
    """The diff built from the lines the edits touch is the one difflib finds over the whole file."""
    from codemod import engine
    from codemod.diff import unified
    from codemod.findings import FIXABLE
    from codemod.options import Options

    result = engine.check_source(str(path), path.read_bytes(), Options())
    before, after = result.source.decode(result.encoding), result.output.decode(result.encoding)
    edits = [e for f in result.findings if f.status == FIXABLE for e in f.edits]
    assert unified("x.py", before, after, edits) == unified("x.py", before, after)


def test_a_diff_of_many_alike_lines_is_built_from_its_edits() -> None:
    from codemod.diff import unified
    from codemod.findings import Edit

    before = "".join(f"if v{n}:\n    w = c.account_balance\n" for n in range(3)) + "x = 1"
    edits = [Edit((2 * n + 2, 10), (2 * n + 2, 25), "account_balance", "balance") for n in range(3)]
    after = before.replace("account_balance", "balance")
    assert unified("m.py", before, after, edits) == (
        "--- a/m.py\n+++ b/m.py\n@@ -1,7 +1,7 @@\n if v0:\n-    w = c.account_balance\n+    w = c.balance\n"
        " if v1:\n-    w = c.account_balance\n+    w = c.balance\n if v2:\n-    w = c.account_balance\n+    w = c.balance\n"
        " x = 1\n\\ No newline at end of file\n"
    )
    wrong = [Edit((2, 10), (2, 25), "account_balance", "balanced")]  # edits that do not give `after`: difflib decides
    assert unified("m.py", before, after, wrong) == unified("m.py", before, after)
