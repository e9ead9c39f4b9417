"""Provenance of one module: what each expression holds, with the evidence for it.

Summaries (what a function returns, what ``self.x`` holds, what the calls of a function pass
to a parameter) are computed on demand and cached. Names imported from other modules of
the project are resolved through :class:`~codemod.provenance.project.Project` only when
they are used.
"""
from __future__ import annotations

import builtins
import functools
import re
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

import libcst as cst
from libcst.helpers import get_full_name_for_node

from .. import records
from . import django_orm, stripe_sdk as sdk, uses
from .describe import describe
from .env import Env
from .event_types import EVENT_TYPE, PAYLOAD_KEYS, EventChecks, event_kinds, event_type_of
from .facts import (
    OBJECT, PENDING, CallArgs, DictCall, DictLiteral, Dispatch, FieldNames, Metadata, Params, Parts, Rows, Scalar, Unset, Fact, Foreign, Imported,
    Instance, LocalDef, MockDouble, Parameter, ProjectModule, StripeData, StripeSymbol, Unknown, join, joined_form, rewhy, same,
    stripe_path,
)
from .literals import constants as literal_constants, first_string, string_items, string_key
from ..literal import text_of, value_of
from .stand_ins import StandIns, applied, fake
from .summaries import Summaries
from .walk import Visit, Walk, all_nodes, body, has_decorator, import_bindings, names

if TYPE_CHECKING:
    from .project import Project

LineOf = Callable[[cst.CSTNode], int]
# function -> parameter -> (fact, where) of each call that passes it
Arguments = dict[int, dict[str, list[tuple[Fact, str]]]]

_BUILTINS = frozenset(dir(builtins))
_FRAMEWORKS = frozenset({"django", "pydantic", "sqlalchemy", "peewee", "mongoengine", "attr", "attrs", "marshmallow"})
_CONSTANTS = frozenset({"None", "True", "False"})
_SCALARS_LITERALS = (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)
_SEQUENCES = (cst.List, cst.Tuple, cst.Set)
# what a ``["data"]["object"]`` read of may still be an event payload that the module checks
_UNDECIDED = (Unknown, Foreign, Instance)
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp)
_CONTAINERS = frozenset(
    {"List", "list", "Sequence", "Iterable", "Iterator", "AsyncIterator", "AsyncIterable",
     "Generator", "AsyncGenerator", "ListObject", "SearchResultObject", "Collection"}
)
_OPTIONAL = frozenset({"Optional", "Union", "Awaitable", "Coroutine", "Final", "ClassVar"})
_SCALARS = frozenset({"int", "float", "str", "bool", "bytes", "Decimal", "complex", "None"})


