"""A LibCST tree built from the CPython tree that the syntax check already made, with the
position of every node: what a check reads, for a fraction of LibCST's parse and position pass.

The tree has LibCST's node types and shapes (statements grouped on their lines, ``elif``
chains, parentheses as ``lpar``, raw string and number literals), so the analysis runs on it
unchanged; it has no white space, and the code of a node is its text in the file. An
f-string whose fields are not where CPython's tree says is parsed by LibCST on its own. A
module with syntax this builder does not know (``match``, type parameters) is declined:
LibCST parses it.
"""
from __future__ import annotations

import ast
import dataclasses
import re
import sys
from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Optional, Sequence, TypeVar

import libcst as cst

from .lines import line_starts
from .literal import value_of
from .positions import Span, Tree, spans_and_tokens

_N = TypeVar("_N", bound=cst.CSTNode)


class Declined(Exception):
    """This module is left to LibCST's parser."""


class _Unplaced(Exception):
    """A replacement field of an f-string is not where CPython's tree says: LibCST parses it."""


class _Makers(dict):  # type: ignore[type-arg]
    """``_made[kind](...)``: a LibCST node of ``kind``, made without LibCST's checks (CPython parsed
    this code already) and with one shared object for each default (white space, mostly: LibCST
    makes and checks one per node, most of the cost of making it)."""

    if TYPE_CHECKING:  # what a lookup gives; at run time, the dict's own lookup
        def __getitem__(self, kind: type[_N]) -> Callable[..., _N]: ...

    def __missing__(self, kind: type) -> Callable[..., cst.CSTNode]:
        make = self[kind] = _maker(kind)
        return make


def _maker(kind: type) -> Callable[..., cst.CSTNode]:
    """A function that sets every field of a new ``kind`` through its slot (the fields' order,
    names and defaults are the dataclass's own, so it is called as the class is)."""
    namespace: dict[str, object] = {"_new": object.__new__, "_kind": kind}
    parameters, lines = [], []
    for field in dataclasses.fields(kind):
        if field.default is not dataclasses.MISSING:
            namespace[f"_default_{field.name}"] = field.default
        elif field.default_factory is not dataclasses.MISSING:
            namespace[f"_default_{field.name}"] = field.default_factory()
        given = f"_default_{field.name}" in namespace
        parameters.append(f"{field.name}=_default_{field.name}" if given else field.name)
        namespace[f"_set_{field.name}"] = getattr(kind, field.name).__set__  # the slot: past the frozen check
        lines.append(f"    _set_{field.name}(node, {field.name})")
    source = f"def make({', '.join(parameters)}):\n    node = _new(_kind)\n" + "\n".join(lines) + "\n    return node\n"
    exec(source, namespace)  # noqa: S102  (made from the names of LibCST's own fields)
    return namespace["make"]  # type: ignore[return-value]


_made = _Makers()


# white space, a comment or a line continuation between two tokens
_GAP = re.compile(r"(?:[ \t\f\r\n]|\\\r?\n|\\\r|#[^\r\n]*)*")
_PUNCT = re.compile(r"[()#]")
_DEF, _CLASS = re.compile(r"(?:async\s+)?def\s+"), re.compile(r"class\s+")
_NEWLINE = re.compile(r"[\r\n]")
# where a parenthesis, a comment or a string may start; a string is matched from its opening
# quote (before Python 3.12, an f-string too: a prefix changes nothing of where it ends)
_PUNCT_OR_QUOTE = re.compile(r"[()#'\"]")
_STRING = re.compile(
    r"""'''(?:[^\\]|\\.)*?'''|\"\"\"(?:[^\\]|\\.)*?\"\"\"|'(?:[^\\'\r\n]|\\.)*'|"(?:[^\\"\r\n]|\\.)*\"""",
    re.DOTALL,
)
_STRING_START = re.compile(r"[rRbBuUfF]{0,2}('''|\"\"\"|'|\")")

_BINARY: dict[type, cst.CSTNode] = {
    ast.Add: cst.Add(), ast.Sub: cst.Subtract(), ast.Mult: cst.Multiply(), ast.Div: cst.Divide(),
    ast.FloorDiv: cst.FloorDivide(), ast.Mod: cst.Modulo(), ast.Pow: cst.Power(), ast.LShift: cst.LeftShift(),
    ast.RShift: cst.RightShift(), ast.BitOr: cst.BitOr(), ast.BitXor: cst.BitXor(), ast.BitAnd: cst.BitAnd(),
    ast.MatMult: cst.MatrixMultiply(),
}
_AUGMENTED: dict[type, cst.CSTNode] = {
    ast.Add: cst.AddAssign(), ast.Sub: cst.SubtractAssign(), ast.Mult: cst.MultiplyAssign(), ast.Div: cst.DivideAssign(),
    ast.FloorDiv: cst.FloorDivideAssign(), ast.Mod: cst.ModuloAssign(), ast.Pow: cst.PowerAssign(),
    ast.LShift: cst.LeftShiftAssign(), ast.RShift: cst.RightShiftAssign(), ast.BitOr: cst.BitOrAssign(),
    ast.BitXor: cst.BitXorAssign(), ast.BitAnd: cst.BitAndAssign(), ast.MatMult: cst.MatrixMultiplyAssign(),
}
_UNARY: dict[type, cst.CSTNode] = {ast.UAdd: cst.Plus(), ast.USub: cst.Minus(), ast.Invert: cst.BitInvert(), ast.Not: cst.Not()}
_COMPARE: dict[type, cst.CSTNode] = {
    ast.Eq: cst.Equal(), ast.NotEq: cst.NotEqual(), ast.Lt: cst.LessThan(), ast.LtE: cst.LessThanEqual(),
    ast.Gt: cst.GreaterThan(), ast.GtE: cst.GreaterThanEqual(), ast.Is: cst.Is(), ast.IsNot: cst.IsNot(),
    ast.In: cst.In(), ast.NotIn: cst.NotIn(),
}
_SMALL = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.Raise, ast.Assert, ast.Delete,
          ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal, ast.Import, ast.ImportFrom)
_LPAR, _RPAR, _AND, _OR, _EQUAL = cst.LeftParen(), cst.RightParen(), cst.And(), cst.Or(), cst.AssignEqual()


