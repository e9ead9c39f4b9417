"""One pass over a module's statements in order, keeping each scope's names up to date.

Assignments, ``for`` targets, imports, parameters and comprehension variables bind names;
binding a name again replaces what was known about it, and after an ``if``/``for``/``try``
the facts of every path are joined. ``visit`` (when given) sees every expression node with
the scope in effect there.
"""
from __future__ import annotations

import collections.abc
import dataclasses
import types
import typing
from typing import TYPE_CHECKING, Callable, Iterable, Optional

import libcst as cst
from libcst.helpers import get_full_name_for_node

from . import stripe_sdk as sdk
from .env import Env
from .facts import Fact, Foreign, Imported, Instance, LocalDef, Parameter, Parts, StripeData, StripeSymbol, Unknown

if TYPE_CHECKING:
    from .module import Provenance

Visit = Callable[[cst.CSTNode, Env], None]
Visits = dict[type, Visit]  # a collector's visit, by the classes of the nodes it looks at


def dispatch(*tables: Visits) -> Visit:
    """One visit from the collectors' tables: a node is given to those that look at its class, in
    the tables' order (most nodes are names, which none of them looks at)."""
    by_kind: dict[type, list[Visit]] = {}
    for table in tables:
        for kind, looks in table.items():
            by_kind.setdefault(kind, []).append(looks)

    def visit(node: cst.CSTNode, env: Env) -> None:
        for looks in by_kind.get(type(node), ()):
            looks(node, env)

    return visit