class Provenance:
    """Answers, for one module, whether an expression holds Stripe data, and why."""

    def __init__(
        self, module: cst.Module, line_of: LineOf, *, project: Project | None = None,
        path: str | None = None, label: str = "", text: str | None = None, read: frozenset[str] | None = None,
    ) -> None:
        self.module = module
        self.text = text  # the module's source, when known: where a name is looked for first
        self.read = read  # the names it reads an attribute of or gives as a keyword's value, when known (``Tree.read``)
        self.line = line_of
        self.project = project
        self.path = path
        self.label = label  # how other modules' evidence names this one
        self.stripe_evidence: str | None = None
        self.globals = Env()
        self._prepared = False
        self._def_env: dict[int, Env] = {}
        self._owner: dict[int, cst.ClassDef] = {}
        self.summaries = project.summaries if project is not None else Summaries()
        self.stand_ins = StandIns(self)
        self._events: EventChecks | None = None
        self._constants: dict[str, cst.BaseExpression] | None = None
        self._relations: dict[str, tuple[Provenance, django_orm.Accessor]] | None = None
        self._called: list[tuple[cst.CSTNode, cst.ClassDef | None, set[str]]] | None = None
        self._declared: dict[str, list[tuple[Provenance, cst.ClassDef]]] | None = None
        self._uses: dict[tuple[int, str], Fact | None] = {}
        self._bodies: dict[int, uses.Body] = {}
        # what a def, a class or an import binds: the same facts in the walk of the module's own names and in its walk
        self._definitions: dict[int, LocalDef] = {}
        self._imports: dict[int, list[tuple[str | None, Fact]]] = {}

    def close(self) -> None:
        """Forget every fact of the module once its check is done. Its facts point back at it
        (a function's ``LocalDef``), so without this the whole analysis, tree included, would
        wait for Python's collector of cycles."""
        self.globals = Env()
        self.stand_ins.forget()
        self._def_env, self._uses, self._bodies, self._definitions, self._imports = {}, {}, {}, {}, {}
        self._relations = self._declared = self._constants = self._called = self._events = None

    # -- walking -----------------------------------------------------------------------
    def prepare(self) -> None:
        """Bind the module's own names (imports, functions, classes, constants)."""
        if not self._prepared:
            self._prepared = True
            Walk(self, None, descend=False).block(self.module.body, self.globals)

    def walk(self, visit: Visit) -> None:
        """Walk the module in statement order, calling ``visit`` on every expression node."""
        self.prepare()
        Walk(self, visit).block(self.module.body, Env())

    def at(self, node: cst.CSTNode) -> str:
        """Where ``node`` is, for evidence: ``line 12``, or ``pkg/mod.py line 12`` elsewhere."""
        line = self.line(node)
        if not self.label:
            return f"line {line}"
        return f"{self.label} line {line}" if line else self.label

    def described(self, node: cst.CSTNode) -> str:
        """``stripe.Customer.retrieve(...) (line 12)``: an expression as evidence names it."""
        return f"{describe(node)} ({self.at(node)})"

    def definition(self, node: cst.FunctionDef | cst.ClassDef) -> LocalDef:
        """``def name (line N)``, ``class Name (line N)``: what the definition binds."""
        found = self._definitions.get(id(node))
        if found is None:
            kind = "def" if type(node) is cst.FunctionDef else "class"
            found = self._definitions[id(node)] = LocalDef(node, f"{kind} {node.name.value} ({self.at(node)})", self)
        return found

    def imported(self, node: cst.Import | cst.ImportFrom) -> list[tuple[str | None, Fact]]:
        """What an import statement binds (``walk.import_bindings``)."""
        found = self._imports.get(id(node))
        if found is None:
            found = self._imports[id(node)] = import_bindings(node, self.at(node))
        return found

    def define(self, node: cst.FunctionDef | cst.ClassDef, env: Env, cls: cst.ClassDef | None) -> None:
        self._def_env[id(node)] = env
        if cls is not None:
            self._owner[id(node)] = cls

    def note_stripe(self, why: str) -> None:
        if self.stripe_evidence is None:
            self.stripe_evidence = why

    # -- facts ---------------------------------------------------------------------------
    def fact(self, node: cst.BaseExpression, env: Env) -> Fact:
        # ``type(node) is``, not ``isinstance``: on LibCST's classes it is slow, and every site asks
        if type(node) is cst.Name:
            return self._name(node, env)
        if type(node) is cst.Attribute:
            key = f"{node.value.value}.{node.attr.value}" if type(node.value) is cst.Name else None
            bound = env.lookup(key) if key else None
            return bound or self._attribute(self.resolve(self.fact(node.value, env)), node)
        if type(node) is cst.Call:
            return self._call(node, env)
        if type(node) is cst.Await:
            return self.fact(node.expression, env)
        if type(node) is cst.Subscript:
            return self._subscript(node, env)
        if type(node) is cst.Dict:
            return self._dict(node, env)
        kind = type(node)
        if kind in _COMPREHENSIONS:
            assert isinstance(node, _COMPREHENSIONS)
            return self._comprehension(node, env)
        if kind in _SCALARS_LITERALS:
            return Scalar(f"{describe(node)} is a literal")
        if kind in _SEQUENCES:
            assert isinstance(node, _SEQUENCES)
            return self._sequence(node, env)
        if type(node) is cst.BooleanOperation:
            return join([self.fact(node.left, env), self.fact(node.right, env)], f"{describe(node)} may be either operand")
        if type(node) is cst.IfExp:
            return join([self.fact(node.body, env), self.fact(node.orelse, env)], f"{describe(node)} may be either branch")
        if type(node) is cst.NamedExpr:
            return self.fact(node.value, env)
        return Unknown(f"nothing shows where {self.described(node)} comes from")

    def _sequence(self, node: cst.List | cst.Tuple | cst.Set, env: Env) -> Fact:
        """A list of field names, a tuple of values, or a literal."""
        if node.elements and all(
            isinstance(e, cst.Element) and isinstance(e.value, cst.SimpleString) for e in node.elements
        ):
            strings = tuple(e.value for e in node.elements if isinstance(e.value, cst.SimpleString))
            return FieldNames(f"{self.described(node)} is a list of names", strings, self)
        if isinstance(node, cst.Tuple) and node.elements and not all(isinstance(e.value, _SCALARS_LITERALS) for e in node.elements) \
                and not any(isinstance(e, cst.StarredElement) for e in node.elements):
            items = tuple(self.fact(e.value, env) for e in node.elements)
            return Parts(f"{self.described(node)} is a tuple", items)
        return Foreign(f"{describe(node)} is a literal")

    def resolve(self, fact: Fact) -> Fact:
        """An imported name, looked up in the module of the project it comes from; a parameter,
        decided by what the calls of its function pass when they all agree on Stripe data."""
        if isinstance(fact, Parameter):
            return self._parameter(fact, ())
        if not isinstance(fact, Imported) or self.project is None or self.path is None:
            return fact
        found = self.project.lookup(self.path, fact.module, fact.name, fact.level)
        if found is None:
            return fact
        return found

    def _parameter(self, param: Parameter, seen: tuple[cst.FunctionDef, ...]) -> Fact:
        """What the calls of a parameter's function pass, when they all pass Stripe data.

        Only the module's own walk and the verdicts ask: a summary never depends on it, so
        summaries stay cheap and the same in any order.
        """
        if self.summaries.busy or param.function in seen or len(seen) > 4:
            return param
        fixture = self._fixture(param)
        if fixture is not None:
            return fixture
        passed = self.arguments(param.function, param.name, seen)
        if isinstance(passed, (StripeData, StripeSymbol, Foreign, Instance)):
            return passed
        used = self._used(param)
        if used is not None:
            return used
        stripe = stripe_path(passed)  # some calls pass Stripe data, others not
        if isinstance(passed, Unknown) and (stripe is not None or not isinstance(passed, Parameter)) \
                and not param.why.endswith(passed.why):
            return records.replace(param, why=f"{param.why}, and {passed.why}", stripe=stripe)  # what would settle it
        return param

    def _used(self, param: Parameter) -> Fact | None:
        """What the function's own use of a parameter proves it is (a project object), if anything."""
        if self.read is not None and param.name not in self.read:  # no use that could prove it
            return None
        key = (id(param.function), param.name)
        if key not in self._uses:
            used = uses.evidence(self, param.function, param.name)
            self._uses[key] = rewhy(used, f"{param.why}, and {used.why}") if used is not None else None
        return self._uses[key]

    def body_of(self, fn: cst.FunctionDef) -> uses.Body:
        """What a function's body does with names, indexed once for all its parameters."""
        if id(fn) not in self._bodies:
            self._bodies[id(fn)] = uses.body(fn)
        return self._bodies[id(fn)]

    def _fixture(self, param: Parameter) -> Fact | None:
        """A test's parameter named after a pytest fixture (here or in a ``conftest.py`` above) that
        returns Stripe data."""
        fn = param.function
        if not (fn.name.value.startswith("test") or _is_fixture(fn)):
            return None
        found = self.globals.lookup(param.name)
        owner: Provenance | None = self
        if not (isinstance(found, LocalDef) and isinstance(found.node, cst.FunctionDef) and _is_fixture(found.node)):
            found = self.project.fixture(self.path, param.name) if self.project is not None and self.path else None
            owner = found.owner if isinstance(found, LocalDef) else None
        if not (isinstance(found, LocalDef) and isinstance(found.node, cst.FunctionDef)) or owner is None:
            return None
        returned = owner.returns(found.node)
        if isinstance(returned, StripeData):
            return rewhy(returned, f"{param.name} is the pytest fixture {found.why}: {returned.why}")
        return None

    def element(self, fact: Fact, node: cst.CSTNode) -> Fact:
        """The fact of the items of an iterable."""
        why = f"item of {self.described(node)}"
        if isinstance(fact, StripeData) and fact.many:
            return StripeData(fact.kind, fact.why, form=fact.form)
        if isinstance(fact, FieldNames) and not fact.item:
            return FieldNames(f"{why}, one of the names {fact.why.split(' is a list')[0]}", fact.strings, fact.owner, True)
        if isinstance(fact, Rows) and fact.owner is not None and fact.model is not None:
            return fact.owner.instance(fact.model, f"{why}, a row of {fact.why}")
        if isinstance(fact, CallArgs) and fact.many:
            return CallArgs(f"{why}, one call of {fact.why}", fact.items)
        if isinstance(fact, (Foreign, Instance)):
            return Foreign(f"{why}, a project value")
        if isinstance(fact, Unknown):
            return Unknown(f"{why}: {fact.why}")
        return Unknown(f"{why} is not a Stripe list")

    def bind_target(self, target: cst.BaseExpression, item: Fact, env: Env, source: cst.CSTNode | None = None) -> None:
        """Bind a ``for``/``with``/comprehension target to the fact of each item."""
        if isinstance(target, cst.Name):
            if source is not None:
                item = self.bound(item, f"for {target.value} in ", source)
            env.bind(target.value, item)
        else:
            for name in names(target):
                env.bind(name, Unknown(f"{name} is unpacked ({self.at(target)})"))

    def bound(self, fact: Fact, binding: str, source: cst.CSTNode) -> Fact:
        """The fact of a name bound from ``source``: ``c = get(...) (line 9); get() returns ...``
        (``binding``: what comes before the source, ``c = `` or ``for c in ``)."""
        if isinstance(fact, StripeData):  # only Stripe data tells how it was bound
            return rewhy(fact, chain(binding + self.described(source), source, fact))
        return fact

    def annotation(self, node: cst.BaseExpression, env: Env, at: cst.CSTNode | None = None) -> Fact | None:
        """What a type annotation says, or None when it says nothing decisive."""
        return self._annotation(node, env, at or node, many=False)

    def _annotation(self, node: cst.BaseExpression, env: Env, at: cst.CSTNode, many: bool) -> Fact | None:
        if isinstance(node, cst.SimpleString):
            text = value_of(node)
            try:
                parsed = cst.parse_expression(text) if isinstance(text, str) else None
            except cst.ParserSyntaxError:
                parsed = None
            return self._annotation(parsed, env, at, many) if parsed is not None else None
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            return _first_stripe(self._annotation(side, env, at, many) for side in (node.left, node.right))
        if isinstance(node, cst.Subscript):
            outer = (get_full_name_for_node(node.value) or "").rpartition(".")[2]
            inner = [e.slice.value for e in node.slice if isinstance(e.slice, cst.Index)]
            if outer in _OPTIONAL:
                return _first_stripe(self._annotation(item, env, at, many) for item in inner)
            if outer in _CONTAINERS and inner:
                return self._annotation(inner[0], env, at, True)
            if outer in ("Tuple", "tuple") and inner and not many and not any(isinstance(i, cst.Ellipsis) for i in inner):
                items = tuple(self._annotation(item, env, at, False) or Unknown(f"annotated {describe(item)}") for item in inner)
                return Parts(f"annotated {describe(node)} ({self.at(at)})", items)
            return None
        target = self.resolve(self.fact(node, env))
        why = f"annotated {describe(node)} ({self.at(at)})"
        if isinstance(target, StripeSymbol) and target.path == ("stripe", "StripeClient"):
            return StripeSymbol(sdk.CLIENT, why)
        if isinstance(target, StripeSymbol) and len(target.path) == 2 and target.path[1] in sdk.sdk_objects():
            return StripeData(target.path[1], why, many=many, form=OBJECT)
        if isinstance(target, LocalDef) and isinstance(target.node, cst.ClassDef):
            return target.owner.instance(target.node, why)
        if isinstance(node, cst.Name) and node.value in _SCALARS and not many:
            return Foreign(why)
        return None

    def relation(self, attr: str, node: cst.Attribute) -> Fact | None:
        """``x.<attr>`` where ``attr`` is the reverse accessor of a relation field of a Django model
        of this module or of a project module it imports: a row (or rows) of that model."""
        if self._relations is None:
            self._relations = self._relation_table()
        found = self._relations.get(attr)
        if found is None:
            return None
        owner, accessor = found
        where = f"{accessor.field} ({owner.label or 'this module'}) declares the relation"
        why = f"{describe(node)} is the reverse accessor of a Django relation: {where}"
        if accessor.many:
            return Rows(why, accessor.model, owner)
        return owner.instance(accessor.model, why)

    def _relation_table(self) -> dict[str, tuple[Provenance, django_orm.Accessor]]:
        table: dict[str, tuple[Provenance, django_orm.Accessor]] = {}
        defined: set[str] = set()
        for owner in self._class_owners():
            defined |= django_orm.members(owner.module)
            for accessor in django_orm.accessors(owner.module):
                table.setdefault(accessor.name, (owner, accessor))
        return {name: found for name, found in table.items() if name not in defined}

    def _class_owners(self) -> list[Provenance]:
        """This module and the project modules it imports that may declare models or classes."""
        owners: dict[int, Provenance] = {id(self): self}
        for _, bound in self.globals.bound():
            if isinstance(bound, Imported):
                if self.project is None or self.path is None or not self.project.may_declare_relations(self.path, bound):
                    continue
                bound = self.resolve(bound)
            owner = bound.owner if isinstance(bound, (LocalDef, ProjectModule)) else None
            if isinstance(owner, Provenance):
                owners.setdefault(id(owner), owner)
        return list(owners.values())

    def declaring(self, attr: str) -> list[tuple[Provenance, cst.ClassDef]]:
        """The classes of this module and of the project modules it imports that declare ``attr``;
        a relation's reverse accessor counts as a declaration of a class the code may not show."""
        if self._declared is None:
            self._declared = {}
            for owner in self._class_owners():
                for name, cls in uses.declared(owner.module):
                    found = self._declared.setdefault(name, [])
                    if all(c is not cls for _, c in found):
                        found.append((owner, cls))
                for accessor in django_orm.accessors(owner.module):
                    self._declared.setdefault(accessor.name, []).append((owner, accessor.model))
        return self._declared.get(attr, [])

    def relation_field(self, cls: cst.ClassDef, name: str, seen: tuple[cst.ClassDef, ...] = ()) -> Fact | None:
        """A row of the model that the relation field ``name`` of ``cls`` (or of a base) points to."""
        assign = django_orm.relation_field(cls, name)
        if assign is not None:
            return self._field(cls, assign, self._def_env.get(id(cls), self.globals))
        for base in self._bases(cls, (*seen, cls)):
            if not isinstance(base, str):
                found = base.owner.relation_field(base.node, name, (*seen, cls))  # type: ignore[arg-type]
                if found is not None:
                    return found
        return None

    def def_env(self, node: cst.FunctionDef | cst.ClassDef) -> Env:
        """The scope a function or class is defined in."""
        return self._def_env.get(id(node), self.globals)

    # -- summaries -----------------------------------------------------------------------
    def returns(self, fn: cst.FunctionDef, receiver: Fact | None = None, given: dict[str, Fact] | None = None) -> Fact:
        """What calling ``fn`` gives: its return annotation, else its return statements.

        When that depends on the call, ``fn`` is summarised for it too: ``receiver`` is the
        subclass (or its instance) an inherited method is called on (``cls.stripe_class.create(...)``
        with ``stripe_class`` set by the subclass); ``given`` are the SDK classes and Stripe values
        a call passes (``load(stripe.Customer, text)`` of ``def load(resource, text)``).
        """
        nothing: Fact = PENDING
        plain = self.summaries.get(("returns", self, fn), lambda: self._returns_uncached(fn), nothing, same)
        if not isinstance(plain, Unknown):
            return plain
        subclass = _class_of(receiver) if receiver is not None else None
        if subclass is self._owner.get(id(fn)):
            subclass, receiver = None, None
        if subclass is None and not given:
            return plain
        context = tuple(sorted((name, _context_key(fact)) for name, fact in (given or {}).items()))
        return self.summaries.get(
            ("returns", self, fn, subclass, context), lambda: self._returns_uncached(fn, receiver, given), nothing, same
        )

    def given(self, fn: cst.FunctionDef, call: cst.Call, env: Env) -> dict[str, Fact]:
        """The parameters of ``fn`` that ``call`` fills with SDK classes or Stripe values."""
        facts = [self.resolve(self.fact(arg.value, env)) for arg in call.args]
        return {name: fact for name, fact in _filled(fn, call, facts, 0) if isinstance(fact, (StripeSymbol, StripeData))}

    def _returns_uncached(self, fn: cst.FunctionDef, receiver: Fact | None = None, given: dict[str, Fact] | None = None) -> Fact:
        name = f"{fn.name.value}()" + (f" [{self.at(fn)}]" if self.label else "")
        env = self._def_env.get(id(fn), self.globals)
        if fn.returns is not None:
            declared = self.annotation(fn.returns.annotation, env, at=fn)
            if declared is not None:
                annotated = describe(fn.returns.annotation)
                return rewhy(declared, f"{fn.name.value}() is annotated {annotated} ({self.at(fn)})")
        found: list[Fact] = []
        Walk(self, None, on_return=found.append).function_body(fn, env, self._owner.get(id(fn)), receiver, given)
        found = [fact for fact in found if not (isinstance(fact, Scalar) and fact.why == "None is a constant")]
        if not found:
            return Unknown(f"{name} returns nothing the code shows")
        joined = join(found, f"{name} returns different kinds of values")
        return rewhy(joined, f"{name} returns {joined.why}")

    def instance(self, cls: cst.ClassDef, why: str) -> Fact:
        """An instance of ``cls``: Stripe data when the class subclasses a Stripe class."""
        env = self._def_env.get(id(cls), self.globals)
        for base in cls.bases:
            fact = self.fact(base.value, env)
            if isinstance(fact, StripeSymbol) and len(fact.path) == 2:
                return StripeData(fact.path[1], f"{why}, a subclass of {fact.dotted}", form=OBJECT)
        return Instance(cls, why, self)

    def instance_attribute(self, cls: cst.ClassDef, attr: str, seen: tuple[cst.ClassDef, ...] = ()) -> Fact | None:
        """What ``self.<attr>`` holds in instances of ``cls``, from every method's assignments."""
        nothing: dict[str, Fact] = {}
        held = self.summaries.get(("attributes", self, cls), lambda: self._class_attributes(cls), nothing, _same_table)
        if attr in held:
            return held[attr]
        return self._inherited(cls, attr, (*seen, cls))

    def member(self, cls: cst.ClassDef, attr: str, node: cst.CSTNode) -> Fact | None:
        """``x.attr`` of an instance (or the class itself): what the class and its bases hold, a
        placeholder that subclasses set, or a base the codemod cannot see; None: nothing at all."""
        held = self.instance_attribute(cls, attr)
        if isinstance(held, Unset):
            return Unknown(f"{held.why}: a subclass sets it")
        if held is not None:
            return held
        unseen = self.find_method(cls, attr)
        if isinstance(unseen, str):
            return Unknown(f"{describe(node)} may come from {unseen}, a base class the codemod cannot see")
        return None

    def find_method(
        self, cls: cst.ClassDef, name: str, seen: tuple[cst.ClassDef, ...] = ()
    ) -> tuple[Provenance, cst.FunctionDef] | str | None:
        """The method ``name`` of ``cls`` or of its project bases (the module that defines it, and
        the method); else the name of a base the codemod cannot see that may define it; else None."""
        found = _method(cls, name)
        if found is not None:
            return self, found
        unseen: str | None = None
        for base in self._bases(cls, seen):
            if isinstance(base, str):
                unseen = unseen or base
                continue
            inherited = base.owner.find_method(base.node, name, (*seen, cls))  # type: ignore[arg-type]
            if isinstance(inherited, tuple):
                return inherited
            unseen = unseen or inherited
        return unseen

    def _bases(self, cls: cst.ClassDef, seen: tuple[cst.ClassDef, ...]) -> Iterator[LocalDef | str]:
        """The project's base classes of ``cls`` in lookup order, and (as their source) the bases
        the codemod cannot see; ``object`` and framework bases are neither."""
        env = self._def_env.get(id(cls), self.globals)
        for base in cls.bases:
            fact = self.resolve(self.fact(base.value, env))
            if isinstance(fact, LocalDef) and isinstance(fact.node, cst.ClassDef):
                if fact.node not in seen and fact.node is not cls:
                    yield fact
            elif not (isinstance(fact, Foreign) and describe(base.value) == "object") and not self._framework(base.value, env):
                yield describe(base.value)

    def _framework(self, base: cst.BaseExpression, env: Env) -> bool:
        """A base class of a data framework (``models.Model``, pydantic's ``BaseModel``): what its
        subclasses inherit is the framework's, never Stripe data."""
        root = base
        while isinstance(root, cst.Attribute):
            root = root.value
        bound = env.lookup(root.value) if isinstance(root, cst.Name) else None
        return isinstance(bound, Imported) and bound.module.split(".")[0] in _FRAMEWORKS

    def _inherited(self, cls: cst.ClassDef, attr: str, seen: tuple[cst.ClassDef, ...]) -> Fact | None:
        """``attr`` of the project's base classes of ``cls``, in the order Python looks them up."""
        for base in self._bases(cls, seen):
            if not isinstance(base, str):
                held = base.owner.instance_attribute(base.node, attr, seen)  # type: ignore[arg-type]
                if held is not None:
                    return held
        return None

    def _class_attributes(self, cls: cst.ClassDef) -> dict[str, Fact]:
        seen: dict[str, list[Fact]] = {}
        env = self._def_env.get(id(cls), self.globals)
        for stmt in body(cls.body):
            if isinstance(stmt, cst.FunctionDef):
                if has_decorator(stmt, "property") or has_decorator(stmt, "cached_property"):
                    seen.setdefault(stmt.name.value, []).append(self.returns(stmt))
                    continue
                walk = Walk(self, None, on_self_attr=lambda a, f: seen.setdefault(a, []).append(f))
                walk.function_body(stmt, env, cls)
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                        declared = self.annotation(small.annotation.annotation, env)
                        if declared is not None:
                            seen.setdefault(small.target.value, []).append(declared)
                    elif isinstance(small, cst.Assign):  # stripe_class = stripe.Customer; balance = models.IntegerField()
                        value = self._field(cls, small, env)
                        if isinstance(small.value, cst.Name) and small.value.value == "None":
                            value = Unset(f"{cls.name.value}.{describe(small.targets[0].target)} is None in the class body")
                        elif not isinstance(value, (StripeSymbol, StripeData, FieldNames, Scalar, Instance, Rows)):
                            value = Foreign(f"{cls.name.value}.{describe(small.targets[0].target)} is declared in the class")
                        for target in small.targets:
                            if isinstance(target.target, cst.Name):
                                seen.setdefault(target.target.value, []).append(value)
        return {
            attr: join(facts, f"self.{attr} holds different values in {cls.name.value}")
            for attr, facts in seen.items()
        }

    def _field(self, cls: cst.ClassDef, assign: cst.Assign, env: Env) -> Fact:
        """A class attribute's value; a Django relation field gives a row (or rows) of its model."""
        pointed = django_orm.target(assign.value) if isinstance(assign.value, cst.Call) else None
        model = self.resolve(self.fact(pointed[0], env)) if pointed is not None else None
        if pointed is None or not (isinstance(model, LocalDef) and isinstance(model.node, cst.ClassDef)):
            return self.fact(assign.value, env)
        field = f"{cls.name.value}.{describe(assign.targets[0].target)}"
        why = f"{field} is a Django relation to {model.node.name.value}, a model of the project ({self.at(cls)})"
        return Rows(why, model.node, model.owner) if pointed[1] else model.owner.instance(model.node, why)

    def arguments(self, fn: cst.FunctionDef, name: str, seen: tuple[cst.FunctionDef, ...] = ()) -> Fact | None:
        """What every call of ``fn`` in the project passes as ``name``; None without calls.

        The calls are this module's and those of every module of the run that names ``fn``; a
        parameter passed on is decided by its own function's calls in turn (a bounded depth).
        """
        passed: list[tuple[Fact, str]] = []
        called = False
        for module, calls in self._calls_of(fn):
            called = True
            for fact, at in calls.get(name, ()):
                if isinstance(fact, Parameter):
                    fact = module._parameter(fact, (*seen, fn))
                passed.append((fact, at))
            if any(isinstance(fact, Unknown) and not isinstance(fact, MockDouble) for fact, _ in passed) and (
                    self.stripe_evidence is not None or any(stripe_path(fact) for fact, _ in passed)):
                # undecided already: the other modules' calls cannot decide it. In a module that shows no
                # Stripe data itself, they are looked at until one passes some: then its site is Stripe code
                break
        if called and not passed and _default(fn, name) == "None":
            return Scalar(f"no call of {fn.name.value}() passes {name}, which defaults to None")
        if not passed:
            return None
        fakes: list[str] = []
        if any(isinstance(fact, StripeData) for fact, _ in passed):  # the fakes of the tests stand in for it
            fakes = [at for fact, at in passed if isinstance(fact, (DictLiteral, DictCall))]
            passed = [(fact, at) for fact, at in passed if not isinstance(fact, (DictLiteral, DictCall, MockDouble))]
        facts = [fact for fact, _ in passed]
        joined = join(facts, f"the calls of {fn.name.value}() pass different values as {name}")
        if isinstance(joined, StripeData):
            where = ", ".join(at for _, at in passed)
            why = f"every call of {fn.name.value}() passes a Stripe {joined.kind} as {name} ({where}): {facts[0].why}"
            if fakes:  # a written-out fake is a dict
                joined = records.replace(joined, form=joined_form([joined.form, ""]))
                why += f"; a test passes a dict in its place ({', '.join(fakes)})"
            return rewhy(joined, why)
        if isinstance(joined, (Foreign, Instance)) and not isinstance(joined, Scalar):
            where = ", ".join(at for _, at in passed)
            return rewhy(joined, f"every call of {fn.name.value}() passes a project value as {name} ({where}): {facts[0].why}")
        return joined

    def _calls_of(self, fn: cst.FunctionDef) -> Iterator[tuple[Provenance, dict[str, list[tuple[Fact, str]]]]]:
        """The calls of ``fn``, by parameter, in this module, then in each other module of the run
        whose source names it (each module's table computed once, when it is asked for)."""
        nothing: Arguments = {}
        owner = self._owner.get(id(fn))
        name = owner.name.value if fn.name.value == "__init__" and owner is not None else fn.name.value  # Billing(...)
        if self._named_again(name):  # the whole module: dispatch tables call functions by no name
            table = self.summaries.get(("arguments", self), self._argument_table, nothing, _same_arguments)
            if id(fn) in table:
                yield self, table[id(fn)]
        for module in self.project.naming(name, self) if self.project is not None else ():
            named = module.summaries.get(("arguments", module, name), functools.partial(module._calls_named, name), nothing, _same_arguments)
            if id(fn) in named:
                yield module, named[id(fn)]

    def _named_again(self, name: str) -> bool:
        """Whether ``name`` occurs in this module's source besides its own ``def`` (or ``class``):
        a call made here reaches a function only through its name (a call, an alias, a dispatch
        table's entry), so without another occurrence the module holds none, and is not walked
        for them."""
        if self.text is None:
            return True
        if self.text.count(name) < 2:  # most often decided without a pattern
            return False
        return len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", self.text)) > 1

    def _calls_named(self, name: str) -> Arguments:
        """The calls of functions named ``name`` in this module, walking only the functions (and
        top-level statements) that make one."""
        table: Arguments = {}

        def visit(node: cst.CSTNode, env: Env) -> None:
            if isinstance(node, cst.Call) and name in (_called_name(node), _applied_name(node, env)):
                self._note_arguments(node, env, table)

        self.prepare()
        walk = Walk(self, visit)
        for stmt, cls in self._statements_calling(name):
            if isinstance(stmt, cst.FunctionDef):
                walk.function_body(stmt, self._def_env.get(id(stmt), self.globals), cls)
            else:
                walk.block([stmt], Env(self.globals))
        return table

    def _statements_calling(self, name: str) -> list[tuple[cst.CSTNode, cst.ClassDef | None]]:
        """The top-level statements and methods whose code calls something named ``name``."""
        if self._called is None:
            self._called = []
            for stmt in self.module.body:
                if isinstance(stmt, cst.ClassDef):
                    for inner in body(stmt.body):
                        if isinstance(inner, cst.FunctionDef):
                            self._called.append((inner, stmt, _names_called(inner)))
                elif not isinstance(stmt, (cst.Import, cst.ImportFrom)):
                    self._called.append((stmt, None, _names_called(stmt)))
        return [(stmt, cls) for stmt, cls, called in self._called if name in called]

    def parameter(self, fn: cst.FunctionDef, index: int | None, keyword: str | None) -> tuple[str, Fact] | None:
        """The name of the parameter an argument fills (by position or keyword), and what the
        function says it is: its annotation, else what its other calls pass."""
        params = [*fn.params.posonly_params, *fn.params.params]
        if self._owner.get(id(fn)) is not None and not has_decorator(fn, "staticmethod"):
            params = params[1:]  # self or cls
        found = next((p for p in (*params, *fn.params.kwonly_params) if p.name.value == keyword), None) if keyword else (
            params[index] if index is not None and index < len(params) else None)
        if found is None:
            return None
        name = found.name.value
        if found.annotation is not None:
            declared = self.annotation(found.annotation.annotation, self._def_env.get(id(fn), self.globals), at=fn)
            if declared is not None:
                return name, declared
        return name, self.resolve(Parameter(f"{name} is a parameter of {fn.name.value}()", fn, name))

    def _argument_table(self) -> Arguments:
        """Every call of a function of this module, with the facts of its arguments where it is made."""
        table: Arguments = {}
        self.walk(lambda node, env: self._note_arguments(node, env, table) if isinstance(node, cst.Call) else None)
        return table

    def _note_arguments(self, call: cst.Call, env: Env, calls: Arguments) -> None:
        func = call.func
        each = applied(call, env)
        if each is not None:
            self._note_applied(call, *each, env, calls)
        callee = self.fact(func, env)
        if isinstance(callee, Imported):
            callee = self.resolve(callee)
        if isinstance(callee, Dispatch):
            self._note_dispatch(call, callee, env, calls)
            return
        offset = 0
        if isinstance(func, cst.Attribute):
            owner = self.resolve(self.fact(func.value, env))
            cls = _class_of(owner)
            if cls is not None and isinstance(owner, (Instance, LocalDef)):
                method = _method(cls, func.attr.value)
                if method is not None:
                    callee = LocalDef(method, "", owner.owner)
                    bound = isinstance(owner, Instance) or has_decorator(method, "classmethod")
                    offset = 0 if has_decorator(method, "staticmethod") or not bound else 1
        if isinstance(callee, LocalDef) and isinstance(callee.node, cst.ClassDef):
            init = _method(callee.node, "__init__")  # Service(client): what __init__ receives
            callee, offset = (LocalDef(init, "", callee.owner), 1) if init is not None else (callee, offset)
        if not isinstance(callee, LocalDef) or not isinstance(callee.node, cst.FunctionDef):
            return
        fn = callee.node
        self._note_call(fn, call, [self._argument(arg.value, env) for arg in call.args], offset, calls)

    def _note_applied(self, call: cst.Call, function: cst.BaseExpression, items: cst.BaseExpression, env: Env,
                      calls: Arguments) -> None:
        """``map(show, customers)``, ``filter(...)``, ``sorted(customers, key=show)`` (``min``, ``max``,
        ``customers.sort(key=show)``): a function of the project gets each item as its first argument."""
        callee = self.fact(function, env)
        if isinstance(callee, Imported):
            callee = self.resolve(callee)
        if not (isinstance(callee, LocalDef) and isinstance(callee.node, cst.FunctionDef)) or callee.owner is None \
                or callee.owner._owner.get(id(callee.node)) is not None:  # a method: its first parameter is self
            return
        fn = callee.node
        positional = [*fn.params.posonly_params, *fn.params.params]
        if positional:
            item = self.element(self.fact(items, env), items)
            if isinstance(item, StripeData):
                item = rewhy(item, f"{_called_name(call)}() passes it each item of {item.why}")
            self._note_filled(fn, call, [(positional[0].name.value, item)], calls)

    def _argument(self, value: cst.BaseExpression, env: Env) -> Fact:
        """What a call passes; a dict, ``dict(...)`` or ``Mock(...)`` written out is a fake."""
        fact = self.fact(value, env)
        if fake(value) and isinstance(value, cst.Call) and not isinstance(fact, StripeData):
            return MockDouble(f"{self.described(value)} is written out", value)
        return fact

    def _note_call(self, fn: cst.FunctionDef, call: cst.Call, facts: list[Fact], offset: int, calls: Arguments) -> None:
        self._note_filled(fn, call, _filled(fn, call, facts, offset), calls)

    def _note_filled(self, fn: cst.FunctionDef, call: cst.Call, filled: list[tuple[str, Fact]], calls: Arguments) -> None:
        """What ``call`` passes ``fn``, by parameter."""
        table = calls.setdefault(id(fn), {})
        for name, fact in filled:
            table.setdefault(name, []).append((fact, self.at(call)))

    def _note_dispatch(self, call: cst.Call, callee: Dispatch, env: Env, calls: Arguments) -> None:
        """``HANDLERS[event.type](event)``: each handler gets the event, of the type its key names."""
        facts = [self.fact(arg.value, env) for arg in call.args]
        for key, value in string_items(callee.table):
            handler = self.fact(value, self.globals)
            if not (isinstance(handler, LocalDef) and handler.owner is self and isinstance(handler.node, cst.FunctionDef)):
                continue
            kinds = frozenset(event_kinds(cst.SimpleString(repr(key))))
            narrowed = [
                StripeData("Event", f"{f.why}; dispatched to {handler.node.name.value}() as a {key} event",
                           among=kinds or None)
                if isinstance(f, StripeData) and f.kind == "Event" and not f.many else f
                for f in facts
            ]
            self._note_call(handler.node, call, narrowed, 0, calls)

    def registered_event(self, fn: cst.FunctionDef) -> StripeData | None:
        """``@webhooks.handler("customer.updated", "customer.created")``: a function that a decorator
        registers for Stripe event types gets those events as its first parameter."""
        for decorator in fn.decorators:
            call = decorator.decorator
            if not isinstance(call, cst.Call):
                continue
            strings = [arg.value for arg in call.args if arg.keyword is None]
            types = [value_of(s) for s in strings if isinstance(s, cst.SimpleString)]
            if not strings or len(types) != len(strings) or not all(isinstance(t, str) and EVENT_TYPE.match(t) for t in types):
                continue
            kinds = frozenset(kind for s in strings for kind in event_kinds(s))
            if kinds:
                listed = ", ".join(str(t) for t in types)
                why = f"{fn.name.value}() is registered by {self.described(call)} for {listed} events"
                return StripeData("Event", why, among=kinds)
        return None

    def events(self) -> EventChecks:
        """The event types this module's code checks (payloads, event records, handler classes)."""
        if self._events is None:
            self._events = EventChecks(self.module, self.constants(), self.at)
        return self._events

    def constants(self) -> dict[str, cst.BaseExpression]:
        """The module's names bound once to a string or a literal collection."""
        if self._constants is None:
            self._constants = literal_constants(all_nodes(self.module))
        return self._constants

    # -- event types ---------------------------------------------------------------------
    def narrowing(self, test: cst.BaseExpression, env: Env) -> tuple[str, Fact] | None:
        """``event.type == "invoice.paid"`` (or ``in (...)``, ``.startswith("invoice.")``): in the
        branch it guards, ``event`` is an event whose ``data.object`` is an Invoice."""
        if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
            return self.narrowing(test.left, env) or self.narrowing(test.right, env)
        subject: cst.BaseExpression | None = None
        kinds: set[str] = set()
        if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
            target = test.comparisons[0]
            if isinstance(target.operator, (cst.Equal, cst.In)):
                for side, other in ((test.left, target.comparator), (target.comparator, test.left)):
                    if event_type_of(side) is not None and event_kinds(other):
                        subject, kinds = event_type_of(side), event_kinds(other)
        elif isinstance(test, cst.Call) and isinstance(test.func, cst.Attribute) and test.func.attr.value == "startswith":
            subject = event_type_of(test.func.value)
            prefix = test.args[0].value if test.args else None
            text = text_of(prefix)
            if text is not None:
                kinds = event_kinds(cst.SimpleString(repr(text.rstrip(".") + ".x")))
        return self._narrowed(subject, kinds, env)

    def case_narrowing(self, subject: cst.BaseExpression, pattern: cst.MatchPattern, env: Env) -> tuple[str, Fact] | None:
        """``match event.type: case "invoice.paid" | "invoice.created":`` narrows like an ``if``."""
        values: list[cst.BaseExpression] = []
        if isinstance(pattern, cst.MatchValue):
            values = [pattern.value]
        elif isinstance(pattern, cst.MatchOr):
            values = [p.pattern.value for p in pattern.patterns if isinstance(p.pattern, cst.MatchValue)]
        kinds = {kind for value in values for kind in event_kinds(value)}
        return self._narrowed(event_type_of(subject), kinds, env)

    def _narrowed(self, subject: cst.BaseExpression | None, kinds: set[str], env: Env) -> tuple[str, Fact] | None:
        if subject is None or not kinds or not isinstance(subject, cst.Name):
            return None
        event = self.resolve(self.fact(subject, env))
        if isinstance(event, StripeData) and event.kind == "Event" and not event.many:
            types = " or ".join(sorted(kinds))
            why = f"{event.why}; its type is checked as an event of a {types} ({self.at(subject)})"
            return subject.value, StripeData("Event", why, among=frozenset(kinds))
        return None

    # -- helpers of fact() ---------------------------------------------------------------
    def _name(self, node: cst.Name, env: Env) -> Fact:
        bound = env.lookup(node.value)
        if bound is not None:
            return bound
        if node.value in _CONSTANTS:
            return Scalar(f"{node.value} is a constant")
        if node.value in _BUILTINS:
            return Foreign(f"{node.value} is a Python builtin")
        return Unknown(f"nothing in this module binds {node.value}")

    def _attribute(self, base: Fact, node: cst.Attribute) -> Fact:
        attr = node.attr.value
        if type(base) is Parameter:  # not decided by its calls (yet): its own uses may show its class
            base = self._used(base) or base
        if isinstance(base, StripeSymbol):
            if attr in _CALL_ARGS:
                return _call_args(base, attr, self.described(node))
            if attr == "return_value":
                result = sdk.returns(base.path)
                if result is not None:
                    return StripeData(result[0], f"{describe(node)}: {base.why}", many=result[1])
            return StripeSymbol((*base.path, attr), base.why)
        if isinstance(base, StripeData):
            return _nested(base, attr, self.described(node))
        if isinstance(base, Instance):
            member = base.owner.member(base.cls, attr, node)
            return member or Foreign(f"{describe(node)} is an attribute of project class {base.cls.name.value}")
        if isinstance(base, ProjectModule):
            found = base.owner.globals.lookup(attr)
            if found is not None:
                return base.owner.resolve(found)
            found = self.project.submodule(base.owner, attr) if self.project is not None else None
            return found if found is not None else Unknown(f"{base.owner.label} has no {attr} the codemod can see")
        if attr == "objects":
            if isinstance(base, LocalDef) and isinstance(base.node, cst.ClassDef):
                model = base.node.name.value
                return Rows(f"{describe(node)} is the Django manager of {model}, a model of the project", base.node, base.owner)
            return Rows(f"{describe(node)} is a Django model manager")
        if isinstance(base, LocalDef):
            member = base.owner.member(base.node, attr, node) if isinstance(base.node, cst.ClassDef) else None
            if member is not None:  # cls.stripe_class, a class attribute
                return member
            return Foreign(f"{describe(node)} belongs to {base.node.name.value}, defined in the project")
        if isinstance(base, Foreign):
            return Foreign(f"{describe(node)} is read from a project value: {base.why}")
        if isinstance(base, DictLiteral):
            return Foreign(f"{describe(node)} is an attribute of a dict")
        if isinstance(base, CallArgs) and not base.many and attr in ("args", "kwargs"):
            return base.items[attr == "kwargs"]
        if isinstance(base, Parts):
            return Foreign(f"{describe(node)} is an attribute of a tuple: {base.why}")
        related = self.relation(attr, node) if isinstance(base, Unknown) else None
        return related or Unknown(base.why)

    def _call(self, node: cst.Call, env: Env) -> Fact:
        func = node.func
        here = self.described(node)
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            base = self.resolve(self.fact(func.value, env))
            if isinstance(base, StripeData):
                if (method in sdk.SAME_OBJECT_METHODS and not base.many) or (method in sdk.SAME_LIST_METHODS and base.many):
                    why = chain(here, func.value, base)
                    return records.replace(base, why=why, form="" if method in sdk.TO_DICT else base.form)
            if isinstance(base, Rows) and base.owner is not None and base.model is not None:
                return _rows(base, method, base.owner, base.model, here)
            key = first_string(node)
            if method == "get" and key in PAYLOAD_KEYS and isinstance(base, _UNDECIDED):
                payload = self._webhook_payload(node, base)
                if isinstance(payload, StripeData):
                    return payload
            if method == "get" and node.args and (key is not None or isinstance(base, DictLiteral)) and isinstance(
                base, (StripeData, DictLiteral)
            ):
                return self._item(base, key, node, env)  # `.get("data", {})` reads what `["data"]` reads
            cls = _class_of(base)
            if cls is not None and isinstance(base, (Instance, LocalDef)):
                found = base.owner.find_method(cls, method)
                if isinstance(found, tuple):
                    return found[0].returns(found[1], _receiver(base, found[1]))
                if isinstance(found, str):
                    return Unknown(f"{here}: {method}() may come from {found}, a base class the codemod cannot see")
        if isinstance(func, cst.Name) and func.value in _BUILTINS and env.lookup(func.value) is None:
            if func.value in sdk.PASS_THROUGH_BUILTINS and node.args and node.args[0].keyword is None:
                passed = self.fact(node.args[0].value, env)
                if func.value == "dict" and isinstance(passed, StripeData):
                    return records.replace(passed, form="")  # a plain dict of the same fields
                return passed
            if func.value == "dict" and node.args and all(arg.keyword is not None for arg in node.args):
                return DictCall(f"{here} is a dict written as a call", node)
            return Foreign(f"{here} is returned by the builtin {func.value}()")
        callee = self.resolve(self.fact(func, env))
        if isinstance(callee, StripeSymbol):
            return self._stripe_call(callee.path, node, here)
        if isinstance(callee, LocalDef):
            if isinstance(callee.node, cst.FunctionDef):
                plain = callee.owner.returns(callee.node)
                if isinstance(plain, Unknown) and node.args:
                    return callee.owner.returns(callee.node, given=self.given(callee.node, node, env))
                return plain
            return callee.owner.instance(callee.node, f"{here} makes a {callee.node.name.value}")
        if isinstance(callee, (Foreign, Instance)):
            return Foreign(f"{here} is returned by a project value")
        dotted = get_full_name_for_node(func) or ""
        copied = self._copy(dotted, node, env)
        if copied is not None:
            return copied
        if dotted.endswith("json.loads"):
            return self._json_document(node, here)
        if dotted.rpartition(".")[2] in sdk.MOCK_CLASSES:
            return MockDouble(f"{here} is a test double", node)
        if isinstance(callee, Unknown):
            return Unknown(f"{here}: {callee.why}")
        return Unknown(f"nothing shows what {here} returns")

    def _json_document(self, node: cst.Call, here: str) -> Fact:
        """``json.loads('{"object": "customer", ...}')`` (or of a constant bound to such a string): a
        payload of the class its ``"object"`` key names, as a plain dict."""
        first = node.args[0].value if node.args and node.args[0].keyword is None else None
        if isinstance(first, cst.Name):
            first = self.constants().get(first.value, first)
        text = value_of(first) if isinstance(first, cst.SimpleString) else None
        found = sdk.document_object(text) if isinstance(text, str) else None
        kind = sdk.OBJECT_KINDS.get(found) if found is not None else None
        if kind is None:
            return Unknown(f"{here} is a JSON document")
        return StripeData(kind, f'{here} loads a JSON document with "object": "{found}" ({self.at(node)})')

    def _copy(self, dotted: str, node: cst.Call, env: Env) -> Fact | None:
        """What a copy or a round trip of its argument holds: ``copy.deepcopy(cu)``,
        ``json.loads(json.dumps(cu))``; ``functools.partial(stripe.Customer.retrieve, ...)``
        calls what it wraps."""
        name = dotted.rpartition(".")[2]
        first = node.args[0].value if node.args and node.args[0].keyword is None else None
        if first is None or name not in ("copy", "deepcopy", "loads", "partial"):
            return None
        if name == "loads":
            inner = first if isinstance(first, cst.Call) else None
            if inner is None or not (get_full_name_for_node(inner.func) or "").endswith("json.dumps") or not inner.args:
                return None
            first = inner.args[0].value
        fact = self.resolve(self.fact(first, env))
        if name == "partial":
            return fact if isinstance(fact, StripeSymbol) else None
        if isinstance(fact, StripeData):  # a JSON round trip gives plain dicts
            return records.replace(fact, why=f"a copy of {fact.why}", form="" if name == "loads" else fact.form)
        return None

    def _stripe_call(self, path: tuple[str, ...], node: cst.Call, here: str) -> Fact:
        if path in sdk.CONVERTERS or path in sdk.CONVERT_TO_DICT:
            kind = "object"
            if node.args and isinstance(node.args[0].value, cst.Dict):
                kind = _object_kind(node.args[0].value) or kind
            return StripeData(kind, here, form=OBJECT if path in sdk.CONVERTERS else "")
        if path == ("stripe", "StripeClient"):
            return StripeSymbol(sdk.CLIENT, here)
        result = sdk.returns(path)
        if result is not None:
            return StripeData(result[0], here, many=result[1], origin=node, form=OBJECT)
        if len(path) == 2 and path[1] in sdk.sdk_objects():
            return StripeData(path[1], here, form=OBJECT)
        return Unknown(f"the codemod does not know what {here} returns")

    def _subscript(self, node: cst.Subscript, env: Env) -> Fact:
        base = self.resolve(self.fact(node.value, env))
        key = string_key(node)
        found = self._item(base, key, node, env)
        if key in PAYLOAD_KEYS and not isinstance(found, StripeData) and isinstance(base, _UNDECIDED):
            return self._webhook_payload(node, found)
        return found

    def _item(self, base: Fact, key: str | None, node: cst.CSTNode, env: Env) -> Fact:
        """``base[key]`` (or ``base.get(key)``)."""
        here = self.described(node)
        if isinstance(base, StripeData) and base.many:
            if key == "data":  # ``listed["data"]``: the list object's items
                return records.replace(base, why=f"{here}; {base.why}")
            if key is not None:
                return Foreign(f"{here} is a field of a list object ({base.why})")
            return StripeData(base.kind, f"{here}; {base.why}", form=base.form)
        if isinstance(base, CallArgs) and base.many:
            return CallArgs(f"{here} is one call of {base.why}", base.items)
        if isinstance(base, Parts):
            index = _index(node)
            if index is not None and -len(base.items) <= index < len(base.items):
                return base.items[index]
            return join(list(base.items), f"{here} is an item of {base.why}")
        literal = base.literal if isinstance(base, (StripeData, DictLiteral)) else None
        if literal is not None and key is not None:
            value = _dict_value(literal, key)
            if value is not None:
                inner = self.fact(value, env)
                if isinstance(inner, StripeData) or not isinstance(base, StripeData):
                    return inner
        if isinstance(base, StripeData):
            return _nested(base, key or "[...]", here)
        if isinstance(base, DictLiteral) and key is None and string_items(base.literal):
            return Dispatch(f"{here} is one of the values of {base.why.split(' has ')[0]}", base.literal)
        if isinstance(base, (Foreign, Instance, LocalDef)):
            return Foreign(f"{describe(node)} is read from a project value")
        return base if isinstance(base, Unknown) else Unknown(f"nothing shows what {here} holds")

    def _webhook_payload(self, node: cst.Subscript | cst.Call, base: Fact) -> Fact:
        """``payload["data"]["object"]`` (or ``.get("data", {}).get("object")``, and
        ``previous_attributes``) of a raw JSON webhook, an event record or a handler class
        whose event types the module checks."""
        found = self.events().payload(node)
        if found is None:
            return base
        kinds, why = found
        return StripeData("object", f"{why} ({self.at(node)})", among=kinds)  # checked somewhere, not on this path

    def _dict(self, node: cst.Dict, env: Env) -> Fact:
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):  # {**customer, ...}: a copy of its fields
                spread = self.resolve(self.fact(element.value, env))
                if isinstance(spread, StripeData) and not spread.many:
                    return StripeData(spread.kind, f"a copy of {spread.why}",
                                      literal=node, among=spread.among)
        found = _object_value(node)
        kind = sdk.OBJECT_KINDS.get(found) if found is not None else None
        why = f"dict literal at {self.at(node)}"
        if kind is not None:
            self.note_stripe(f'a dict literal with "object": "{found}" ({self.at(node)})')
            self.stand_ins.payload(node, kind, f'{why} has "object": "{found}"')
            return StripeData(kind, f'{why} has "object": "{found}"', literal=node)
        return DictLiteral(node, f'{why} has no Stripe "object" key')

    def _comprehension(self, node: cst.ListComp | cst.SetComp | cst.GeneratorExp, env: Env) -> Fact:
        inner = Env(env)
        for_in: cst.CompFor | None = node.for_in
        while for_in is not None:
            item = self.element(self.fact(for_in.iter, inner), for_in.iter)
            self.bind_target(for_in.target, item, inner, for_in.iter)
            for_in = for_in.inner_for_in
        item = self.fact(node.elt, inner)
        if isinstance(item, StripeData) and not item.many:
            return StripeData(item.kind, f"each item is {item.why}", many=True, form=item.form)
        if isinstance(item, Foreign):
            return item
        return Unknown(f"nothing shows what the items of {describe(node)} are")


