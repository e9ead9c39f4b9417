"""What a function does with a parameter, when that proves the value is the project's own.

Two uses allow only a project object, whatever the callers pass:

- passing it as a relation field to the Django ORM (``Refund.objects.create(charge=charge)``,
  ``Refund(charge=charge)``): Django refuses anything but a row of the field's model;
- reading an attribute that a class of the project declares and that no Stripe object has
  (``customer.date_purged``): a Stripe object would raise ``AttributeError`` there.

Writes prove nothing (a Stripe object takes any attribute), nor do ``getattr``/``hasattr``.
"""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Iterator

import libcst as cst

from .. import catalog
from . import django_orm, stripe_sdk
from .describe import describe
from .facts import Fact, Instance, LocalDef, Rows

if TYPE_CHECKING:
    from .env import Env
    from .module import Provenance


@functools.lru_cache(maxsize=1)
def stripe_names() -> frozenset[str]:
    """Every field and method name a Stripe object has had (``stripe_names.txt``), and the
    fields the catalog retires."""
    return stripe_sdk.listed("stripe_names.txt") | frozenset(catalog.WORDS)


def evidence(prov: Provenance, fn: cst.FunctionDef, name: str) -> Fact | None:
    """The first use of the parameter ``name`` in ``fn`` that only a project object allows."""
    if _rebound(prov, fn, name):
        return None
    env = prov.def_env(fn)
    for node in _reads(prov, fn, name):
        if isinstance(node, tuple):
            call, keyword = node
            found = _orm_field(prov, call, keyword, env)
        else:
            found = _declared(prov, node)
        if found is not None:
            return found
    return None


def _reads(prov: Provenance, fn: cst.FunctionDef, name: str) -> Iterator[cst.Attribute | tuple[cst.Call, str]]:
    """``name.attr`` read in ``fn``, and ``f(keyword=name)`` calls, in source order."""
    targets: set[int] = set()
    for node in prov.nodes_of(fn):
        if isinstance(node, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
            for target in (node.targets if isinstance(node, cst.Assign) else [node]):
                targets.add(id(target.target))
        elif isinstance(node, cst.Del):
            targets.add(id(node.target))
        if isinstance(node, cst.Attribute) and id(node) not in targets and _is(node.value, name):
            yield node
        elif isinstance(node, cst.Call):
            for arg in node.args:
                if arg.keyword is not None and _is(arg.value, name):
                    yield node, arg.keyword.value


def _orm_field(prov: Provenance, call: cst.Call, keyword: str, env: Env) -> Fact | None:
    """``Model.objects.create(field=x)`` or ``Model(field=x)`` of a relation ``field``: a row of
    the model the field points to."""
    func = call.func
    made: Fact
    if isinstance(func, cst.Attribute) and func.attr.value in django_orm.WRITES:
        made = prov.fact(func.value, env)
        model, owner = (made.model, made.owner) if isinstance(made, Rows) else (None, None)
    else:
        made = prov.resolve(prov.fact(func, env))
        cls = made.node if isinstance(made, LocalDef) else None
        model, owner = (cls, made.owner) if isinstance(cls, cst.ClassDef) else (None, None)  # type: ignore[union-attr]
    if model is None or owner is None:
        return None
    held = owner.relation_field(model, keyword)
    if not isinstance(held, Instance):
        return None
    why = f"{describe(call)} ({prov.at(call)}) passes it as {model.name.value}.{keyword}, a Django relation to {held.cls.name.value}"
    return Instance(held.cls, why, held.owner)


def _declared(prov: Provenance, node: cst.Attribute) -> Fact | None:
    """``x.attr`` where ``attr`` is declared by a class of the project and by no Stripe object."""
    attr = node.attr.value
    if attr in stripe_names() or attr.startswith("__"):
        return None
    classes = prov.declaring(attr)
    if len(classes) != 1:  # declared by several classes: which one, and what it holds, is not proven
        return None
    owner, cls = classes[0]
    where = f"{describe(node)} ({prov.at(node)}) reads {attr}, which no Stripe object has"
    return owner.instance(cls, f"{where}; {cls.name.value} ({owner.label or 'this module'}) declares it")


def declared(module: cst.Module) -> Iterator[tuple[str, cst.ClassDef]]:
    """Each name a class of ``module`` declares: methods, properties, class attributes."""
    for stmt in module.body:
        if isinstance(stmt, cst.ClassDef):
            for name in django_orm.class_members(stmt):
                yield name, stmt


def _rebound(prov: Provenance, fn: cst.FunctionDef, name: str) -> bool:
    """Whether ``fn`` assigns ``name`` again (then a use may be of another value)."""
    for node in prov.nodes_of(fn):
        if isinstance(node, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.For, cst.NamedExpr, cst.CompFor)):
            target: cst.BaseExpression | None = node.target
        elif isinstance(node, cst.AsName):
            target = node.name
        else:
            continue
        if target is not None and name in _bound(target):
            return True
    return False


def _bound(target: cst.BaseExpression) -> Iterator[str]:
    """The names an assignment target binds: ``a`` and ``b`` of ``a, (b, c.d) = ...``."""
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _bound(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _bound(target.value)


def _is(node: cst.CSTNode, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name