class Walk:
    def __init__(
        self,
        prov: Provenance,
        visit: Optional[Visit],
        *,
        descend: bool = True,
        on_return: Optional[Callable[[Fact], None]] = None,
        on_self_attr: Optional[Callable[[str, Fact], None]] = None,
    ) -> None:
        self.prov = prov
        self.visit = visit
        self.descend = descend
        self.on_return = on_return
        self.on_self_attr = on_self_attr

    def block(self, stmts: Iterable[cst.CSTNode], env: Env, cls: cst.ClassDef | None = None) -> Env:
        for stmt in stmts:
            self.statement(stmt, env, cls)
        return env

    def statement(self, stmt: cst.CSTNode, env: Env, cls: cst.ClassDef | None) -> None:
        # ``type() is``, not ``isinstance``: on LibCST's classes it is slow, and this sees every statement
        if type(stmt) is cst.SimpleStatementLine or type(stmt) is cst.SimpleStatementSuite:
            for small in stmt.body:
                self.small(small, env)
        elif type(stmt) is cst.FunctionDef:
            self.function(stmt, env, cls)
        elif type(stmt) is cst.ClassDef:
            self.class_def(stmt, env)
        elif type(stmt) is cst.If:
            self.expr(stmt.test, env)
            taken = env.fork()
            narrowed = self.prov.narrowing(stmt.test, env)
            if narrowed is not None:
                taken.bind(*narrowed)
            self.block(body(stmt.body), taken, cls)
            other = env.fork()
            if isinstance(stmt.orelse, cst.If):
                self.statement(stmt.orelse, other, cls)
            elif stmt.orelse is not None:
                self.block(body(stmt.orelse.body), other, cls)
            env.become([taken, other], env)
        elif type(stmt) is cst.For:
            self.expr(stmt.iter, env)
            looped = env.fork()
            self.expr(stmt.target, looped)
            item = self.prov.element(self.prov.fact(stmt.iter, env), stmt.iter)
            self.prov.bind_target(stmt.target, item, looped, stmt.iter)
            self.block(body(stmt.body), looped, cls)
            env.become([env, looped], env)
            if stmt.orelse is not None:
                self.block(body(stmt.orelse.body), env, cls)
        elif type(stmt) is cst.While:
            self.expr(stmt.test, env)
            env.become([env, self.block(body(stmt.body), env.fork(), cls)], env)
            if stmt.orelse is not None:
                self.block(body(stmt.orelse.body), env, cls)
        elif type(stmt) is cst.Try or type(stmt) is cst.TryStar:
            self.try_(stmt, env, cls)
        elif type(stmt) is cst.With:
            for with_item in stmt.items:
                self.expr(with_item.item, env)
                if with_item.asname is not None:
                    self.expr(with_item.asname.name, env)
                    entered = self.prov.stand_ins.entered(with_item.item, env)
                    self.prov.bind_target(with_item.asname.name, entered, env)
            self.block(body(stmt.body), env, cls)
        elif type(stmt) is cst.Match:
            self.expr(stmt.subject, env)
            ends = []
            for case in stmt.cases:
                self.expr(case.pattern, env)
                taken = env.fork()
                narrowed = self.prov.case_narrowing(stmt.subject, case.pattern, env)
                if narrowed is not None:
                    taken.bind(*narrowed)
                ends.append(self.block(body(case.body), taken, cls))
            env.become([env, *ends], env)
        else:  # a statement newer than this walker: still visit what it contains
            self.expr(stmt, env)

    def try_(self, stmt: cst.Try | cst.TryStar, env: Env, cls: cst.ClassDef | None) -> None:
        tried = self.block(body(stmt.body), env.fork(), cls)
        raised = env.fork()  # where a handler starts: before or after any statement of the body
        raised.become([env, tried], env)
        ends = [tried]
        for handler in stmt.handlers:
            if handler.type is not None:
                self.expr(handler.type, raised)
            caught = raised.fork()
            if handler.name is not None and isinstance(handler.name.name, cst.Name):
                caught.bind(handler.name.name.value, Foreign("an exception"))
            ends.append(self.block(body(handler.body), caught, cls))
        if stmt.orelse is not None:
            self.block(body(stmt.orelse.body), tried, cls)
        env.become(ends, env)
        if stmt.finalbody is not None:
            self.block(body(stmt.finalbody.body), env, cls)

    def small(self, small: cst.CSTNode, env: Env) -> None:
        if type(small) is cst.Import or type(small) is cst.ImportFrom:  # ``type() is``: as in ``statement``
            self.imports(small, env)
            return
        self.expr(small, env)
        prov = self.prov
        if type(small) is cst.Assign:
            value = prov.fact(small.value, env)
            for target in small.targets:
                prov.stand_ins.note_assignment(target.target, small.value, env)
                self.assign(target.target, value, small.value, env)
        elif type(small) is cst.AnnAssign:
            declared = prov.annotation(small.annotation.annotation, env)
            if small.value is not None:
                value = prov.fact(small.value, env)
                if isinstance(value, (Unknown, Foreign)) and isinstance(declared, StripeData):
                    value = declared
                if isinstance(declared, Instance) and isinstance(small.value, cst.Dict):  # row: LedgerRow = {...}
                    prov.stand_ins.own(small.value, f"annotated as {declared.cls.name.value}, a class of the project ({prov.at(small)})")
                self.assign(small.target, value, small.value, env)
            elif declared is not None:
                self.assign(small.target, declared, small.annotation.annotation, env)
        elif type(small) is cst.Return and small.value is not None and self.on_return:
            self.on_return(prov.fact(small.value, env))
        elif type(small) is cst.Del:
            for name in names(small.target):
                env.bind(name, Unknown(f"{name} was deleted"))

    def assign(self, target: cst.BaseExpression, value: Fact, source: cst.CSTNode, env: Env) -> None:
        prov = self.prov
        if isinstance(target, cst.Name):
            env.bind(target.value, prov.bound(value, f"{target.value} = ", source))
            return
        if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            key = f"{target.value.value}.{target.attr.value}"
            held = prov.bound(value, f"{key} = ", source)
            env.bind(key, held)
            owner = env.lookup(target.value.value)
            if self.on_self_attr is not None and isinstance(owner, Instance):
                self.on_self_attr(target.attr.value, held)
            return
        if isinstance(target, (cst.Tuple, cst.List)):
            parts = _unpacked(source, len(target.elements))
            if parts is not None and not any(isinstance(e.value, cst.StarredElement) for e in target.elements):
                facts = [prov.fact(part, env) for part in parts]  # all read before any is bound: a, b = b, a
                for element, part, fact in zip(target.elements, parts, facts):
                    self.assign(element.value, fact, part, env)
                return
            value = prov.resolve(value)
            starred = any(isinstance(e, cst.StarredElement) for e in target.elements)
            if isinstance(value, Parts) and len(value.items) == len(target.elements) and not starred:
                for element, item in zip(target.elements, value.items):
                    self.assign(element.value, item, source, env)
                return
            for name in names(target):
                if isinstance(value, Foreign):
                    env.bind(name, Foreign(f"{name} is unpacked from a project value: {value.why}"))
                else:
                    env.bind(name, Unknown(f"{name} is unpacked from {prov.described(source)}"))

    def imports(self, node: cst.Import | cst.ImportFrom, env: Env) -> None:
        for bound, fact in self.prov.imported(node):
            if isinstance(fact, StripeSymbol):
                self.prov.note_stripe(fact.why)
            if bound is not None:
                env.bind(bound, fact)

    def function(self, fn: cst.FunctionDef, env: Env, cls: cst.ClassDef | None) -> None:
        for decorator in fn.decorators:
            self.expr(decorator.decorator, env)
        for param in params(fn.params):
            if param.default is not None:
                self.expr(param.default, env)
        outer = env.parent if cls is not None and env.parent is not None else env
        if outer.parent is None:  # module level: functions see the module's final names
            outer = self.prov.globals
        self.prov.define(fn, outer, cls)
        env.bind(fn.name.value, self.prov.definition(fn))
        if self.descend:
            self.function_body(fn, outer, cls)

    def function_body(
        self, fn: cst.FunctionDef, outer: Env, cls: cst.ClassDef | None, receiver: Fact | None = None,
        given: dict[str, Fact] | None = None,
    ) -> None:
        """``receiver``: what ``self``/``cls`` is when a subclass calls an inherited method;
        ``given``: what one call passes to some parameters."""
        local = Env(outer)
        self.bind_params(fn, local, cls, receiver, given)
        self.block(body(fn.body), local)

    def bind_params(
        self, fn: cst.FunctionDef, env: Env, cls: cst.ClassDef | None, receiver_fact: Fact | None = None,
        given: dict[str, Fact] | None = None,
    ) -> None:
        prov = self.prov
        positional = [*fn.params.posonly_params, *fn.params.params]
        receiver = positional[0] if positional and cls is not None else None
        if receiver is not None and has_decorator(fn, "staticmethod"):
            receiver = None
        injected = prov.stand_ins.decorated(fn, env) if fn.decorators else {}
        after_receiver = [param for param in positional if param is not receiver]
        stand_in = prov.stand_ins.of(fn)
        registered = prov.registered_event(fn) if fn.decorators else None
        for param in params(fn.params):
            name = param.name.value
            index = next((i for i, other in enumerate(after_receiver) if other is param), None)
            if index == 0 and stand_in is not None:
                env.bind(name, StripeData(stand_in.kind, f"{name} {stand_in.why}"))
                continue
            if index == 0 and registered is not None:
                env.bind(name, registered)
                continue
            if index is not None and index in injected:
                env.bind(name, injected[index])
                continue
            if given and name in given:
                env.bind(name, given[name])
                continue
            if param is receiver and receiver_fact is not None:
                env.bind(name, receiver_fact)
                continue
            if param is receiver and cls is not None:
                why = f"{name} is the {cls.name.value} of method {fn.name.value}()"
                if has_decorator(fn, "classmethod"):
                    env.bind(name, LocalDef(cls, why, prov))
                else:
                    env.bind(name, prov.instance(cls, why))
                continue
            declared = None
            if param.annotation is not None:
                declared = prov.annotation(param.annotation.annotation, env)
            env.bind(name, declared or prov.resolve(Parameter(
                f"{name} is a parameter of {fn.name.value}() ({prov.at(param)})", fn, name
            )))

    def class_def(self, cls: cst.ClassDef, env: Env) -> None:
        for decorator in cls.decorators:
            self.expr(decorator.decorator, env)
        for base in cls.bases:
            self.expr(base.value, env)
        self.prov.define(cls, env, None)
        env.bind(cls.name.value, self.prov.definition(cls))
        self.block(body(cls.body), Env(env), cls)

    def expr(self, node: cst.CSTNode, env: Env) -> None:
        """Visit ``node`` and everything inside it, binding comprehension and lambda names."""
        if self.visit is None:
            return
        self.visit(node, env)
        # ``type() is``, not ``isinstance``: on LibCST's classes it is slow, and this sees every node
        if type(node) is cst.Call:
            self.prov.stand_ins.note_call(node, env)
            self.prov.stand_ins.note_key_function(node, env)
        elif type(node) is cst.Lambda:
            inner = Env(env)
            for param in params(node.params):
                inner.bind(param.name.value, self.prov.stand_ins.lambda_parameter(node, param))
            self.expr(node.body, inner)
            return
        elif type(node) in _COMPREHENSION_KINDS:
            node = typing.cast(_Comprehension, node)
            inner = Env(env)
            for_in: cst.CompFor | None = node.for_in
            while for_in is not None:
                self.expr(for_in.iter, inner)
                item = self.prov.element(self.prov.fact(for_in.iter, inner), for_in.iter)
                self.prov.bind_target(for_in.target, item, inner, for_in.iter)
                for condition in for_in.ifs:
                    self.expr(condition, inner)
                for_in = for_in.inner_for_in
            parts = (node.key, node.value) if isinstance(node, cst.DictComp) else (node.elt,)
            for part in parts:
                self.expr(part, inner)
            return
        for child in children(node):
            if type(child) in _LEAVES:  # nothing inside: only the visit
                self.visit(child, env)
            else:
                self.expr(child, env)


