"""Every place in a module where a catalog word is a field name or a parameter name.

A site is an attribute (``c.billing``, never a method call ``c.start()``), a subscript key,
a ``.get()`` key, the string of ``getattr``/``hasattr``/``setattr``/``delattr``, a
``"billing" in c`` test, a ``billing=`` keyword, or a dict-literal key. Names of variables,
parameters and functions, substrings, comments and other strings are never sites.
Each site keeps the fact of its receiver (the callee for a keyword), taken at that point
of the walk; its verdict is decided after the walk, once every dict's destination is known.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

import libcst as cst
from libcst.helpers import get_full_name_for_node

from . import records
from .catalog import BY_WORD, Change
from .findings import UNKNOWN
from .json_payloads import classes_of_keys
from .occurrences import BODY
from .provenance import Env, Fact, FieldNames, Provenance, Verdict, Visible, Visits, of_keyword, of_receiver, sdk
from .literal import value_of

_ATTRIBUTE_BUILTINS = frozenset({"getattr", "hasattr", "setattr", "delattr"})
_GETTERS = frozenset({"attrgetter", "itemgetter"})

Token = Union[cst.Name, cst.SimpleString]


@records.fast_init
@dataclass(frozen=True)
class Site:
    kind: str  # attribute | subscript-key | get-key | getattr-string | in-test | keyword | dict-key
    token: Token
    receiver: cst.CSTNode  # the value read or written; for a keyword, the call
    fact: Fact
    access: cst.CSTNode  # the whole access: the attribute, subscript, call, test or dict
    scope: Visible  # the names bound where the site is
    call: cst.Call | None = None  # the call a keyword or a dict argument is given to
    callee: Fact | None = None  # what that call calls
    # the values written to the field here or compared with it; None: a plain read
    values: tuple[cst.BaseExpression, ...] | None = None
    then: str | None = None  # the attribute the code reads from the field's value: ``x.billing.address``
    # a name in a list of field names is a site of every read it makes: the other (receiver, fact)
    also: list[tuple[cst.CSTNode, Fact]] = field(default_factory=list, compare=False)
    inset: int = 0  # in-string: where the name starts in the string's source text
    named: str = ""  # in-string: the name (the token is the whole string)
    # in-string: the text the string is part of (implicitly concatenated strings), and where
    # the string's own text starts in it
    document: tuple[str, int] | None = None

    @property
    def word(self) -> str:
        if self.named:
            return self.named
        token = self.token
        if type(token) is cst.SimpleString:
            return str(value_of(token))
        return token.value

    @property
    def change(self) -> Change:
        return BY_WORD[self.word]

    def verdict(self, prov: Provenance) -> Verdict:
        change = self.change
        if self.kind == "in-string":
            return _in_string(self, change)
        if isinstance(self.receiver, cst.Call) and self.kind == "keyword":
            return of_keyword(prov, self.fact, self.receiver, change)
        found = of_receiver(prov, self.fact, self.receiver, change)
        if self.also:
            return _all_agree(found, [of_receiver(prov, fact, receiver, change) for receiver, fact in self.also])
        if found.stripe is None and self.then is not None and change.holds is not None and not hasattr(change.holds, self.then):
            kind = change.holds.__name__
            return Verdict(False, f"its value has a `.{self.then}`, which the {change.kinds_text} field (a {kind}) has not")
        return found


def _in_string(site: Site, change: Change) -> Verdict:
    """A name inside a string: a key of a JSON document whose object shows its Stripe class
    (``'{"object": "customer", "account_balance": 0}'``, a test's fake), or a request body
    (form fields or JSON) that may or may not be sent to Stripe."""
    assert isinstance(site.token, cst.SimpleString)
    opening = len(site.token.prefix) + len(site.token.quote)
    text, start = site.document or (_text(site.token), 0)
    classes = classes_of_keys(text) if text else None
    offset = start + site.inset - opening
    if classes is not None and offset not in classes:
        return Verdict(False, "a metadata key of a JSON document written as a string: the project's own")
    kind = classes.get(offset) if classes else None
    if kind is not None:
        why = f"a JSON document written as a string: the object holding the key is a Stripe {kind}"
        return Verdict(kind in change.kinds, why if kind in change.kinds else f"{why}, not {change.kinds_text} data", kind=kind)
    return Verdict(None, f"a request body written as a string (form fields or JSON) names `{change.old}`;"
                   " whether it is sent to Stripe cannot be proven", UNKNOWN)


def _text(string: cst.SimpleString) -> str:
    """The text between the quotes, when it is the string's value (no escapes); else ``""``."""
    body = string.value[len(string.prefix) + len(string.quote):-len(string.quote)]
    return "" if "\\" in body or "b" in string.prefix.lower() else body


def _document(node: cst.ConcatenatedString) -> dict[int, tuple[str, int]]:
    """``'{"object": "customer", '  '"account_balance": 0}'``: the text the parts make together,
    and where each part's text starts in it (by id of the part); empty unless every part is a
    plain string without escapes."""
    parts: list[cst.BaseExpression] = []
    stack: list[cst.BaseExpression] = [node]
    while stack:
        current = stack.pop()
        if type(current) is cst.ConcatenatedString:
            stack += [current.right, current.left]
        else:
            parts.append(current)
    texts = [_text(part) if type(part) is cst.SimpleString else "" for part in parts]
    if not all(texts):
        return {}
    whole, starts = "".join(texts), [sum(len(t) for t in texts[:i]) for i in range(len(texts))]
    return {id(part): (whole, start) for part, start in zip(parts, starts)}


def renamed(token: Token, new: str) -> str:
    """The token's new source: the name, or the same string literal with the new name in it."""
    if isinstance(token, cst.Name):
        return new
    return f"{token.prefix}{token.quote}{new}{token.quote}"


def word_string(node: cst.CSTNode, words: frozenset[str]) -> bool:
    """A plain string literal whose value is one of ``words``."""
    return type(node) is cst.SimpleString and value_of(node) in words


def collector(prov: Provenance, words: frozenset[str]) -> tuple[list[Site], Visits]:
    """The sites of ``words`` in a module, filled in source order by the visit function of its walk."""
    sites: list[Site] = []
    dict_arguments: dict[int, tuple[cst.Call, Fact]] = {}
    called: set[int] = set()  # attributes that are called: methods, not fields
    values: dict[int, tuple[cst.BaseExpression, ...]] = {}  # accesses that are assigned or compared
    then: dict[int, str] = {}  # values whose attribute the code reads next
    stores: set[int] = set()  # assignment targets
    documents: dict[int, tuple[str, int]] = {}  # the parts of implicitly concatenated strings

    def visit(node: cst.CSTNode, env: Env) -> None:
        # ``type(node) is``: a class test per branch (``isinstance`` on LibCST's abstract classes is slow)
        if type(node) is cst.Attribute:
            then[id(node.value)] = node.attr.value
            if node.attr.value in words and id(node) not in called:
                sites.append(Site("attribute", node.attr, node.value, prov.fact(node.value, env), node, Visible(env),
                                  values=values.get(id(node)), then=then.get(id(node))))
        elif type(node) is cst.Subscript:
            if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
                key = node.slice[0].slice.value
                if word_string(key, words):
                    assert isinstance(key, cst.SimpleString)
                    sites.append(Site("subscript-key", key, node.value, prov.fact(node.value, env), node, Visible(env),
                                      values=values.get(id(node))))
                elif isinstance(key, cst.Name):
                    field_names(key, node.value, node, env)
        elif type(node) is cst.Call:
            _call_sites(node, env)
        elif type(node) is cst.Comparison:
            target = node.comparisons[0]
            if word_string(node.left, words) and isinstance(target.operator, (cst.In, cst.NotIn)):
                assert isinstance(node.left, cst.SimpleString)
                sites.append(Site("in-test", node.left, target.comparator, prov.fact(target.comparator, env), node,
                                  Visible(env), values=()))
            elif len(node.comparisons) == 1:
                values[id(node.left)] = _compared(target)
        elif type(node) is cst.Assign or type(node) is cst.AugAssign:
            targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
            for assigned in targets:
                values[id(assigned)] = (node.value,)
                stores.add(id(assigned))
        elif type(node) is cst.ConcatenatedString:
            for part, whole in _document(node).items():
                documents.setdefault(part, whole)  # the outermost concatenation is the whole text
        elif type(node) is cst.SimpleString and "\n" not in node.value and "b" not in node.prefix.lower():
            for match in BODY.finditer(node.value):
                word = match.group("form") or match.group("json")
                if word in words and not BY_WORD[word].context:  # `start=` in a URL is no request body
                    document = documents.get(id(node))
                    found = sdk.document_object(document[0] if document else _text(node))
                    if found is not None:
                        prov.note_stripe(f'a JSON document with "object": "{found}" ({prov.at(node)})')
                    sites.append(Site("in-string", node, node, prov.fact(node, env), node, Visible(env),
                                      inset=match.start("form") if match.group("form") else match.start("json"),
                                      named=word, document=document))
        elif type(node) is cst.Dict:
            for element in node.elements:
                if isinstance(element, cst.DictElement) and word_string(element.key, words):
                    assert isinstance(element.key, cst.SimpleString)
                    call, callee = dict_arguments.get(id(node), (None, None))
                    sites.append(Site("dict-key", element.key, node, prov.fact(node, env), node, Visible(env), call, callee,
                                      values=(element.value,)))

    by_token: dict[int, Site] = {}

    def field_names(key: cst.BaseExpression, receiver: cst.BaseExpression, access: cst.CSTNode, env: Env) -> None:
        """``cu[key]`` / ``getattr(cu, key)`` where ``key`` runs over a list of names: each name is a site."""
        names = prov.fact(key, env)
        if not (isinstance(names, FieldNames) and names.item and names.owner is prov) or id(access) in stores:
            return  # `out[key] = cu[key]`: the names are decided where they are read
        fact = prov.fact(receiver, env)
        for string in names.strings:
            if value_of(string) not in words:
                continue
            if id(string) in by_token:
                by_token[id(string)].also.append((receiver, fact))
            else:
                by_token[id(string)] = Site("field-name", string, receiver, fact, access, Visible(env))
                sites.append(by_token[id(string)])

    def getter_sites(node: cst.Call, env: Env) -> None:
        """``attrgetter("balance")`` / ``itemgetter("balance")`` as the key over Stripe items."""
        item = prov.stand_ins.items.get(id(node))
        if item is None or (get_full_name_for_node(node.func) or "").rpartition(".")[2] not in _GETTERS:
            return
        for arg in node.args:
            if arg.keyword is None and word_string(arg.value, words):
                assert isinstance(arg.value, cst.SimpleString)
                sites.append(Site("field-name", arg.value, node, item, node, Visible(env)))

    def _call_sites(node: cst.Call, env: Env) -> None:
        func, args = node.func, node.args
        getter_sites(node, env)
        called.add(id(func))
        positional = [arg.value for arg in args if arg.keyword is None and not arg.star]
        if isinstance(func, cst.Attribute) and func.attr.value == "get" and positional:
            if word_string(positional[0], words):
                assert isinstance(positional[0], cst.SimpleString)
                sites.append(Site("get-key", positional[0], func.value, prov.fact(func.value, env), node, Visible(env),
                                  values=values.get(id(node))))
        if isinstance(func, cst.Name) and func.value in _ATTRIBUTE_BUILTINS and env.lookup(func.value) is None \
                and len(positional) >= 2:
            name = positional[1]
            if word_string(name, words):
                assert isinstance(name, cst.SimpleString)
                written = (positional[2],) if func.value == "setattr" and len(positional) > 2 else values.get(id(node))
                sites.append(Site("getattr-string", name, positional[0], prov.fact(positional[0], env), node,
                                  Visible(env), values=written))
            else:
                field_names(name, positional[0], node, env)
        callee = None
        for arg in args:
            if arg.keyword is not None and arg.keyword.value in words:
                callee = callee or prov.fact(func, env)
                sites.append(Site("keyword", arg.keyword, node, callee, node, Visible(env), node, callee, values=(arg.value,)))
            elif isinstance(arg.value, cst.Dict):
                callee = callee or prov.fact(func, env)
                dict_arguments[id(arg.value)] = (node, callee)

    return sites, dict.fromkeys(VISITED, visit)


# the classes ``visit`` looks at (``tests/test_dispatch.py`` holds it to its branches)
VISITED = (cst.Attribute, cst.Subscript, cst.Call, cst.Comparison, cst.Assign, cst.AugAssign, cst.ConcatenatedString,
           cst.SimpleString, cst.Dict)


def _all_agree(first: Verdict, others: list[Verdict]) -> Verdict:
    """One verdict for a name used on several values: fixed only when every use is the change's data."""
    verdicts = [first, *others]
    if all(v.stripe for v in verdicts):
        return first
    if all(v.stripe is False for v in verdicts):
        return first
    odd = next(v for v in verdicts if not v.stripe)
    return Verdict(None, f"this name is read from several values, not all proven the change's: {odd.why}", odd.confidence)


def _compared(target: cst.ComparisonTarget) -> tuple[cst.BaseExpression, ...]:
    """What a field is compared with: ``== "none"``, or each item of ``in ("none", "renew")``."""
    comparator = target.comparator
    if isinstance(target.operator, (cst.In, cst.NotIn)) and isinstance(comparator, (cst.Tuple, cst.List, cst.Set)):
        return tuple(element.value for element in comparator.elements)
    return (comparator,)

