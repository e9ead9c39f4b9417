"""Provenance within one module: a walk over each scope in statement order.

The walk keeps a table ``name -> Fact`` per scope. Assignments, ``for`` targets, imports,
parameters and comprehension variables bind names; binding a name again replaces what was
known about it, and after an ``if``/``for``/``try`` the facts of every path are joined.
Summaries (what a function of the module returns, what ``self.x`` holds in a class) are
computed on demand and cached for the module.
"""
from __future__ import annotations

import builtins
from typing import Callable, Iterable, Optional

import libcst as cst
from libcst.helpers import get_full_name_for_node

from . import stripe_sdk as sdk
from .describe import describe
from .facts import (
    DictLiteral, Fact, Foreign, Instance, LocalDef, StripeData, StripeSymbol, Unknown, join,
)

Visit = Callable[[cst.CSTNode, "Env"], None]
LineOf = Callable[[cst.CSTNode], int]

_BUILTINS = frozenset(dir(builtins))
_CONSTANTS = frozenset({"None", "True", "False"})
_LITERALS = (
    cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString,
    cst.FormattedString, cst.List, cst.Tuple, cst.Set,
)
_CONTAINERS = frozenset(
    {"List", "list", "Sequence", "Iterable", "Iterator", "AsyncIterator", "AsyncIterable",
     "Generator", "AsyncGenerator", "ListObject", "SearchResultObject", "Collection"}
)
_OPTIONAL = frozenset({"Optional", "Union", "Awaitable", "Coroutine", "Final", "ClassVar"})
_SCALARS = frozenset({"int", "float", "str", "bool", "bytes", "Decimal", "complex", "None"})


class Env:
    """The names of one scope, with the scope it is nested in."""

    __slots__ = ("names", "parent")

    def __init__(self, parent: Env | None = None, names: dict[str, Fact] | None = None) -> None:
        self.parent = parent
        self.names: dict[str, Fact] = names if names is not None else {}

    def lookup(self, name: str) -> Fact | None:
        env: Env | None = self
        while env is not None:
            fact = env.names.get(name)
            if fact is not None:
                return fact
            env = env.parent
        return None

    def bind(self, name: str, fact: Fact) -> None:
        prefix = name + "."
        for key in [key for key in self.names if key.startswith(prefix)]:
            del self.names[key]
        self.names[name] = fact

    def copy(self) -> Env:
        return Env(self.parent, dict(self.names))

    def merge(self, *others: Env) -> None:
        """Join the facts of the paths that end in ``self`` and ``others``."""
        for other in others:
            for name in set(self.names) | set(other.names):
                mine, theirs = self.names.get(name), other.names.get(name)
                if mine is None or theirs is None:
                    self.names[name] = mine or theirs  # type: ignore[assignment]
                elif mine is not theirs:
                    self.names[name] = join(
                        [mine, theirs], f"{name} holds different values on different paths"
                    )


