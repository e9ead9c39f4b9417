"""The tree a check builds from CPython's (``codemod.ast_tree``) is LibCST's: the same nodes,
values, parentheses and positions; and a check reports exactly what a run that parses with
LibCST reports."""
from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, assume, given, settings

from codemod import ast_tree
from codemod.catalog import WORDS
from codemod.engine import check_source
from codemod.options import CHECK, Options
from codemod.positions import Span, Tree
from codemod.provenance.walk import all_nodes, children

from .helpers import FIXTURES, ROOT
from .test_fixtures import CASES, options_of

_UNPLACED = (cst.BaseBinaryOp, cst.BaseCompOp, cst.BaseAugOp, cst.BaseUnaryOp, cst.BaseBooleanOp,
             cst.Asynchronous, cst.Dot, cst.ImportStar, cst.ParamStar, cst.ParamSlash)  # nothing asks where they are
_PLACED_EXACTLY = (cst.Name, cst.SimpleString, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.Float,
                   cst.FormattedString, cst.Arg, cst.Dict, cst.List, cst.Tuple)


def built(source: str) -> Tree:
    return ast_tree.build(source, ast.parse(source), WORDS)


def differences(source: str) -> list[str]:
    """Where the built tree differs from LibCST's parse of ``source`` (empty: nowhere)."""
    exact = Tree(cst.parse_module(source), WORDS)
    quick = built(source)
    found: list[str] = []
    if exact.named != quick.named:
        found.append(f"named: {dict(exact.named)} != {dict(quick.named)}")
    if quick.read is not None and quick.read != read_in(exact.module):
        found.append(f"read: {sorted(quick.read)} != {sorted(read_in(exact.module))}")

    def compare(a: cst.CSTNode, b: cst.CSTNode, where: str) -> None:
        if type(a) is not type(b):
            found.append(f"{where}: {type(a).__name__} != {type(b).__name__}")
            return
        for name in ("value", "star"):
            if isinstance(getattr(a, name, None), str) and getattr(a, name) != getattr(b, name):
                found.append(f"{where}: {name} {getattr(a, name)!r} != {getattr(b, name)!r}")
        if isinstance(a, cst.BaseExpression) and len(a.lpar) != len(b.lpar):
            found.append(f"{where}: {len(a.lpar)} parentheses != {len(b.lpar)}")
        if not isinstance(a, _UNPLACED):
            want: Span = exact.spans[id(a)]
            got = quick.spans.get(id(b))
            if got is None or got[0] != want[0] or (isinstance(a, _PLACED_EXACTLY) and got != want):
                found.append(f"{where}: at {got} != {want}")
            elif isinstance(a, _PLACED_EXACTLY) and _code(quick, b) != _code(exact, a):
                found.append(f"{where}: code {_code(quick, b)!r} != {_code(exact, a)!r}")
        left, right = list(children(a)), list(children(b))
        if len(left) != len(right):
            found.append(f"{where}: children {[type(c).__name__ for c in left]} != {[type(c).__name__ for c in right]}")
            return
        for x, y in zip(left, right):
            compare(x, y, f"{where}/{type(a).__name__}")

    compare(exact.module, quick.module, "")
    return found


def read_in(module: cst.Module) -> frozenset[str]:
    """The names ``module`` reads an attribute of or gives as a keyword's value, from LibCST's tree
    (which has ``True``, ``False`` and ``None`` as names: no parameter can be named so)."""
    return frozenset(
        [node.value.value for node in all_nodes(module) if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name)]
        + [node.value.value for node in all_nodes(module)
           if isinstance(node, cst.Arg) and node.keyword is not None and isinstance(node.value, cst.Name)]
    ) - {"True", "False", "None"}


def test_built_tree_knows_the_names_read_or_given_unless_libcst_parsed_a_part() -> None:
    assert built("a.b.c\n(d).e = 1\nf(g, k=h, m=(i), n=j.k, **o)\ndel p.q\n").read == {"a", "d", "f", "h", "i", "j", "p"} - {"f"}
    assert built("x = f'''{\n  a.b\n}'''\n").read is None  # a field CPython 3.11 places oddly: LibCST parsed it


def _code(tree: Tree, node: cst.CSTNode) -> str:
    """A node's code without what a caller strips: the white space around it, an argument's
    comma, and (outside strings) comments."""
    code = tree.code(node).strip()
    if "#" in code and not isinstance(node, cst.BaseString):
        code = "\n".join(line.split("#")[0].rstrip() for line in code.splitlines()).strip()
    code = code.rstrip(",") if isinstance(node, cst.Arg) else code
    return " ".join(code.split())  # LibCST's code of a node indents its continuation lines less