_LEAVES = frozenset({cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Ellipsis})


def _unpacked(source: cst.CSTNode, count: int) -> list[cst.BaseExpression] | None:
    """The expressions a tuple target takes one by one, when the code writes them out."""
    if isinstance(source, cst.Await):
        source = source.expression
    if isinstance(source, (cst.Tuple, cst.List)):
        values = [e.value for e in source.elements if not isinstance(e, cst.StarredElement)]
    elif isinstance(source, cst.Call) and (get_full_name_for_node(source.func) or "").rpartition(".")[2] == "gather":
        values = [arg.value for arg in source.args if arg.keyword is None and not arg.star]
    else:
        return None
    return values if len(values) == count else None


def all_nodes(node: cst.CSTNode) -> Iterable[cst.CSTNode]:
    """Every node below ``node`` (itself included), parents before their children."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(children(current))


def descendants(node: cst.CSTNode) -> list[cst.CSTNode]:
    """``node`` and every node under it in source order, not entering nested functions,
    classes and lambdas (whitespace and punctuation left out)."""
    found: list[cst.CSTNode] = []
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        found.append(current)
        if current is node or type(current) not in _DEFINITIONS:
            stack.extend(reversed(children(current)))
    return found


_DEFINITIONS = frozenset({cst.FunctionDef, cst.ClassDef, cst.Lambda})  # scopes of their own


def body(block: cst.BaseSuite | Iterable[cst.CSTNode]) -> Iterable[cst.CSTNode]:
    if isinstance(block, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        return block.body
    return block  # type: ignore[return-value]


def params(parameters: cst.Parameters) -> Iterable[cst.Param]:
    yield from parameters.posonly_params
    yield from parameters.params
    if type(parameters.star_arg) is cst.Param:  # most often a sentinel, where ``isinstance`` is slow
        yield parameters.star_arg
    yield from parameters.kwonly_params
    if parameters.star_kwarg is not None:
        yield parameters.star_kwarg


def has_decorator(fn: cst.FunctionDef, name: str) -> bool:
    return any((get_full_name_for_node(d.decorator) or "").rpartition(".")[2] == name for d in fn.decorators)


def names(target: cst.CSTNode) -> Iterable[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from names(target.value)


_Comprehension = typing.Union[cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp]
_COMPREHENSION_KINDS = frozenset(typing.get_args(_Comprehension))
_FIELDS: dict[type, tuple[str, ...]] = {}
_SKIP: dict[type, bool] = {}  # per class, decided once from its bases: whether its nodes are left out of ``children``
_SKIPPED = (cst.BaseParenthesizableWhitespace, cst.EmptyLine, cst.TrailingWhitespace, cst.Newline,
            cst.Comma, cst.Dot, cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket,
            cst.LeftCurlyBrace, cst.RightCurlyBrace, cst.Colon, cst.AssignEqual, cst.Semicolon,
            # operators: their fields are white space (what asks about one reads it from its node)
            cst.BaseBinaryOp, cst.BaseBooleanOp, cst.BaseCompOp, cst.BaseUnaryOp, cst.BaseAugOp)


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The child nodes that can hold expressions, in source order, without LibCST's visitor machinery.

    ``node.children`` runs a visit to collect them, whitespace included: most of the cost of a walk.
    """
    fields = _FIELDS.get(type(node))
    if fields is None:
        fields = _FIELDS[type(node)] = tuple(f.name for f in dataclasses.fields(node) if not _never_a_child(f.type))
    found: list[cst.CSTNode] = []
    for name in fields:
        value = getattr(node, name)
        if type(value) is list or type(value) is tuple:
            for item in value:
                skip = _SKIP.get(type(item))
                if skip is None:
                    skip = _skipped(type(item))
                if not skip:
                    found.append(item)
        else:
            skip = _SKIP.get(type(value))
            if skip is None:
                skip = _skipped(type(value))
            if not skip:
                found.append(value)
    return found