# -- small helpers ------------------------------------------------------------------------
def _is_fixture(fn: cst.FunctionDef) -> bool:
    return has_decorator(fn, "fixture") or any(
        isinstance(d.decorator, cst.Call) and (get_full_name_for_node(d.decorator.func) or "").endswith("fixture")
        for d in fn.decorators
    )


def _default(fn: cst.FunctionDef, name: str) -> str | None:
    """The source of a parameter's default value, if it has one."""
    for param in (*fn.params.posonly_params, *fn.params.params, *fn.params.kwonly_params):
        if param.name.value == name and param.default is not None:
            return cst.Module(body=[]).code_for_node(param.default)
    return None


def _same_arguments(a: Arguments, b: Arguments) -> bool:
    return a.keys() == b.keys() and all(
        a[fn].keys() == b[fn].keys()
        and all(len(a[fn][p]) == len(b[fn][p]) and all(same(x, y) for (x, _), (y, _) in zip(a[fn][p], b[fn][p]))
                for p in a[fn])
        for fn in a
    )


def _same_table(a: dict[str, Fact], b: dict[str, Fact]) -> bool:
    return a.keys() == b.keys() and all(same(a[name], b[name]) for name in a)


def chain(head: str, source: cst.CSTNode, fact: Fact) -> str:
    """``head``, followed by the fact's own evidence, without saying twice where the value comes from."""
    said = f"{describe(source)} ("
    if fact.why.startswith(said):
        rest = fact.why[fact.why.find(")", len(said)) + 1:]
        return _short(head + rest)
    return _short(f"{head}; {fact.why}")


