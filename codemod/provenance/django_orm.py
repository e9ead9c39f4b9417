"""What the Django ORM hands back: rows of the project's own models, never Stripe data.

``Model.objects`` and its querysets hold rows of ``Model``; ``get()``, ``create()``,
``first()`` return one, ``get_or_create()`` a pair of one and a flag. A relation field
declared on a model (``owner = models.OneToOneField(User, related_name="stripe_customer")``)
makes ``user.stripe_customer`` a row of that model, whatever ``user`` is.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import libcst as cst
from libcst.helpers import get_full_name_for_node

from . import stripe_sdk as sdk
from .walk import body
from ..literal import text_of

# Queryset methods that give a queryset of the same model.
QUERYSETS = frozenset({
    "all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "using", "distinct",
    "only", "defer", "annotate", "select_for_update", "reverse", "none", "active", "alive",
})
# Methods that give one row (``a*`` forms: Django's async queryset API).
ROWS = frozenset({
    "get", "create", "first", "last", "latest", "earliest",
    "aget", "acreate", "afirst", "alast", "alatest", "aearliest",
})
# Methods that give ``(row, created)``.
PAIRS = frozenset({"get_or_create", "update_or_create", "aget_or_create", "aupdate_or_create"})
# Methods whose keyword arguments set fields: a relation field takes only a row of its model.
WRITES = frozenset({"create", "acreate"})
_ONE_TO_ONE = frozenset({"OneToOneField"})
_TO_MANY = frozenset({"ForeignKey", "ManyToManyField", "ParentalKey", "ParentalManyToManyField"})
# Names that are fields of Stripe objects: never taken for a relation's accessor.
_STRIPE_FIELDS = frozenset(sdk.EXPANDABLE) | {field for _, field in sdk.LISTS} | {"data", "object", "metadata"}


@dataclass(frozen=True)
class Accessor:
    """``<row>.<name>`` of a relation: one row (``many=False``) or a manager of rows of ``model``."""

    name: str
    model: cst.ClassDef
    many: bool
    field: str  # the relation field that makes it, ``StripeCustomer.owner``


def accessors(module: cst.Module) -> Iterator[Accessor]:
    """The reverse accessors that the relation fields of a module's classes give other models."""
    for stmt in module.body:
        if not isinstance(stmt, cst.ClassDef):
            continue
        for line in body(stmt.body):
            if not isinstance(line, cst.SimpleStatementLine):
                continue
            for small in line.body:
                found = _relation(stmt, small)
                if found is not None:
                    yield found


def _relation(model: cst.ClassDef, small: cst.BaseSmallStatement) -> Accessor | None:
    if not (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)
            and isinstance(small.value, cst.Call)):
        return None
    kind = _field_kind(small.value)
    if kind is None:
        return None
    field = f"{model.name.value}.{small.targets[0].target.value}"
    related = next((arg.value for arg in small.value.args if arg.keyword is not None and arg.keyword.value == "related_name"), None)
    if related is None:
        lower = model.name.value.lower()
        name = lower if kind in _ONE_TO_ONE else f"{lower}_set"
    elif (text := text_of(related)) is not None:
        name = text
    else:
        return None
    if not name.isidentifier() or name in _STRIPE_FIELDS:
        return None
    return Accessor(name, model, kind not in _ONE_TO_ONE, field)


def target(call: cst.Call) -> tuple[cst.BaseExpression, bool] | None:
    """The model a relation field points to (``models.ForeignKey(Customer, ...)``, or its name as a
    string), and whether the field holds many rows (a many-to-many field)."""
    kind = _field_kind(call)
    if kind is None:
        return None
    first = next((arg.value for arg in call.args if arg.keyword is None or arg.keyword.value == "to"), None)
    text = text_of(first)
    if text is not None:
        name = text.rpartition(".")[2]
        return (cst.Name(name), "ManyToMany" in kind) if name.isidentifier() else None
    return (first, "ManyToMany" in kind) if first is not None else None


def _field_kind(call: cst.Call) -> str | None:
    """``ForeignKey`` of ``models.ForeignKey(...)``: the relation field a call makes, if any."""
    kind = (get_full_name_for_node(call.func) or "").rpartition(".")[2]
    return kind if kind in _ONE_TO_ONE or kind in _TO_MANY else None


def members(module: cst.Module) -> set[str]:
    """Every name a class of the module defines (methods, properties, class attributes)."""
    return {name for stmt in module.body if isinstance(stmt, cst.ClassDef) for name in class_members(stmt)}


def class_members(cls: cst.ClassDef) -> Iterator[str]:
    """The names a class body defines: methods, properties, class attributes."""
    for line in body(cls.body):
        if isinstance(line, cst.FunctionDef):
            yield line.name.value
        elif isinstance(line, cst.SimpleStatementLine):
            for small in line.body:
                if isinstance(small, cst.Assign):
                    yield from (t.target.value for t in small.targets if isinstance(t.target, cst.Name))
                elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                    yield small.target.value


def relation_field(cls: cst.ClassDef, name: str) -> cst.Assign | None:
    """The class-body assignment that makes ``name`` a relation field of ``cls``, if any."""
    for line in body(cls.body):
        if isinstance(line, cst.SimpleStatementLine):
            for small in line.body:
                if (isinstance(small, cst.Assign) and any(isinstance(t.target, cst.Name) and t.target.value == name for t in small.targets)
                        and isinstance(small.value, cst.Call) and _field_kind(small.value) is not None):
                    return small
    return None