class Provenance:
    """Answers, for one module, whether an expression holds Stripe data, and why."""

    def __init__(self, module: cst.Module, line_of: LineOf) -> None:
        self.module = module
        self.line = line_of
        self.stripe_evidence: str | None = None
        self.globals = Env()
        self._def_env: dict[int, Env] = {}
        self._owner: dict[int, cst.ClassDef] = {}
        self._returns: dict[int, Fact] = {}
        self._attrs: dict[int, dict[str, Fact]] = {}
        self._busy: set[int] = set()
        self._flows: dict[int, str] = {}

    # -- walking -----------------------------------------------------------------------
    def walk(self, visit: Visit) -> None:
        """Walk the module in statement order, calling ``visit`` on every expression node."""
        self.globals = Env()
        _Walk(self, None, descend=False).block(self.module.body, self.globals)
        _Walk(self, visit).block(self.module.body, Env())

    def flows_into_stripe(self, literal: cst.Dict) -> str | None:
        """Why the dict literal is Stripe data by where it goes, or None."""
        return self._flows.get(id(literal))

    def note_call(self, node: cst.Call, env: Env) -> None:
        """Remember the dict literals passed to a Customer write or to ``construct_from``."""
        callee = self.fact(node.func, env)
        if not isinstance(callee, StripeSymbol) or not sdk.takes_customer_payload(callee.path):
            return
        why = f"passed to {describe(node)} (line {self.line(node)})"
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value != "params":
                continue
            value = arg.value
            fact = self.fact(value, env)
            literal = value if isinstance(value, cst.Dict) else getattr(fact, "literal", None)
            if literal is not None:
                self._flows.setdefault(id(literal), why)

    # -- facts ---------------------------------------------------------------------------
    def fact(self, node: cst.BaseExpression, env: Env) -> Fact:
        if isinstance(node, cst.Name):
            return self._name(node, env)
        if isinstance(node, cst.Attribute):
            key = _dotted_key(node)
            bound = env.lookup(key) if key else None
            return bound or self._attribute(self.fact(node.value, env), node)
        if isinstance(node, cst.Call):
            return self._call(node, env)
        if isinstance(node, cst.Await):
            return self.fact(node.expression, env)
        if isinstance(node, cst.Subscript):
            return self._subscript(node, env)
        if isinstance(node, cst.Dict):
            return self._dict(node)
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
            return self._comprehension(node, env)
        if isinstance(node, _LITERALS):
            return Foreign(f"{describe(node)} is a literal")
        if isinstance(node, cst.BooleanOperation):
            return join([self.fact(node.left, env), self.fact(node.right, env)],
                        f"{describe(node)} may be either operand")
        if isinstance(node, cst.IfExp):
            return join([self.fact(node.body, env), self.fact(node.orelse, env)],
                        f"{describe(node)} may be either branch")
        if isinstance(node, cst.NamedExpr):
            return self.fact(node.value, env)
        return Unknown(f"nothing shows where {describe(node)} (line {self.line(node)}) comes from")

    def element(self, fact: Fact, node: cst.CSTNode) -> Fact:
        """The fact of the items of an iterable."""
        why = f"item of {describe(node)} (line {self.line(node)})"
        if isinstance(fact, StripeData) and fact.many:
            return fact.element(fact.why)
        if isinstance(fact, (Foreign, Instance)):
            return Foreign(f"{why}, a project value")
        if isinstance(fact, Unknown):
            return Unknown(f"{why}: {fact.why}")
        return Unknown(f"{why} is not a Stripe list")

    def annotation(self, node: cst.BaseExpression, env: Env) -> Fact | None:
        """What a type annotation says, or None when it says nothing decisive."""
        if isinstance(node, cst.SimpleString):
            text = node.evaluated_value
            if not isinstance(text, str):
                return None
            try:
                parsed = cst.parse_expression(text)
            except cst.ParserSyntaxError:
                return None
            return self._annotation(parsed, env, node, many=False)
        return self._annotation(node, env, node, many=False)

    def _annotation(
        self, node: cst.BaseExpression, env: Env, at: cst.CSTNode, many: bool
    ) -> Fact | None:
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            return _first_stripe(self._annotation(side, env, at, many) for side in (node.left, node.right))
        if isinstance(node, cst.Subscript):
            outer = (get_full_name_for_node(node.value) or "").rpartition(".")[2]
            inner = [e.slice.value for e in node.slice if isinstance(e.slice, cst.Index)]
            if outer in _OPTIONAL:
                return _first_stripe(self._annotation(item, env, at, many) for item in inner)
            if outer in _CONTAINERS and inner:
                return self._annotation(inner[0], env, at, True)
            return None
        if isinstance(node, cst.SimpleString):
            return self.annotation(node, env)
        target = self.fact(node, env)
        why = f"annotated {describe(node)} (line {self.line(at)})"
        if isinstance(target, StripeSymbol) and len(target.path) == 2 and target.path[1][:1].isupper():
            return StripeData(target.path[1], why, many=many)
        if isinstance(target, LocalDef) and isinstance(target.node, cst.ClassDef):
            return self._instance(target.node, why)
        if isinstance(node, cst.Name) and node.value in _SCALARS and not many:
            return Foreign(why)
        return None

    # -- summaries -----------------------------------------------------------------------
    def returns(self, fn: cst.FunctionDef, at: cst.CSTNode) -> Fact:
        """What calling ``fn`` gives: its return annotation, else its return statements."""
        key = id(fn)
        if key in self._returns:
            return self._returns[key]
        if key in self._busy:
            return Unknown(f"{fn.name.value}() is recursive")
        self._busy.add(key)
        try:
            fact = self._returns_uncached(fn)
        finally:
            self._busy.discard(key)
        self._returns[key] = fact
        return fact

    def _returns_uncached(self, fn: cst.FunctionDef) -> Fact:
        name = fn.name.value
        env = self._def_env.get(id(fn), self.globals)
        if fn.returns is not None:
            declared = self.annotation(fn.returns.annotation, env)
            if declared is not None:
                return _rewhy(declared, f"{name}() is {declared.why}")
        found: list[Fact] = []
        walk = _Walk(self, None, on_return=found.append)
        walk.function_body(fn, env, self._owner.get(id(fn)))
        if not found:
            return Unknown(f"{name}() returns nothing the code shows")
        joined = join(found, f"{name}() returns different kinds of values")
        return _rewhy(joined, f"{name}() returns {joined.why}")

    def instance_attribute(self, cls: cst.ClassDef, attr: str) -> Fact | None:
        """What ``self.<attr>`` holds in instances of ``cls``, from every method's assignments."""
        key = id(cls)
        if key in self._busy:
            return None
        if key not in self._attrs:
            self._busy.add(key)
            try:
                self._attrs[key] = self._class_attributes(cls)
            finally:
                self._busy.discard(key)
        return self._attrs[key].get(attr)

    def _class_attributes(self, cls: cst.ClassDef) -> dict[str, Fact]:
        seen: dict[str, list[Fact]] = {}
        env = self._def_env.get(id(cls), self.globals)
        for stmt in _body(cls.body):
            if isinstance(stmt, cst.FunctionDef):
                if _has_decorator(stmt, "property"):
                    seen.setdefault(stmt.name.value, []).append(self.returns(stmt, stmt))
                    continue
                walk = _Walk(self, None, on_self_attr=lambda a, f: seen.setdefault(a, []).append(f))
                walk.function_body(stmt, env, cls)
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                        declared = self.annotation(small.annotation.annotation, env)
                        if declared is not None:
                            seen.setdefault(small.target.value, []).append(declared)
        return {
            attr: join(facts, f"self.{attr} holds different values in {cls.name.value}")
            for attr, facts in seen.items()
        }

    # -- helpers of fact() ---------------------------------------------------------------
    def _name(self, node: cst.Name, env: Env) -> Fact:
        bound = env.lookup(node.value)
        if bound is not None:
            return bound
        if node.value in _CONSTANTS:
            return Foreign(f"{node.value} is a constant")
        if node.value in _BUILTINS:
            return Foreign(f"{node.value} is a Python builtin")
        return Unknown(f"nothing in this module binds {node.value}")

    def _attribute(self, base: Fact, node: cst.Attribute) -> Fact:
        attr = node.attr.value
        if isinstance(base, StripeSymbol):
            return StripeSymbol((*base.path, attr), base.why)
        if isinstance(base, StripeData):
            if base.many and attr == "data":
                return base
            return StripeData(f"{base.kind}.{attr}", f"{describe(node)} is nested in {base.why}")
        if isinstance(base, Instance):
            held = self.instance_attribute(base.cls, attr)
            if held is not None:
                return held
            return Foreign(f"{describe(node)} is an attribute of project class {base.cls.name.value}")
        if attr == "objects":
            return Foreign(f"{describe(node)} is a Django model manager")
        if isinstance(base, LocalDef):
            return Foreign(f"{describe(node)} belongs to {base.node.name.value}, defined in this module")
        if isinstance(base, Foreign):
            return Foreign(f"{describe(node)} is read from a project value: {base.why}")
        if isinstance(base, DictLiteral):
            return Foreign(f"{describe(node)} is an attribute of a dict")
        return Unknown(base.why)

    def _call(self, node: cst.Call, env: Env) -> Fact:
        func = node.func
        here = f"{describe(node)} (line {self.line(node)})"
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            base = self.fact(func.value, env)
            if isinstance(base, StripeData):
                if (method in sdk.SAME_OBJECT_METHODS and not base.many) or (
                    method in sdk.SAME_LIST_METHODS and base.many
                ):
                    return _rewhy(base, chain(here, func.value, base))
            if isinstance(base, Instance):
                bound = _method(base.cls, method)
                if bound is not None:
                    return self.returns(bound, node)
        if isinstance(func, cst.Name) and func.value in _BUILTINS and env.lookup(func.value) is None:
            if func.value in sdk.PASS_THROUGH_BUILTINS and node.args:
                return self.fact(node.args[0].value, env)
            return Foreign(f"{here} is returned by the builtin {func.value}()")
        callee = self.fact(func, env)
        if isinstance(callee, StripeSymbol):
            return self._stripe_call(callee.path, node, here)
        if isinstance(callee, LocalDef):
            if isinstance(callee.node, cst.FunctionDef):
                return self.returns(callee.node, node)
            return self._instance(callee.node, f"{here} makes a {callee.node.name.value}")
        if isinstance(callee, (Foreign, Instance)):
            return Foreign(f"{here} is returned by a project value")
        if isinstance(callee, Unknown):
            return Unknown(f"{here}: {callee.why}")
        return Unknown(f"nothing shows what {here} returns")

    def _stripe_call(self, path: tuple[str, ...], node: cst.Call, here: str) -> Fact:
        if path in sdk.CONVERTERS:
            kind = "object"
            if node.args and isinstance(node.args[0].value, cst.Dict):
                kind = _object_kind(node.args[0].value) or kind
            return StripeData(kind, here)
        if path in sdk.CONVERT_TO_DICT and node.args:
            return StripeData("object", here)
        if len(path) == 3 and path[1][:1].isupper():
            cls, method = path[1], path[2]
            if cls == "Customer" and method in sdk.CUSTOMER_ONE:
                return StripeData("Customer", here)
            many = method in sdk.CUSTOMER_MANY
            return StripeData(cls, here, many=many)
        if len(path) == 2 and path[1][:1].isupper():
            return StripeData(path[1], here)
        return Unknown(f"the codemod does not know what {here} returns")

    def _subscript(self, node: cst.Subscript, env: Env) -> Fact:
        base = self.fact(node.value, env)
        key = _string_key(node)
        if isinstance(base, StripeData) and base.many:
            return base.element(f"{describe(node)} (line {self.line(node)}); {base.why}")
        literal = base.literal if isinstance(base, (StripeData, DictLiteral)) else None
        if literal is not None and key is not None:
            value = _dict_value(literal, key)
            if value is not None:
                inner = self.fact(value, env)
                if isinstance(inner, StripeData) or not isinstance(base, StripeData):
                    return inner
        if isinstance(base, StripeData):
            return StripeData(f"{base.kind}[{key!r}]", f"{describe(node)} is nested in {base.why}")
        if isinstance(base, (Foreign, Instance, LocalDef)):
            return Foreign(f"{describe(node)} is read from a project value")
        if isinstance(base, Unknown):
            return base
        return Unknown(f"nothing shows what {describe(node)} (line {self.line(node)}) holds")

    def _dict(self, node: cst.Dict) -> Fact:
        kind = _object_kind(node)
        why = f"dict literal at line {self.line(node)}"
        if kind is not None:
            self.note_stripe(f'a dict literal with "object": "customer" (line {self.line(node)})')
            return StripeData(kind, f'{why} has "object": "customer"', literal=node)
        return DictLiteral(node, f"{why} has no Stripe \"object\" key")

    def _comprehension(
        self, node: cst.ListComp | cst.SetComp | cst.GeneratorExp, env: Env
    ) -> Fact:
        inner = Env(env)
        for_in: cst.CompFor | None = node.for_in
        while for_in is not None:
            item = self.element(self.fact(for_in.iter, inner), for_in.iter)
            _bind_target(self, for_in.target, item, inner, for_in.iter)
            for_in = for_in.inner_for_in
        item = self.fact(node.elt, inner)
        if isinstance(item, StripeData) and not item.many:
            return StripeData(item.kind, f"each item is {item.why}", many=True)
        if isinstance(item, Foreign):
            return item
        return Unknown(f"nothing shows what the items of {describe(node)} are")

    def _instance(self, cls: cst.ClassDef, why: str) -> Fact:
        for base in cls.bases:
            env = self._def_env.get(id(cls), self.globals)
            fact = self.fact(base.value, env)
            if isinstance(fact, StripeSymbol) and len(fact.path) == 2:
                return StripeData(fact.path[1], f"{why}, a subclass of {fact.dotted}")
        return Instance(cls, why)

    def note_stripe(self, why: str) -> None:
        if self.stripe_evidence is None:
            self.stripe_evidence = why