_LINKS = 8  # the evidence a why shows at most: its first steps and where the value comes from


def _short(why: str) -> str:
    """A why of at most ``_LINKS`` steps: a chain of 20,000 assignments neither says nor keeps them all."""
    links = why.split("; ")
    if len(links) <= _LINKS:
        return why
    return "; ".join([*links[:_LINKS - 3], "...", *links[-2:]])


def _nested(base: StripeData, field: str, here: str) -> Fact:
    """A field of Stripe data: events lead to their object, ``.customer`` to a Customer."""
    if base.many and field == "data":
        return base
    if field == "metadata":
        return Metadata(f"{here} is metadata, keyed by the project: {base.why}", form=base.form)
    form = base.form  # what an SDK object nests is SDK objects; a dict, dicts
    if base.kind == "Event" and field == "data":
        return StripeData("Event.data", f"{here}; {base.why}", among=base.among, form=form)
    if base.kind == "Event.data" and field in ("object", "previous_attributes"):
        return _event_object(base.among, f"{here} is the event's object; {base.why}", form)
    listed = sdk.LISTS.get((base.kind, field))
    if listed is not None and not base.many:
        return StripeData(listed, f"{here} lists the {base.kind}'s {field}; {base.why}", many=True, form=form)
    expanded = sdk.EXPANDABLE.get(field)
    if expanded is not None and base.kind != expanded and not base.many:
        return StripeData(expanded, f"{here} is an expanded {_noun(expanded)}; {base.why}", form=form)
    return StripeData(f"{base.kind}.{field}", f"{here} is nested in {base.why}", form=form)