def _never_a_child(annotation: object) -> bool:
    """Whether a field's declared type admits only what ``children`` skips (whitespace, punctuation,
    sentinels, plain values): then it is not even read. Anything not understood is read."""
    if isinstance(annotation, type):
        return _skipped(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:  # a string's quotes, a star: text, not a node
        return True
    if origin in (typing.Union, collections.abc.Sequence, types.UnionType):
        return all(_never_a_child(arg) for arg in typing.get_args(annotation))
    return False


def _skipped(kind: type) -> bool:
    skip = _SKIP.get(kind)
    if skip is None:  # by the class's bases, not ``issubclass``: LibCST's base classes are abstract, slow to test
        bases = kind.__mro__
        skip = _SKIP[kind] = cst.CSTNode not in bases or any(base in _SKIPPED for base in bases)
    return skip


def import_bindings(node: cst.Import | cst.ImportFrom, at: str) -> list[tuple[str | None, Fact]]:
    """What an import statement binds: each name with the stripe SDK symbol or the import it
    stands for (``None`` for the name of ``from stripe import *``, which binds none we know)."""
    found: list[tuple[str | None, Fact]] = []
    if isinstance(node, cst.Import):
        for alias in node.names:
            dotted = get_full_name_for_node(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                bound, module = alias.asname.name.value, dotted
            else:  # `import a.b` binds `a`
                bound = module = dotted.split(".")[0]
            why = f"import {dotted} ({at})"
            path = sdk.canonical(module)
            found.append((bound, StripeSymbol(path, why) if path is not None else Imported(why, module, None, 0)))
        return found
    module = (get_full_name_for_node(node.module) if node.module is not None else "") or ""
    level = len(node.relative)
    if isinstance(node.names, cst.ImportStar):
        path = sdk.canonical(module or "x") if not level else None
        if path is not None:
            found.append((None, StripeSymbol(path, f"from {module} import * ({at})")))
        return found
    for alias in node.names:
        name = get_full_name_for_node(alias.name) or ""
        bound = name
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            bound = alias.asname.name.value
        why = f"from {'.' * level}{module or ''} import {name} ({at})"
        path = sdk.canonical(module or "", name) if not level else None
        found.append((bound, StripeSymbol(path, why) if path is not None else Imported(why, module or "", name, level)))
    return found