def build(text: str, tree: ast.Module, words: frozenset[str]) -> Tree:
    """The tree of ``text`` (a UTF-8 module without a coding cookie) from CPython's ``tree``.
    Raises ``Declined`` for syntax it leaves to LibCST."""
    try:
        builder = _Builder(text, tree, words)
        module = _made[cst.Module](body=builder.block(tree.body), default_newline=_newline(text),
                                   has_trailing_newline=text.endswith(("\n", "\r")))
    except RecursionError:
        raise Declined("too deeply nested") from None
    builder.place(module, 0, len(text))
    offsets, outer, parsed = builder.offsets, builder.outer, builder.parsed

    def code(node: cst.CSTNode) -> str:
        """The node's text in the file, with its parentheses (as LibCST's code of it)."""
        bounds = outer.get(id(node))
        if bounds is None:
            bounds = offsets.get(id(node)) if id(node) not in parsed else None
            if bounds is None:  # a node a rule made, or one LibCST parsed: LibCST writes it
                return module.code_for_node(node)
        return text[bounds[0] : bounds[1]]

    spans = _Spans(offsets, builder.exact, builder.starts)
    read = frozenset(builder.read) if not parsed else None  # LibCST's nodes were not looked at
    return Tree(module, words, (spans, builder.named), code, spans.line, read)


class _Spans(Mapping[int, Span]):
    """``id(node) -> span`` of a built tree, each span worked out from the node's offsets only
    when it is asked for: a check asks for a few sites' and the lines of its evidence."""

    __slots__ = ("offsets", "exact", "starts")

    def __init__(self, offsets: dict[int, tuple[int, int]], exact: dict[int, Span], starts: list[int]) -> None:
        self.offsets = offsets  # where the builder placed each node it made
        self.exact = exact  # the spans of the nodes LibCST parsed (its own, kept as they are)
        self.starts = starts

    def get(self, key: int, default: Span | None = None) -> Span | None:  # type: ignore[override]
        found = self.offsets.get(key)
        if found is None:
            return self.exact.get(key, default)
        start, end = found
        line = self._line_at(start)
        end_line = self._line_at(end - 1) if end > start else line
        return (line, start - self.starts[line - 1], end_line, end - self.starts[end_line - 1])

    def line(self, node: cst.CSTNode) -> int:
        """The line ``node`` starts on, alone (every why says one): one search, no span."""
        found = self.offsets.get(id(node))
        if found is None:
            span = self.exact.get(id(node))
            return span[0] if span is not None else 0
        return self._line_at(found[0])

    def _line_at(self, offset: int) -> int:
        return bisect_right(self.starts, offset, 0, len(self.starts) - 1)

    def __getitem__(self, key: int) -> Span:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[int]:
        yield from self.offsets
        yield from (key for key in self.exact if key not in self.offsets)

    def __len__(self) -> int:
        return len(self.offsets) + sum(key not in self.offsets for key in self.exact)


def _newline(text: str) -> str:
    found = re.search(r"\r\n?|\n", text)
    return found.group() if found else "\n"