def _event_object(among: frozenset[str] | None, why: str, form: str = "") -> StripeData:
    """``data.object`` of an event whose type shows ``among`` (or any object)."""
    if among is not None and len(among) == 1:
        return StripeData(next(iter(among)), why, form=form)
    return StripeData("object", why, among=among, form=form)


def _noun(kind: str) -> str:
    """``SubscriptionSchedule`` -> ``subscription schedule``."""
    return "".join(f" {c.lower()}" if c.isupper() else c for c in kind).strip()


def _class_of(fact: Fact) -> cst.ClassDef | None:
    if isinstance(fact, Instance):
        return fact.cls
    if isinstance(fact, LocalDef) and isinstance(fact.node, cst.ClassDef):
        return fact.node
    return None


# An event type: ``customer.updated``, ``invoice.payment_failed``, ``customer.subscription.trial_will_end``.
_CALL_ARGS = frozenset({"call_args", "call_args_list", "await_args", "await_args_list"})


def _call_args(double: StripeSymbol, attr: str, here: str) -> CallArgs:
    """What a test double of a Stripe call records of its calls: their keyword arguments are the
    parameters of that call."""
    dotted = double.dotted.replace("<StripeClient>", "client")
    kwargs = Params(f"{here}: the keyword arguments given to {dotted}(); {double.why}", sdk.endpoint(double.path), dotted)
    args = Unknown(f"{here}: the positional arguments given to {dotted}()")
    return CallArgs(f"{here}, the calls of {dotted}()", (args, kwargs), attr.endswith("_list"))