LOOK_ALIKES = {
    "parentheses": "x = (a)\ny = ((a.b)).c\nz = (a + b) * c\nf((x))\nf((x), (y))\n(f)(x)\nt = ((1, 2))\nu = (1,)\nv = ()\n",
    "generators": "f(x for x in y)\nf((x for x in y))\ng = (x for x in y if x if not x)\nh = [a for a in b for c in a]\n",
    "comments and strings": "f(  # (\n    a,  # )\n)\ns = '(#'\nt = \")\" + (u)  # (\n",
    "joined strings": "s = 'a' 'b'\nt = ('a'\n     \"b\"  # c\n     r'c')\nu = f'{x.account_balance}' 'd'\nv = b'x' b\"y\"\n",
    "f-strings": "a = f'{c.account_balance:>{w}}'\nb = f'''\n{c[\"account_balance\"]!r}\n'''\nc = rf'{x}\\d'\n"
                 "d = f'{g((a, b))} {h[(1)]}'\n"
                 "e = f\"{x=} {y = !r:>10} {z!s:{w}.{p}f} {{ok}} it's {c.account_balance!a}\"\n"
                 "f = 'a' f'{b}' f\"{c['account_balance']}\" r'd'\n"
                 "g = f'''x\n  {c.account_balance}\n {d:%Y-%m-%d} '''\n"
                 "h = f'{ (a) }' f'{a + (b)}' f'{\"s\"}'\n",
    "escapes": "s = 'it\\'s'\nt = \"a\\\\\"\nu = '''x''' '''y'''\nv = 'account_\\x62alance'\n",
    "blocks": "if a: b; c\nelif d:\n    e\nelse:\n    if f:\n        g\nwhile x: pass\nelse: y\nfor a in b:\n    pass\nelse:  # else\n    c\n",
    "try": "try:\n    a\nexcept (A, B) as e:\n    b\nexcept C:\n    c\nelse:\n    d\nfinally:\n    e\n"
           "try:\n    a\nexcept* E as e:\n    b\n",
    # a field on lines of its own: CPython before 3.12 places it elsewhere, so LibCST parses this f-string
    "f-string fields": "x = f\'\'\'{\n  a.b\n}\'\'\'\ny = f'{a!r:{b}}' f'{ a }' f'{(lambda: 1)()}' f\"{a['b']=}\" f'{\"a\" \"b\"}'\n",
    "definitions": "@dec(x)\n@dec2\nasync def f(a, /, b=1, *args, c, d=(2), **kw) -> int:\n    await g()\n"
                   "    async with a as (b, c), d:\n        async for x in y:\n            yield x\n"
                   "def g(*, a): return lambda x, y=1: (yield from z)\nclass C(B, metaclass=M):\n    x: int = 1\n",
    "imports": "import a.b.c as d, e\nfrom . import f\nfrom ..g.h import (i as j,\n    k)\nfrom m import *\n",
    "statements": "global a, b\ndel a, b[1]\nassert x, 'm'\nraise E from e\nx += 1; y -= 2\n(a, *b), c = d = e\nz: dict = {**a, 'k': v}\n",
    "subscripts": "a[1]\na[1, 2]\na[(1, 2)]\na[1:2, ::3]\na[b][c:]\n",
    "operators": "x = a or b or c and d\ny = not a < b <= c is not d in e\nz = -a ** ~b @ c // d\nw = a if b else c\n(v := 1)\n",
    "collections": "a = {1, *b}\nc = {k: v for k, v in d.items()}\ne = [*f, g]\nh = {i for i in j}\n",
    "non-ASCII columns": "name = 'é'; x = c.account_balance\ny = {'ключ': c['account_balance']}  # ü\n",
    "line endings": "x = 1\r\nif y:\r\n    z = (a\r\n         .b)\r\n",
    "continuation": "x = a + \\\n    b\nif (a and\n        b):\n    pass\n",
    "numbers": "a = 1_000 + 0x1F + 1.5e3 + 2j + ...\nb = None, True, False\n",
}


@pytest.mark.parametrize("name", sorted(LOOK_ALIKES))
def test_built_tree_is_libcsts(name: str) -> None:
    assert differences(LOOK_ALIKES[name]) == []


def _sources() -> list[Path]:
    return sorted([*FIXTURES.rglob("*.py"), *(ROOT / "codemod").rglob("*.py"), *(ROOT / "tests").rglob("*.py")])


def test_built_tree_is_libcsts_on_every_fixture_and_module_of_this_project() -> None:
    compared = 0
    for path in _sources():
        data = path.read_bytes()
        try:
            source = data.decode("utf-8")
            ast.parse(data)
            cst.parse_module(data)
        except (SyntaxError, UnicodeDecodeError, cst.ParserSyntaxError):
            continue  # the unparsable fixtures
        if source.startswith("\ufeff"):
            continue  # read by LibCST (source.parse_tree)
        try:
            found = differences(source)
        except ast_tree.Declined:
            continue
        assert found == [], path
        compared += 1
    assert compared > 250


@pytest.mark.parametrize("source", [
    "match x:\n    case 1:\n        pass\n",  # match statements are LibCST's to parse
    "x = (\n  1)\nimport a . b\n",  # a dotted name written with spaces
    "a[*b]\n",  # a starred subscript
    "ⅺ = c.account_balance\n",  # a name CPython's tree holds normalized (``xi``)
])
def test_declined_syntax_is_parsed_by_libcst(source: str) -> None:
    with pytest.raises(ast_tree.Declined):
        built(source)
    result = check_source("case.py", source.encode(), Options(mode=CHECK))
    assert result.error is None


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_check_reports_what_a_libcst_run_reports(case: Path) -> None:
    """The same findings, whys, positions and edits, whichever tree the file was read into."""
    options = options_of(case)
    source = case.read_bytes()
    exact = check_source("case.py", source, options)
    quick = check_source("case.py", source, dataclasses.replace(options, mode=CHECK))
    assert options.shows_edits  # the first run's trees are LibCST's
    assert quick.error == exact.error
    assert quick.findings == exact.findings
    assert [f.edits for f in quick.findings] == [f.edits for f in exact.findings]
    assert quick.output == exact.output


def test_a_tree_too_deep_for_the_builder_is_declined() -> None:
    with pytest.raises(ast_tree.Declined):
        built("x = " + "-" * 600 + "1\n")


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_built_tree_is_libcsts_on_generated_programs(source: str) -> None:
    """Programs from Python's grammar: the built tree is LibCST's, or the builder declines."""
    try:
        ast.parse(source)
        cst.parse_module(source)
    except (SyntaxError, ValueError, cst.ParserSyntaxError):
        assume(False)
    assume(not source.startswith("\ufeff"))
    try:
        assert differences(source) == []
    except ast_tree.Declined:
        pass