class _Builder:
    def __init__(self, text: str, tree: ast.Module, words: frozenset[str]) -> None:
        self.text, self.words = text, words
        self.starts = line_starts(text)
        self.ascii = text.isascii()
        self.offsets: dict[int, tuple[int, int]] = {}  # where each node made here is, in characters
        self.exact: dict[int, Span] = {}  # the spans of the nodes LibCST parsed
        self.named: Counter[str] = Counter()
        self.owned: set[int] = set()  # parentheses of a call's or a class's arguments
        self.open_at: dict[int, int] = {}  # where the content of an opening parenthesis starts -> it
        self.close_of: dict[int, int] = {}
        self.outer: dict[int, tuple[int, int]] = {}  # a node's span with its parentheses
        self.parsed: set[int] = set()  # the nodes of the f-strings LibCST parsed: their code is its own
        self.read: set[str] = set()  # the names an attribute is read of, or given as a keyword's value
        self._parentheses(tree)

    # -- offsets -------------------------------------------------------------------------
    def column(self, line: int, byte_column: int) -> int:
        """CPython counts columns in UTF-8 bytes; LibCST in characters."""
        if self.ascii:
            return byte_column
        start = self.starts[line - 1]
        content = self.text[start : self.starts[line]]
        return byte_column if content.isascii() else len(content.encode("utf-8")[:byte_column].decode("utf-8", "replace"))

    def offset(self, line: int, byte_column: int) -> int:
        return self.starts[line - 1] + self.column(line, byte_column)

    def bounds(self, node: ast.AST) -> tuple[int, int]:
        if self.ascii:
            starts = self.starts
            return (starts[node.lineno - 1] + node.col_offset,  # type: ignore[attr-defined]
                    starts[node.end_lineno - 1] + node.end_col_offset)  # type: ignore[attr-defined]
        return (self.offset(node.lineno, node.col_offset),  # type: ignore[attr-defined]
                self.offset(node.end_lineno, node.end_col_offset))  # type: ignore[attr-defined]

    def place(self, node: cst.CSTNode, start: int, end: int) -> None:
        self.offsets[id(node)] = (start, end)

    def placed(self, node: cst.CSTNode) -> tuple[int, int]:
        return self.offsets[id(node)]

    def after_gap(self, at: int) -> int:
        return _GAP.match(self.text, at).end()  # type: ignore[union-attr]

    # -- parentheses ---------------------------------------------------------------------
    def _parentheses(self, tree: ast.Module) -> None:
        """Pair every parenthesis outside strings and comments."""
        self._pair(self._punctuation(tree))

    def _pair(self, parentheses: Iterable[int]) -> None:
        stack: list[int] = []
        for at in parentheses:
            if self.text[at] == "(":
                stack.append(at)
            elif stack:
                opening = stack.pop()
                self.close_of[opening] = at
                self.open_at[self.after_gap(opening + 1)] = opening

    def _punctuation(self, tree: ast.Module) -> Iterator[int]:
        """Where the parentheses outside strings and comments are. Before Python 3.12 a string
        is one token a pattern finds; after, an f-string may hold quotes like its own, and the
        strings are where CPython's tree has them."""
        if sys.version_info < (3, 12):
            yield from _outside_strings(self.text, 0, len(self.text))
            return
        strings = _strings(tree, self.offset)
        starts = [start for start, _ in strings]
        comment_end = -1
        for match in _PUNCT.finditer(self.text):
            at = match.start()
            inside = bisect_right(starts, at) - 1
            if at < comment_end or (inside >= 0 and at < strings[inside][1]):
                continue
            if match.group() == "#":
                newline = _NEWLINE.search(self.text, at)
                comment_end = newline.start() if newline else len(self.text)
            else:
                yield at

    def own_parentheses(self, opening: int) -> None:
        if self.text.startswith("(", opening):
            self.owned.add(opening)

    def parenthesized(self, node: cst.BaseExpression, start: int, end: int, content_end: Optional[int] = None) -> cst.BaseExpression:
        """``node`` with the parentheses around ``start:end`` as its ``lpar``/``rpar``. Given
        ``content_end`` (a tuple's, a generator's), the span may begin and end with its own."""
        count = 0
        inner = (start, end)
        if content_end is not None and self.text.startswith("(", start) and self.close_of.get(start) == end - 1:
            inner = (self.after_gap(start + 1), content_end)
            if start in self.owned:  # a generator, a call's only argument, in the call's parentheses
                start, end = inner
            else:
                count = 1
        while True:
            opening = self.open_at.get(start)
            if opening is None or opening in self.owned or self.after_gap(end) != self.close_of[opening]:
                break
            count, start, end = count + 1, opening, self.close_of[opening] + 1
        if count:  # the node is new, held by nothing yet
            object.__setattr__(node, "lpar", (_LPAR,) * count)
            object.__setattr__(node, "rpar", (_RPAR,) * count)
        self.place(node, *inner)
        self.outer[id(node)] = (start, end)
        return node

    # -- statements ----------------------------------------------------------------------
    def block(self, statements: Sequence[ast.stmt]) -> list[cst.BaseStatement]:
        """Statements, the small ones that share a line grouped as LibCST groups them."""
        result: list[cst.BaseStatement] = []
        line: list[ast.stmt] = []
        for statement in statements:
            if isinstance(statement, _SMALL):
                if line and statement.lineno != line[-1].end_lineno:
                    result.append(self.simple_line(line))
                    line = []
                line.append(statement)
                continue
            if line:
                result.append(self.simple_line(line))
                line = []
            result.append(self.compound(statement))
        if line:
            result.append(self.simple_line(line))
        return result

    def simple_line(self, statements: list[ast.stmt]) -> cst.SimpleStatementLine:
        node = _made[cst.SimpleStatementLine](body=[self.small(s) for s in statements])
        self.place(node, self.bounds(statements[0])[0], self.bounds(statements[-1])[1])
        return node

    def suite(self, header_end: int, statements: list[ast.stmt]) -> cst.BaseSuite:
        """An indented block, or the statements on the line of their ``:``."""
        start = self.bounds(statements[0])[0]
        colon = self.text.rfind(":", header_end, start)
        between = self.text[colon + 1 : start] if colon >= 0 else "\n"
        node: cst.BaseSuite
        if "\n" not in between and "\r" not in between and "#" not in between:
            if not all(isinstance(s, _SMALL) for s in statements):
                raise Declined("a compound statement after a colon")
            node = _made[cst.SimpleStatementSuite](body=[self.small(s) for s in statements])
        else:
            node = _made[cst.IndentedBlock](body=self.block(statements))
        self.place(node, start, self.bounds(statements[-1])[1])
        return node

    def small(self, statement: ast.stmt) -> cst.BaseSmallStatement:
        node: cst.BaseSmallStatement
        if isinstance(statement, ast.Expr):
            node = _made[cst.Expr](value=self.expr(statement.value))
        elif isinstance(statement, ast.Assign):
            targets = []
            for target in statement.targets:
                converted = self.expr(target)
                wrapped = _made[cst.AssignTarget](target=converted)
                self.place(wrapped, *self.outer[id(converted)])
                targets.append(wrapped)
            node = _made[cst.Assign](targets=targets, value=self.expr(statement.value))
        elif isinstance(statement, ast.AugAssign):
            node = _made[cst.AugAssign](target=self.expr(statement.target), operator=_AUGMENTED[type(statement.op)],
                                 value=self.expr(statement.value))
        elif isinstance(statement, ast.AnnAssign):
            node = _made[cst.AnnAssign](target=self.expr(statement.target), annotation=self.annotation(statement.annotation),
                                 value=self.optional(statement.value))
        elif isinstance(statement, ast.Return):
            node = _made[cst.Return](value=self.optional(statement.value))
        elif isinstance(statement, ast.Raise):
            cause = None
            if statement.cause is not None:
                item = self.expr(statement.cause)
                cause = _made[cst.From](item=item)
                start, end = self.outer[id(item)]
                self.place(cause, self.text.rfind("from", 0, start), end)
            node = _made[cst.Raise](exc=self.optional(statement.exc), cause=cause)
        elif isinstance(statement, ast.Assert):
            node = _made[cst.Assert](test=self.expr(statement.test), msg=self.optional(statement.msg))
        elif isinstance(statement, ast.Delete):
            node = _made[cst.Del](target=self.targets(statement.targets))
        elif isinstance(statement, ast.Pass):
            node = _made[cst.Pass]()
        elif isinstance(statement, ast.Break):
            node = _made[cst.Break]()
        elif isinstance(statement, ast.Continue):
            node = _made[cst.Continue]()
        elif isinstance(statement, (ast.Global, ast.Nonlocal)):
            items: list[cst.NameItem] = []
            at = self.offset(statement.lineno, statement.col_offset) + len("global")
            for name in statement.names:
                at = self.text.find(name, at)
                named = _made[cst.NameItem](name=self.token(name, at))
                self.place(named, at, at + len(name))
                items.append(named)
                at += len(name)
            node = _made[cst.Global](names=items) if isinstance(statement, ast.Global) else _made[cst.Nonlocal](names=items)
        elif isinstance(statement, ast.Import):
            node = _made[cst.Import](names=[self.alias(alias) for alias in statement.names])
        else:
            assert isinstance(statement, ast.ImportFrom)
            node = self.import_from(statement)
        self.place(node, *self.bounds(statement))
        return node

    def targets(self, targets: list[ast.expr]) -> cst.BaseDelTargetExpression:
        if len(targets) == 1:
            return self.expr(targets[0])  # type: ignore[return-value]
        elements = [self.element(target) for target in targets]
        node = _made[cst.Tuple](elements=elements, lpar=(), rpar=())
        self.place(node, self.outer[id(elements[0].value)][0], self.outer[id(elements[-1].value)][1])
        return node

    def alias(self, alias: ast.alias) -> cst.ImportAlias:
        if not hasattr(alias, "lineno"):
            raise Declined("import positions need Python 3.10")
        start, end = self.bounds(alias)
        name = self.dotted(alias.name, start)
        asname = None
        if alias.asname is not None:
            asname = self.as_name(self.token(alias.asname, end - len(alias.asname)), start)
        node = _made[cst.ImportAlias](name=name, asname=asname)
        self.place(node, start, end)
        return node

    def as_name(self, name: cst.BaseAssignTargetExpression, after: int) -> cst.AsName:
        """``as name``, the ``as`` found between ``after`` and the name."""
        node = _made[cst.AsName](name=name)
        start, end = self.outer[id(name)]
        self.place(node, self.text.rfind("as", after, start), end)
        return node

    def dotted(self, name: str, start: int) -> cst.Name | cst.Attribute:
        """``a.b.c`` written without white space from ``start``."""
        if not self.text.startswith(name, start):
            raise Declined("a dotted name written with white space, or otherwise")
        parts = name.split(".")
        if len(parts) > 1:  # LibCST's tree has ``a.b`` as an attribute of ``a``
            self.read.add(parts[0])
        node: cst.Name | cst.Attribute = self.token(parts[0], start)
        at = start + len(parts[0]) + 1
        for part in parts[1:]:
            node = _made[cst.Attribute](value=node, attr=self.token(part, at))
            self.place(node, start, at + len(part))
            at += len(part) + 1
        return node

    def import_from(self, statement: ast.ImportFrom) -> cst.ImportFrom:
        start = self.offset(statement.lineno, statement.col_offset)
        at = self.after_gap(start + len("from"))
        dots = 0
        while self.text.startswith(".", at):
            dots += 1
            at = self.after_gap(at + 1)
        if dots != statement.level:
            raise Declined("relative import written oddly")
        module = self.dotted(statement.module, at) if statement.module else None
        names: Sequence[cst.ImportAlias] | cst.ImportStar
        if len(statement.names) == 1 and statement.names[0].name == "*":
            names = _made[cst.ImportStar]()
        else:
            names = [self.alias(alias) for alias in statement.names]
        return _made[cst.ImportFrom](module=module, names=names, relative=[_made[cst.Dot]()] * dots)

    def compound(self, statement: ast.stmt) -> cst.BaseCompoundStatement:
        start, end = self.bounds(statement)
        node: cst.BaseCompoundStatement
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            node = self.function(statement, start)
        elif isinstance(statement, ast.ClassDef):
            node = self.class_def(statement, start)
        elif isinstance(statement, ast.If):
            node = self.if_(statement, start)
        elif isinstance(statement, (ast.For, ast.AsyncFor)):
            target, iterator = self.expr(statement.target), self.expr(statement.iter)
            body = self.suite(self.outer[id(iterator)][1], statement.body)
            node = _made[cst.For](target=target, iter=iterator, body=body, orelse=self.else_(statement.orelse, body),
                           asynchronous=_made[cst.Asynchronous]() if isinstance(statement, ast.AsyncFor) else None)
        elif isinstance(statement, ast.While):
            test = self.expr(statement.test)
            body = self.suite(self.outer[id(test)][1], statement.body)
            node = _made[cst.While](test=test, body=body, orelse=self.else_(statement.orelse, body))
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            items = [self.with_item(item) for item in statement.items]
            header = max(self.placed(item)[1] for item in items)
            node = _made[cst.With](items=items, body=self.suite(header, statement.body),
                            asynchronous=_made[cst.Asynchronous]() if isinstance(statement, ast.AsyncWith) else None)
        elif isinstance(statement, ast.Try) or type(statement).__name__ == "TryStar":
            node = self.try_(statement)  # type: ignore[arg-type]
        else:
            raise Declined(f"{type(statement).__name__} statements")
        self.place(node, start, end)
        return node

    def with_item(self, item: ast.withitem) -> cst.WithItem:
        value = self.expr(item.context_expr)
        asname = None
        end = self.outer[id(value)][1]
        if item.optional_vars is not None:
            target = self.expr(item.optional_vars)
            asname = self.as_name(target, self.outer[id(value)][1])  # type: ignore[arg-type]
            end = self.outer[id(target)][1]
        node = _made[cst.WithItem](item=value, asname=asname)
        self.place(node, self.outer[id(value)][0], end)
        return node

    def else_(self, statements: list[ast.stmt], after: cst.CSTNode) -> Optional[cst.Else]:
        """The ``else`` block that comes after the block ``after``."""
        if not statements:
            return None
        keyword = self.after_gap(self.placed(after)[1])
        node = _made[cst.Else](body=self.suite(keyword + len("else"), statements))
        self.place(node, keyword, self.bounds(statements[-1])[1])
        return node

    def if_(self, statement: ast.If, start: int) -> cst.If:
        test = self.expr(statement.test)
        body = self.suite(self.outer[id(test)][1], statement.body)
        orelse: cst.If | cst.Else | None
        chained = statement.orelse[0] if len(statement.orelse) == 1 else None
        if isinstance(chained, ast.If) and self.text.startswith("elif", self.bounds(chained)[0]):
            orelse = self.if_(chained, self.bounds(chained)[0])
            self.place(orelse, *self.bounds(chained))
        else:
            orelse = self.else_(statement.orelse, body)
        return _made[cst.If](test=test, body=body, orelse=orelse)

    def try_(self, statement: ast.Try) -> cst.BaseCompoundStatement:
        start = self.offset(statement.lineno, statement.col_offset)
        body = self.suite(start + 3, statement.body)
        star = type(statement).__name__ == "TryStar"
        handlers = []
        for handler in statement.handlers:
            h_start, h_end = self.bounds(handler)
            kind = self.optional(handler.type)
            name = None
            header = h_start + 6 if kind is None else self.outer[id(kind)][1]
            if handler.name is not None:
                colon = self.text.find(":", header)
                at = self.text.rfind(handler.name, header, colon)
                name = self.as_name(self.token(handler.name, at), header)
                header = at + len(handler.name)
            made = _made[cst.ExceptStarHandler if star else cst.ExceptHandler](
                body=self.suite(header, handler.body), type=kind, name=name)
            self.place(made, h_start, h_end)
            handlers.append(made)
        last: cst.CSTNode = handlers[-1] if handlers else body
        orelse = self.else_(statement.orelse, last)
        final = None
        if statement.finalbody:
            keyword = self.after_gap(self.placed(orelse or last)[1])
            final = _made[cst.Finally](body=self.suite(keyword + 7, statement.finalbody))
            self.place(final, keyword, self.bounds(statement.finalbody[-1])[1])
        if star:
            return _made[cst.TryStar](body=body, handlers=handlers, orelse=orelse, finalbody=final)
        return _made[cst.Try](body=body, handlers=handlers, orelse=orelse, finalbody=final)

    def function(self, statement: ast.FunctionDef | ast.AsyncFunctionDef, start: int) -> cst.FunctionDef:
        decorators, name, opening = self.definition(statement, start, _DEF)
        self.own_parentheses(opening)
        params = self.parameters(statement.args, opening + 1)
        returns = self.annotation(statement.returns) if statement.returns is not None else None
        head_end = self.outer[id(returns.annotation)][1] if returns is not None else self.close_of.get(opening, start)
        return _made[cst.FunctionDef](name=name, params=params, body=self.suite(head_end, statement.body),
                     decorators=decorators, returns=returns,
                     asynchronous=_made[cst.Asynchronous]() if isinstance(statement, ast.AsyncFunctionDef) else None)

    def class_def(self, statement: ast.ClassDef, start: int) -> cst.ClassDef:
        decorators, name, opening = self.definition(statement, start, _CLASS)
        self.own_parentheses(opening)
        bases = [self.arg(base) for base in statement.bases]
        keywords = [self.keyword(keyword) for keyword in statement.keywords]
        head_end = self.close_of.get(opening, opening) if self.text.startswith("(", opening) else opening
        return _made[cst.ClassDef](name=name, body=self.suite(head_end, statement.body), bases=bases, keywords=keywords,
                     decorators=decorators)

    def definition(self, statement: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, start: int,
                   keyword: re.Pattern[str]) -> tuple[list[cst.Decorator], cst.Name, int]:
        """The decorators and name of a ``def`` or ``class``, and where its ``(`` would be."""
        if getattr(statement, "type_params", None):
            raise Declined("type parameters")
        decorators = [self.decorator(d) for d in statement.decorator_list]
        header = keyword.match(self.text, start)
        if header is None:
            raise Declined("a definition written oddly")
        name = self.token(statement.name, header.end())
        return decorators, name, self.after_gap(header.end() + len(statement.name))

    def decorator(self, expression: ast.expr) -> cst.Decorator:
        value = self.expr(expression)
        node = _made[cst.Decorator](decorator=value)
        start, end = self.outer[id(value)]
        self.place(node, self.text.rfind("@", 0, start), end)
        return node

    def annotation(self, expression: ast.expr) -> cst.Annotation:
        value = self.expr(expression)
        node = _made[cst.Annotation](annotation=value)
        self.place(node, *self.outer[id(value)])
        return node

    def parameters(self, arguments: ast.arguments, at: int) -> cst.Parameters:
        """The parameters; ``at``: where they would be if there were none."""
        positional = [*arguments.posonlyargs, *arguments.args]
        defaults: list[Optional[ast.expr]] = [None] * (len(positional) - len(arguments.defaults)) + list(arguments.defaults)
        made = [self.param(arg, default) for arg, default in zip(positional, defaults)]
        split = len(arguments.posonlyargs)
        star_arg: cst.Param | cst.ParamStar | cst.MaybeSentinel = cst.MaybeSentinel.DEFAULT
        if arguments.vararg is not None:
            star_arg = self.param(arguments.vararg, None, "*")
        elif arguments.kwonlyargs:
            star_arg = _made[cst.ParamStar]()
        kwonly = [self.param(arg, default) for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults)]
        star_kwarg = self.param(arguments.kwarg, None, "**") if arguments.kwarg is not None else None
        node = _made[cst.Parameters](params=made[split:], star_arg=star_arg, kwonly_params=kwonly, star_kwarg=star_kwarg,
                              posonly_params=made[:split],
                              posonly_ind=_made[cst.ParamSlash]() if split else cst.MaybeSentinel.DEFAULT)
        every = [param for param in (*made, star_arg, *kwonly, star_kwarg) if type(param) is cst.Param]
        if every:
            first = self.placed(every[0])[0]
            if type(star_arg) is cst.ParamStar and not made:
                first = self.text.rfind("*", at, first)
            self.place(node, first, self.placed(every[-1])[1])
        else:
            self.place(node, at, at)
        return node

    def param(self, arg: ast.arg, default: Optional[ast.expr], star: str = "") -> cst.Param:
        start, end = self.bounds(arg)
        name = self.token(arg.arg, start)
        annotation = self.annotation(arg.annotation) if arg.annotation is not None else None
        value = self.expr(default) if default is not None else None
        node = _made[cst.Param](name=name, annotation=annotation, default=value, star=star)
        self.place(node, start - len(star), self.outer[id(value)][1] if value is not None else end)
        return node

    # -- expressions ---------------------------------------------------------------------
    def optional(self, expression: Optional[ast.expr]) -> Optional[cst.BaseExpression]:
        return None if expression is None else self.expr(expression)

    def token(self, value: str, start: int) -> cst.Name:
        """A name that CPython's tree gives, written at ``start``."""
        if not self.text.startswith(value, start):
            raise Declined("a name written otherwise")  # CPython's tree has it NFKC-normalized
        if value in self.words:
            self.named[value] += 1
        node = _made[cst.Name](value)
        self.offsets[id(node)] = self.outer[id(node)] = (start, start + len(value))
        return node

    def expr(self, expression: ast.expr) -> cst.BaseExpression:
        start, end = self.bounds(expression)
        convert = _EXPRESSIONS.get(type(expression))
        if convert is None:
            raise Declined(f"{type(expression).__name__} expressions")
        node, content_end = convert(self, expression, start, end)
        if content_end is None and start not in self.open_at:  # most often: no parenthesis of its own
            self.offsets[id(node)] = self.outer[id(node)] = (start, end)
            return node
        return self.parenthesized(node, start, end, content_end)

    def arg(self, expression: ast.expr) -> cst.Arg:
        if isinstance(expression, ast.Starred):
            value = self.expr(expression.value)
            node = _made[cst.Arg](value=value, star="*")
            self.place(node, self.bounds(expression)[0], self.outer[id(value)][1])
            return node
        value = self.expr(expression)
        node = _made[cst.Arg](value=value)
        self.place(node, *self.outer[id(value)])
        return node

    def keyword(self, keyword: ast.keyword) -> cst.Arg:
        start, end = self.bounds(keyword)
        value = self.expr(keyword.value)
        if keyword.arg is None:
            node = _made[cst.Arg](value=value, star="**")
        else:
            if type(keyword.value) is ast.Name:
                self.read.add(keyword.value.id)
            node = _made[cst.Arg](value=value, keyword=self.token(keyword.arg, start))
        self.place(node, start, end)
        return node

    def arguments(self, args: list[ast.expr], keywords: list[ast.keyword]) -> list[cst.Arg]:
        ordered: list[tuple[tuple[int, int], Callable[[], cst.Arg]]] = []
        for arg in args:
            ordered.append(((arg.lineno, arg.col_offset), lambda arg=arg: self.arg(arg)))  # type: ignore[misc]
        for keyword in keywords:
            ordered.append(((keyword.lineno, keyword.col_offset), lambda keyword=keyword: self.keyword(keyword)))  # type: ignore[misc]
        ordered.sort(key=lambda pair: pair[0])
        return [make() for _, make in ordered]

    def element(self, expression: ast.expr) -> cst.BaseElement:
        if isinstance(expression, ast.Starred):
            value = self.expr(expression.value)
            node: cst.BaseElement = _made[cst.StarredElement](value=value)
            self.place(node, self.bounds(expression)[0], self.outer[id(value)][1])
            self.outer[id(node)] = self.placed(node)
            return node
        value = self.expr(expression)
        node = _made[cst.Element](value=value)
        self.place(node, *self.outer[id(value)])
        return node

    def comprehension(self, generators: list[ast.comprehension], after: cst.CSTNode) -> cst.CompFor:
        """The ``for`` clauses, each spanning from the end of what comes before it (``after``,
        the element) to its last condition, as LibCST has them."""
        made: list[tuple[int, cst.BaseAssignTargetExpression, cst.BaseExpression, list[cst.CompIf], bool]] = []
        start = self.outer[id(after)][1]
        for generator in generators:
            target, iterator = self.expr(generator.target), self.expr(generator.iter)
            end = self.outer[id(iterator)][1]
            ifs = []
            for test in generator.ifs:
                condition = self.expr(test)
                made_if = _made[cst.CompIf](test=condition)
                self.place(made_if, end, self.outer[id(condition)][1])
                end = self.outer[id(condition)][1]
                ifs.append(made_if)
            made.append((start, target, iterator, ifs, bool(generator.is_async)))  # type: ignore[arg-type]
            start = end
        inner = None
        for begin, target, iterator, ifs, is_async in reversed(made):
            inner = _made[cst.CompFor](target=target, iter=iterator, ifs=ifs, inner_for_in=inner,
                                asynchronous=_made[cst.Asynchronous]() if is_async else None)
            self.place(inner, begin, start if inner.inner_for_in is None else self.placed(inner.inner_for_in)[1])
        assert inner is not None
        return inner

    def string(self, start: int, end: int, fields: Sequence[ast.FormattedValue] = ()) -> cst.BaseExpression:
        """A string literal, or implicitly joined literals, as LibCST has them (``fields``: the
        replacement fields of the f-strings among them)."""
        pieces = _pieces(self.text, start, end)
        made = [self.piece(a, b, fields) for a, b in pieces]
        node = made[-1]
        for index in range(len(made) - 2, -1, -1):
            node = _made[cst.ConcatenatedString](left=made[index], right=node)
            if index:
                self.place(node, pieces[index][0], end)
        return node

    def piece(self, start: int, end: int, fields: Sequence[ast.FormattedValue]) -> cst.BaseString:
        raw = self.text[start:end]
        prefix = raw[: len(raw) - len(raw.lstrip("rRbBuUfF"))]
        if "f" not in prefix.lower():
            node = _made[cst.SimpleString](raw)
            self.place(node, start, end)
            if self.words and ("\\" in raw or any(word in raw for word in self.words)):
                value = value_of(node)
                if isinstance(value, str) and value in self.words:
                    self.named[value] += 1
            return node
        quote = raw[len(prefix) : len(prefix) + 3] if raw.startswith(('"""', "'''"), len(prefix)) else raw[len(prefix)]
        inside = [field for field in fields if start <= self.bounds(field.value)[0] < end]
        counted = Counter(self.named)
        try:
            parts, _ = self.f_parts(start + len(prefix) + len(quote), inside, end - len(quote))
        except _Unplaced:  # CPython placed a field oddly (an old release, a field on several lines)
            self.named = counted
            return self.f_string(raw, start)
        made = _made[cst.FormattedString](parts=parts, start=prefix + quote, end=quote)
        self.place(made, start, end)
        return made

    def f_parts(self, at: int, fields: Sequence[ast.FormattedValue], stop: Optional[int] = None,
                ) -> tuple[list[cst.BaseFormattedStringContent], int]:
        """The text and replacement fields from ``at`` to ``stop`` (the closing quote), or to the
        ``}`` that closes a format specification; and where they end."""
        parts: list[cst.BaseFormattedStringContent] = []
        for field in fields:
            field_start, field_end = self.bounds(field.value)
            brace = self.text.rfind("{", at, field_start)
            if brace < 0 or self.text[brace + 1 : field_start].strip(" \t("):
                raise _Unplaced
            if brace > at:
                parts.append(self.f_text(at, brace))
            closing = field_end
            while self.text[closing] in " \t)":
                closing += 1
            self._pair(_outside_strings(self.text, brace + 1, closing))
            expression = self.expr(field.value)
            after = self.after_space(self.outer[id(expression)][1])
            equal = None
            if self.text.startswith("=", after):
                equal, after = _EQUAL, self.after_space(after + 1)
            conversion = None
            if self.text.startswith("!", after):
                conversion, after = self.text[after + 1], after + 2
            spec = None
            if self.text.startswith(":", after):
                nested = [v for v in field.format_spec.values if isinstance(v, ast.FormattedValue)] if isinstance(field.format_spec, ast.JoinedStr) else []
                spec, after = self.f_parts(after + 1, nested)
            if not self.text.startswith("}", after):
                raise _Unplaced
            made = _made[cst.FormattedStringExpression](expression=expression, conversion=conversion,
                         format_spec=spec, equal=equal)
            self.place(made, brace, after + 1)
            parts.append(made)
            at = after + 1
        if stop is None:  # a specification's text holds no brace
            stop = self.text.find("}", at)
            if stop < 0:
                raise _Unplaced
        if stop > at:
            parts.append(self.f_text(at, stop))
        return parts, stop

    def f_text(self, start: int, end: int) -> cst.FormattedStringText:
        node = _made[cst.FormattedStringText](value=self.text[start:end])
        self.place(node, start, end)
        return node

    def after_space(self, at: int) -> int:
        while self.text[at] in " \t":
            at += 1
        return at

    def f_string(self, raw: str, start: int) -> cst.BaseString:
        """An f-string, parsed by LibCST on its own; its nodes placed where they are in the file."""
        try:
            node = cst.parse_expression(raw)
        except Exception:
            raise Declined("an f-string LibCST parses only in its module") from None
        if not isinstance(node, cst.FormattedString):
            raise Declined("an f-string that is not one")
        statement = _made[cst.Expr](value=node)
        line_of_it = _made[cst.SimpleStatementLine](body=[statement])
        wrapper = _made[cst.Module](body=[line_of_it])
        spans, named = spans_and_tokens(wrapper, self.words)
        for made in (wrapper, line_of_it, statement):  # not in the tree: their ids may be reused once they are gone
            del spans[id(made)]
        self.named.update(named)
        line = bisect_right(self.starts, start)
        column = start - self.starts[line - 1]
        for key, (a, b, c, d) in spans.items():
            self.exact[key] = (a + line - 1, b + column if a == 1 else b, c + line - 1, d + column if c == 1 else d)
        self.parsed.update(spans)
        return node