class _Walk:
    """One pass over statements; ``visit`` sees every expression node with its scope."""

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
        if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            for small in stmt.body:
                self.small(small, env)
        elif isinstance(stmt, cst.FunctionDef):
            self.function(stmt, env, cls)
        elif isinstance(stmt, cst.ClassDef):
            self.class_def(stmt, env)
        elif isinstance(stmt, cst.If):
            self.expr(stmt.test, env)
            taken = self.block(_body(stmt.body), env.copy())
            other = env.copy()
            if isinstance(stmt.orelse, cst.If):
                self.statement(stmt.orelse, other, cls)
            elif stmt.orelse is not None:
                self.block(_body(stmt.orelse.body), other)
            env.names = taken.names
            env.merge(other)
        elif isinstance(stmt, cst.For):
            self.expr(stmt.iter, env)
            looped = env.copy()
            self.expr(stmt.target, looped)
            item = self.prov.element(self.prov.fact(stmt.iter, env), stmt.iter)
            _bind_target(self.prov, stmt.target, item, looped, stmt.iter)
            self.block(_body(stmt.body), looped)
            env.merge(looped)
            if stmt.orelse is not None:
                self.block(_body(stmt.orelse.body), env)
        elif isinstance(stmt, cst.While):
            self.expr(stmt.test, env)
            looped = self.block(_body(stmt.body), env.copy())
            env.merge(looped)
            if stmt.orelse is not None:
                self.block(_body(stmt.orelse.body), env)
        elif isinstance(stmt, (cst.Try, cst.TryStar)):
            tried = self.block(_body(stmt.body), env.copy())
            env.merge(tried)
            ends = [tried]
            for handler in stmt.handlers:
                if handler.type is not None:
                    self.expr(handler.type, env)
                caught = env.copy()
                if handler.name is not None and isinstance(handler.name.name, cst.Name):
                    caught.bind(handler.name.name.value, Foreign("an exception"))
                ends.append(self.block(_body(handler.body), caught))
            if stmt.orelse is not None:
                self.block(_body(stmt.orelse.body), tried)
            env.names = ends[0].names
            env.merge(*ends[1:])
            if stmt.finalbody is not None:
                self.block(_body(stmt.finalbody.body), env)
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                self.expr(item.item, env)
                if item.asname is not None:
                    self.expr(item.asname.name, env)
                    _bind_target(self.prov, item.asname.name,
                                 Unknown(f"bound by a with statement (line {self.prov.line(item)})"), env)
            self.block(_body(stmt.body), env)
        elif isinstance(stmt, cst.Match):
            self.expr(stmt.subject, env)
            ends = []
            for case in stmt.cases:
                self.expr(case.pattern, env)
                ends.append(self.block(_body(case.body), env.copy()))
            env.merge(*ends)
        else:  # anything newer than this walker: still visit what it contains
            self.expr(stmt, env)

    def small(self, small: cst.CSTNode, env: Env) -> None:
        if isinstance(small, (cst.Import, cst.ImportFrom)):
            self.imports(small, env)
            return
        self.expr(small, env)
        prov = self.prov
        if isinstance(small, cst.Assign):
            value = prov.fact(small.value, env)
            for target in small.targets:
                self.assign(target.target, value, small.value, env)
        elif isinstance(small, cst.AnnAssign):
            declared = prov.annotation(small.annotation.annotation, env)
            if small.value is not None:
                value = prov.fact(small.value, env)
                if isinstance(value, (Unknown, Foreign)) and isinstance(declared, StripeData):
                    value = declared
                self.assign(small.target, value, small.value, env)
            elif declared is not None:
                self.assign(small.target, declared, small.annotation.annotation, env)
        elif isinstance(small, cst.Return) and small.value is not None and self.on_return:
            self.on_return(prov.fact(small.value, env))
        elif isinstance(small, cst.Del):
            for name in _names(small.target):
                env.bind(name, Unknown(f"{name} was deleted"))

    def assign(self, target: cst.BaseExpression, value: Fact, source: cst.CSTNode, env: Env) -> None:
        prov = self.prov
        line = prov.line(source)
        if isinstance(target, cst.Name):
            env.bind(target.value, bound(value, f"{target.value} = {describe(source)} (line {line})", source))
            return
        if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            key = f"{target.value.value}.{target.attr.value}"
            held = bound(value, f"{key} = {describe(source)} (line {line})", source)
            env.bind(key, held)
            owner = env.lookup(target.value.value)
            if self.on_self_attr is not None and isinstance(owner, Instance):
                self.on_self_attr(target.attr.value, held)
            return
        if isinstance(target, (cst.Tuple, cst.List)):
            for name in _names(target):
                env.bind(name, Unknown(f"{name} is unpacked from {describe(source)} (line {line})"))

    def imports(self, node: cst.Import | cst.ImportFrom, env: Env) -> None:
        prov = self.prov
        line = prov.line(node)
        if isinstance(node, cst.Import):
            for alias in node.names:
                dotted = get_full_name_for_node(alias.name) or ""
                path = sdk.canonical(dotted)
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    bound, target = alias.asname.name.value, dotted
                else:
                    bound = target = dotted.split(".")[0]
                    path = sdk.canonical(target)
                self._bind_import(env, bound, path, f"import {dotted} (line {line})", target)
            return
        module = get_full_name_for_node(node.module) if node.module is not None else ""
        if node.relative or isinstance(node.names, cst.ImportStar):
            if not node.relative and sdk.canonical(module or "x") is not None:
                prov.note_stripe(f"from {module} import * (line {line})")
            return
        for alias in node.names:
            name = get_full_name_for_node(alias.name) or ""
            bound = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                bound = alias.asname.name.value
            path = sdk.canonical(module or "", name)
            self._bind_import(env, bound, path, f"from {module} import {name} (line {line})", f"{module}.{name}")

    def _bind_import(
        self, env: Env, bound: str, path: tuple[str, ...] | None, why: str, origin: str
    ) -> None:
        if path is not None:
            self.prov.note_stripe(why)
            env.bind(bound, StripeSymbol(path, why))
        else:
            env.bind(bound, Unknown(f"{bound} is imported from {origin.rpartition('.')[0] or origin}"))

    def function(self, fn: cst.FunctionDef, env: Env, cls: cst.ClassDef | None) -> None:
        for decorator in fn.decorators:
            self.expr(decorator.decorator, env)
        for param in _params(fn.params):
            if param.default is not None:
                self.expr(param.default, env)
        outer = env.parent if cls is not None and env.parent is not None else env
        if outer.parent is None:  # module level: functions see the module's final names
            outer = self.prov.globals
        self.prov._def_env[id(fn)] = outer
        if cls is not None:
            self.prov._owner[id(fn)] = cls
        env.bind(fn.name.value, LocalDef(fn, f"def {fn.name.value} (line {self.prov.line(fn)})"))
        if self.descend:
            self.function_body(fn, outer, cls)

    def function_body(self, fn: cst.FunctionDef, outer: Env, cls: cst.ClassDef | None) -> None:
        local = Env(outer)
        self._bind_params(fn, local, cls)
        self.block(_body(fn.body), local)

    def _bind_params(self, fn: cst.FunctionDef, env: Env, cls: cst.ClassDef | None) -> None:
        prov = self.prov
        positional = [*fn.params.posonly_params, *fn.params.params]
        receiver = positional[0] if positional and cls is not None else None
        if receiver is not None and _has_decorator(fn, "staticmethod"):
            receiver = None
        for param in _params(fn.params):
            name = param.name.value
            if param is receiver and cls is not None:
                why = f"{name} is the {cls.name.value} of method {fn.name.value}()"
                if _has_decorator(fn, "classmethod"):
                    env.bind(name, LocalDef(cls, why))
                else:
                    env.bind(name, prov._instance(cls, why))
                continue
            declared = None
            if param.annotation is not None:
                declared = prov.annotation(param.annotation.annotation, env)
            env.bind(name, declared or Unknown(
                f"{name} is a parameter of {fn.name.value}() (line {prov.line(param)})"
            ))

    def class_def(self, cls: cst.ClassDef, env: Env) -> None:
        for decorator in cls.decorators:
            self.expr(decorator.decorator, env)
        for base in cls.bases:
            self.expr(base.value, env)
        self.prov._def_env[id(cls)] = env
        env.bind(cls.name.value, LocalDef(cls, f"class {cls.name.value} (line {self.prov.line(cls)})"))
        self.block(_body(cls.body), Env(env), cls)

    def expr(self, node: cst.CSTNode, env: Env) -> None:
        """Visit ``node`` and everything inside it, binding comprehension and lambda names."""
        if self.visit is None:
            return
        self.visit(node, env)
        if isinstance(node, cst.Call):
            self.prov.note_call(node, env)
        if isinstance(node, cst.Lambda):
            inner = Env(env)
            for param in _params(node.params):
                inner.bind(param.name.value, Unknown(f"{param.name.value} is a lambda parameter"))
            self.expr(node.body, inner)
            return
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            inner = Env(env)
            for_in: cst.CompFor | None = node.for_in
            while for_in is not None:
                self.expr(for_in.iter, inner)
                item = self.prov.element(self.prov.fact(for_in.iter, inner), for_in.iter)
                _bind_target(self.prov, for_in.target, item, inner, for_in.iter)
                for condition in for_in.ifs:
                    self.expr(condition, inner)
                for_in = for_in.inner_for_in
            parts = (node.key, node.value) if isinstance(node, cst.DictComp) else (node.elt,)
            for part in parts:
                self.expr(part, inner)
            return
        for child in node.children:
            self.expr(child, env)


