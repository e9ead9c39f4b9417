"""Every place in a module where ``account_balance`` is a field name or a parameter name.

A site is an attribute (``c.account_balance``), a subscript key, a ``.get()`` key, the
string of ``getattr``/``hasattr``/``setattr``/``delattr``, an ``"account_balance" in c``
test, an ``account_balance=`` keyword, or a dict-literal key. Names of variables,
parameters and functions, substrings, comments and other strings are never sites.
Each site keeps the fact of its receiver (the callee for a keyword), taken at that point
of the walk; its verdict is decided after the walk, once every dict's destination is known.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import libcst as cst

from .prefilter import TOKEN
from .provenance import Env, Fact, Provenance
from .provenance.walk import Visit
from .provenance.verdict import Verdict, of_keyword, of_receiver

_ATTRIBUTE_BUILTINS = frozenset({"getattr", "hasattr", "setattr", "delattr"})

Token = Union[cst.Name, cst.SimpleString]


@dataclass(frozen=True)
class Site:
    kind: str  # attribute | subscript-key | get-key | getattr-string | in-test | keyword | dict-key
    token: Token
    receiver: cst.CSTNode  # the value read or written; for a keyword, the call
    fact: Fact
    access: cst.CSTNode  # the whole access: the attribute, subscript, call, test or dict
    scope: frozenset[str]  # the names bound where the site is
    call: cst.Call | None = None  # the call a keyword or a dict argument is given to
    callee: Fact | None = None  # what that call calls

    def verdict(self, prov: Provenance) -> Verdict:
        if isinstance(self.receiver, cst.Call) and self.kind == "keyword":
            return of_keyword(prov, self.fact, self.receiver)
        return of_receiver(prov, self.fact, self.receiver)


def is_token_string(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.SimpleString) and node.evaluated_value == TOKEN


def collector(prov: Provenance) -> tuple[list[Site], Visit]:
    """The sites of a module, filled in source order by the visit function of its walk."""
    sites: list[Site] = []
    dict_arguments: dict[int, tuple[cst.Call, Fact]] = {}

    def visit(node: cst.CSTNode, env: Env) -> None:
        if isinstance(node, cst.Attribute):
            if node.attr.value == TOKEN:
                sites.append(Site("attribute", node.attr, node.value, prov.fact(node.value, env), node, _scope(env)))
        elif isinstance(node, cst.Subscript):
            if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
                key = node.slice[0].slice.value
                if is_token_string(key):
                    assert isinstance(key, cst.SimpleString)
                    sites.append(Site("subscript-key", key, node.value, prov.fact(node.value, env), node, _scope(env)))
        elif isinstance(node, cst.Call):
            _call_sites(node, env)
        elif isinstance(node, cst.Comparison):
            target = node.comparisons[0]
            if is_token_string(node.left) and isinstance(target.operator, (cst.In, cst.NotIn)):
                assert isinstance(node.left, cst.SimpleString)
                sites.append(Site("in-test", node.left, target.comparator, prov.fact(target.comparator, env), node, _scope(env)))
        elif isinstance(node, cst.Dict):
            for element in node.elements:
                if isinstance(element, cst.DictElement) and is_token_string(element.key):
                    assert isinstance(element.key, cst.SimpleString)
                    call, callee = dict_arguments.get(id(node), (None, None))
                    sites.append(Site("dict-key", element.key, node, prov.fact(node, env), node, _scope(env), call, callee))

    def _call_sites(node: cst.Call, env: Env) -> None:
        func, args = node.func, node.args
        positional = [arg.value for arg in args if arg.keyword is None and not arg.star]
        if isinstance(func, cst.Attribute) and func.attr.value == "get" and positional:
            if is_token_string(positional[0]):
                assert isinstance(positional[0], cst.SimpleString)
                sites.append(Site("get-key", positional[0], func.value, prov.fact(func.value, env), node, _scope(env)))
        if (
            isinstance(func, cst.Name)
            and func.value in _ATTRIBUTE_BUILTINS
            and env.lookup(func.value) is None
            and len(positional) >= 2
            and is_token_string(positional[1])
        ):
            assert isinstance(positional[1], cst.SimpleString)
            sites.append(Site("getattr-string", positional[1], positional[0], prov.fact(positional[0], env), node, _scope(env)))
        callee = None
        for arg in args:
            if arg.keyword is not None and arg.keyword.value == TOKEN:
                callee = callee or prov.fact(func, env)
                sites.append(Site("keyword", arg.keyword, node, callee, node, _scope(env), node, callee))
            elif isinstance(arg.value, cst.Dict):
                callee = callee or prov.fact(func, env)
                dict_arguments[id(arg.value)] = (node, callee)

    return sites, visit


def _scope(env: Env) -> frozenset[str]:
    names: set[str] = set()
    scope: Env | None = env
    while scope is not None:
        names.update(name for name in scope.names if "." not in name)
        scope = scope.parent
    return frozenset(names)