def _outside_strings(text: str, start: int, end: int) -> Iterator[int]:
    """Where the parentheses of ``text[start:end]`` are, strings and comments left out (a string
    being one token a pattern finds: so before Python 3.12, and in an f-string's field)."""
    at = start
    while True:
        found = _PUNCT_OR_QUOTE.search(text, at, end)
        if found is None:
            return
        at = found.start()
        char = text[at]
        if char == "(" or char == ")":
            yield at
            at += 1
        elif char == "#":
            newline = _NEWLINE.search(text, at, end)
            at = newline.start() if newline else end
        else:
            string = _STRING.match(text, at, end)
            at = string.end() if string else at + 1


def _strings(tree: ast.Module, offset: Callable[[int, int], int]) -> list[tuple[int, int]]:
    """Where the module's string literals are (their parentheses and ``#`` are no syntax)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))):
            found.append((offset(node.lineno, node.col_offset), offset(node.end_lineno, node.end_col_offset)))  # type: ignore[arg-type]
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:  # an f-string's parts lie inside it
        if merged and start < merged[-1][1]:
            continue
        merged.append((start, end))
    return merged


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The literals of one string expression (``"a" "b"`` has two)."""
    pieces = []
    at = start
    while at < end:
        opening = _STRING_START.match(text, at)
        if opening is None:
            raise Declined("a string literal written oddly")
        quote = opening.group(1)
        if "f" in opening.group()[: -len(quote)].lower() and sys.version_info >= (3, 12):
            return _tokenized_pieces(text, start, end)  # quotes may nest inside its braces
        close = text.find(quote, opening.end())
        while close >= 0 and _escaped(text, opening.end(), close):
            close = text.find(quote, close + 1)
        if close < 0 or close + len(quote) > end:
            raise Declined("a string literal written oddly")
        pieces.append((at, close + len(quote)))
        at = _GAP.match(text, close + len(quote)).end()  # type: ignore[union-attr]
    return pieces