# -- small helpers ----------------------------------------------------------------------
def _body(block: cst.BaseSuite | Iterable[cst.CSTNode]) -> Iterable[cst.CSTNode]:
    if isinstance(block, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        return block.body
    return block  # type: ignore[return-value]


def _params(params: cst.Parameters) -> Iterable[cst.Param]:
    yield from params.posonly_params
    yield from params.params
    if isinstance(params.star_arg, cst.Param):
        yield params.star_arg
    yield from params.kwonly_params
    if params.star_kwarg is not None:
        yield params.star_kwarg


def _has_decorator(fn: cst.FunctionDef, name: str) -> bool:
    return any(
        (get_full_name_for_node(d.decorator) or "").rpartition(".")[2] == name for d in fn.decorators
    )


def _method(cls: cst.ClassDef, name: str) -> cst.FunctionDef | None:
    for stmt in _body(cls.body):
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value == name:
            return stmt
    return None


def _names(target: cst.CSTNode) -> Iterable[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _names(target.value)


def _bind_target(
    prov: Provenance, target: cst.BaseExpression, item: Fact, env: Env, source: cst.CSTNode | None = None
) -> None:
    """Bind a ``for``/``with``/comprehension target to the fact of each item."""
    if isinstance(target, cst.Name):
        if source is not None:
            item = bound(item, f"for {target.value} in {describe(source)} (line {prov.line(source)})", source)
        env.bind(target.value, item)
    else:
        for name in _names(target):
            env.bind(name, Unknown(f"{name} is unpacked (line {prov.line(target)})"))


def _dotted_key(node: cst.Attribute) -> str | None:
    if isinstance(node.value, cst.Name):
        return f"{node.value.value}.{node.attr.value}"
    return None


def _string_key(node: cst.Subscript) -> str | None:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    value = node.slice[0].slice.value
    if isinstance(value, cst.SimpleString):
        text = value.evaluated_value
        return text if isinstance(text, str) else None
    return None


def _dict_value(literal: cst.Dict, key: str) -> cst.BaseExpression | None:
    for element in literal.elements:
        if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
            if element.key.evaluated_value == key:
                return element.value
    return None


def _object_kind(literal: cst.Dict) -> str | None:
    value = _dict_value(literal, "object")
    if isinstance(value, cst.SimpleString) and isinstance(value.evaluated_value, str):
        return sdk.OBJECT_KINDS.get(value.evaluated_value)
    return None


def _first_stripe(facts: Iterable[Fact | None]) -> Fact | None:
    decided = [fact for fact in facts if fact is not None]
    for fact in decided:
        if isinstance(fact, StripeData):
            return fact
    return decided[0] if decided else None


def _rewhy(fact: Fact, why: str) -> Fact:
    if isinstance(fact, StripeData):
        return StripeData(fact.kind, why, fact.many, fact.literal)
    if isinstance(fact, Foreign):
        return Foreign(why)
    if isinstance(fact, Unknown):
        return Unknown(why)
    return fact


def chain(head: str, source: cst.CSTNode, fact: Fact) -> str:
    """``head``, followed by the fact's own evidence unless ``head`` already states it."""
    if fact.why.startswith(f"{describe(source)} (line"):
        return head
    return f"{head}; {fact.why}"


def bound(fact: Fact, head: str, source: cst.CSTNode) -> Fact:
    """The fact of a name bound from ``source``: ``c = get(...) (line 9); get() returns ...``."""
    if isinstance(fact, StripeData):
        return _rewhy(fact, chain(head, source, fact))
    return fact