def _rows(base: Rows, method: str, owner: Provenance, model: cst.ClassDef, here: str) -> Fact:
    """What a Django manager's or queryset's method gives: rows, one row, or a pair of a row and a flag."""
    name = model.name.value
    if method in django_orm.QUERYSETS:
        return Rows(f"{here} is a queryset of {name}, a Django model of the project", model, owner)
    if method in django_orm.ROWS:
        return owner.instance(model, f"{here} is a row of {name}, a Django model of the project")
    if method in django_orm.PAIRS:
        row = owner.instance(model, f"{here} gives a row of {name}, a Django model of the project")
        return Parts(f"{here} gives a row and a flag", (row, Scalar(f"{here} gives a flag")))
    return Foreign(f"{here} is returned by {base.why}")


def _called_name(call: cst.Call) -> str | None:
    """``f`` of ``f(...)`` and of ``module.f(...)``."""
    return _last_name(call.func)


def _last_name(node: cst.BaseExpression) -> str | None:
    """``f`` of ``f`` and of ``module.f``."""
    if isinstance(node, cst.Name):
        return node.value
    return node.attr.value if isinstance(node, cst.Attribute) else None


def _applied_name(call: cst.Call, env: Env | None) -> str | None:
    """``show`` of ``map(show, customers)`` (or of ``map(helpers.show, customers)``)."""
    each = applied(call, env)
    return _last_name(each[0]) if each is not None else None


