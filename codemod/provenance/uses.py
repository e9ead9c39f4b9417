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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

import libcst as cst

from .. import catalog
from . import django_orm, stripe_sdk
from .facts import Fact, Instance, LocalDef, Rows
from .walk import descendants

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
    body = prov.body_of(fn)
    if name in body.bound:  # assigned again: a use may be of another value
        return None
    env = prov.def_env(fn)
    for node in body.reads.get(name, ()):
        if isinstance(node, tuple):
            call, keyword = node
            found = _orm_field(prov, call, keyword, env)
        else:
            found = _declared(prov, node)
        if found is not None:
            return found
    return None


@dataclass
class Body:
    """What a function's body does with names, listed once for all its parameters."""

    bound: set[str] = field(default_factory=set)  # names it assigns
    # name -> ``name.attr`` reads and ``f(keyword=name)`` calls, in source order
    reads: dict[str, list[cst.Attribute | tuple[cst.Call, str]]] = field(default_factory=dict)


_TARGETED = frozenset({cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.For, cst.NamedExpr, cst.CompFor})


def body(fn: cst.FunctionDef) -> Body:
    """One pass over the body of ``fn`` (not into nested definitions)."""
    found = Body()
    targets: set[int] = set()  # attributes written, not read
    for node in descendants(fn.body):
        kind = type(node)  # ``type() is``: LibCST's classes make ``isinstance`` slow
        if kind in _TARGETED:
            if node.target is not None:  # type: ignore[attr-defined]
                found.bound.update(_bound(node.target))  # type: ignore[attr-defined]
        elif kind is cst.AsName:
            found.bound.update(_bound(node.name))  # type: ignore[attr-defined]
        if kind is cst.Assign:
            targets.update(id(target.target) for target in node.targets)  # type: ignore[attr-defined]
        elif kind is cst.AugAssign or kind is cst.AnnAssign or kind is cst.Del:
            targets.add(id(node.target))  # type: ignore[attr-defined]
        if kind is cst.Attribute:
            value = node.value  # type: ignore[attr-defined]
            if id(node) not in targets and type(value) is cst.Name:
                found.reads.setdefault(value.value, []).append(node)  # type: ignore[arg-type]
        elif kind is cst.Call:
            for arg in node.args:  # type: ignore[attr-defined]
                if arg.keyword is not None and type(arg.value) is cst.Name:
                    found.reads.setdefault(arg.value.value, []).append((node, arg.keyword.value))  # type: ignore[arg-type]
    return found


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
    why = f"{prov.described(call)} passes it as {model.name.value}.{keyword}, a Django relation to {held.cls.name.value}"
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
    where = f"{prov.described(node)} reads {attr}, which no Stripe object has"
    return owner.instance(cls, f"{where}; {cls.name.value} ({owner.label or 'this module'}) declares it")


def declared(module: cst.Module) -> Iterator[tuple[str, cst.ClassDef]]:
    """Each name a class of ``module`` declares: methods, properties, class attributes."""
    for stmt in module.body:
        if isinstance(stmt, cst.ClassDef):
            for name in django_orm.class_members(stmt):
                yield name, stmt


def _bound(target: cst.BaseExpression) -> Iterator[str]:
    """The names an assignment target binds: ``a`` and ``b`` of ``a, (b, c.d) = ...``."""
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _bound(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _bound(target.value)