def _tokenized_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The literals of a string expression that holds an f-string, from Python 3.12 on: where
    its tokenizer (CPython's own) finds them."""
    import io
    import tokenize

    segment = text[start:end]
    lines = [0] + [match.end() for match in re.finditer("\n", segment)]
    pieces: list[tuple[int, int]] = []
    depth, begin = 0, 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(segment).readline):
            if token.type == tokenize.STRING and not depth:
                pieces.append((start + lines[token.start[0] - 1] + token.start[1], start + lines[token.end[0] - 1] + token.end[1]))
            elif token.type == tokenize.FSTRING_START:  # type: ignore[attr-defined]
                if not depth:
                    begin = start + lines[token.start[0] - 1] + token.start[1]
                depth += 1
            elif token.type == tokenize.FSTRING_END:  # type: ignore[attr-defined]
                depth -= 1
                if not depth:
                    pieces.append((begin, start + lines[token.end[0] - 1] + token.end[1]))
    except (tokenize.TokenError, SyntaxError, IndexError):
        raise Declined("a string the tokenizer reads otherwise") from None
    if not pieces or pieces[0][0] != start or pieces[-1][1] != end:
        raise Declined("a string the tokenizer reads otherwise")
    return pieces


def _escaped(text: str, begin: int, at: int) -> bool:
    backslashes = 0
    while at - backslashes - 1 >= begin and text[at - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


# -- one converter per expression type: the node, and where the content ends of one whose span
# may hold its own parentheses (a tuple's, a generator's), else None ---------------------------
Converted = tuple[cst.BaseExpression, Optional[int]]


def _name(b: _Builder, e: ast.Name, start: int, end: int) -> Converted:
    if b.text[start:end] != e.id:
        raise Declined("a name written otherwise")  # CPython's tree has it NFKC-normalized
    if e.id in b.words:
        b.named[e.id] += 1
    return _made[cst.Name](e.id), None


def _constant(b: _Builder, e: ast.Constant, start: int, end: int) -> Converted:
    value = e.value
    if isinstance(value, (str, bytes)):
        return b.string(start, end), None
    if value is None or isinstance(value, bool):
        return _made[cst.Name](str(value)), None
    if value is Ellipsis:
        return _made[cst.Ellipsis](), None
    raw = b.text[start:end]
    if isinstance(value, complex):
        return _made[cst.Imaginary](raw), None
    if isinstance(value, float):
        return _made[cst.Float](raw), None
    return _made[cst.Integer](raw), None


def _joined(b: _Builder, e: ast.JoinedStr, start: int, end: int) -> Converted:
    return b.string(start, end, [value for value in e.values if isinstance(value, ast.FormattedValue)]), None


def _attribute(b: _Builder, e: ast.Attribute, start: int, end: int) -> Converted:
    if type(e.value) is ast.Name:
        b.read.add(e.value.id)
    value = b.expr(e.value)
    return _made[cst.Attribute](value=value, attr=b.token(e.attr, end - len(e.attr))), None


def _call(b: _Builder, e: ast.Call, start: int, end: int) -> Converted:
    func = b.expr(e.func)
    b.own_parentheses(b.after_gap(b.outer[id(func)][1]))
    return _made[cst.Call](func=func, args=b.arguments(e.args, e.keywords)), None


def _subscript(b: _Builder, e: ast.Subscript, start: int, end: int) -> Converted:
    value = b.expr(e.value)
    index = e.slice
    if sys.version_info < (3, 9) or type(index).__name__ in ("Index", "ExtSlice"):
        raise Declined("an old subscript tree")
    items = index.elts if isinstance(index, ast.Tuple) and not b.text.startswith("(", b.bounds(index)[0]) and index.elts else [index]
    elements = []
    for item in items:
        if isinstance(item, ast.Slice):
            made: cst.BaseSlice = _made[cst.Slice](lower=b.optional(item.lower), upper=b.optional(item.upper),
                                            step=b.optional(item.step))
            b.place(made, *b.bounds(item))
        elif isinstance(item, ast.Starred):
            raise Declined("a starred subscript")
        else:
            inner = b.expr(item)
            made = _made[cst.Index](value=inner)
            b.place(made, *b.outer[id(inner)])
        element = _made[cst.SubscriptElement](slice=made)
        b.offsets[id(element)] = b.offsets[id(made)]
        elements.append(element)
    return _made[cst.Subscript](value=value, slice=elements), None


def _bool_op(b: _Builder, e: ast.BoolOp, start: int, end: int) -> Converted:
    operator = _AND if isinstance(e.op, ast.And) else _OR
    node = b.expr(e.values[0])
    first = b.outer[id(node)][0]
    for value in e.values[1:]:
        right = b.expr(value)
        node = _made[cst.BooleanOperation](left=node, operator=operator, right=right)
        if value is not e.values[-1]:
            b.place(node, first, b.outer[id(right)][1])
            b.outer[id(node)] = (first, b.outer[id(right)][1])
    return node, None


def _bin_op(b: _Builder, e: ast.BinOp, start: int, end: int) -> Converted:
    return _made[cst.BinaryOperation](left=b.expr(e.left), operator=_BINARY[type(e.op)], right=b.expr(e.right)), None


def _unary(b: _Builder, e: ast.UnaryOp, start: int, end: int) -> Converted:
    return _made[cst.UnaryOperation](operator=_UNARY[type(e.op)], expression=b.expr(e.operand)), None


def _compare(b: _Builder, e: ast.Compare, start: int, end: int) -> Converted:
    left = b.expr(e.left)
    targets = []
    before = b.outer[id(left)][1]
    for op, comparator in zip(e.ops, e.comparators):
        value = b.expr(comparator)
        target = _made[cst.ComparisonTarget](operator=_COMPARE[type(op)], comparator=value)
        b.place(target, before, b.outer[id(value)][1])
        before = b.outer[id(value)][1]
        targets.append(target)
    return _made[cst.Comparison](left=left, comparisons=targets), None


def _if_exp(b: _Builder, e: ast.IfExp, start: int, end: int) -> Converted:
    body = b.expr(e.body)
    return _made[cst.IfExp](test=b.expr(e.test), body=body, orelse=b.expr(e.orelse)), None


def _lambda(b: _Builder, e: ast.Lambda, start: int, end: int) -> Converted:
    return _made[cst.Lambda](params=b.parameters(e.args, start + len("lambda")), body=b.expr(e.body)), None


def _named_expr(b: _Builder, e: ast.NamedExpr, start: int, end: int) -> Converted:
    return _made[cst.NamedExpr](target=b.expr(e.target), value=b.expr(e.value)), None


def _dict(b: _Builder, e: ast.Dict, start: int, end: int) -> Converted:
    elements: list[cst.BaseDictElement] = []
    for key, value in zip(e.keys, e.values):
        if key is None:
            converted = b.expr(value)
            made: cst.BaseDictElement = _made[cst.StarredDictElement](value=converted)
            b.place(made, b.text.rfind("**", 0, b.outer[id(converted)][0]), b.outer[id(converted)][1])
        else:
            converted_key = b.expr(key)
            converted = b.expr(value)
            made = _made[cst.DictElement](key=converted_key, value=converted)
            b.place(made, b.outer[id(converted_key)][0], b.outer[id(converted)][1])
        elements.append(made)
    return _made[cst.Dict](elements=elements), None


def _sequence(kind: type) -> Callable[[_Builder, ast.expr, int, int], Converted]:
    def convert(b: _Builder, e: ast.expr, start: int, end: int) -> Converted:
        elements = [b.element(item) for item in e.elts]  # type: ignore[attr-defined]
        if kind is not cst.Tuple:
            return kind(elements=elements), None
        if not elements:
            return _made[cst.Tuple](elements=[]), end - 1
        last = b.outer[id(elements[-1].value)][1] if isinstance(elements[-1], cst.Element) else b.placed(elements[-1])[1]
        comma = b.after_gap(last)
        return _made[cst.Tuple](elements=elements, lpar=(), rpar=()), comma + 1 if b.text.startswith(",", comma) else last
    return convert


def _starred(b: _Builder, e: ast.Starred, start: int, end: int) -> Converted:
    return _made[cst.StarredElement](value=b.expr(e.value)), None


def _comprehension(kind: type) -> Callable[[_Builder, ast.expr, int, int], Converted]:
    def convert(b: _Builder, e: ast.expr, start: int, end: int) -> Converted:
        element = b.expr(e.elt)  # type: ignore[attr-defined]
        for_in = b.comprehension(e.generators, element)  # type: ignore[attr-defined]
        if kind is cst.GeneratorExp:
            return _made[cst.GeneratorExp](elt=element, for_in=for_in, lpar=(), rpar=()), b.placed(for_in)[1]
        return kind(elt=element, for_in=for_in), None
    return convert


def _dict_comp(b: _Builder, e: ast.DictComp, start: int, end: int) -> Converted:
    key, value = b.expr(e.key), b.expr(e.value)
    return _made[cst.DictComp](key=key, value=value, for_in=b.comprehension(e.generators, value)), None


def _await(b: _Builder, e: ast.Await, start: int, end: int) -> Converted:
    return _made[cst.Await](expression=b.expr(e.value)), None


def _yield(b: _Builder, e: ast.Yield | ast.YieldFrom, start: int, end: int) -> Converted:
    if isinstance(e, ast.YieldFrom):
        item = b.expr(e.value)
        made = _made[cst.From](item=item)
        b.place(made, start + len("yield"), end)
        return _made[cst.Yield](value=made), None
    return _made[cst.Yield](value=b.optional(e.value)), None


def _slice(b: _Builder, e: ast.Slice, start: int, end: int) -> Converted:
    raise Declined("a slice outside a subscript")


_EXPRESSIONS: dict[type, Callable[..., Converted]] = {
    ast.Name: _name, ast.Constant: _constant, ast.JoinedStr: _joined, ast.Attribute: _attribute, ast.Call: _call,
    ast.Subscript: _subscript, ast.BoolOp: _bool_op, ast.BinOp: _bin_op, ast.UnaryOp: _unary,
    ast.Compare: _compare, ast.IfExp: _if_exp, ast.Lambda: _lambda, ast.NamedExpr: _named_expr, ast.Dict: _dict,
    ast.List: _sequence(cst.List), ast.Tuple: _sequence(cst.Tuple), ast.Set: _sequence(cst.Set),
    ast.Starred: _starred, ast.ListComp: _comprehension(cst.ListComp), ast.SetComp: _comprehension(cst.SetComp),
    ast.GeneratorExp: _comprehension(cst.GeneratorExp), ast.DictComp: _dict_comp, ast.Await: _await,
    ast.Yield: _yield, ast.YieldFrom: _yield, ast.Slice: _slice,
}