def _names_called(node: cst.CSTNode) -> set[str]:
    """The names a statement calls, and those it applies to items (``map(show, customers)``)."""
    found: set[str] = set()
    for inner in all_nodes(node):
        if isinstance(inner, cst.Call):
            found.update(name for name in (_called_name(inner), _applied_name(inner, None)) if name)
    return found




def _context_key(fact: Fact) -> object:
    """What a summary for a call depends on of a value it passes."""
    if isinstance(fact, StripeSymbol):
        return fact.path
    if isinstance(fact, StripeData):
        return (fact.kind, fact.many, fact.among)
    return None


def _receiver(base: Instance | LocalDef, method: cst.FunctionDef) -> Fact | None:
    """What ``self`` or ``cls`` is when ``method`` is called on ``base``."""
    if has_decorator(method, "classmethod"):
        return LocalDef(base.cls, base.why, base.owner) if isinstance(base, Instance) else base
    if has_decorator(method, "staticmethod") or isinstance(base, LocalDef):
        return None  # Class.method(obj): the receiver is an argument
    return base


def _method(cls: cst.ClassDef, name: str) -> cst.FunctionDef | None:
    for stmt in body(cls.body):
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value == name:
            return stmt
    return None


def _filled(fn: cst.FunctionDef, call: cst.Call, facts: list[Fact], offset: int) -> list[tuple[str, Fact]]:
    """The parameters of ``fn`` that ``call``'s arguments fill (by position after ``offset``
    receivers, or by keyword), with the arguments' facts; nothing when it unpacks ``*args``."""
    if any(arg.star for arg in call.args):
        return []
    positional = [p.name.value for p in (*fn.params.posonly_params, *fn.params.params)][offset:]
    filled: list[tuple[str, Fact]] = []
    index = 0
    for arg, fact in zip(call.args, facts):
        if arg.keyword is not None:
            filled.append((arg.keyword.value, fact))
        elif index < len(positional):
            filled.append((positional[index], fact))
        index += arg.keyword is None
    return filled


def _index(node: cst.CSTNode) -> int | None:
    """The integer of ``pair[0]`` (or ``pair[-1]``)."""
    if not isinstance(node, cst.Subscript) or len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    value = node.slice[0].slice.value
    sign = 1
    if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
        sign, value = -1, value.expression
    return sign * int(value.value) if isinstance(value, cst.Integer) and value.value.isdigit() else None






def _dict_value(literal: cst.Dict, key: str) -> cst.BaseExpression | None:
    return next((value for name, value in string_items(literal) if name == key), None)


def _object_value(literal: cst.Dict) -> str | None:
    """The ``"object"`` key of a payload dict: ``"customer"``."""
    value = _dict_value(literal, "object")
    return text_of(value)


def _object_kind(literal: cst.Dict) -> str | None:
    found = _object_value(literal)
    return sdk.OBJECT_KINDS.get(found) if found is not None else None


def _first_stripe(facts: Iterable[Fact | None]) -> Fact | None:
    decided = [fact for fact in facts if fact is not None]
    for fact in decided:
        if isinstance(fact, (StripeData, StripeSymbol)):
            return fact
    return decided[0] if decided else None
